import * as pkijs from 'pkijs';

/** The outcome of pkijs's chain validation: the path it built, or why it refused. */
export type ChainOutcome = { readonly trusted: true; readonly path: readonly pkijs.Certificate[] } | { readonly trusted: false; readonly message: string };

/**
 * Runs pkijs's CertificateChainValidationEngine for `signer` through `intermediates` to one of `anchors` at
 * `checkDate`. The same engine for both paths: the fast path only avoids running it again while a result holds.
 */
export async function validateChain(anchors: pkijs.Certificate[], intermediates: pkijs.Certificate[], signer: pkijs.Certificate, checkDate: Date): Promise<ChainOutcome> {
  // pkijs validates the last certificate of `certs` as the end entity.
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors, certs: [...intermediates, signer], checkDate });
  try {
    const result = await engine.verify();
    if (!result.result) return { trusted: false, message: result.resultMessage };
    const path: unknown = (result as { certificatePath?: unknown }).certificatePath;
    return { trusted: true, path: Array.isArray(path) ? path.filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate) : [signer, ...intermediates, ...anchors] };
  } catch (error) {
    return { trusted: false, message: (error as { resultMessage?: string }).resultMessage ?? String(error) };
  }
}
