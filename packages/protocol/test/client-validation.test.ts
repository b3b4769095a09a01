// AgentClient hands its callers only what the protocol types promise: results, notifications and error data
// that fail their schema never reach a caller typed for them.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { AgentClient, type AgentError, type Token, type WebSocketLike } from '../src/index.js';

const token: Token = {
  id: 'p11-abc',
  provider: 'pkcs11',
  label: 'sicert-usb',
  manufacturer: 'SoftHSM project',
  model: 'SoftHSM v2',
  serial: '1a2b3c',
  pin: { initialized: true, locked: false, countLow: false, finalTry: false },
};

describe('AgentClient validation', { timeout: 20_000 }, () => {
  let server: WebSocketServer;
  let url: string;
  let answer: (request: { id: number; method: string }) => unknown;
  const createSocket = (u: string, protocol: string) => new WebSocket(u, protocol) as unknown as WebSocketLike;

  before(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1', handleProtocols: (p) => (p.has('sicert.v1') ? 'sicert.v1' : false) });
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    server.on('connection', (socket) => {
      socket.on('message', (data) => {
        const request = JSON.parse((data as Buffer).toString()) as { id: number; method: string };
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: request.id, ...(answer(request) as object) }));
      });
    });
  });
  after(() => server.close());

  it('delivers only notifications whose params match their schema, in the order they came', async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    await client.connect();
    const seen: string[] = [];
    // Written not to throw on malformed params, so that a client without the check fails here rather than hangs.
    client.on('token.added', (p) => seen.push(`added ${String((p as Partial<typeof p> | undefined)?.token?.serial)}`));
    client.on('token.removed', (p) => seen.push(`removed ${String((p as Partial<typeof p> | undefined)?.tokenId)}`));
    const send = (method: string, params: unknown) => {
      for (const socket of server.clients) socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
    };
    send('token.added', { token: { ...token, serial: undefined } });
    send('token.added', { token: { ...token, pin: 'unlocked' } });
    send('token.removed', { tokenId: 42 });
    send('token.removed', undefined);
    send('token.added', { token });
    send('token.removed', { tokenId: 'p11-abc' });
    // The last notification is delivered once everything before it was handled: a round trip after it suffices.
    answer = () => ({ result: { tokens: [] } });
    await client.request('token.list', undefined);
    assert.deepEqual(seen, ['added 1a2b3c', 'removed p11-abc']);
    client.close();
  });

  it('refuses agent.info without algorithms and a token without its serial as INTERNAL', async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    answer = () => ({ result: { agentVersion: '9', protocol: 1, providers: [], capabilities: [] } });
    await assert.rejects(client.request('agent.info', undefined), (e: AgentError) => e.reason === 'INTERNAL' && /result\.algorithms/.test(e.message));
    answer = () => ({ result: { tokens: [{ ...token, serial: undefined }] } });
    await assert.rejects(client.request('token.list', undefined), (e: AgentError) => e.reason === 'INTERNAL' && /result\.tokens\[0\]\.serial/.test(e.message));
    answer = () => ({ result: { tokens: [token] } });
    assert.deepEqual(await client.request('token.list', undefined), { tokens: [token] });
    client.close();
  });

  it('does not pass on tries left that are not an integer', async () => {
    const client = new AgentClient(url, { createSocket, reconnect: false });
    answer = () => ({ error: { code: -32000, message: 'wrong', data: { reason: 'PIN_INCORRECT', retriesLeft: 'many' } } });
    await assert.rejects(client.request('sign.data', { certId: 'x', pin: 'p', data: 'AA==' }), (e: AgentError) => e.reason === 'INTERNAL' && e.retriesLeft === undefined);
    client.close();
  });
});
