// Service hall counter (demo), the USB-Key work, over the agent on this computer: the on-site USB-Key (token.init
// on a blank key, key.generate, csr.create, the certificate issued at once, cert.install, a test signature) and the
// password reset with the SO PIN (pin.unblock) followed by a test signature the portal verifies. The agent must run
// in hall mode for token.init (SICERT_HALL_MODE=true); passwords are read from their fields once and wiped.
import { AgentClient, AgentError, checkPinPolicy } from '/vendor/protocol/index.js';

const REASONS = {
  PIN_INCORRECT: '证书密码错误。',
  PIN_LOCKED: '证书密码已锁定：请用“重置证书密码”。',
  PIN_POLICY: '新密码不符合要求：6-12位，须同时包含字母和数字，不能过于简单。',
  PIN_THROTTLED: '密码错误次数过多，请稍等一分钟再试。',
  SO_PIN_INCORRECT: '管理员PIN（SO PIN）错误，请核对后重试。',
  SO_PIN_LOCKED: '该USB-Key的管理员PIN已锁定，无法重置：请为申请人更换新的USB-Key。',
  TOKEN_NOT_BLANK: '这个USB-Key已经初始化过，不能在此重新初始化：请换一个空白USB-Key。',
  TOKEN_NOT_FOUND: '未找到该USB-Key，请确认已插好后点击“刷新”。',
  TOKEN_REMOVED: 'USB-Key已被拔出，请重新插入后重试。',
  METHOD_NOT_FOUND: '本机证书助手未开启大厅模式（hallMode），不能初始化USB-Key。',
  DISCONNECTED: '与本机证书助手的连接已断开，请确认证书助手正在运行。',
};
const POLICY = { LENGTH: '密码须为6-12位。', CHARACTERS: '密码只能包含字母和数字。', COMPOSITION: '密码须同时包含字母和数字。', WEAK: '密码过于简单（如连续或重复的字符），请换一个。', REPEATED: '密码不能由同一段字符反复组成（如 a1a1a1、abcabc1），请换一个。', KEYBOARD: '密码不能是键盘上相邻按键连成的一串（如 qwerty、1qaz2wsx、147258），请换一个。', BIRTH_DATE: '密码不能包含出生日期。' };
const STEPS = ['初始化USB-Key', '在USB-Key内生成密钥', '签发证书', '安装证书', '试签名'];
const STEP_STATES = { done: '已完成', running: '进行中', failed: '失败', pending: '未开始' };

const $ = (id) => document.getElementById(id);
const b64 = (text) => window.btoa(String.fromCharCode(...new window.TextEncoder().encode(text)));
let person; // the citizen the counter checked: { name, idNumber, birthDate }
let client;
let hallMode = false;

async function agent() {
  if (!client) {
    const config = await (await fetch('/config.json')).json();
    client = AgentClient.shared(config.agentUrl);
  }
  return client;
}

function say(id, text) {
  $(id).textContent = text;
}

