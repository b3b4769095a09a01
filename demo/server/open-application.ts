import type { Response } from 'express';
import { sendError, type ErrorDetail } from './api-errors.js';
import type { ApplicationRecord } from './applications-store.js';

/**
 * What a citizen refused a new application can do about the open one (one open application per person: it decides
 * whether the next certificate is a first issue or a reissue, and the wizard follows one application), zh-CN then
 * English, by where that application stands.
 */
export const OPEN_APPLICATION_DETAILS = {
  submitted: ['请在“在线申领”页面查看这份申请：审核开始前可以撤回，撤回后即可重新申请。', 'Open it on the online application page: until review starts you can withdraw it, and then apply again.'],
  underReview: ['这份申请正在审核，请等待审核结果（一般1-3个工作日），如未通过可以重新申请。', 'It is under review: wait for the decision (usually 1-3 working days); if it is rejected you can apply again.'],
  approved: [
    '这份申请已批准，请先安装证书（“在线申领”或“我的数字证书”页面）；如果要安装证书的 USB-Key 或电脑已丢失，请先挂失这张证书，再重新申请。',
    'It is approved: install its certificate first (online application or My certificates). If the USB-Key or computer it was made for is lost, report that certificate lost, then apply again.',
  ],
  filedByOther: [
    '这份申请不是用您的账号提交的（例如由代办人或单位的其他经办人提交），请联系提交人查看或撤回；也可拨打12333咨询。',
    'It was not filed from your account (someone applying on your behalf, or another handler of the organisation, filed it): ask them to follow it up or withdraw it, or call 12333.',
  ],
} as const satisfies Record<string, ErrorDetail>;

/** The advice for `open` given to `caller` (the signed-in person, or the citizen at the hall counter). */
export function openApplicationDetail(open: Pick<ApplicationRecord, 'owner' | 'status'>, caller: string): ErrorDetail {
  if (open.owner !== caller) return OPEN_APPLICATION_DETAILS.filedByOther;
  if (open.status === 'submitted') return OPEN_APPLICATION_DETAILS.submitted;
  return open.status === 'under_review' ? OPEN_APPLICATION_DETAILS.underReview : OPEN_APPLICATION_DETAILS.approved;
}

/** Answers `409 APPLICATION_OPEN` with what `caller` can do about `open`. */
export function refuseOpenApplication(res: Response, open: Pick<ApplicationRecord, 'owner' | 'status'>, caller: string): void {
  sendError(res, 409, 'APPLICATION_OPEN', undefined, openApplicationDetail(open, caller));
}
