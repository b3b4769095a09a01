// A provider's token-change listeners, and the agent's fan-out of them to connections as protocol notifications.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Token } from '@sicert/protocol';
import { createLogger, TokenChanges, TokenEvents, type AgentNotification, type Provider, type TokenChange } from '../src/index.js';

const token: Token = { id: 'p11-0123456789abcdef', provider: 'pkcs11', label: '张三的U盾', manufacturer: 'm', model: 'k', serial: '42', pin: { initialized: true, locked: false, countLow: false, finalTry: false } };

describe('TokenChanges', () => {
  it('calls first and last hooks as listeners come and go; a removal is idempotent', () => {
    const log: string[] = [];
    const changes = new TokenChanges({ first: () => log.push('first'), last: () => log.push('last') });
    const a = changes.on(() => undefined);
    const b = changes.on(() => undefined);
    a();
    a();
    assert.equal(changes.listening, true);
    b();
    assert.equal(changes.listening, false);
    assert.deepEqual(log, ['first', 'last']);
  });

  it('reaches every listener even when one throws', () => {
    const changes = new TokenChanges();
    const heard: TokenChange[] = [];
    changes.on(() => {
      throw new Error('a closed connection');
    });
    changes.on((change) => heard.push(change));
    changes.added(token);
    changes.changed(token);
    changes.removed(token.id);
    assert.deepEqual(heard.map((c) => c.kind), ['added', 'changed', 'removed']);
  });
});

describe('TokenEvents', () => {
  /** A provider that only announces: the fan-out needs nothing else of it. */
  function announcer(): { provider: Provider; changes: TokenChanges } {
    const changes = new TokenChanges();
    return { provider: { onChange: (l: (c: TokenChange) => void) => changes.on(l) } as unknown as Provider, changes };
  }

  it('listens to the providers only while a connection listens, and sends each change as a notification', () => {
    const { provider, changes } = announcer();
    const events = new TokenEvents([provider], createLogger('error'));
    assert.equal(changes.listening, false);
    const got: AgentNotification[] = [];
    const stop = events.subscribe((n) => got.push(n));
    assert.equal(changes.listening, true);
    changes.added(token);
    changes.removed(token.id);
    changes.changed({ ...token, pin: { ...token.pin, countLow: true } });
    assert.deepEqual(got.map((n) => n.method), ['token.added', 'token.removed', 'token.changed']);
    assert.deepEqual(got[1]!.params, { tokenId: token.id });
    stop();
    assert.equal(changes.listening, false);
    changes.added(token);
    assert.equal(got.length, 3, 'nothing after the connection stopped listening');
  });

  it('drops (and logs) a notification the pages would refuse, instead of sending it', () => {
    const { provider, changes } = announcer();
    const lines: string[] = [];
    const events = new TokenEvents([provider], createLogger('error', (line) => lines.push(line)));
    const got: AgentNotification[] = [];
    events.subscribe((n) => got.push(n));
    changes.removed('');
    assert.deepEqual(got, []);
    assert.match(lines.join(''), /dropped a malformed notification/);
  });

  it('close() forgets every connection and stops listening to the providers', () => {
    const { provider, changes } = announcer();
    const events = new TokenEvents([provider], createLogger('error'));
    events.subscribe(() => undefined);
    events.subscribe(() => undefined);
    events.close();
    assert.equal(events.listenerCount, 0);
    assert.equal(changes.listening, false);
  });
});