function failure(error) {
  if (error instanceof AgentError) return REASONS[error.reason] ?? `${error.reason}：${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Reads a form's passwords once and wipes every password field of it. */
function takePasswords(form) {
  const values = { soPin: form.elements.soPin.value, soConfirm: form.elements.soConfirm?.value, pin: form.elements.pin.value, confirm: form.elements.confirm.value };
  for (const input of form.querySelectorAll('input[type=password]')) input.value = '';
  return values;
}

function policyProblem({ pin, confirm }) {
  const violation = checkPinPolicy(pin, person?.birthDate);
  if (violation) return POLICY[violation];
  return pin === confirm ? '' : '两次输入的证书密码不一致。';
}

/** Lists tokens in a select, keeping the one the operator chose while it is still plugged in. */
function fill(select, tokens, empty) {
  const chosen = select.value;
  select.replaceChildren(...tokens.map((t) => new Option(`${t.label || '（空白）'} · ${t.manufacturer} ${t.model} ${t.serial}`.trim(), t.id)));
  if (tokens.some((t) => t.id === chosen)) select.value = chosen;
  if (!tokens.length) select.append(Object.assign(new Option(empty, ''), { disabled: true, selected: true }));
}

/** Lists the USB-Keys: blank ones to make, initialised ones to reset. */
async function loadTokens() {
  try {
    const c = await agent();
    const info = await c.request('agent.info', undefined);
    hallMode = info.capabilities.includes('token.init');
    const { tokens } = await c.request('token.list', undefined);
    const keys = tokens.filter((t) => t.provider === 'pkcs11');
    fill($('usb-token'), keys.filter((t) => !t.pin.initialized), '未检测到空白USB-Key');
    fill($('reset-token'), keys.filter((t) => t.pin.initialized), '未检测到USB-Key');
    for (const line of document.querySelectorAll('[data-agent]')) line.textContent = `本机证书助手 ${info.agentVersion}${hallMode ? '（大厅模式）' : '：未开启大厅模式，不能初始化USB-Key'}`;
  } catch (error) {
    for (const line of document.querySelectorAll('[data-agent]')) line.textContent = failure(error);
  }
}

/** The steps of the on-site key, one a line, each with its state in words (not only a mark or a colour). */
function showSteps(done, running, failed = -1) {
  $('usb-steps').replaceChildren(
    ...STEPS.map((label, i) => {
      const state = i < done ? 'done' : i === failed ? 'failed' : i === running ? 'running' : 'pending';
      const li = Object.assign(document.createElement('li'), { className: state });
      li.append(Object.assign(document.createElement('span'), { className: 'step', textContent: label }), Object.assign(document.createElement('span'), { className: 'state', textContent: STEP_STATES[state] }));
      return li;
    }),
  );
}

async function post(path, body, headers = {}) {
  const response = await fetch(`/console/api/hall${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.message ?? `HTTP ${response.status}`);
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
  if (!tokenId) return say('usb-error', '请先插入空白USB-Key并点击“刷新”。');
  if (!passwords.soPin) return say('usb-error', '请输入管理员PIN（SO PIN）。');
  // The SO PIN set here is the only way to reset this key's password later: a typo would leave a key nobody can reset.
  if (passwords.soPin !== passwords.soConfirm) return say('usb-error', '两次输入的管理员PIN不一致，请重新输入：以后重置证书密码全靠它。');
  const problem = policyProblem(passwords);
  if (problem) return say('usb-error', problem);
  const { pin, soPin } = passwords;
  $('usb-make').disabled = true;
  let step = 0;
  try {
    const c = await agent();
    showSteps(step, step);
    const { tokenId: made } = await c.request('token.init', { tokenId, soPin, label: person.name.slice(0, 10), pin });
    showSteps(++step, step);
    const { keyId } = await c.request('key.generate', { tokenId: made, pin, algorithm: 'ECDSA-P256', label: 'sicert' });
    const { csr } = await c.request('csr.create', { tokenId: made, keyId, pin, subject: { C: 'CN', CN: person.name } });
    showSteps(++step, step);
    const application = await post('/usb-key', { name: person.name, idNumber: person.idNumber, tokenId: made, csr }, { 'Idempotency-Key': window.crypto.randomUUID() });
    showSteps(++step, step);
    const { certId } = await c.request('cert.install', { tokenId: made, certificate: application.certificate, chain: application.chain, pin });
    const { signature } = await c.request('sign.data', { certId, pin, data: b64(`sicert-install:${application.id}`) });
    await post(`/usb-key/${application.id}/installation`, { signature });
    showSteps(++step, step);
    const verified = await testSignature(c, certId, pin);
    showSteps(++step, -1);
    say('usb-outcome', `USB-Key已制作完成：证书已安装，试签名验证通过（${verified.signer}）。请交给申请人，并提醒妥善保管证书密码。`);
    // The printed form describes what was just done: this USB-Key, of this kind, for this fee.
    document.dispatchEvent(new window.CustomEvent('hall-refresh', { detail: { made: { idNumber: person.idNumber, kind: application.kind, fee: application.fee } } }));
  } catch (error) {
    showSteps(step, -1, step);
    say('usb-error', `${STEPS[step]}失败：${failure(error)}`);
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
  if (!tokenId) return say('reset-error', '请先插入USB-Key并点击“刷新”。');
  if (!passwords.soPin) return say('reset-error', '请输入管理员PIN（SO PIN）。');
  const problem = policyProblem(passwords);
  if (problem) return say('reset-error', problem);
  $('reset-go').disabled = true;
  try {
    const c = await agent();
    await c.request('pin.unblock', { tokenId, soPin: passwords.soPin, newPin: passwords.pin });
    say('reset-outcome', '密码已重置，正在试签名…');
    const { certificates } = await c.request('cert.list', { tokenId });
    const usable = certificates.find((cert) => cert.hasPrivateKey && cert.status !== 'expired');
    if (!usable) return say('reset-outcome', '密码已重置。该USB-Key上没有可用的证书，无法试签名。');
    const verified = await testSignature(c, usable.id, passwords.pin);
    say('reset-outcome', `密码已重置，试签名验证通过（${verified.signer}）。`);
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
  for (const id of ['usb-card', 'reset-card']) $(id).hidden = true;
  for (const id of ['usb-error', 'usb-outcome', 'reset-error', 'reset-outcome']) say(id, '');
  $('usb-steps').replaceChildren();
});
for (const button of document.querySelectorAll('.refresh-tokens')) button.addEventListener('click', () => void loadTokens());
$('usb-form').addEventListener('submit', (event) => void makeUsbKey(event));
$('reset-form').addEventListener('submit', (event) => void resetPassword(event));
