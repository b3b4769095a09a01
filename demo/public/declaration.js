// The portal's own script: its login stand-in, then a declaration for the person signed in (or an organisation
// they handle), handed to <sicert-signer>; the signature goes back to the server, which verifies it.
import { lang, t } from '/lang.js';
import { personOption, signedInText } from '/people.js';
import { showBatch } from '/declaration-batch.js';

const json = { 'content-type': 'application/json' };
const config = await (await fetch('/config.json')).json();
document.getElementById('demo-pin').textContent = config.demoPin;
// The agent's address before the elements are defined: an element reaches for its agent as soon as it is, and the
// default address is not this demo's when SICERT_PORT moves it.
document.getElementById('signer').agentUrl = config.agentUrl;
await import('/vendor/sicert.bundle.min.js');

const people = await (await fetch('/api/demo/people')).json();
const select = document.getElementById('person');
const person = people.find((p) => p.idNumber === config.signedIn);
const choice = document.getElementById('declarant');
const rows = document.getElementById('fields');
const verdict = document.getElementById('verdict');
let declarants = [];
let declaration;
let result; // the server's verdict on the last signature

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/api/demo/login', { method: 'POST', headers: json, body: JSON.stringify({ idNumber: select.value }) });
  location.assign('/declaration');
});

/** What the page itself writes, in the page's language; the declaration's values stay as the server made them. */
function render() {
  const picked = select.value;
  select.replaceChildren(...people.map(personOption));
  if (picked) select.value = picked;
  if (!person) return;
  select.value = person.idNumber;
  document.getElementById('who').textContent = signedInText(person);
  const chosen = choice.value;
  choice.replaceChildren(...declarants.map((d) => new Option(d.kind === 'organization' ? t(`单位：${d.name}`, `Organisation: ${d.name}`) : t(`个人：${d.name}`, `Myself: ${d.name}`), d.creditCode ?? '')));
  choice.value = chosen;
  rows.replaceChildren(
    ...(declaration?.fields ?? []).map(({ label, labelEn, value }) => {
      const tr = document.createElement('tr');
      tr.append(Object.assign(document.createElement('th'), { textContent: t(label, labelEn ?? label) }), Object.assign(document.createElement('td'), { textContent: value }));
      return tr;
    }),
  );
  signerHint();
  if (result) {
    const message = t(result.message, result.messageEn ?? result.message);
    verdict.textContent = result.verified
      ? `${message} ${t('签名人', 'Signer')}：${result.signer}（${t('签名时间', 'signed at')} ${new Date(result.signingTime).toLocaleString(lang)}）`
      : message;
  }
}
document.addEventListener('demo-lang', render);

/** Which certificate signs here, named as the signer lists it: the organisation's, or the person's own. */
function signerHint() {
  const organization = declarants.find((d) => d.kind === 'organization' && d.creditCode === new URL(location.href).searchParams.get('organization'));
  const hint = document.getElementById('signer-hint');
  hint.textContent = !person
    ? ''
    : organization
      ? t(
          `请用本单位的证书签名：“${organization.name} (${person.name})”。用个人证书签名，网站不予受理。`,
          `Sign with the organisation’s certificate, “${organization.name} (${person.name})”: the website refuses a personal certificate’s signature.`,
        )
      : t(`请用${person.name}本人的证书签名；用他人的证书签名，网站不予受理。`, `Sign with ${person.name}’s own certificate: the website refuses anyone else’s signature.`);
}

async function showDeclaration() {
  // A handler of an organisation may declare for it instead of for themselves, one declaration or all at once.
  const params = new URL(location.href).searchParams;
  const organization = params.get('organization') ?? '';
  const batch = organization !== '' && params.has('batch');
  declarants = await (await fetch('/api/declarations/declarants')).json();
  render();
  choice.value = organization;
  document.getElementById('declarant-row').hidden = declarants.length < 2;
  choice.addEventListener('change', () => location.assign(choice.value ? `/declaration?organization=${encodeURIComponent(choice.value)}` : '/declaration'));
  const signer = document.getElementById('signer');
  signer.agentUrl = config.agentUrl;
  // The portal says which certificates it revoked or replaced: the signer never offers those.
  signer.backendUrl = '/api/sicert/v1';
  if (batch) {
    document.getElementById('declaration-card').hidden = false;
    document.getElementById('fields').closest('table').hidden = true;
    const toSign = await showBatch(organization, signer, verdict);
    // Nothing to sign (the period is declared, or the batch was refused): no word of certificates or passwords.
    for (const id of ['signer-hint', 'pin-hint']) document.getElementById(id).hidden = !toSign;
    document.getElementById('signer-card').hidden = !toSign;
    return;
  }
  if (organization) {
    document.getElementById('batch-link').href = `/declaration?organization=${encodeURIComponent(organization)}&batch`;
    document.getElementById('batch-offer').hidden = false;
  }

  const response = await fetch('/api/declarations', { method: 'POST', headers: json, body: JSON.stringify(organization ? { organization } : {}) });
  const answer = await response.json();
  document.getElementById('declaration-card').hidden = false;
  if (!response.ok) {
    verdict.hidden = false;
    verdict.className = 'verdict bad';
    result = { verified: false, message: answer.message, messageEn: answer.messageEn };
    return render();
  }
  declaration = answer;
  render();

  signer.summary = declaration.summary;
  signer.data = declaration.payload;
  document.getElementById('signer-card').hidden = false;
  signer.addEventListener('sicert-signed', async (event) => {
    const sent = await fetch(`/api/declarations/${declaration.id}/signature`, { method: 'POST', headers: json, body: JSON.stringify({ signature: event.detail.signature }) });
    result = await sent.json();
    verdict.hidden = false;
    verdict.className = `verdict ${result.verified ? 'ok' : 'bad'}`;
    verdict.dataset.verified = String(result.verified === true);
    verdict.dataset.problem = result.problem ?? result.error ?? '';
    render();
  });
}

render();
if (person) await showDeclaration();
