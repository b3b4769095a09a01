// Service hall counter (demo), the USB-Key work, over the agent on this computer: the on-site USB-Key (token.init
// on a blank key, key.generate, csr.create, the certificate issued at once, cert.install, a test signature) and the
// password reset with the SO PIN (pin.unblock) followed by a test signature the portal verifies. The agent must run
// in hall mode for token.init (SICERT_HALL_MODE=true); passwords are read from their fields once and wiped.
import { AgentClient, AgentError, checkPinPolicy } from '/vendor/protocol/index.js';
import { t } from '/lang.js';
import { POLICY, REASONS, STEP_STATES, STEPS } from '/hall-text.js';

const $ = (id) => document.getElementById(id);
const b64 = (text) => window.btoa(String.fromCharCode(...new window.TextEncoder().encode(text)));
let person; // the citizen the counter checked: { name, idNumber, birthDate }
let client;
let agentLine = ['', '']; // what the agent line says, in both languages
let progress; // the on-site key's steps: { done, running, failed }
const said = {}; // what each message line says, in both languages, so a language switch can say it again

async function agent() {
  if (!client) {
    const config = await (await fetch('/config.json')).json();
    client = AgentClient.shared(config.agentUrl);
  }
  return client;
}

/** Writes a message line; `message` is `[zh, en]` (or one text for both). */
function say(id, message) {
  said[id] = Array.isArray(message) ? message : [message, message];
  $(id).textContent = t(...said[id]);
}

/** Prefixes a message (both languages). */
const prefixed = ([zh, en], [pzh, pen]) => [`${pzh}${zh}`, `${pen}${en}`];

/** What went wrong, in both languages: the agent's reason, the portal's refusal, or the error's own text. */
function failure(error) {
  if (error instanceof AgentError) return REASONS[error.reason] ?? [`${error.reason}：${error.message}`, `${error.reason}: ${error.message}`];
  if (error?.answer?.message) return [error.answer.message, error.answer.messageEn ?? error.answer.message];
  const text = error instanceof Error ? error.message : String(error);
  return [text, text];
}

/** Reads a form's passwords once and wipes every password field of it. */
function takePasswords(form) {
  const values = { soPin: form.elements.soPin.value, soConfirm: form.elements.soConfirm?.value, pin: form.elements.pin.value, confirm: form.elements.confirm.value };
  for (const input of form.querySelectorAll('input[type=password]')) input.value = '';
  return values;
}

/** What stops a hall form before the key is touched: no key chosen, the SO PIN, then the holder's new password. */
function formProblem(tokenId, { soPin, soConfirm, pin, confirm }, noKey) {
  if (!tokenId) return noKey;
  if (!soPin) return ['请输入管理员PIN（SO PIN）。', 'Type the SO PIN.'];
  // The SO PIN a blank key is given is the only way to reset its password later: a typo would leave a key nobody
  // can reset. (The reset form types the existing SO PIN once.)
  if (soConfirm !== undefined && soPin !== soConfirm) return ['两次输入的管理员PIN不一致，请重新输入：以后重置证书密码全靠它。', 'The two SO PINs differ: type them again. It is the only way to reset the password later.'];
  const violation = checkPinPolicy(pin, person?.birthDate);
  if (violation) return POLICY[violation];
  return pin === confirm ? undefined : ['两次输入的证书密码不一致。', 'The two certificate passwords differ.'];
}

/** Lists tokens in a select, keeping the one the operator chose while it is still plugged in. */
function fill(select, tokens, empty) {
  const chosen = select.value;
  select.replaceChildren(...tokens.map((k) => new Option(`${k.label || t('（空白）', '(blank)')} · ${k.manufacturer} ${k.model} ${k.serial}`.trim(), k.id)));
  if (tokens.some((k) => k.id === chosen)) select.value = chosen;
  if (!tokens.length) select.append(Object.assign(new Option(t(...empty), ''), { disabled: true, selected: true }));
}

function showAgentLine() {
  for (const line of document.querySelectorAll('[data-agent]')) line.textContent = t(...agentLine);
}

/** Lists the USB-Keys: blank ones to make, initialised ones to reset. */
async function loadTokens() {
  try {
    const c = await agent();
    const info = await c.request('agent.info', undefined);
    const hallMode = info.capabilities.includes('token.init');
    const { tokens } = await c.request('token.list', undefined);
    const keys = tokens.filter((k) => k.provider === 'pkcs11');
    fill($('usb-token'), keys.filter((k) => !k.pin.initialized), ['未检测到空白USB-Key', 'No blank USB-Key found']);
    fill($('reset-token'), keys.filter((k) => k.pin.initialized), ['未检测到USB-Key', 'No USB-Key found']);
    agentLine = prefixed(hallMode ? ['（大厅模式）', ' (hall mode)'] : ['：未开启大厅模式，不能初始化USB-Key', ': not in hall mode, cannot initialise a USB-Key'], [`本机证书助手 ${info.agentVersion}`, `Agent ${info.agentVersion}`]);
  } catch (error) {
    agentLine = failure(error);
  }
  showAgentLine();
}

/** The steps of the on-site key, one a line, each with its state in words (not only a mark or a colour). */
function showSteps() {
  if (!progress) return $('usb-steps').replaceChildren();
  const { done, running, failed } = progress;
  $('usb-steps').replaceChildren(
    ...STEPS.map((label, i) => {
      const state = i < done ? 'done' : i === failed ? 'failed' : i === running ? 'running' : 'pending';
      const li = Object.assign(document.createElement('li'), { className: state });
      li.append(Object.assign(document.createElement('span'), { className: 'step', textContent: t(...label) }), Object.assign(document.createElement('span'), { className: 'state', textContent: t(...STEP_STATES[state]) }));
      return li;
    }),
  );
}
const step = (done, running = done, failed = -1) => {
  progress = { done, running, failed };
  showSteps();
};

