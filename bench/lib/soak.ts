// The soak: `total` signatures through the agent, shaped to find what a long-running agent could accumulate:
// many short-lived connections (per-connection state), one audit line per `sign.data` (the audit log rotates),
// full batches in raw and detached CMS (queues, per-item work, per-certificate caches).
import { toBase64 } from '@sicert/pki';
import { MAX_BATCH_ITEMS, type SignFormat } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import type { AgentChild } from './agent-child.js';
import { DATA, digestItems } from './agent-signing.js';
import type { BenchToken } from './bench-token.js';
import { since } from './stats.js';

/** `sign.data` requests each short-lived connection makes, four in flight. */
const PER_CONNECTION = 200;

export interface Soak {
  signatures: number;
  errors: number;
  connections: number;
  seconds: number;
}

export async function soak(agent: AgentChild, token: BenchToken, total: number): Promise<Soak> {
  const start = performance.now();
  const single = Math.floor(total / 4);
  const cmsItems = Math.floor((total * 3) / 20);
  const rawItems = total - single - cmsItems;
  let signatures = 0;
  let errors = 0;
  let connections = 0;

  const batches = connect(agent.url);
  connections++;
  try {
    const plan: [SignFormat, number][] = [['raw', rawItems], ['cms-detached', cmsItems]];
    for (const [format, items] of plan) {
      for (let done = 0; done < items; done += MAX_BATCH_ITEMS) {
        const count = Math.min(MAX_BATCH_ITEMS, items - done);
        const result = await batches.request('sign.batch', { certId: token.certIds['ECDSA-P256'], pin: token.hsm.pin, format, items: digestItems(count, `soak ${format} ${String(done)}`) }, { timeoutMs: 300_000 });
        signatures += result.signatures.length;
        errors += result.signatures.filter((outcome) => 'error' in outcome).length;
      }
    }
  } finally {
    batches.close();
  }

  const params = { certId: token.certIds['ECDSA-P256'], pin: token.hsm.pin, data: toBase64(DATA), format: 'raw' as const };
  for (let done = 0; done < single; done += PER_CONNECTION) {
    const count = Math.min(PER_CONNECTION, single - done);
    const client = connect(agent.url);
    connections++;
    try {
      let next = 0;
      const worker = async () => {
        while (next < count) {
          next++;
          await client.request('sign.data', params, { timeoutMs: 120_000 });
          signatures++;
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      client.close();
    }
  }
  return { signatures, errors, connections, seconds: since(start) / 1000 };
}
