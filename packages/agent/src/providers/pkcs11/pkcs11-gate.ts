/**
 * Keeps a module's re-initialisation apart from its operations. `C_Finalize` closes every session of the module,
 * so it may only run while no operation holds a session; and once it is wanted, no new operation may start
 * before it has run, or a steady stream of operations would put it off for ever. Operations on different tokens
 * of one module share the gate; the re-initialisation itself is synchronous, so nothing interleaves with it.
 */
export class ModuleGate {
  private active = 0;
  /** Re-initialisations waiting for the running operations to end. */
  private exclusive: { work: () => void; done: () => void }[] = [];
  /** Operations that arrived while a re-initialisation was waiting. */
  private held: (() => void)[] = [];

  /** Operations holding the gate now. */
  get inFlight(): number {
    return this.active;
  }

  /** Waits until an operation may start, and counts it; call {@link leave} exactly once when it ends. */
  enter(): Promise<void> {
    if (this.exclusive.length === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.held.push(resolve));
  }

  /** Ends an operation; the last one to end runs the waiting re-initialisation. */
  leave(): void {
    if (this.active === 0) throw new Error('ModuleGate.leave without enter');
    this.active--;
    if (this.active === 0) this.drain();
  }

  /**
   * Runs `work` (synchronous: the re-initialisation) once no operation holds the gate; at once when none does.
   * Operations that arrive meanwhile wait until it has run. Resolves after `work` ran; a `work` that throws reports
   * its own failure, and the gate stays usable. Several waiting at once run in turn: each should first check that
   * it is still needed (the first re-initialisation serves the others).
   */
  whenIdle(work: () => void): Promise<void> {
    return new Promise((done) => {
      this.exclusive.push({ work, done });
      if (this.active === 0) this.drain();
    });
  }

  private drain(): void {
    const waiting = this.exclusive;
    this.exclusive = [];
    for (const { work, done } of waiting) {
      try {
        work();
      } catch {
        // the work records its own failure (a module that failed to re-initialise is retried on the next look)
      }
      done();
    }
    const held = this.held;
    this.held = [];
    this.active += held.length;
    for (const start of held) start();
  }
}
