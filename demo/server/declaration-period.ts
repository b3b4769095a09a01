import type { DeclarationRow } from './database.js';
import { DECLARATION_TYPE, INSURANCES, newDeclaration, type Declaration, type Insurance } from './declaration.js';

/** What an organisation's declarations of one period come to, insurance by insurance. */
export interface PeriodDeclarations {
  /** Insurances already declared: a verified declaration of the period exists, whoever signed it. */
  declared: Insurance[];
  /** The handler's own declarations still to sign, by insurance, shown again exactly as they were made. */
  pending: Map<Insurance, Declaration>;
  /** Insurances with neither: a declaration is still to be made for them. */
  missing: Insurance[];
}

export const insurances = Object.keys(INSURANCES) as Insurance[];

/**
 * A stored declaration of an organisation made again from its payload, with its fields for the page; undefined when
 * the payload is not one `newDeclaration` makes (another kind, or an older layout), so nothing is shown that differs
 * from what is signed.
 */
function remade(row: DeclarationRow): { period: string; insurance: Insurance; declaration: Declaration } | undefined {
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(row.payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const insurance = insurances.find((i) => INSURANCES[i].name === p.insurance);
  const { organization, creditCode, handler, handlerId, issuedAt, period } = p;
  if (p.type !== DECLARATION_TYPE || !insurance || typeof period !== 'string' || typeof issuedAt !== 'string') return undefined;
  if (typeof organization !== 'string' || typeof creditCode !== 'string' || typeof handler !== 'string' || typeof handlerId !== 'string') return undefined;
  const declaration = newDeclaration({ kind: 'organization', name: organization, creditCode, handler: { name: handler, idNumber: handlerId } }, new Date(issuedAt), insurance, row.id);
  return declaration.payload === row.payload ? { period, insurance, declaration } : undefined;
}

/**
 * Sorts an organisation's stored declarations (`rows`, the newest first) for `period`, for the handler `owner`: an
 * insurance is declared once one of its declarations is verified; otherwise the handler's newest unsigned one is
 * offered again (a refused signature leaves it unsigned), so opening the batch page twice never makes a second set.
 */
export function periodDeclarations(rows: readonly DeclarationRow[], owner: string, period: string): PeriodDeclarations {
  const found = rows.flatMap((row) => {
    const made = remade(row);
    return made && made.period === period ? [{ row, ...made }] : [];
  });
  const result: PeriodDeclarations = { declared: [], pending: new Map(), missing: [] };
  for (const insurance of insurances) {
    const of = found.filter((f) => f.insurance === insurance);
    const open = of.find((f) => f.row.owner === owner);
    if (of.some((f) => f.row.verdict === 'VERIFIED')) result.declared.push(insurance);
    else if (open) result.pending.set(insurance, open.declaration);
    else result.missing.push(insurance);
  }
  return result;
}
