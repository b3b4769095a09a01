// The portal's side of the application wizard: its login stand-in, its face service stand-in, and the wizard.
import { personOption, signedInText } from '/people.js';

const config = await (await fetch('/config.json')).json();
const wizard = document.getElementById('wizard');
// The agent's address before the elements are defined: an element reaches for its agent as soon as it is, and the
// default address is not this demo's when SICERT_PORT moves it.
wizard.agentUrl = config.agentUrl;
await import('/vendor/sicert.bundle.min.js');
const select = document.getElementById('person');
const who = document.getElementById('who');
const people = await (await fetch('/api/demo/people')).json();
let signedIn;

/** The sign-in list and line in the page's language (the wizard follows the language by itself). */
function render() {
  const picked = select.value;
  select.replaceChildren(...people.map(personOption));
  if (picked) select.value = picked;
  if (signedIn) who.textContent = signedInText(signedIn);
}
render();
document.addEventListener('demo-lang', render);

function show(person) {
  signedIn = person;
  render();
  wizard.agentUrl = config.agentUrl;
  wizard.region = person.region;
  wizard.applicant = { name: person.name, idNumber: person.idNumber, mobile: person.mobile, cardNumber: person.cardNumber };
  wizard.hidden = false;
}

document.getElementById('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  await fetch('/api/demo/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: select.value }) });
  // The page starts over as the new person; the wizard resumes their application from the backend, if any.
  location.reload();
});

if (config.signedIn) {
  const person = people.find((p) => p.idNumber === config.signedIn);
  select.value = config.signedIn;
  const me = await (await fetch('/api/demo/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ idNumber: person.idNumber }) })).json();
  show({ ...me, region: person.region });
}

// FAKE face verification (demo only): shows the camera when there is one, and lets the tester choose the outcome.
const dialog = document.getElementById('face');
const video = document.getElementById('camera');
wizard.faceVerifier = async (person, context) => {
  let stream;
  try {
    stream = await navigator.mediaDevices?.getUserMedia({ video: true });
  } catch {
    stream = undefined;
  }
  video.hidden = !stream;
  document.getElementById('no-camera').hidden = Boolean(stream);
  if (stream) video.srcObject = stream;
  dialog.showModal();
  const outcome = await new Promise((resolve) => {
    document.getElementById('face-pass').onclick = () => resolve('pass');
    document.getElementById('face-fail').onclick = () => resolve('fail');
    dialog.oncancel = () => resolve('fail');
  });
  dialog.close();
  for (const track of stream?.getTracks() ?? []) track.stop();
  const response = await fetch('/api/demo/face-checks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: person.idNumber, applicationKey: context.applicationKey, outcome, method: stream ? 'camera' : 'simulated' }),
  });
  return response.json();
};
