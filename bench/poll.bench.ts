// What watching the USB-Keys costs (`node --import tsx bench/poll.bench.ts`; not part of `npm run bench`).
// On SoftHSM2 with TOKENS initialised tokens holding CERTS certificates each (plus SoftHSM2's free slot), in process:
//   token list   — what every poll does first: the token-directory look, C_GetSlotList, C_GetTokenInfo per slot;
//   certificates — what a poll then does per idle token: a session, the certificate and key objects, a digest;
//   re-init      — a token list that finds the directory changed: C_Finalize + C_Initialize + the list;
//   idle CPU     — the agent's own CPU time over WINDOW_MS with one page connected (polling) and with none.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createLogger, defaultConfig, startAgent, type Pkcs11Provider } from '@sicert/agent';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { createSoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa } from '@sicert/test-support/test-ca';

const TOKENS = Number(process.env.POLL_TOKENS ?? 4);
const CERTS = 2;
const ROUNDS = 200;
const WINDOW_MS = 10_000;

const hsm = createSoftHsm('poll-0');
for (let i = 1; i < TOKENS; i++) {
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', `poll-${i}`, '--pin', hsm.pin, '--so-pin', hsm.soPin], { stdio: 'ignore' });
}
const home = mkdtempSync(join(tmpdir(), 'sicert-poll-'));
const agent = await startAgent({ ...defaultConfig(), port: 0, home, modules: [hsm.module], allowOrigins: [TEST_ORIGIN], softToken: false }, createLogger('error'));
const pkcs11 = agent.providers[0] as Pkcs11Provider;
const ca = await createTestCa();
const tokens = (await pkcs11.listTokens()).filter((t) => t.pin.initialized);
for (const token of tokens) {
  for (let c = 0; c < CERTS; c++) {
    const key = await pkcs11.generateKey(token.id, hsm.pin, 'ECDSA-P256');
    await pkcs11.installCertificate(token.id, await ca.issue({ CN: `${token.label} ${c}` }, key.publicKey), [], hsm.pin);
  }
}

async function perCall(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e6 / ROUNDS;
}

const list = await perCall(() => pkcs11.listTokens());
const certificates = await perCall(() => pkcs11.listCertificates());
const tokenDir = join(hsm.dir, 'tokens', 'not-a-token');
let flip = false;
const reinit = await perCall(() => {
  // Any change of the directory's entries counts as a token created or deleted.
  if ((flip = !flip)) mkdirSync(tokenDir);
  else rmSync(tokenDir, { recursive: true });
  return pkcs11.listTokens();
});

async function cpuOver(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}
const idle = await cpuOver(WINDOW_MS);
const client = connect(agent.url);
await client.request('agent.info', undefined);
const watched = await cpuOver(WINDOW_MS);
client.close();
await agent.close();
hsm.dispose();
rmSync(home, { recursive: true, force: true });

const polls = WINDOW_MS / 500;
console.log(`${tokens.length} tokens (+ the free slot), ${CERTS} certificates each; per call, mean of ${ROUNDS}:`);
console.log(`  token list            ${list.toFixed(3)} ms`);
console.log(`  certificates (all)    ${certificates.toFixed(3)} ms`);
console.log(`  token list + re-init  ${reinit.toFixed(3)} ms`);
console.log(`CPU over ${WINDOW_MS / 1000} s: no page ${idle.toFixed(1)} ms, one page (${polls} polls) ${watched.toFixed(1)} ms → ${((watched - idle) / polls).toFixed(3)} ms a poll, ${(((watched - idle) / WINDOW_MS) * 100).toFixed(2)} % of one core`);
