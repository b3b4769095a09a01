import { randomUUID } from 'node:crypto';

/** Who declares: the signed-in person for themselves, or as the handler (经办人) of an organisation. */
export type Declarant =
  | { kind: 'person'; name: string; idNumber: string }
  | { kind: 'organization'; name: string; creditCode: string; handler: { name: string; idNumber: string } };

/** A monthly social-insurance payment declaration, the business operation the demo has the citizen sign. */
export interface Declaration {
  id: string;
  /** Exactly the bytes that are signed (UTF-8 of this text). It names the declarant. */
  payload: string;
  /** What the signer shows the citizen. */
  summary: string;
  /** What the page shows, labelled in zh-CN and English; the values are the declaration's own. */
  fields: { label: string; labelEn: string; value: string }[];
}

/** The insurances a declaration can be for, with the contribution rates (percent of the base) it declares. */
export const INSURANCES = {
  pension: { name: '城镇职工基本养老保险', nameEn: 'Basic pension insurance for employees', unitRate: 16, personalRate: 8 },
  medical: { name: '职工基本医疗保险', nameEn: 'Basic medical insurance for employees', unitRate: 8, personalRate: 2 },
  unemployment: { name: '失业保险', nameEn: 'Unemployment insurance', unitRate: 0.5, personalRate: 0.5 },
  injury: { name: '工伤保险', nameEn: 'Work-injury insurance', unitRate: 0.4, personalRate: 0 },
} as const;
/** An insurance of {@link INSURANCES}. */
export type Insurance = keyof typeof INSURANCES;

/** The contribution base every demo declaration uses, in yuan. */
const BASE = 8000;

/** Yuan with two decimals and thousands separators, as a declaration shows money: 1,280.00. */
const yuan = (amount: number) => amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An ID number as a page shows it: the first 6 and last 4 characters. */
export function maskedId(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
}

/** What every declaration's payload says it is. */
export const DECLARATION_TYPE = 'sicert-demo/payment-declaration';

/** The period (所属期) a declaration made at `now` declares: its month, `2026-05`. */
export const periodOf = (now: Date): string => `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;

/**
 * A new declaration for `declarant`, of the pension insurance unless another is named. The same arguments (with the
 * same `id`) make the same declaration, byte for byte: how a stored one is shown again.
 */
export function newDeclaration(declarant: Declarant, now: Date = new Date(), insurance: Insurance = 'pension', id: string = randomUUID()): Declaration {
  const period = periodOf(now);
  const number = id.slice(0, 8).toUpperCase();
  const organization = declarant.kind === 'organization';
  const line = INSURANCES[insurance];
  const rate = organization ? line.unitRate : line.personalRate;
  const amount = (BASE * rate) / 100;
  const who = organization
    ? [
        { label: '参保单位', labelEn: 'Organisation', value: declarant.name },
        { label: '统一社会信用代码', labelEn: 'Unified social credit code', value: declarant.creditCode },
        { label: '经办人', labelEn: 'Handler', value: `${declarant.handler.name}（${maskedId(declarant.handler.idNumber)}）` },
      ]
    : [{ label: '参保人', labelEn: 'Insured person', value: `${declarant.name}（${maskedId(declarant.idNumber)}）` }];
  const fields = [
    { label: '申报单号', labelEn: 'Declaration number', value: number },
    ...who,
    { label: '参保地', labelEn: 'Insured in', value: '示例省 示例市' },
    { label: '所属期', labelEn: 'Period', value: period },
    { label: '险种', labelEn: 'Insurance', value: line.name },
    { label: '缴费基数', labelEn: 'Contribution base', value: `${yuan(BASE)} 元` },
    { label: organization ? `单位缴费 (${rate}%)` : `个人缴费 (${rate}%)`, labelEn: organization ? `Employer contribution (${rate}%)` : `Personal contribution (${rate}%)`, value: `${yuan(amount)} 元` },
  ];
  const party = organization
    ? { organization: declarant.name, creditCode: declarant.creditCode, handler: declarant.handler.name, handlerId: declarant.handler.idNumber }
    : { insured: declarant.name, idNumber: declarant.idNumber };
  const due = { [organization ? 'unit' : 'personal']: amount.toFixed(2) };
  const payload = JSON.stringify({ type: DECLARATION_TYPE, id, period, ...party, insurance: line.name, base: BASE.toFixed(2), ...due, issuedAt: now.toISOString() });
  const summary = `${organization ? `${declarant.name} 单位` : `${declarant.name} 个人`}社保缴费申报 ${period}：${line.name}，缴费基数 ${yuan(BASE)} 元，${organization ? '单位' : '个人'}缴费 ${yuan(amount)} 元（单号 ${number}）`;
  return { id, payload, summary, fields };
}
