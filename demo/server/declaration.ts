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

/** An ID number as a page shows it: the first 6 and last 4 characters. */
export function maskedId(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
}

/** A new declaration for `declarant`. */
export function newDeclaration(declarant: Declarant, now: Date = new Date()): Declaration {
  const id = randomUUID();
  const period = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const number = id.slice(0, 8).toUpperCase();
  const organization = declarant.kind === 'organization';
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
    { label: '险种', labelEn: 'Insurance', value: '城镇职工基本养老保险' },
    { label: '缴费基数', labelEn: 'Contribution base', value: '8,000.00 元' },
    { label: organization ? '单位缴费 (16%)' : '个人缴费 (8%)', labelEn: organization ? 'Employer contribution (16%)' : 'Personal contribution (8%)', value: organization ? '1,280.00 元' : '640.00 元' },
  ];
  const party = organization
    ? { organization: declarant.name, creditCode: declarant.creditCode, handler: declarant.handler.name, handlerId: declarant.handler.idNumber }
    : { insured: declarant.name, idNumber: declarant.idNumber };
  const amount = organization ? { unit: '1280.00' } : { personal: '640.00' };
  const payload = JSON.stringify({ type: 'sicert-demo/payment-declaration', id, period, ...party, base: '8000.00', ...amount, issuedAt: now.toISOString() });
  const summary = `${organization ? `${declarant.name} 单位` : `${declarant.name} 个人`}社保缴费申报 ${period}：城镇职工基本养老保险，缴费基数 8,000.00 元，${organization ? '单位缴费 1,280.00 元' : '个人缴费 640.00 元'}（单号 ${number}）`;
  return { id, payload, summary, fields };
}
