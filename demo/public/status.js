// The portal's side of the certificate status card: its login stand-in, the card against the portal's backend
// (RestPortalBackend, the card's default), and what the page does on the card's events.
import { t } from '/lang.js';
import { personOption, signedInText } from '/people.js';

const json = { 'content-type': 'application/json' };
const config = await (await fetch('/config.json')).json();
document.getElementById('demo-pin').textContent = config.demoPin;
// Made once the person is signed in and the agent's address is known, so it never looks for an agent elsewhere.
const status = document.createElement('sicert-cert-status');
const who = document.getElementById('who');
const select = document.getElementById('person');
const people = await (await fetch('/api/demo/people')).json();
const person = people.find((p) => p.idNumber === config.signedIn);
let signedOut = false;

function render() {
  const picked = select.value;
  select.replaceChildren(...people.map(personOption));
  if (picked) select.value = picked;
  else if (signedOut) select.selectedIndex = -1;
  if (signedOut) who.textContent = t('已退出登录', 'Signed out');
  else if (person) who.textContent = signedInText(person);
}

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
  signedOut = true;
  select.selectedIndex = -1;
  render();
});

render();
document.addEventListener('demo-lang', render);
if (person) {
  select.value = person.idNumber;
  render();
  status.agentUrl = config.agentUrl;
  status.region = person.region;
  status.birthDate = person.idNumber.slice(6, 14); // the resident ID's birth date: a new password may not contain it
  document.querySelector('main').append(status);
}
