// A request sent as raw text, with no client-side checks at all (as a page that bypasses the components could).
import { rawExchange } from '@sicert/test-support/agent-client';

/** Sends one JSON-RPC request and resolves with the agent's reason, or `ok` for a result. */
export async function rawReason(url: string, method: string, params: unknown): Promise<string> {
  const answer = (await rawExchange(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))) as { result?: unknown; error?: { data?: { reason?: string } } };
  return answer.error ? (answer.error.data?.reason ?? 'no reason') : 'ok';
}
