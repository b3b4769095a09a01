import { createHash } from 'node:crypto';
import type { Token } from '@sicert/protocol';
import type { StoredCertificate } from '../provider.js';
import type { TokenChanges } from '../token-changes.js';
import type { Pkcs11Modules, Slot } from './pkcs11-module.js';

/** Time between two looks at the slots: a USB-Key plugged, pulled or changed is announced within about this. */
export const POLL_INTERVAL_MS = 500;

/** A digest of what `cert.list` shows of a token's certificates: a change in any of them changes it. */
export function certificatesDigest(certificates: readonly StoredCertificate[]): string {
  const hash = createHash('sha256');
  for (const c of [...certificates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    hash.update(`${c.id}\0${c.hasPrivateKey ? 1 : 0}\0`).update(c.der).update('\0');
  }
  return hash.digest('hex');
}

/** What the watcher last saw of a token. */
interface Seen {
  /** The token as `token.list` shows it (label, PIN state…), as JSON. */
  token: string;
  /** What `cert.list` would show of it (see {@link WatcherOptions.certificates}); undefined until first read. */
  certificates: string | undefined;
}

/** What the watcher needs from its provider. */
export interface WatcherOptions {
  modules: Pkcs11Modules;
  changes: TokenChanges;
  /**
   * The {@link certificatesDigest} of a token, read in a session of its own; undefined when it cannot be read,
   * or when the token is busy with an operation and `wait` is false (it is read on a later look).
   */
  certificates: (slot: Slot, wait: boolean) => Promise<string | undefined>;
  intervalMs?: number;
}

/**
 * Polls the PKCS#11 slots while anyone listens and announces what changed since the last look: tokens added or
 * removed, a token whose information (PIN state, label) or certificates changed. Modules rarely support
 * `C_WaitForSlotEvent` without blocking the thread that calls it, and the agent's calls run on the event loop, so
 * it polls: `C_GetSlotList` + `C_GetTokenInfo` per token, and the certificates of the tokens no operation is using.
 * One look at a time, on an unreferenced timer: it never keeps the process alive, and {@link stop} ends it.
 */
export class SlotWatcher {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  /** Bumped by every start and stop, so a look still in progress when the watcher stops announces nothing. */
  private generation = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: WatcherOptions) {
    this.intervalMs = options.intervalMs ?? POLL_INTERVAL_MS;
  }

  /** True between {@link start} and {@link stop}. */
  get running(): boolean {
    return this.polling;
  }

  /** Starts polling. The tokens present now are the baseline: they are not announced. */
  start(): void {
    this.stop();
    this.polling = true;
    const generation = this.generation;
    const { modules } = this.options;
    modules.refresh();
    for (const slot of modules.present()) this.seen.set(slot.token.id, { token: JSON.stringify(slot.token), certificates: undefined });
    this.schedule(generation);
  }

  /** Stops polling; what was seen is forgotten (the next start takes a new baseline). */
  stop(): void {
    this.generation++;
    this.polling = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.seen.clear();
  }

  /**
   * Looks at one token now, after the agent itself changed its certificates (`cert.install`): announces
   * `token.changed` at once, without waiting for the next poll, and keeps what it read so that poll stays quiet.
   * Waits for the token's turn, so call it without awaiting from the operation that made the change.
   */
  async recheck(tokenId: string): Promise<void> {
    const generation = this.generation;
    const { modules } = this.options;
    if (!this.polling) return;
    modules.refresh();
    const slot = modules.known(tokenId);
    const seen = this.seen.get(tokenId);
    if (!slot || !seen) return; // gone, or not seen yet: the next poll announces it
    const certificates = await this.options.certificates(slot, true);
    if (generation !== this.generation) return;
    // Announced even when unread or without a baseline yet: the change happened. A poll that read the new
    // certificates first has announced it already, and then the digests agree.
    this.compare(slot.token, seen, certificates, certificates === undefined || seen.certificates === undefined);
  }

  private schedule(generation: number): void {
    this.timer = setTimeout(() => void this.look(generation), this.intervalMs);
    this.timer.unref();
  }

  private async look(generation: number): Promise<void> {
    try {
      await this.poll(generation);
    } catch {
      // A failing module hides its own tokens on the next look; the watcher itself must keep going.
    }
    if (generation === this.generation) this.schedule(generation);
  }

  private async poll(generation: number): Promise<void> {
    const { modules, changes } = this.options;
    await modules.update();
    if (generation !== this.generation) return;
    const present = new Map(modules.present().map((slot) => [slot.token.id, slot]));
    for (const id of [...this.seen.keys()]) {
      if (present.has(id)) continue;
      this.seen.delete(id);
      changes.removed(id);
    }
    for (const slot of present.values()) {
      const seen = this.seen.get(slot.token.id);
      if (seen) {
        this.compare(slot.token, seen, undefined, false);
        continue;
      }
      this.seen.set(slot.token.id, { token: JSON.stringify(slot.token), certificates: undefined });
      changes.added(slot.token);
    }
    for (const slot of present.values()) {
      const certificates = await this.options.certificates(slot, false);
      if (generation !== this.generation) return;
      const seen = this.seen.get(slot.token.id);
      if (seen && certificates !== undefined) this.compare(slot.token, seen, certificates, false);
    }
  }

  /** Announces `token.changed` when the token or its certificates differ from `seen` (a first reading is the baseline). */
  private compare(token: Token, seen: Seen, certificates: string | undefined, force: boolean): void {
    const json = JSON.stringify(token);
    let changed = force || json !== seen.token;
    seen.token = json;
    if (certificates !== undefined) {
      if (seen.certificates !== undefined && seen.certificates !== certificates) changed = true;
      seen.certificates = certificates;
    }
    if (changed) this.options.changes.changed(token);
  }
}
