// Service hall counter (demo): identity check against the insured records, the printable application form
// prefilled from them, and the citizen's certificates with revocation (the USB-Key work is in hall-usb-key.js).
// Every value goes in with textContent. The form is the region's Chinese form in either page language.
import { lang, t } from '/lang.js';

const SEX = { male: '男', female: '女' };
const VALIDITY = { valid: ['有效', 'Valid'], expiring: ['即将到期（30天内）', 'Expiring (within 30 days)'], expired: ['已过期', 'Expired'], notYetValid: ['尚未生效', 'Not yet valid'] };
const REASONS = { keyCompromise: ['挂失', 'Reported lost'], cessationOfOperation: ['注销', 'Cancelled'], superseded: ['已更换', 'Superseded'], unspecified: ['其他原因', 'Other'] };
const OPEN = { submitted: ['已提交，待审核（本人可在网上撤回）', 'Submitted, awaiting review (the citizen can withdraw it online)'], under_review: ['审核中', 'Under review'], approved: ['已批准，证书待安装', 'Approved, certificate not installed yet'] };
const pick = (pair, fallback) => (pair ? t(...pair) : fallback);

const $ = (id) => document.getElementById(id);
const checkForm = $('check');
let checked; // the last successful identity check: { name, idNumber }
let made; // the USB-Key made at the counter for the citizen checked: { idNumber, kind, fee }

const ymd = (date) => `${date.getFullYear()}年${date.getMonth() + 1}月${date.getDate()}日`;
const compact = (yyyymmdd) => `${yyyymmdd.slice(0, 4)}年${Number(yyyymmdd.slice(4, 6))}月${Number(yyyymmdd.slice(6, 8))}日`;
const when = (iso) => new Date(iso).toLocaleString(lang, { hour12: false });

function setField(name, value) {
  for (const el of document.querySelectorAll(`[data-field="${name}"]`)) el.textContent = value;
}

function choose(group, values) {
  for (const option of document.querySelectorAll(`[data-choice="${group}"] > span`)) option.classList.toggle('checked', values.includes(option.dataset.value));
}

let shownError = ['', '']; // the identity check's error, in both languages

function showError(message, field) {
  shownError = Array.isArray(message) ? message : [message, message];
  $('check-error').textContent = t(...shownError);
  for (const input of checkForm.querySelectorAll('input')) input.toggleAttribute('aria-invalid', input.name === field);
  if (field) checkForm.elements[field]?.focus();
}

function fillForm(answer) {
  const { person, fees, repeatIssue } = answer;
  setField('office', `${person.regionName.replace(/\s*\(.*\)$/, '')}社保经办服务大厅`);
  setField('date', ymd(new Date()));
  setField('name', person.name);
  setField('sex', SEX[person.sex]);
  setField('idNumber', person.idNumber);
  setField('birthDate', compact(person.birthDate));
  setField('cardNumber', person.cardNumber);
  setField('mobile', person.mobile);
  setField('region', person.regionName.replace(/\s*\(.*\)$/, ''));
  setField('insurance', person.insurance);
  setField('hotline', '12333');
  setField('mediaFee', !repeatIssue && fees.firstIssueFree ? '首次办理免费' : `工本费 ${fees.usbKeyMedia} 元`);
  setField('fee', repeatIssue ? `补办：${fees.reissue} 元（曾办理过证书）` : fees.firstIssueFree ? '首次办理免费' : `本机电子证书免费；USB-Key 工本费 ${fees.usbKeyMedia} 元`);
  choose('kind', [repeatIssue ? 'reissue' : 'new']);
  choose('type', ['personal']);
  choose('medium', []);
  choose('channel', ['self']);
  choose('materials', []);
  choose('office-checks', []);
  // After an on-site USB-Key the form records that application: its medium, its kind and fee as decided when it was
  // issued (the certificate it made would otherwise turn a first issue into a 补办 on the form), and 证书已制作.
  if (made?.idNumber === person.idNumber) {
    const fee = made.fee ? `${made.fee} 元` : '首次办理免费';
    setField('mediaFee', fee);
    setField('fee', made.kind === 'reissue' ? `补办：${made.fee} 元` : made.fee ? `USB-Key 工本费 ${made.fee} 元` : '首次办理免费');
    choose('kind', [made.kind]);
    choose('medium', ['usb-key']);
    choose('office-checks', ['made']);
  }
}

function statusText(cert) {
  const reason = pick(REASONS[cert.revocationReason], cert.revocationReason);
  if (cert.status === 'revoked') return t(`已吊销（${reason}，${when(cert.revokedAt)}）`, `Revoked (${reason}, ${when(cert.revokedAt)})`);
  return pick(VALIDITY[cert.validity], cert.validity);
}

