import type { batchZhCN } from './batch.zh-cn.js';

/** English: the signer's batch mode, spread into `en`. */
export const batchEn: Record<keyof typeof batchZhCN, string> = {
  'batch.youSign': 'You are signing these {n} items',
  'batch.consent': 'I have checked each of the {n} items above and agree to sign them all with the chosen certificate.',
  'batch.consentRequired': 'First tick the box to confirm you have checked all {n} items.',
  'batch.sign': 'Sign all {n} items',
  'batch.finished': 'This batch is done',
  'batch.progressLabel': 'Signing progress',
  'batch.progress': 'Signed {done} of {total}',
  'batch.item.signed': 'Signed',
  'batch.item.failed': 'Not signed: {message}',
  'batch.item.INVALID_PARAMS': 'This item is incomplete or malformed, so it was not signed. Contact the website.',
  'batch.item.INTERNAL': 'This item could not be signed; the others are not affected. Try again later; if it keeps failing, call 12333.',
  'batch.allSigned': 'All {n} items signed.',
  // Follows `batch.allSigned` in the same sentence run, as `signedVerdict` follows `signed`.
  'batch.signedVerdict': ' Whether the website accepts the signatures, the page will tell you.',
  'batch.someFailed': '{failed} of {total} items not signed (no. {numbers}); {signed} signed. The list says why.',
  'batch.noneSigned': 'None of the {n} items was signed; the list says why.',
  'batch.numberSeparator': ', ',
  'batch.tooMany': 'At most {max} items can be signed at once, and this page gave {n}: nothing was signed. Contact the website.',
  'batch.unsupported': 'This page signs several items at once (batch signing), which needs a newer certificate agent.',
};
