// The declaration page's batch: an organisation's handler signs this period's declarations of every insurance at
// once with <sicert-signer>'s batch mode (one consent, one password), and the server verifies each signature
// against its own declaration and the organisation; the table shows each verdict.
import { t } from '/lang.js';

const json = { 'content-type': 'application/json' };

/** The insurance and the amount of a declaration, from the fields the server gave it. */
const field = (declaration, label) => declaration.fields.find((f) => f.label === label || f.label.startsWith(label))?.value ?? '';

/**
 * Makes the batch for `organization`, shows it in `#batch`, and hands it to `signer` as its items; `verdict` then
 * tells how many the server accepted. Returns false when the server refused the batch (its message is shown).
 */
export async function showBatch(organization, signer, verdict) {
  const response = await fetch('/api/declarations/batch', { method: 'POST', headers: json, body: JSON.stringify({ organization }) });
  const answer = await response.json();
  if (!response.ok) {
    Object.assign(verdict, { hidden: false, className: 'verdict bad', textContent: t(answer.message, answer.messageEn) });
    return false;
  }
  const declarations = answer;
  const results = new Map(); // declaration id → the server's verdict
  const rows = document.getElementById('batch-rows');
  function render() {
    signer.summary = t(`${declarations.length} 份单位社保缴费申报，逐份签名`, `${declarations.length} payment declarations of the organisation, each signed`);
    rows.replaceChildren(
      ...declarations.map((d) => {
        const tr = document.createElement('tr');
        const result = results.get(d.id);
        tr.dataset.id = d.id;
        tr.dataset.verified = result ? String(result.verified === true) : '';
        const outcome = !result ? t('待签名', 'To sign') : result.verified ? t('已受理', 'Accepted') : t(result.message, result.messageEn);
        const cells = [field(d, '申报单号'), field(d, '险种'), field(d, '单位缴费'), outcome];
        tr.append(...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })));
        return tr;
      }),
    );
    if (results.size) {
      const accepted = [...results.values()].filter((r) => r.verified).length;
      verdict.textContent =
        accepted === declarations.length
          ? t(`${accepted} 份申报签名验证通过，已全部受理。`, `All ${accepted} declarations verified and accepted.`)
          : t(`${declarations.length - accepted} 份申报未受理，${accepted} 份已受理：原因见上表。`, `${declarations.length - accepted} declarations not accepted, ${accepted} accepted: the table says why.`);
      verdict.className = `verdict ${accepted === declarations.length ? 'ok' : 'bad'}`;
      verdict.hidden = false;
    }
  }
  document.addEventListener('demo-lang', render);
  document.getElementById('batch').hidden = false;
  render();

  signer.items = declarations.map((d) => ({ id: d.id, summary: d.summary, data: d.payload }));
  signer.addEventListener('sicert-batch-signed', async (event) => {
    const signed = event.detail.outcomes.filter((o) => 'signature' in o).map(({ id, signature }) => ({ id, signature }));
    for (const o of event.detail.outcomes) if ('error' in o) results.set(o.id, { verified: false, message: o.error.message, messageEn: o.error.message });
    if (signed.length) {
      const sent = await fetch('/api/declarations/signatures', { method: 'POST', headers: json, body: JSON.stringify({ signatures: signed }) });
      for (const result of (await sent.json()).results ?? []) results.set(result.id, result);
    }
    render();
  });
  return true;
}