function certificateRow(cert) {
  const tr = document.createElement('tr');
  const holder = `${cert.holder}${cert.organization ? t('（单位）', ' (organisation)') : ''}`;
  const cells = [holder, cert.serialNumber, new Date(cert.notAfter).toLocaleDateString(lang), statusText(cert)];
  cells.forEach((text, i) => {
    const td = document.createElement('td');
    td.textContent = text;
    if (i === 1) td.className = 'serial';
    if (i === 3) td.className = cert.status === 'revoked' ? 'revoked' : cert.validity;
    tr.append(td);
  });
  const td = document.createElement('td');
  if (cert.status !== 'revoked') {
    const select = document.createElement('select');
    select.setAttribute('aria-label', t(`吊销原因：${holder}`, `Reason for revoking: ${holder}`));
    for (const [value, label] of Object.entries(REASONS)) select.append(new Option(t(...label), value));
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t('吊销', 'Revoke') });
    button.addEventListener('click', () => revoke(cert, holder, select.value));
    td.append(select, ' ', button);
  } else {
    td.textContent = '—';
  }
  tr.append(td);
  return tr;
}

async function revoke(cert, holder, reason) {
  const why = t(...REASONS[reason]);
  if (!window.confirm(t(`确认以“${why}”吊销 ${holder} 的证书？吊销立即生效，不能撤销。`, `Revoke ${holder}’s certificate as “${why}”? It takes effect at once and cannot be undone.`))) return;
  const response = await fetch(`/console/api/hall/certificates/${cert.serialNumber}/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reason }),
  });
  const answer = await response.json();
  await check(checked);
  $('revoke-outcome').textContent = response.ok ? t(`已吊销 ${holder} 的证书（${why}），证书吊销列表已更新。`, `${holder}’s certificate is revoked (${why}); the CRL is updated.`) : t(answer.message, answer.messageEn ?? answer.message);
}

async function check({ name, idNumber }) {
  const response = await fetch('/console/api/hall/identity', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, idNumber }),
  });
  const answer = await response.json();
  if (!response.ok) {
    clear({ keepInputs: true });
    return showError([answer.message, answer.messageEn ?? answer.message], answer.field);
  }
  checked = { name, idNumber };
  showError('');
  const { person } = answer;
  const facts = [
    [t('核验结果', 'Result'), t('一致：已参保，信息与社保记录相符', 'Match: insured, details as on the records')],
    [t('参保地', 'Insured in'), person.regionName],
    [t('参保险种', 'Insurance'), person.insurance],
    [t('联系方式', 'Contact'), person.contactConfirmed ? t(`${person.mobile}（已确认）`, `${person.mobile} (confirmed)`) : t(`${person.mobile}（未确认，请先核对手机号和户籍地址）`, `${person.mobile} (not confirmed: check the mobile number and registered address first)`)],
    [t('办理类型', 'Kind'), answer.repeatIssue ? t(`补办（曾办理过证书，补办费 ${answer.fees.reissue} 元）`, `Reissue (has had a certificate; reissue fee ${answer.fees.reissue} yuan)`) : t('首次申领', 'First issue')],
  ];
  // One open application per person: a USB-Key cannot be made here until it is finished or withdrawn.
  const open = answer.openApplication;
  if (open) {
    const other = open.filedByOther ? t('（他人代办或单位经办）', ' (filed by an agent or an organisation’s handler)') : '';
    facts.push([t('办理中的申请', 'Application in progress'), t(`${pick(OPEN[open.status], open.status)}，${when(open.submittedAt)} 提交${other}：办结或撤回前不能现场制作`, `${pick(OPEN[open.status], open.status)}, submitted ${when(open.submittedAt)}${other}: no on-site key until it is finished or withdrawn`)]);
  }
  $('person').replaceChildren(...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  $('person').hidden = false;
  fillForm(answer);
  $('certs').replaceChildren(...answer.certificates.map(certificateRow));
  $('no-certs').hidden = answer.certificates.length > 0;
  $('form-card').hidden = false;
  $('certs-card').hidden = false;
  document.dispatchEvent(new window.CustomEvent('hall-checked', { detail: { person, repeatIssue: answer.repeatIssue, fees: answer.fees } }));
}

/** The next citizen must not see the last one's details: clear the page, not just hide it. */
function clear({ keepInputs = false } = {}) {
  checked = undefined;
  made = undefined;
  if (!keepInputs) checkForm.reset();
  for (const el of document.querySelectorAll('[data-field]')) el.textContent = '';
  $('person').replaceChildren();
  $('certs').replaceChildren();
  $('revoke-outcome').textContent = '';
  for (const id of ['person', 'form-card', 'certs-card']) $(id).hidden = true;
  document.dispatchEvent(new window.CustomEvent('hall-cleared'));
}

checkForm.addEventListener('submit', (event) => {
  event.preventDefault();
  $('revoke-outcome').textContent = '';
  void check({ name: checkForm.elements.name.value.trim(), idNumber: checkForm.elements.idNumber.value.trim().toUpperCase() });
});
$('clear').addEventListener('click', () => {
  clear();
  showError('');
  checkForm.elements.name.focus();
});
$('print').addEventListener('click', () => window.print());
// A USB-Key made at the counter: its certificate joins the citizen's list, and the form records it.
document.addEventListener('hall-refresh', (event) => {
  if (event.detail?.made) made = event.detail.made;
  if (checked) void check(checked);
});
// The page's language: what the counter shows is written again (the form stays the Chinese form).
document.addEventListener('demo-lang', () => {
  $('check-error').textContent = t(...shownError);
  if (checked) void check(checked);
});
