import { AgentError, Reason } from '@sicert/protocol';
import type { AuditEntry } from '../audit.js';
import type { MethodDeps } from './context.js';

/** Runs `work`, writing one audit line with its outcome (the entry never holds a PIN: none is passed in). */
export async function audited<T>(deps: MethodDeps, entry: Omit<AuditEntry, 'outcome'>, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    deps.audit.record({ ...entry, outcome: 'ok' });
    return result;
  } catch (error) {
    deps.audit.record({ ...entry, outcome: error instanceof AgentError ? error.reason : Reason.INTERNAL });
    throw error;
  }
}
