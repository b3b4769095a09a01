// Records the token notifications a real client receives, and waits for one with a deadline (never a fixed sleep).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { AgentClient, NotificationMap, NotificationName } from '@sicert/protocol';

/** The notifications about tokens (`sign.progress` goes only to the connection that asked for a batch). */
type TokenNotification = Extract<NotificationName, `token.${string}`>;

/** One received token notification, in arrival order. */
export type Received = { [N in TokenNotification]: { method: N; params: NotificationMap[N]; at: number } }[TokenNotification];

/** How long a test waits for an event before failing: generous, since the machine is shared; it never sleeps it out. */
export const EVENT_DEADLINE_MS = 15_000;

/** Every token notification one client receives. */
export class EventRecorder {
  readonly events: Received[] = [];
  private waiters: (() => void)[] = [];
  private readonly stops: (() => void)[];

  constructor(client: AgentClient) {
    const record = (event: Received) => {
      this.events.push(event);
      for (const wake of this.waiters.splice(0)) wake();
    };
    this.stops = [
      client.on('token.added', (params) => record({ method: 'token.added', params, at: performance.now() })),
      client.on('token.removed', (params) => record({ method: 'token.removed', params, at: performance.now() })),
      client.on('token.changed', (params) => record({ method: 'token.changed', params, at: performance.now() })),
    ];
  }

  /** A mark for {@link waitFor}: only events after it count. */
  mark(): number {
    return this.events.length;
  }

  /** The first event after `since` that `match` accepts; rejects after {@link EVENT_DEADLINE_MS} with what arrived. */
  waitFor(match: (event: Received) => boolean, since = 0, what = 'an event'): Promise<Received> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no ${what} within ${EVENT_DEADLINE_MS} ms; received: ${JSON.stringify(this.events.slice(since).map((e) => e.method))}`));
      }, EVENT_DEADLINE_MS);
      const check = () => {
        const found = this.events.slice(since).find(match);
        if (!found) {
          this.waiters.push(check);
          return;
        }
        clearTimeout(timer);
        resolve(found);
      };
      check();
    });
  }

  stop(): void {
    for (const stop of this.stops) stop();
  }
}

/** The id a `token.added`/`token.changed` carries, or the id of a `token.removed`. */
export function tokenIdOf(event: Received): string {
  return event.method === 'token.removed' ? event.params.tokenId : event.params.token.id;
}

/** Waits until `condition()` holds, checking every few milliseconds; rejects after the deadline. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + EVENT_DEADLINE_MS;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${EVENT_DEADLINE_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const run = promisify(execFile);

/** `softhsm2-util` against the SoftHSM2 configuration `conf`, as another program on the computer would run it. */
export function softhsmUtil(conf: string, ...args: string[]): Promise<unknown> {
  return run('softhsm2-util', args, { env: { ...process.env, SOFTHSM2_CONF: conf } });
}

/** `pkcs11-tool` (OpenSC) against the SoftHSM2 configuration `conf`. */
export function pkcs11Tool(conf: string, ...args: string[]): Promise<unknown> {
  return run('pkcs11-tool', args, { env: { ...process.env, SOFTHSM2_CONF: conf } });
}
