// The live examples' page script, bundled by esbuild into assets/examples.js: starts the page's stand-in agent,
// then defines the elements, so that their first probe already reaches it.
import { ExamplePortalBackend } from './example-backend.js';
import type { CertificateInfo } from '@sicert/protocol';
import { DECLARATION } from './examples-markup.js';
import { isLiveScenario, LIVE_SCENARIOS, startLiveAgent, type LiveScenario } from './live-agent.js';


/** The picker lists what a page hands it (the signer hands it the agent's list): two certificates to choose from. */
const PICKER_CERTIFICATES: CertificateInfo[] = [
  { id: 'example-1', tokenId: 'soft-1', der: '', subject: 'CN=张三,O=示例省社会保险事业管理局', subjectCommonName: '张三', issuer: 'CN=示例社保 CA', issuerCommonName: '示例社保 CA', serialNumber: '1a2b3c', notBefore: '2026-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z', keyAlgorithm: 'ECDSA-P256', keyUsage: ['digitalSignature', 'nonRepudiation'], hasPrivateKey: true, status: 'valid', provider: 'soft' },
  { id: 'example-2', tokenId: 'usb-1', der: '', subject: 'CN=示例科技有限公司,O=示例科技有限公司', subjectCommonName: '示例科技有限公司', issuer: 'CN=示例社保 CA', issuerCommonName: '示例社保 CA', serialNumber: '4d5e6f', notBefore: '2025-01-01T00:00:00Z', notAfter: '2026-01-01T00:00:00Z', keyAlgorithm: 'ECDSA-P256', keyUsage: ['digitalSignature'], hasPrivateKey: true, status: 'expired', provider: 'pkcs11' },
];

function chosenScenario(): LiveScenario {
  const asked = new URLSearchParams(location.search).get('scenario') ?? '';
  return isLiveScenario(asked) ? asked : 'valid';
}

/** The scenario picker: a choice reloads the page, since the stand-in agent is set up once per page. */
function scenarioPicker(current: LiveScenario): void {
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-scenario]')) {
    select.replaceChildren(...LIVE_SCENARIOS.map((name) => new Option(name, name, false, name === current)));
    select.addEventListener('change', () => {
      const url = new URL(location.href);
      url.searchParams.set('scenario', select.value);
      location.assign(url);
    });
  }
}

/** The language switch: the elements follow the nearest `lang`. */
function languageSwitch(): void {
  for (const select of document.querySelectorAll<HTMLSelectElement>('select[data-lang]')) {
    select.addEventListener('change', () => {
      for (const example of document.querySelectorAll('.live')) example.setAttribute('lang', select.value);
    });
  }
}

/** Every sicert event an example fires, written under it: what a page listening for them would receive. */
function logEvents(example: Element): void {
  const log = example.querySelector('.event-log');
  if (!log) return;
  const names = (example.getAttribute('data-events') ?? '').split(' ').filter(Boolean);
  for (const name of names) {
    example.addEventListener(name, (event) => {
      const detail = (event as CustomEvent<unknown>).detail;
      const line = document.createElement('li');
      line.textContent = `${name} ${detail === undefined || detail === null ? '' : JSON.stringify(detail)}`;
      log.append(line);
    });
  }
}

async function main(): Promise<void> {
  const scenario = chosenScenario();
  scenarioPicker(scenario);
  languageSwitch();
  const agent = await startLiveAgent(scenario);
  for (const notice of document.querySelectorAll<HTMLElement>('.live-notice')) {
    notice.textContent = agent.live
      ? `示例证书助手：${scenario}${agent.pin ? `，证书密码 ${agent.pin}` : ''}。Example agent: ${scenario}${agent.pin ? `, certificate password ${agent.pin}` : ''}.`
      : `示例证书助手无法在本页运行（需通过 https:// 或 localhost 打开），组件显示“证书助手未运行”。The example agent cannot run on this page (open the site over https:// or from localhost): the elements show “agent not running”.${agent.problem ? ` (${agent.problem})` : ''}`;
  }
  const backend = new ExamplePortalBackend();
  for (const example of document.querySelectorAll('.live')) {
    logEvents(example);
    for (const element of example.querySelectorAll('[data-agent]')) element.setAttribute('agent-url', agent.agentUrl);
    for (const element of example.querySelectorAll<HTMLElement & { backend?: unknown }>('[data-backend]')) element.backend = backend;
    for (const signer of example.querySelectorAll<HTMLElement & { data?: string }>('sicert-signer')) signer.data = DECLARATION;
    for (const button of example.querySelectorAll<HTMLButtonElement>('button[data-show]')) {
      button.addEventListener('click', () => example.querySelector<HTMLElement & { show?: () => void }>(button.dataset.show ?? '')?.show?.());
    }
    for (const picker of example.querySelectorAll<HTMLElement & { certificates?: CertificateInfo[] }>('sicert-cert-picker')) picker.certificates = PICKER_CERTIFICATES;
  }
  await import('@sicert/elements/define/sicert-signer');
  await import('@sicert/elements/define/sicert-cert-status');
  await import('@sicert/elements/define/sicert-apply-wizard');
  await import('@sicert/elements/define/sicert-pin-change');
  await import('@sicert/elements/define/sicert-pin-input');
  await import('@sicert/elements/define/sicert-cert-picker');
  await import('@sicert/elements/define/sicert-agent-status');
  document.documentElement.dataset.examples = 'ready';
}

void main();
