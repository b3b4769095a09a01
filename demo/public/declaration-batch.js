// The declaration page's batch: an organisation's handler signs this period's declarations of every insurance at
// once with <sicert-signer>'s batch mode (one consent, one password), and the server verifies each signature
// against its own declaration and the organisation; the table shows each verdict.
import { t } from '/lang.js';

const json = { 'content-type': 'application/json' };

/** The insurance and the amount of a declaration, from the fields the server gave it. */
const field = (declaration, label) => declaration.fields.find((f) => f.label === label || f.label.startsWith(label))?.value ?? '';

/**
 * Gets the batch for `organization` (this period's unsigned declarations), shows it in `#batch`, and hands it to
 * `signer` as its items; `verdict` then tells how many the server accepted. Returns false when there is nothing to
 * sign: the server refused, or the period is already declared (its message is shown).
 */
export async function showBatch(organization, signer, verdict) {
  const response = await fetch('/api/declarations/batch', { method: 'POST', headers: json, body: JSON.stringify({ organization }) });
  const answer = await response.json();
  if (!response.ok) {
    // Everything declared already is good news, not a failure.
    const className = `verdict ${answer.error === 'PERIOD_DECLARED' ? 'ok' : 'bad'}`;
    const say = () => Object.assign(verdict, { hidden: false, className, textContent: t(answer.message, answer.messageEn) });
    verdict.dataset.problem = answer.error ?? '';
    say();
    document.addEventListener('demo-lang', say);
    return false;
  }
  const declarations = answer;
  const results = new Map(); // declaration id → the server's verdict
  const rows = document.getElementById('batch-rows');
  const accepted = () => declarations.filter((d) => results.get(d.id)?.verified === true);
  let toSign = declarations; // what the signer has as its items
  function render() {
    signer.summary = t(`${toSign.length} 份单位社保缴费申报，逐份签名`, `${toSign.length} payment declarations of the organisation, each signed`);
    rows.replaceChildren(
      ...declarations.map((d) => {
        const tr = document.createElement('tr');
        const result = results.get(d.id);
        tr.dataset.id = d.id;
        tr.dataset.verified = result ? String(result.verified === true) : '';
        tr.className = !result ? '' : result.verified ? 'accepted' : 'refused';
        const cells = [field(d, '申报单号'), field(d, '险种'), field(d, '单位缴费')].map((text) => Object.assign(document.createElement('td'), { textContent: text }));
        const outcome = document.createElement('td');
        if (result && !result.verified) {
          // Refused: said first and in bold, then why.
          const why = Object.assign(document.createElement('span'), { className: 'why', textContent: t(result.message, result.messageEn) });
          outcome.append(Object.assign(document.createElement('strong'), { textContent: t('未受理。', 'Not accepted. ') }), why);
        } else outcome.textContent = !result ? t('待签名', 'To sign') : t('已受理', 'Accepted');
        tr.append(...cells, outcome);
        return tr;
      }),
    );
    if (results.size) {
      const done = accepted().length;
      const all = done === declarations.length;
      verdict.textContent = all
        ? t(`${done} 份申报签名验证通过，已全部受理。`, `All ${done} declarations verified and accepted.`)
        : t(
            `网站核验未通过：${declarations.length - done} 份申报未受理（${done} 份已受理），原因见上表。证书助手显示“已签名”只表示签名已生成，不表示网站已受理。请选择本单位的证书，重新签署未受理的申报。`,
            `The website refused ${declarations.length - done} declarations (${done} accepted): the table says why. “Signed” in the certificate helper only means the signature was made, not that the website accepted it. Choose the organisation’s certificate and sign the refused declarations again.`,
          );
      verdict.className = `verdict ${all ? 'ok' : 'bad'}`;
      verdict.setAttribute('role', all ? 'status' : 'alert');
      verdict.hidden = false;
    }
  }
  document.addEventListener('demo-lang', render);
  document.getElementById('batch').hidden = false;
  render();

  const itemsOf = (list) => list.map((d) => ({ id: d.id, summary: d.summary, data: d.payload }));
  signer.items = itemsOf(toSign);
  signer.addEventListener('sicert-batch-signed', async (event) => {
    const signed = event.detail.outcomes.filter((o) => 'signature' in o).map(({ id, signature }) => ({ id, signature }));
    for (const o of event.detail.outcomes) if ('error' in o) results.set(o.id, { verified: false, message: o.error.message, messageEn: o.error.message });
    if (signed.length) {
      const sent = await fetch('/api/declarations/signatures', { method: 'POST', headers: json, body: JSON.stringify({ signatures: signed }) });
      for (const result of (await sent.json()).results ?? []) results.set(result.id, result);
    }
    // What the website refused goes back to the signer as a new batch: its "signed" beside them is gone, and they
    // can be signed again (with the right certificate) while the accepted ones stay accepted.
    const refused = declarations.filter((d) => results.get(d.id)?.verified !== true);
    if (refused.length) {
      toSign = refused;
      signer.items = itemsOf(refused);
    }
    render();
  });
  return true;
}
