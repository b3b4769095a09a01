import { randomUUID } from 'node:crypto';

/** A monthly social-insurance payment declaration, the business operation the demo has the citizen sign. */
export interface Declaration {
  id: string;
  /** Exactly the bytes that are signed (UTF-8 of this text). */
  payload: string;
  /** What the signer shows the citizen. */
  summary: string;
  fields: { label: string; value: string }[];
}

/** A new declaration for the demo's insured person. */
export function newDeclaration(now: Date = new Date()): Declaration {
  const id = randomUUID();
  const period = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const fields = [
    { label: '申报单号', value: id.slice(0, 8).toUpperCase() },
    { label: '参保人', value: '张三 (演示)' },
    { label: '参保地', value: '示例省 示例市' },
    { label: '所属期', value: period },
    { label: '险种', value: '城镇职工基本养老保险' },
    { label: '缴费基数', value: '8,000.00 元' },
    { label: '个人缴费 (8%)', value: '640.00 元' },
  ];
  const payload = JSON.stringify({ type: 'sicert-demo/payment-declaration', id, period, insured: '张三', base: '8000.00', personal: '640.00', issuedAt: now.toISOString() });
  const summary = `社保缴费申报 ${period}：城镇职工基本养老保险，缴费基数 8,000.00 元，个人缴费 640.00 元（单号 ${id.slice(0, 8).toUpperCase()}）`;
  return { id, payload, summary, fields };
}
