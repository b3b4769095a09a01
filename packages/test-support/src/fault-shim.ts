// Builds the fault-injecting PKCS#11 shim (fault-shim.c) with the system compiler, and drives its plan file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SOFTHSM_MODULE } from '@sicert/test-support/softhsm';

const SOURCE = fileURLToPath(new URL('./fault-shim.c', import.meta.url));
let built: string | undefined;

/** Compiles the shim once per test process; returns the module path to pass as `--module`. */
export function buildFaultShim(): string {
  if (built && existsSync(built)) return built;
  const out = join(mkdtempSync(join(tmpdir(), 'sicert-shim-')), 'libsicert-fault.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O1', '-Wall', '-o', out, SOURCE, '-ldl', '-lpthread'], { stdio: 'pipe' });
  built = out;
  return out;
}

/** PKCS#11 return values the tests inject. */
export const CKR = {
  DEVICE_ERROR: 0x30,
  DEVICE_REMOVED: 0x32,
  PIN_INCORRECT: 0xa0,
  PIN_LOCKED: 0xa4,
  SESSION_HANDLE_INVALID: 0xb3,
  TOKEN_NOT_PRESENT: 0xe0,
} as const;

/** The shim's plan and trace files for one test file; pass {@link FaultPlan.env} to the agent's process. */
export class FaultPlan {
  readonly planPath: string;
  readonly tracePath: string;

  constructor(dir: string) {
    this.planPath = join(dir, 'fault-plan');
    this.tracePath = join(dir, 'fault-trace');
    this.set();
  }

  /** Environment that points the shim at this plan, forwarding to SoftHSM2. */
  get env(): Record<string, string> {
    return { SICERT_FAULT_PLAN: this.planPath, SICERT_FAULT_TRACE: this.tracePath, SICERT_FAULT_TARGET: SOFTHSM_MODULE };
  }

  /** Replaces the plan, e.g. `set('C_Sign 0x32 count=1')`; the trace starts afresh. */
  set(...rules: string[]): void {
    writeFileSync(this.tracePath, '');
    writeFileSync(this.planPath, rules.map((r) => `${r}\n`).join(''));
  }

  /** Removes every rule; the trace goes on (a delayed call may still be finishing). */
  clear(): void {
    writeFileSync(this.planPath, '');
  }

  /** Calls the shim answered since the last `set`, as `[name, rv]`. */
  calls(): [string, number][] {
    return this.lines()
      .filter(([, what]) => what !== 'delaying')
      .map(([name, rv]) => [name, Number(rv)]);
  }

  /** True once the shim has started delaying a call to `name`. */
  delaying(name: string): boolean {
    return this.lines().some(([n, what]) => n === name && what === 'delaying');
  }

  private lines(): [string, string][] {
    if (!existsSync(this.tracePath)) return [];
    return readFileSync(this.tracePath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]);
  }
}
