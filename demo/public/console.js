// Staff review console (demo): list, view materials, approve (issues the certificate), reject with a reason.
import { lang, t } from '/lang.js';

const STATUS = { submitted: ['待审核', 'Submitted'], under_review: ['审核中', 'Under review'], approved: ['已通过', 'Approved'], rejected: ['已驳回', 'Rejected'], installed: ['已安装', 'Installed'], withdrawn: ['已撤回', 'Withdrawn'] };
const KIND = { new: ['', ''], reissue: [' · 补办', ' · reissue'], renewal: [' · 续期', ' · renewal'] };
const MATERIALS = {
  'id-front': ['身份证人像面', 'ID card, photo side'], 'id-back': ['身份证国徽面', 'ID card, emblem side'], 'ss-card': ['社保卡', 'Social-security card'], photo: ['证件照', 'Photo'],
  'power-of-attorney': ['委托书', 'Power of attorney'], 'agent-id': ['代办人身份证', 'Agent’s ID card'], 'application-form': ['单位申请表', 'Organisation application form'],
  'business-licence': ['营业执照', 'Business licence'], 'handler-id': ['经办人身份证', 'Handler’s ID card'], 'authorization-letter': ['授权委托书', 'Letter of authorisation'],
};
const text = (pair, fallback = '') => (pair ? t(pair[0], pair[1]) : fallback);
const when = (iso) => new Date(iso).toLocaleString(lang);
const rows = document.getElementById('rows');
const detail = document.getElementById('detail');
let current;
let outcome = ['', '']; // the last decision's message, in both languages

/** How the identity was checked, in words: the demo's face service is a simulation and the console says so. */
function faceMethod(method) {
  if (method === 'simulated') return t('模拟人脸识别（演示，未做真实比对）', 'Simulated face check (demo: nothing compared)');
  if (method === 'camera-simulated') return t('摄像头画面，模拟比对（演示，未做真实比对）', 'Camera, simulated comparison (demo: nothing compared)');
  if (method === 'identity checked at the hall counter') return t('服务大厅窗口现场核验身份', 'Identity checked at the hall counter');
  const renewal = /^renewal signed with certificate ([0-9a-f]+)$/.exec(method);
  if (renewal) return t(`在线续期：由原证书（序列号 ${renewal[1]}）签名，无需人脸识别`, `Online renewal, signed with the current certificate (serial ${renewal[1]}): no face check`);
  return method;
}

async function list() {
  const apps = await (await fetch('/console/api/applications')).json();
  rows.replaceChildren(
    ...apps.map((app) => {
      const tr = document.createElement('tr');
      const type = app.type === 'organization' ? t('单位', 'Organisation') : app.onBehalf ? t('个人（代办）', 'Personal (by an agent)') : t('个人', 'Personal');
      const cells = [when(app.submittedAt), app.holder ?? app.applicant, `${type}${text(KIND[app.kind])}`, app.medium === 'usb-key' ? 'USB-Key' : t('本机', 'This computer'), text(STATUS[app.status], app.status)];
      for (const value of cells) tr.append(Object.assign(document.createElement('td'), { textContent: value }));
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t('查看', 'View') });
      button.dataset.id = app.id;
      button.addEventListener('click', () => open(app.id, { startReview: true }));
      const td = document.createElement('td');
      td.append(button);
      tr.append(td);
      return tr;
    }),
  );
}

function showDetail() {
  const d = current.details;
  const facts = [
    [t('状态', 'Status'), text(STATUS[current.status], current.status)],
    [t('申请人', 'Applicant'), t(`${d.applicant.name}（${d.applicant.idNumber}）`, `${d.applicant.name} (${d.applicant.idNumber})`)],
    [t('手机号', 'Mobile'), d.applicant.mobile],
    ...(d.organization ? [[t('单位', 'Organisation'), t(`${d.organization.name}（${d.organization.creditCode}）`, `${d.organization.name} (${d.organization.creditCode})`)]] : []),
    ...(d.agent ? [[t('代办人', 'Agent'), t(`${d.agent.name}（${d.agent.idNumber}）`, `${d.agent.name} (${d.agent.idNumber})`)]] : []),
    [t('身份核验', 'Identity check'), `${faceMethod(d.face.method)}${t('，', ', ')}${when(d.face.at)}`],
    [t('证书主题', 'Certificate subject'), Object.entries(current.subject).map(([k, v]) => `${k}=${v}`).join(', ')],
    [t('预计完成', 'Expected by'), current.expectedBy],
  ];
  document.getElementById('facts').replaceChildren(...facts.flatMap(([k, v]) => [Object.assign(document.createElement('dt'), { textContent: k }), Object.assign(document.createElement('dd'), { textContent: v })]));
  document.getElementById('materials').replaceChildren(
    ...d.materials.map((m) => {
      const figure = document.createElement('figure');
      const url = `/console/api/uploads/${m.uploadId}`;
      const name = text(MATERIALS[m.kind], m.kind);
      if (m.mimeType?.startsWith('image/')) figure.append(Object.assign(document.createElement('img'), { src: url, alt: name }));
      const caption = document.createElement('figcaption');
      caption.append(Object.assign(document.createElement('a'), { href: url, target: '_blank', textContent: `${name}${t('：', ': ')}${m.fileName}` }));
      figure.append(caption);
      return figure;
    }),
  );
  document.getElementById('decision').hidden = !['submitted', 'under_review'].includes(current.status);
  document.getElementById('outcome').textContent = t(...outcome);
  detail.hidden = false;
}

async function open(id, { startReview = false } = {}) {
  current = await (await fetch(`/console/api/applications/${id}`)).json();
  // Opening a submitted application starts its review: an explicit POST, since a GET never changes state.
  if (startReview && current.status === 'submitted') {
    await fetch(`/console/api/applications/${id}/review`, { method: 'POST' });
    current = await (await fetch(`/console/api/applications/${id}`)).json();
  }
  outcome = current.rejectReason ? [`驳回原因：${current.rejectReason}`, `Rejected: ${current.rejectReason}`] : ['', ''];
  showDetail();
  await list();
}

/** A decision's answer as the outcome line: the server's message in both languages when it refused. */
async function decided(response, done) {
  if (response.ok) return done;
  const answer = await response.json();
  return [answer.message, answer.messageEn ?? answer.message];
}

document.getElementById('approve').addEventListener('click', async () => {
  const response = await fetch(`/console/api/applications/${current.id}/approve`, { method: 'POST' });
  const message = await decided(response, ['已签发证书。', 'Certificate issued.']);
  await open(current.id);
  outcome = message;
  showDetail();
});
document.getElementById('reject').addEventListener('click', async () => {
  const reason = document.getElementById('reason').value;
  const response = await fetch(`/console/api/applications/${current.id}/reject`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason }) });
  const message = await decided(response, ['已驳回。', 'Rejected.']);
  if (response.ok) await open(current.id);
  outcome = message;
  showDetail();
});
document.addEventListener('demo-lang', () => {
  void list();
  if (current) showDetail();
});

await list();
