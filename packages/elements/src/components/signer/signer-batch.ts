import { AgentError, MAX_BATCH_ITEMS, Reason, type SignBatchResult } from '@sicert/protocol';
import type { BatchOutcome } from '../../events.js';
import type { TranslationKey } from '../../internal/localize.js';
import type { SignItem } from './signer-payload.js';

export { MAX_BATCH_ITEMS };

/** How long a batch may take before the request fails with `TIMEOUT`: a minute, and a second more per item. */
export function batchTimeoutMs(items: number): number {
  // A real USB-Key takes 50-300 ms a signature: the client's one-minute default would cut a long batch short.
  return 60_000 + items * 1_000;
}

/** Where an item's reason reads better said of the item than of the whole request. */
const ITEM_MESSAGES: Partial<Record<Reason, TranslationKey>> = {
  [Reason.INVALID_PARAMS]: 'batch.item.INVALID_PARAMS',
  [Reason.INTERNAL]: 'batch.item.INTERNAL',
};

/** The translation key of an item's failure. */
export function itemMessageKey(reason: Reason): TranslationKey {
  return ITEM_MESSAGES[reason] ?? `reason.${reason}`;
}

/**
 * The agent's answer as the page's outcomes: one per item, in the items' order, with the portal's id of each and a
 * failure's reason in the citizen's words (`message`). An answer with another number of outcomes than items is the
 * agent's fault, and no outcome can be trusted to its item: `INTERNAL`.
 */
export function outcomesOf(result: SignBatchResult, items: readonly SignItem[], message: (reason: Reason) => string): BatchOutcome[] {
  if (result.signatures.length !== items.length) throw new AgentError(Reason.INTERNAL, `the agent answered ${result.signatures.length} outcomes for ${items.length} items`);
  return result.signatures.map((outcome, i) => {
    const id = items[i]!.id;
    const place = id === undefined ? {} : { id };
    return 'signature' in outcome ? { ...place, signature: outcome.signature } : { ...place, error: { reason: outcome.error.reason, message: message(outcome.error.reason) } };
  });
}

/** How many failed items the result line names by number before it says "…". */
export const NAMED_FAILURES = 10;

/** The 1-based numbers of the items that failed, the first {@link NAMED_FAILURES} of them, and how many failed. */
export function failures(outcomes: readonly BatchOutcome[]): { count: number; named: number[] } {
  const numbers = outcomes.flatMap((outcome, i) => ('error' in outcome ? [i + 1] : []));
  return { count: numbers.length, named: numbers.slice(0, NAMED_FAILURES) };
}
