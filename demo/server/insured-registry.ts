/**
 * The demo's stand-in for the social-insurance records (参保登记): who is insured where, with the details an
 * application must match exactly (注意事项: 信息需与社保系统完全一致).
 */
export interface InsuredPerson {
  name: string;
  idNumber: string;
  cardNumber: string;
  mobile: string;
  region: string;
  insurance: string;
  contactConfirmed: boolean;
}

export interface InsuredOrganization {
  name: string;
  creditCode: string;
  region: string;
}

export const INSURED_PERSONS: InsuredPerson[] = [
  { name: '张三', idNumber: '11010519491231002X', cardNumber: 'A12345678', mobile: '13800138000', region: 'demo-east', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
  { name: '李四', idNumber: '360426199101010071', cardNumber: 'B87654321', mobile: '13912345678', region: 'demo-east', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
  { name: '王芳', idNumber: '650102190001019870', cardNumber: 'C11223344', mobile: '15011112222', region: 'demo-west', insurance: '城乡居民基本医疗保险', contactConfirmed: false },
];

export const INSURED_ORGANIZATIONS: InsuredOrganization[] = [{ name: '示例科技有限公司', creditCode: '91110000600037341L', region: 'demo-east' }];

/** Outcome of an eligibility check, field by field. */
export interface EligibilityResult {
  insured: boolean;
  /** Fields whose values differ from the records (name, cardNumber, mobile, orgName). */
  mismatches: string[];
  insurance?: string;
  contactConfirmed?: boolean;
}

export function checkPerson(region: string, person: { name: string; idNumber: string; cardNumber?: string; mobile?: string }): EligibilityResult {
  const record = INSURED_PERSONS.find((p) => p.idNumber === person.idNumber);
  if (!record || record.region !== region) return { insured: false, mismatches: [] };
  const mismatches: string[] = [];
  if (record.name !== person.name) mismatches.push('name');
  if (person.cardNumber !== undefined && record.cardNumber !== person.cardNumber) mismatches.push('cardNumber');
  if (person.mobile !== undefined && record.mobile !== person.mobile) mismatches.push('mobile');
  return { insured: true, mismatches, insurance: record.insurance, contactConfirmed: record.contactConfirmed };
}

export function checkOrganization(region: string, org: { name: string; creditCode: string }): EligibilityResult {
  const record = INSURED_ORGANIZATIONS.find((o) => o.creditCode === org.creditCode);
  if (!record || record.region !== region) return { insured: false, mismatches: [] };
  return { insured: true, mismatches: record.name === org.name ? [] : ['orgName'], insurance: '单位社会保险登记' };
}
