import type { Response } from 'express';

/** Stable error codes of the backend contract (docs/backend-api.md), with messages in both languages. */
export const API_ERRORS = {
  NOT_SIGNED_IN: ['请先登录。', 'Sign in first.'],
  UNKNOWN_REGION: ['不支持该地区。', 'Unknown region.'],
  INVALID_FIELD: ['信息格式不正确。', 'A field is malformed.'],
  UNDER_AGE: ['申请人须年满16周岁。', 'The applicant must be at least 16.'],
  NOT_INSURED: ['未查询到您在本地的参保记录。异地参保人员请到参保地办理，或拨打12333咨询。', 'No local social-insurance record was found. Apply where you are insured, or call 12333.'],
  RECORD_MISMATCH: ['填写的信息与社保记录不一致。', 'The details do not match the social-insurance records.'],
  CONTACT_UNCONFIRMED: ['本地区要求先完成社保账户信息确认（手机号、户籍地址），请先到“个人信息”页面（/profile）确认。', 'This region requires you to confirm your phone and address first, on the Personal details page (/profile).'],
  MATERIAL_MISSING: ['缺少必需的材料。', 'A required document is missing.'],
  UPLOAD_TYPE: ['只能上传 JPEG、PNG 或 PDF 文件。', 'Only JPEG, PNG or PDF files can be uploaded.'],
  UPLOAD_TOO_LARGE: ['文件太大。', 'The file is too large.'],
  FACE_REQUIRED: ['人脸识别未通过或已失效，请重新进行人脸识别。', 'Face verification did not pass or has expired; do it again.'],
  INVALID_CSR: ['证书请求无效，请重新生成。', 'The certificate request is invalid.'],
  IDEMPOTENCY_KEY_REQUIRED: ['缺少 Idempotency-Key。', 'An Idempotency-Key header is required.'],
  NOT_FOUND: ['未找到该申请或证书。', 'No such application or certificate.'],
  WRONG_STATE: ['当前状态不允许此操作。', 'This is not possible in the current state.'],
  SIGNATURE_INVALID: ['签名验证未通过。', 'The signature did not verify.'],
  APPLICATION_OPEN: ['您已有一份办理中的申请，办结前不能再申请新的证书。', 'You already have an application in progress; you cannot apply for another certificate until it is finished.'],
  IDEMPOTENCY_KEY_REUSED: ['该 Idempotency-Key 已用于另一份申请内容。', 'This Idempotency-Key was already used with a different request.'],
  CROSS_SITE: ['请求来源不被允许，请从本网站页面操作。', 'Requests from other sites are refused; use this site’s pages.'],
  WRONG_HOST: ['请通过本网站的正式地址访问。', 'Use this site’s own address.'],
  NO_DECLARATION: ['申报单不存在。', 'No such declaration.'],
  NOT_DECLARANT: ['您不能以该单位身份申报。', 'You do not handle this organisation’s declarations.'],
  INVALID_SIGNATURE: ['签名缺失或格式错误。', 'The signature is missing or malformed.'],
  ALREADY_SIGNED: ['该申报单已签名受理，不能重复提交。', 'This declaration is already signed and accepted.'],
  PERIOD_DECLARED: ['本单位本期各险种均已申报并受理，无需再次申报。', 'This organisation’s declarations of every insurance for this period are already signed and accepted; there is nothing more to declare.'],
  MALFORMED_REQUEST: ['请求格式错误。', 'The request is malformed.'],
  PAYLOAD_TOO_LARGE: ['请求内容太大。', 'The request is too large.'],
  UNKNOWN_ENDPOINT: ['接口不存在。', 'No such endpoint.'],
  INTERNAL: ['系统繁忙，请稍后再试。', 'Something went wrong on our side; try again later.'],
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

/** What to do about one particular refusal, zh-CN then English: appended to the code's own message. */
export type ErrorDetail = readonly [string, string];

/** Sends `{ error, field?, message, messageEn }` with `status`; `detail` says more than the code's message. */
export function sendError(res: Response, status: number, error: ApiErrorCode, field?: string, detail?: ErrorDetail): void {
  const [message, messageEn] = API_ERRORS[error];
  res.status(status).json({ error, ...(field ? { field } : {}), message: detail ? `${message}${detail[0]}` : message, messageEn: detail ? `${messageEn} ${detail[1]}` : messageEn });
}

/** A request-body value as a string; anything that is not a string reads as empty. */
export const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The particular reasons behind a `WRONG_STATE`, `INVALID_CSR` or `SIGNATURE_INVALID`, each with what the citizen can do. */
export const DETAILS = {
  revoked: ['该证书已被吊销（如已挂失），不能再使用；如需证书，请重新申请（补办）。', 'The certificate has been revoked (reported lost, for example) and cannot be used; apply for a new one if you need it.'],
  alreadyRevoked: ['该证书已被吊销，无需再次挂失。', 'The certificate is already revoked; there is nothing more to report.'],
  expired: ['证书已过期，不能在线续期；请重新申请。', 'The certificate has expired and cannot be renewed online; apply for a new one.'],
  tooEarly: ['证书到期前30天内才能在线续期。', 'Online renewal opens 30 days before the certificate expires.'],
  renewed: ['该证书已办理续期，请安装新证书。', 'This certificate has already been renewed; install the new one.'],
  notWithdrawable: ['申请已进入审核或已办结，不能撤回。', 'The application is already under review or decided, and can no longer be withdrawn.'],
  newKey: ['续期须使用在同一介质上新生成的密钥。', 'A renewal needs a key newly generated on the same token.'],
  installProof: [
    '安装后的测试签名未能用本次签发的证书验证：请确认证书安装在申请时生成密钥的那个 USB-Key 或电脑上，然后重新安装。',
    'The test signature after installation did not verify with the certificate just issued: install it on the USB-Key or computer where the application’s key was made, then try again.',
  ],
  renewalSignature: [
    '续期请求的签名未能用当前证书验证：续期请求须由即将到期的这张证书签名。请在存放这张证书的 USB-Key 或电脑上重新办理续期；如果这张证书已不在您手中，请先挂失，再重新申请（补办）。',
    'The renewal request’s signature did not verify with the current certificate: a renewal must be signed by the certificate that is about to expire. Renew again from the USB-Key or computer that holds it; if you no longer have it, report it lost and apply again (reissue).',
  ],
} as const satisfies Record<string, ErrorDetail>;
