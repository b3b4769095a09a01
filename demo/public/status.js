// The portal's side of the certificate status card: its login stand-in, the card against the portal's backend
// (RestPortalBackend, the card's default), and what the page does on the card's events.
const json = { 'content-type': 'application/json' };
const config = await (await fetch('/config.json')).json();
document.getElementById('demo-pin').textContent = config.demoPin;
// Made once the person is signed in and the agent's address is known, so it never looks for an agent elsewhere.
const status = document.createElement('sicert-cert-status');
const who = document.getElementById('who');
const select = document.getElementById('person');
const people = await (await fetch('/api/demo/people')).json();
for (const p of people) select.add(new Option(`${p.name}（${p.region === 'demo-east' ? '示例东省' : '示例西省'}）`, p.idNumber));

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/api/demo/login', { method: 'POST', headers: json, body: JSON.stringify({ idNumber: select.value }) });
  location.reload();
});

// 补办 / 重新申领: the application wizard, on its own page.
status.addEventListener('sicert-reapply', () => location.assign('/apply'));

// 公共电脑: the card forgets what it showed; the portal ends its session too.
status.addEventListener('sicert-forget', async () => {
  await fetch('/api/demo/logout', { method: 'POST', headers: json, body: '{}' });
  who.textContent = '已退出登录 / signed out';
  select.selectedIndex = -1;
});

if (config.signedIn) {
  const person = people.find((p) => p.idNumber === config.signedIn);
  select.value = config.signedIn;
  who.textContent = `已登录：${person?.name ?? ''}`;
  status.agentUrl = config.agentUrl;
  status.region = person?.region ?? '';
  status.birthDate = config.signedIn.slice(6, 14); // the resident ID's birth date: a new password may not contain it
  document.querySelector('main').append(status);
}
