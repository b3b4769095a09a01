// The portal's own script: its login stand-in, then a declaration for the person signed in (or an organisation
// they handle), handed to <sicert-signer>; the signature goes back to the server, which verifies it.
const json = { 'content-type': 'application/json' };
const config = await (await fetch('/config.json')).json();
document.getElementById('demo-pin').textContent = config.demoPin;

const people = await (await fetch('/api/demo/people')).json();
const select = document.getElementById('person');
for (const p of people) select.add(new Option(p.name, p.idNumber));
document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/api/demo/login', { method: 'POST', headers: json, body: JSON.stringify({ idNumber: select.value }) });
  location.assign('/declaration');
});

async function showDeclaration() {
  select.value = config.signedIn;
  document.getElementById('who').textContent = `已登录：${people.find((p) => p.idNumber === config.signedIn)?.name ?? ''}`;

  // A handler of an organisation may declare for it instead of for themselves.
  const organization = new URL(location.href).searchParams.get('organization') ?? '';
  const declarants = await (await fetch('/api/declarations/declarants')).json();
  const choice = document.getElementById('declarant');
  for (const d of declarants) choice.add(new Option(d.kind === 'organization' ? `单位：${d.name}` : `个人：${d.name}`, d.creditCode ?? ''));
  choice.value = organization;
  document.getElementById('declarant-row').hidden = declarants.length < 2;
  choice.addEventListener('change', () => location.assign(choice.value ? `/declaration?organization=${encodeURIComponent(choice.value)}` : '/declaration'));

  const verdict = document.getElementById('verdict');
  const response = await fetch('/api/declarations', { method: 'POST', headers: json, body: JSON.stringify(organization ? { organization } : {}) });
  const declaration = await response.json();
  document.getElementById('declaration-card').hidden = false;
  if (!response.ok) {
    verdict.hidden = false;
    verdict.className = 'verdict bad';
    verdict.textContent = declaration.message;
    return;
  }
  const rows = document.getElementById('fields');
  for (const { label, value } of declaration.fields) {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { textContent: label }), Object.assign(document.createElement('td'), { textContent: value }));
    rows.append(tr);
  }

  const signer = document.getElementById('signer');
  signer.agentUrl = config.agentUrl;
  signer.summary = declaration.summary;
  signer.data = declaration.payload;
  document.getElementById('signer-card').hidden = false;
  signer.addEventListener('sicert-signed', async (event) => {
    const answer = await fetch(`/api/declarations/${declaration.id}/signature`, { method: 'POST', headers: json, body: JSON.stringify({ signature: event.detail.signature }) });
    const result = await answer.json();
    verdict.hidden = false;
    verdict.className = `verdict ${result.verified ? 'ok' : 'bad'}`;
    verdict.dataset.verified = String(result.verified === true);
    verdict.dataset.problem = result.problem ?? result.error ?? '';
    verdict.textContent = result.verified
      ? `${result.message} 签名人：${result.signer}（签名时间 ${new Date(result.signingTime).toLocaleString('zh-CN')}）`
      : result.message;
  });
}

if (config.signedIn) await showDeclaration();