async function post(path, body, headers = {}) {
  const response = await fetch(`/console/api/hall${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw Object.assign(new Error(answer.message ?? `HTTP ${response.status}`), { answer });
  return answer;
}

/** A test signature with `certId` and `pin` over a text from the portal, verified there for this citizen. */
async function testSignature(c, certId, pin) {
  const check = await post('/signature-checks', { idNumber: person.idNumber });
  const { signature } = await c.request('sign.data', { certId, pin, data: b64(check.text) });
  return post(`/signature-checks/${check.id}`, { signature });
}

async function makeUsbKey(event) {
  event.preventDefault();
  const form = event.target;
  const tokenId = form.elements.token.value;
  const passwords = takePasswords(form);
  say('usb-error', '');
  say('usb-outcome', '');
  const problem = formProblem(tokenId, passwords, ['请先插入空白USB-Key并点击“刷新”。', 'Plug in a blank USB-Key and press “Refresh” first.']);
  if (problem) return say('usb-error', problem);
  const { pin, soPin } = passwords;
  $('usb-make').disabled = true;
  let done = 0;
  try {
    const c = await agent();
    step(done);
    const { tokenId: made } = await c.request('token.init', { tokenId, soPin, label: person.name.slice(0, 10), pin });
    step(++done);
    const { keyId } = await c.request('key.generate', { tokenId: made, pin, algorithm: 'ECDSA-P256', label: 'sicert' });
    const { csr } = await c.request('csr.create', { tokenId: made, keyId, pin, subject: { C: 'CN', CN: person.name } });
    step(++done);
    const application = await post('/usb-key', { name: person.name, idNumber: person.idNumber, tokenId: made, csr }, { 'Idempotency-Key': window.crypto.randomUUID() });
    step(++done);
    const { certId } = await c.request('cert.install', { tokenId: made, certificate: application.certificate, chain: application.chain, pin });
    const { signature } = await c.request('sign.data', { certId, pin, data: b64(`sicert-install:${application.id}`) });
    await post(`/usb-key/${application.id}/installation`, { signature });
    step(++done);
    const verified = await testSignature(c, certId, pin);
    step(++done, -1);
    say('usb-outcome', [`USB-Key已制作完成：证书已安装，试签名验证通过（${verified.signer}）。请交给申请人，并提醒妥善保管证书密码。`, `The USB-Key is ready: certificate installed, test signature verified (${verified.signer}). Hand it to the citizen and remind them to keep the password safe.`]);
    // The printed form describes what was just done: this USB-Key, of this kind, for this fee.
    document.dispatchEvent(new window.CustomEvent('hall-refresh', { detail: { made: { idNumber: person.idNumber, kind: application.kind, fee: application.fee } } }));
  } catch (error) {
    step(done, -1, done);
    say('usb-error', prefixed(failure(error), [`${STEPS[done][0]}失败：`, `${STEPS[done][1]} failed: `]));
  } finally {
    $('usb-make').disabled = false;
    await loadTokens();
  }
}

async function resetPassword(event) {
  event.preventDefault();
  const form = event.target;
  const tokenId = form.elements.token.value;
  const passwords = takePasswords(form);
  say('reset-error', '');
  say('reset-outcome', '');
  const problem = formProblem(tokenId, passwords, ['请先插入USB-Key并点击“刷新”。', 'Plug in the USB-Key and press “Refresh” first.']);
  if (problem) return say('reset-error', problem);
  $('reset-go').disabled = true;
  try {
    const c = await agent();
    await c.request('pin.unblock', { tokenId, soPin: passwords.soPin, newPin: passwords.pin });
    say('reset-outcome', ['密码已重置，正在试签名…', 'Password reset; test signature…']);
    const { certificates } = await c.request('cert.list', { tokenId });
    const usable = certificates.find((cert) => cert.hasPrivateKey && cert.status !== 'expired');
    if (!usable) return say('reset-outcome', ['密码已重置。该USB-Key上没有可用的证书，无法试签名。', 'Password reset. This USB-Key holds no usable certificate to test-sign with.']);
    const verified = await testSignature(c, usable.id, passwords.pin);
    say('reset-outcome', [`密码已重置，试签名验证通过（${verified.signer}）。`, `Password reset; test signature verified (${verified.signer}).`]);
  } catch (error) {
    say('reset-error', failure(error));
  } finally {
    $('reset-go').disabled = false;
    await loadTokens();
  }
}

document.addEventListener('hall-checked', (event) => {
  person = event.detail.person;
  for (const id of ['usb-card', 'reset-card']) $(id).hidden = false;
  void loadTokens();
});
document.addEventListener('hall-cleared', () => {
  person = undefined;
  progress = undefined;
  for (const id of ['usb-card', 'reset-card']) $(id).hidden = true;
  for (const id of ['usb-error', 'usb-outcome', 'reset-error', 'reset-outcome']) say(id, '');
  showSteps();
});
document.addEventListener('demo-lang', () => {
  for (const [id, message] of Object.entries(said)) $(id).textContent = t(...message);
  showAgentLine();
  showSteps();
  if (person) void loadTokens();
});
for (const button of document.querySelectorAll('.refresh-tokens')) button.addEventListener('click', () => void loadTokens());
$('usb-form').addEventListener('submit', (event) => void makeUsbKey(event));
$('reset-form').addEventListener('submit', (event) => void resetPassword(event));
