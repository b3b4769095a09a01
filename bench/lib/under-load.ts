// Does the agent stay responsive while the token works? `/v1/health` (HTTP) and `agent.info` (a third WebSocket)
// are probed back to back while one connection generates RSA-2048 keys and another runs signatures, eight in flight.
import { toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { httpStatus, type AgentChild } from './agent-child.js';
import { DATA } from './agent-signing.js';
import type { BenchToken } from './bench-token.js';
import { latency, since, timed, type Latency } from './stats.js';

export interface UnderLoad {
  health: Latency;
  agentInfo: Latency;
  keysGenerated: number;
  signatures: number;
  seconds: number;
}

async function generateKeys(client: AgentClient, token: BenchToken, tokenId: string, count: number): Promise<string[]> {
  const keyIds: string[] = [];
  for (let i = 0; i < count; i++) {
    keyIds.push((await client.request('key.generate', { tokenId, pin: token.hsm.pin, algorithm: 'RSA-2048', label: `load ${String(i)}` }, { timeoutMs: 120_000 })).keyId);
  }
  return keyIds;
}

async function signMany(client: AgentClient, token: BenchToken, count: number, inFlight: number): Promise<number> {
  const params = { certId: token.certIds['ECDSA-P256'], pin: token.hsm.pin, data: toBase64(DATA), format: 'raw' as const };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await client.request('sign.data', params, { timeoutMs: 120_000 });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return count;
}

export async function responsivenessUnderLoad(agent: AgentChild, token: BenchToken, keys: number, signatures: number): Promise<UnderLoad> {
  const keygen = connect(agent.url);
  const signing = connect(agent.url);
  const probe = connect(agent.url);
  try {
    const tokenId = (await probe.request('token.list', undefined)).tokens.find((t) => t.label === token.hsm.label)?.id;
    if (!tokenId) throw new Error('the agent does not list the bench token');
    await probe.request('agent.info', undefined);
    const start = performance.now();
    const state = { loaded: false };
    const load = Promise.all([generateKeys(keygen, token, tokenId, keys), signMany(signing, token, signatures, 8)]).finally(() => (state.loaded = true));
    const health: number[] = [];
    const agentInfo: number[] = [];
    while (!state.loaded) {
      health.push(await timed(async () => {
        if ((await httpStatus(agent.port)) !== 200) throw new Error('/v1/health did not answer 200');
      }));
      agentInfo.push(await timed(() => probe.request('agent.info', undefined)));
    }
    const [keyIds, signed] = await load;
    const seconds = since(start) / 1000;
    // The generated keys have no certificate: deleted again, so later measurements see the token as before.
    for (const keyId of keyIds) await keygen.request('key.delete', { tokenId, keyId, pin: token.hsm.pin });
    return { health: latency(health), agentInfo: latency(agentInfo), keysGenerated: keyIds.length, signatures: signed, seconds };
  } finally {
    for (const client of [keygen, signing, probe]) client.close();
  }
}
