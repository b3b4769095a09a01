// 个人信息: the portal's login stand-in, and the confirmation of the mobile number and registered address that
// 示例西省 requires before an online application (the wizard's CONTACT_UNCONFIRMED sends the person here).
import { t } from '/lang.js';
import { personOption, signedInText } from '/people.js';

const json = { 'content-type': 'application/json' };
const config = await (await fetch('/config.json')).json();
const people = await (await fetch('/api/demo/people')).json();
const person = people.find((p) => p.idNumber === config.signedIn);
const select = document.getElementById('person');
const form = document.getElementById('contact');
const error = document.getElementById('contact-error');
let profile = person ? await (await fetch('/api/demo/profile')).json() : undefined;

function render() {
  const picked = select.value;
  select.replaceChildren(...people.map(personOption));
  if (picked) select.value = picked;
  else if (person) select.value = person.idNumber;
  if (person) document.getElementById('who').textContent = signedInText(person);
  if (!profile) return;
  document.getElementById('contact-card').hidden = false;
  document.getElementById('contact-state').textContent = profile.contactConfirmed
    ? t(`已确认：${profile.mobile}${profile.address ? `，${profile.address}` : ''}。如有变化，可修改后再次确认。`, `Confirmed: ${profile.mobile}${profile.address ? `, ${profile.address}` : ''}. If they change, correct them and confirm again.`)
    : t('尚未确认。请核对手机号码并填写户籍地址。', 'Not confirmed yet: check your mobile number and enter your registered address.');
  document.getElementById('next').hidden = !profile.contactConfirmed;
}

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/api/demo/login', { method: 'POST', headers: json, body: JSON.stringify({ idNumber: select.value }) });
  location.reload();
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.textContent = '';
  const response = await fetch('/api/demo/profile/contact', { method: 'POST', headers: json, body: JSON.stringify({ mobile: form.mobile.value, address: form.address.value }) });
  const answer = await response.json();
  if (!response.ok) {
    error.textContent = t(answer.message, answer.messageEn);
    form.elements[answer.field]?.focus();
    return;
  }
  profile = answer;
  render();
});

if (profile) {
  form.mobile.value = profile.mobile;
  form.address.value = profile.address;
}
render();
document.addEventListener('demo-lang', render);
