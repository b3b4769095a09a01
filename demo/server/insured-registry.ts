import type { DemoDatabase } from './database.js';
import type { Sql } from './sql/sql.js';

/** A person on the social-insurance records. */
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

/** The demo's seed records. */
const SEED_PERSONS: InsuredPerson[] = [
  { name: '张三', idNumber: '11010519491231002X', cardNumber: 'A12345678', mobile: '13800138000', region: 'demo-east', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
  { name: '李四', idNumber: '360426199101010071', cardNumber: 'B87654321', mobile: '13912345678', region: 'demo-east', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
  { name: '赵敏', idNumber: '440308198503151210', cardNumber: 'D55667788', mobile: '18612345678', region: 'demo-west', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
  { name: '王芳', idNumber: '650102190001019870', cardNumber: 'C11223344', mobile: '15011112222', region: 'demo-west', insurance: '城乡居民基本医疗保险', contactConfirmed: false },
  // The holder of the demo certificate that expires in 20 days (provision.ts): the quick start's renewal.
  { name: '陈明', idNumber: '310104198506120035', cardNumber: 'E24681357', mobile: '13700137000', region: 'demo-east', insurance: '城镇职工基本医疗保险', contactConfirmed: true },
];

const SEED_ORGANIZATIONS: InsuredOrganization[] = [{ name: '示例科技有限公司', creditCode: '91110000600037341L', region: 'demo-east' }];

/** Outcome of an eligibility check, field by field. */
export interface EligibilityResult {
  insured: boolean;
  /** Fields whose values differ from the records (name, cardNumber, mobile, orgName). */
  mismatches: string[];
  insurance?: string;
  contactConfirmed?: boolean;
}

interface PersonRow {
  id_number: string;
  name: string;
  card_number: string;
  mobile: string;
  region: string;
  insurance: string;
  contact_confirmed: number;
}

function toPerson(r: PersonRow): InsuredPerson {
  return { idNumber: r.id_number, name: r.name, cardNumber: r.card_number, mobile: r.mobile, region: r.region, insurance: r.insurance, contactConfirmed: r.contact_confirmed === 1 };
}

/** Seeds the records on first start (and adds any seed record missing later); never changes one that exists. */
export async function seedInsuredRecords(sql: Sql): Promise<void> {
  for (const p of SEED_PERSONS) {
    await sql.run('INSERT INTO insured_persons (id_number, name, card_number, mobile, region, insurance, contact_confirmed) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
      p.idNumber, p.name, p.cardNumber, p.mobile, p.region, p.insurance, p.contactConfirmed ? 1 : 0,
    ]);
  }
  for (const o of SEED_ORGANIZATIONS) await sql.run('INSERT INTO insured_organizations (credit_code, name, region) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [o.creditCode, o.name, o.region]);
}

/**
 * The demo's stand-in for the social-insurance records (参保登记), in the portal's database: who is insured where,
 * with the details an application must match exactly (注意事项: 信息需与社保系统完全一致). Seeded on first start.
 */
export class InsuredRegistry {
  constructor(private readonly database: DemoDatabase) {}

  private get sql() {
    return this.database.sql;
  }

  async people(): Promise<InsuredPerson[]> {
    return (await this.sql.all<PersonRow>('SELECT * FROM insured_persons ORDER BY rowid')).map(toPerson);
  }

  async person(idNumber: string): Promise<InsuredPerson | undefined> {
    const row = await this.sql.get<PersonRow>('SELECT * FROM insured_persons WHERE id_number = ?', [idNumber]);
    return row && toPerson(row);
  }

  /** The registered address (户籍地址) the person confirmed, if they did. */
  async address(idNumber: string): Promise<string | undefined> {
    return (await this.sql.get<{ address: string }>('SELECT address FROM contact_addresses WHERE id_number = ?', [idNumber]))?.address;
  }

  /** 社保账户信息确认: the person confirms (or corrects) their mobile number and registered address, in one transaction. */
  async confirmContact(idNumber: string, mobile: string, address: string): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run('UPDATE insured_persons SET mobile = ?, contact_confirmed = 1 WHERE id_number = ?', [mobile, idNumber]);
      await tx.run('INSERT INTO contact_addresses (id_number, address, confirmed_at) VALUES (?, ?, ?) ON CONFLICT (id_number) DO UPDATE SET address = excluded.address, confirmed_at = excluded.confirmed_at', [
        idNumber, address, new Date().toISOString(),
      ]);
    });
  }

  async checkPerson(region: string, person: { name: string; idNumber: string; cardNumber?: string; mobile?: string }): Promise<EligibilityResult> {
    const record = await this.person(person.idNumber);
    if (!record || record.region !== region) return { insured: false, mismatches: [] };
    const mismatches: string[] = [];
    if (record.name !== person.name) mismatches.push('name');
    if (person.cardNumber !== undefined && record.cardNumber !== person.cardNumber) mismatches.push('cardNumber');
    if (person.mobile !== undefined && record.mobile !== person.mobile) mismatches.push('mobile');
    return { insured: true, mismatches, insurance: record.insurance, contactConfirmed: record.contactConfirmed };
  }

  async checkOrganization(region: string, org: { name: string; creditCode: string }): Promise<EligibilityResult> {
    const record = await this.sql.get<{ name: string; region: string }>('SELECT name, region FROM insured_organizations WHERE credit_code = ?', [org.creditCode]);
    if (!record || record.region !== region) return { insured: false, mismatches: [] };
    return { insured: true, mismatches: record.name === org.name ? [] : ['orgName'], insurance: '单位社会保险登记' };
  }
}
