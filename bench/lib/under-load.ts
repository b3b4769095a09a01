// Does the agent stay responsive while the token works? `/v1/health` (HTTP) and `agent.info` (a WebSocket of its
// own) are probed back to back from this process while another process (load-worker.ts) generates RSA-2048 keys
// on one connection and runs signatures, eight in flight, on another.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from '@sicert/test-support/agent-client';
import { httpStatus, type AgentChild } from './agent-child.js';
import type { BenchToken } from './bench-token.js';
import { latency, since, timed, type Latency } from './stats.js';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export interface UnderLoad {
  health: Latency;
  agentInfo: Latency;
  keysGenerated: number;
  signatures: number;
  seconds: number;
}

export async function responsivenessUnderLoad(agent: AgentChild, token: BenchToken, keys: number, signatures: number): Promise<UnderLoad> {
  const probe = connect(agent.url);
  try {
    const tokenId = (await probe.request('token.list', undefined)).tokens.find((t) => t.label === token.hsm.label)?.id;
    if (!tokenId) throw new Error('the agent does not list the bench token');
    const plan = { url: agent.url, tokenId, certId: token.certIds['ECDSA-P256'], pin: token.hsm.pin, keys, signatures };
    const worker = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
    const state: { ready: boolean; done?: { keysGenerated: number; signatures: number } } = { ready: false };
    let out = '';
    worker.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      state.ready ||= /^ready$/m.test(out);
      const done = /^done (.*)$/m.exec(out);
      if (done) state.done = JSON.parse(done[1]!) as { keysGenerated: number; signatures: number };
    });
    void exited.then(() => (state.ready = true));
    while (!state.ready) await new Promise((resolve) => setTimeout(resolve, 5));
    const start = performance.now();
    const health: number[] = [];
    const agentInfo: number[] = [];
    while (!state.done && worker.exitCode === null) {
      health.push(await timed(async () => {
        if ((await httpStatus(agent.port)) !== 200) throw new Error('/v1/health did not answer 200');
      }));
      agentInfo.push(await timed(() => probe.request('agent.info', undefined)));
    }
    const seconds = since(start) / 1000;
    const code = await exited;
    if (code !== 0 || !state.done) throw new Error(`the load process failed (exit ${String(code)})`);
    return { health: latency(health), agentInfo: latency(agentInfo), ...state.done, seconds };
  } finally {
    probe.close();
  }
}
