// The agent starts, answers /v1/health and signs (raw, detached and attached CMS, a batch; USB-Key and software
// token; ECDSA and RSA) without ever loading pkijs or asn1js: those load on demand, for cert.list, csr.create and
// cert.install. A resolve hook in the agent's process records every module it loads.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64, verifySignedData } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider } from '../src/index.js';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { loadedUrls, pkijsUrls, RECORD_LOADS_ARGS } from '@sicert/test-support/load-recorder';
import { ALGORITHMS, provisionPkcs11, provisionSoft, type ProvisionedCerts } from '@sicert/test-support/provision';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';

const CLI = fileURLToPath(new URL('./support/run-cli.ts', import.meta.url));
const SOFT_PIN = 'Home2468x';

/** Starts the agent's CLI with the load recorder; resolves with its WebSocket URL once it listens. */
function startRecordedAgent(args: string[], log: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...RECORD_LOADS_ARGS, CLI, 'start', ...args], {
    env: { ...process.env, SICERT_LOAD_LOG: log },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (data: Buffer) => {
      output += data.toString('utf8');
      const url = /listening on (ws:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.once('exit', (code) => reject(new Error(`the agent exited (${code}) before it listened: ${output}`)));
  });
}

describe('an agent that starts and signs without pkijs', () => {
  let hsm: SoftHsm;
  let home: string;
  let ca: TestCa;
  let agent: { child: ChildProcess; url: string };
  let client: AgentClient;
  let log: string;
  const certs = {} as Record<'pkcs11' | 'soft', ProvisionedCerts>;
  const pins = { pkcs11: '', soft: SOFT_PIN };

  before(async () => {
    hsm = createSoftHsm();
    pins.pkcs11 = hsm.pin;
    home = mkdtempSync(join(tmpdir(), 'sicert-agent-light-'));
    log = join(home, 'loads.log');
    ca = await createTestCa();
    // Keys and certificates are put on the tokens by an agent in this process, which may load anything.
    const setup = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN] }, createLogger('error'));
    certs.pkcs11 = await provisionPkcs11(setup.providers.find((p) => p.kind === 'pkcs11') as Pkcs11Provider, hsm.label, hsm.pin, ca);
    certs.soft = await provisionSoft(setup.softToken!, SOFT_PIN, ca);
    await setup.close();
    agent = await startRecordedAgent(['--port', '0', '--home', home, '--module', hsm.module, '--allow-origin', TEST_ORIGIN], log);
    client = connect(agent.url);
  });

  after(async () => {
    client.close();
    agent.child.kill('SIGTERM');
    await new Promise((resolve) => agent.child.once('exit', resolve));
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('loads the light pki entry to start and answer /v1/health, and not pkijs', async () => {
    const health = await fetch(agent.url.replace('ws://', 'http://').replace(/\/v1$/, '/v1/health'));
    assert.equal(health.status, 200);
    const urls = loadedUrls(log);
    assert.ok(urls.some((url) => url.endsWith('/packages/pki/dist/light.js')), 'the recorder saw the agent load @sicert/pki/light');
    assert.deepEqual(pkijsUrls(urls), []);
  });

  it('signs raw, detached and attached, one by one and in a batch, on both tokens and both algorithms, still without pkijs', async () => {
    const data = new TextEncoder().encode('社保缴费申报');
    for (const provider of ['pkcs11', 'soft'] as const) {
      for (const algorithm of ALGORITHMS) {
        const certId = certs[provider][algorithm];
        for (const format of ['raw', 'cms-detached', 'cms-attached'] as const) {
          const { signature, certificate } = await client.request('sign.data', { certId, pin: pins[provider], data: toBase64(data), format });
          if (format === 'raw') continue;
          // Verified here, in the test's own process, which may load pkijs.
          const verified = await verifySignedData(fromBase64(signature), { content: data, expectedSigner: { certificate: fromBase64(certificate) }, trustedRoots: [ca.root] });
          assert.equal(verified.valid, true, `${provider} ${algorithm} ${format}: ${verified.message ?? ''}`);
        }
        const batch = await client.request('sign.batch', { certId, pin: pins[provider], items: [{ data: toBase64(data) }, { data: toBase64(data) }] });
        assert.equal(batch.signatures.filter((s) => 'signature' in s).length, 2);
      }
    }
    assert.deepEqual(pkijsUrls(loadedUrls(log)), []);
  });

  it('loads pkijs on demand for cert.list, and the recorder sees it', async () => {
    const { certificates } = await client.request('cert.list', undefined);
    assert.equal(certificates.length, 4);
    assert.ok(pkijsUrls(loadedUrls(log)).some((url) => url.includes('/node_modules/pkijs/')));
  });
});
