// Element tests in Debian's Chromium against a real agent: a SoftHSM2 USB-Key and the software token, each
// holding certificates from a test CA. Run through `node --import tsx` so the shared TypeScript test support
// (SoftHSM2 setup, provisioning) can be imported here. Beside it: an agent the tests stop and start again, and a
// scripted peer for what a real agent does not do on demand; tests drive both through /__sicert-control/<action>.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';

const PORT = 8765;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const SOFT_PIN = 'Home2468x';
const STATUS_PIN = 'Card2468x';

let fixture;

/**
 * Agents for the certificate status card, each with software tokens only (starting fast, and changed by the tests
 * without touching the signer's): one holding a certificate in every validity state, one whose password is locked,
 * one with a certificate to renew, one whose password a test changes.
 */
async function startStatusAgents(startAgent, agentConfig, ca, logger) {
  const { provisionPlans, lockWithWrongPins } = await import('@sicert/test-support/certificate-plans');
  const person = (cn) => ({ C: 'CN', serialNumber: `SHA256:${Buffer.from(cn).toString('hex').padEnd(32, '0').slice(0, 32)}`, CN: cn });
  const started = [];
  async function agentWith(holder, plans) {
    const home = mkdtempSync(join(tmpdir(), 'sicert-wtr-status-'));
    const agent = await startAgent(agentConfig(home), logger);
    await agent.softToken.createToken(holder, STATUS_PIN);
    const token = (await agent.softToken.listTokens()).find((t) => t.label === holder);
    const certs = await provisionPlans(agent.softToken, token.id, STATUS_PIN, ca, plans);
    started.push({ agent, home });
    return { agent, url: agent.url, certs };
  }
  const status = await agentWith('陈小华', {
    valid: { subject: person('陈小华'), notBeforeDays: -30, notAfterDays: 700 },
    expiring: { subject: person('陈小华'), notBeforeDays: -355, notAfterDays: 10 },
    expired: { subject: person('陈小华'), notBeforeDays: -400, notAfterDays: -5 },
    notYetValid: { subject: person('陈小华'), notBeforeDays: 5, notAfterDays: 400 },
    organization: { subject: { C: 'CN', O: '示例科技有限公司', organizationIdentifier: '91110000600037341L', CN: '示例科技有限公司' }, notBeforeDays: -30, notAfterDays: 365 },
  });
  const locked = await agentWith('周小燕', { valid: { subject: person('周小燕'), notBeforeDays: -30, notAfterDays: 365 } });
  await lockWithWrongPins(locked.agent.softToken, locked.certs.valid.certId, 'Wrong2468x');
  const renew = await agentWith('孙小军', { expiring: { subject: person('孙小军'), notBeforeDays: -355, notAfterDays: 10 } });
  const pin = await agentWith('吴小丽', { valid: { subject: person('吴小丽'), notBeforeDays: -30, notAfterDays: 365 } });
  return {
    values: { pin: STATUS_PIN, url: status.url, certs: status.certs, lockedUrl: locked.url, lockedCerts: locked.certs, renewUrl: renew.url, renewCerts: renew.certs, pinUrl: pin.url, pinCerts: pin.certs },
    async close() {
      for (const { agent, home } of started) {
        await agent.close();
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}

async function startFixture() {
  const { createSoftHsm } = await import('@sicert/test-support/softhsm');
  const { provisionPkcs11, provisionSoft } = await import('@sicert/test-support/provision');
  const { createTestCa } = await import('@sicert/test-support/test-ca');
  const { startAgent, defaultConfig, createLogger } = await import('./packages/agent/src/index.ts');
  const hsm = createSoftHsm('sicert-browser');
  const home = mkdtempSync(join(tmpdir(), 'sicert-wtr-'));
  const ca = await createTestCa();
  const logger = createLogger('error');
  const agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [ORIGIN] }, logger);
  const usb = await provisionPkcs11(agent.providers.find((p) => p.kind === 'pkcs11'), hsm.label, hsm.pin, ca, '王小明');
  const soft = await provisionSoft(agent.softToken, SOFT_PIN, ca, '李小红');
  // An agent that runs but does not allow the test page's origin.
  const strangerHome = mkdtempSync(join(tmpdir(), 'sicert-wtr-stranger-'));
  const stranger = await startAgent({ ...defaultConfig(), port: 0, home: strangerHome, softToken: false, allowOrigins: ['https://elsewhere.example'] }, logger);
  // Something that answers like an agent of an older protocol.
  const old = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': ORIGIN });
    res.end(JSON.stringify({ name: 'sicert-agent', agentVersion: '0.0.1', protocol: 0, status: 'ok' }));
  });
  await new Promise((resolve) => old.listen(0, '127.0.0.1', resolve));
  // A port where nothing listens.
  // An agent the tests stop and start again on the same port (software token only: it starts fast).
  const restartableHome = mkdtempSync(join(tmpdir(), 'sicert-wtr-restartable-'));
  const restartableConfig = { ...defaultConfig(), port: 0, home: restartableHome, allowOrigins: [ORIGIN] };
  let restartable = await startAgent(restartableConfig, logger);
  restartableConfig.port = restartable.port;
  const restartableCerts = await provisionSoft(restartable.softToken, SOFT_PIN, ca, '张小华');
  const { startScriptedPeer, PEER_PINS, PEER_RETRY_AFTER_MS, PEER_CERT_ID, PEER_PIN_CHANGE, PEER_RETRIES_LEFT, MUST_CHANGE_USB_KEY_ID } = await import('@sicert/test-support/scripted-peer');
  const peer = await startScriptedPeer(ORIGIN);
  // A second peer, for the wizard: it also lists a USB-Key that asks for its PIN to be changed before use.
  const mustChangePeer = await startScriptedPeer(ORIGIN, { mustChangeUsbKey: true });
  // A third, for the signer's batch mode: it answers sign.batch, with progress, held until the test answers it.
  const batchPeer = await startScriptedPeer(ORIGIN, { signBatch: true });
  const status = await startStatusAgents(startAgent, (home) => ({ ...defaultConfig(), port: 0, home, allowOrigins: [ORIGIN] }), ca, logger);
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const downPort = closed.address().port;
  await new Promise((resolve) => closed.close(resolve));
  return {
    values: {
      agentUrl: agent.url,
      downAgentUrl: `ws://127.0.0.1:${downPort}/v1`,
      strangerAgentUrl: stranger.url,
      oldAgentUrl: `ws://127.0.0.1:${old.address().port}/v1`,
      restartableAgentUrl: restartable.url,
      restartableCerts,
      peer: { url: peer.url, pins: PEER_PINS, retryAfterMs: PEER_RETRY_AFTER_MS, certId: PEER_CERT_ID, pinChange: PEER_PIN_CHANGE, retriesLeft: PEER_RETRIES_LEFT, mustChange: { url: mustChangePeer.url, tokenId: MUST_CHANGE_USB_KEY_ID }, batchUrl: batchPeer.url },
      status: status.values,
      usbPin: hsm.pin,
      softPin: SOFT_PIN,
      certs: { usb, soft },
      root: Buffer.from(ca.root).toString('base64'),
    },
    controls: {
      async 'agent-stop'() {
        await restartable?.close();
        restartable = undefined;
      },
      async 'agent-start'() {
        restartable ??= await startAgent(restartableConfig, logger);
      },
      'peer-drop': () => peer.drop(),
      'peer-answer-held': () => peer.answerHeld(),
      'peer-held': () => peer.held,
      'peer-pin-changes': () => peer.pinChanges,
      'peer-plug': () => peer.plug(),
      'peer-unplug': () => peer.unplug(),
      'peer-lock': () => peer.lockSoft(),
      'batch-peer-held': () => batchPeer.held,
      'batch-peer-answer-held': () => batchPeer.answerHeld(),
      'batch-peer-drop': () => batchPeer.drop(),
      'peer-reset': () => {
        peer.reset();
        mustChangePeer.reset();
      },
    },
    async close() {
      await restartable?.close();
      await peer.close();
      await mustChangePeer.close();
      await batchPeer.close();
      await status.close();
      rmSync(restartableHome, { recursive: true, force: true });
      await agent.close();
      await stranger.close();
      old.close();
      hsm.dispose();
      rmSync(home, { recursive: true, force: true });
      rmSync(strangerHome, { recursive: true, force: true });
    },
  };
}

export default {
  files: ['packages/elements/test/*.test.ts', 'packages/agent-mock/test/*.wtr.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  hostname: '127.0.0.1',
  port: PORT,
  concurrency: 1,
  testsFinishTimeout: 120_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [
    async (context, next) => {
      const action = /^\/__sicert-control\/([\w-]+)$/.exec(context.path)?.[1];
      if (!action) return next();
      const control = fixture?.controls[action];
      if (!control) {
        context.status = 404;
        return undefined;
      }
      context.body = JSON.stringify({ result: (await control()) ?? null });
      context.type = 'json';
      return undefined;
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './packages/elements/tsconfig.json' }),
    {
      name: 'sicert-agent-fixture',
      async serverStart() {
        fixture = await startFixture();
      },
      async serverStop() {
        await fixture?.close();
      },
      serve(context) {
        if (context.path === '/__sicert-fixture.js') return { body: `export default ${JSON.stringify(fixture.values)};`, type: 'js' };
        return undefined;
      },
    },
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
};
