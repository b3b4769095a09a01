// The portal's own script: fetch a declaration, hand it to <sicert-signer>, post the signature for verification.
const config = await (await fetch('/config.json')).json();
const declaration = await (await fetch('/api/declarations', { method: 'POST' })).json();

document.getElementById('demo-pin').textContent = config.demoPin;
const rows = document.getElementById('fields');
for (const { label, value } of declaration.fields) {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  const td = document.createElement('td');
  th.textContent = label;
  td.textContent = value;
  tr.append(th, td);
  rows.append(tr);
}

const signer = document.getElementById('signer');
signer.agentUrl = config.agentUrl;
signer.summary = declaration.summary;
signer.data = declaration.payload;

const verdict = document.getElementById('verdict');
signer.addEventListener('sicert-signed', async (event) => {
  const response = await fetch(`/api/declarations/${declaration.id}/signature`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature: event.detail.signature }),
  });
  const result = await response.json();
  verdict.hidden = false;
  verdict.className = `verdict ${result.verified ? 'ok' : 'bad'}`;
  verdict.dataset.verified = String(result.verified);
  verdict.textContent = result.verified
    ? `${result.message} 签名人：${result.signer}（签名时间 ${new Date(result.signingTime).toLocaleString('zh-CN')}）`
    : result.message;
});
