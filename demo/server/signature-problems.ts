import type { SignatureProblem } from '@sicert/pki';

/** What a citizen reads when the portal refuses a signature, zh-CN then English, per verifySignedData problem. */
export const SIGNATURE_PROBLEM_MESSAGES: Record<SignatureProblem, readonly [string, string]> = {
  MALFORMED: ['签名数据格式错误。', 'The signature is malformed.'],
  MISSING_ATTRIBUTES: ['签名缺少必要的签名属性。', 'The signature lacks required signed attributes.'],
  UNSUPPORTED_DIGEST: ['签名使用的算法不安全或不受支持。', 'The signature uses an unsafe or unsupported algorithm.'],
  CONTENT_TYPE_MISMATCH: ['签名的内容类型不正确。', 'The signed content type is wrong.'],
  CONTENT_MISMATCH: ['签名的内容不是本申报单。', 'The signature is over other content than this declaration.'],
  DIGEST_MISMATCH: ['签名与申报内容不一致，申报内容可能被篡改。', 'The signature does not match the declaration; it may have been altered.'],
  SIGNATURE_INVALID: ['签名无效。', 'The signature is invalid.'],
  CHAIN_UNTRUSTED: ['签名证书不是本平台认可的机构签发的。', 'The certificate was not issued by a CA this portal trusts.'],
  CERT_EXPIRED: ['签名证书已过期，请更新证书。', 'The certificate has expired; renew it.'],
  CERT_NOT_YET_VALID: ['签名证书尚未生效。', 'The certificate is not valid yet.'],
  SIGNING_TIME_SKEW: ['签名时间与服务器时间相差过大，请检查电脑时间后重新签名。', 'The signing time is too far from the server’s time; check the computer’s clock and sign again.'],
  KEY_USAGE_INVALID: ['该证书不能用于签名。', 'This certificate cannot be used for signing.'],
  WRONG_SIGNER: ['签名证书不属于本申报单的申报人，请使用本人（或本单位）的证书签名。', 'The certificate is not the declarant’s; sign with your own (or your organisation’s) certificate.'],
  REVOKED: ['签名证书已被吊销。', 'The certificate has been revoked.'],
};
