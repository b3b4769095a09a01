// The load of the under-load measurement, in its own process so that the probes' process does nothing else:
// one connection generates RSA-2048 keys one after another, another runs signatures eight in flight. Prints
// `ready` once connected, then `done <json>` when the load is over, deletes the generated keys, and exits.
// Arguments: one JSON object { url, tokenId, certId, pin, keys, signatures }.
import { toBase64 } from '@sicert/pki';
import { connect } from '@sicert/test-support/agent-client';
import { DATA } from './agent-signing.js';

interface LoadPlan {
  url: string;
  tokenId: string;
  certId: string;
  pin: string;
  keys: number;
  signatures: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const keygen = connect(plan.url);
const signing = connect(plan.url);
await Promise.all([keygen.request('agent.info', undefined), signing.request('agent.info', undefined)]);
console.log('ready');

async function generateKeys(): Promise<string[]> {
  const keyIds: string[] = [];
  for (let i = 0; i < plan.keys; i++) {
    keyIds.push((await keygen.request('key.generate', { tokenId: plan.tokenId, pin: plan.pin, algorithm: 'RSA-2048', label: `load ${String(i)}` }, { timeoutMs: 120_000 })).keyId);
  }
  return keyIds;
}

async function signMany(inFlight: number): Promise<number> {
  const params = { certId: plan.certId, pin: plan.pin, data: toBase64(DATA), format: 'raw' as const };
  let next = 0;
  const worker = async () => {
    while (next < plan.signatures) {
      next++;
      await signing.request('sign.data', params, { timeoutMs: 120_000 });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return plan.signatures;
}

const [keyIds, signatures] = await Promise.all([generateKeys(), signMany(8)]);
console.log(`done ${JSON.stringify({ keysGenerated: keyIds.length, signatures })}`);
// The generated keys have no certificate: deleted again, so later measurements see the token as before.
for (const keyId of keyIds) await keygen.request('key.delete', { tokenId: plan.tokenId, keyId, pin: plan.pin });
keygen.close();
signing.close();
