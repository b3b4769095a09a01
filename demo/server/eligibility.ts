import type { Response } from 'express';
import { validateCardNumber, validateCreditCode, validateMobile, validatePersonName, validateResidentId } from '@sicert/elements/validators';
import { sendError, text } from './api-errors.js';
import type { InsuredRegistry } from './insured-registry.js';
import type { RegionProfile } from './region-profiles.js';

/** The person (and organisation) an eligibility check found in the records, as they were checked. */
export interface Eligible {
  ok: true;
  applicant: { name: string; idNumber: string; mobile?: string; cardNumber?: string };
  organization?: { name: string; creditCode: string };
}

/** Sends the error and ends an eligibility check. */
function refuse(...args: Parameters<typeof sendError>): { ok: false } {
  sendError(...args);
  return { ok: false };
}

/**
 * Checks the identity fields of `body` (`name`, `idNumber`, and when given `mobile`, `cardNumber`; for an
 * organisation `orgName` and `creditCode`) and the records of `region`. Answers the refusal itself, naming the field,
 * and returns `{ ok: false }` then.
 */
export async function checkEligibility(registry: InsuredRegistry, body: Record<string, unknown>, region: RegionProfile, res: Response): Promise<Eligible | { ok: false }> {
  const name = validatePersonName(text(body.name));
  if (!name.valid) return refuse(res, 422, 'INVALID_FIELD', 'name');
  const id = validateResidentId(text(body.idNumber), { minimumAge: region.minimumAge });
  if (!id.valid) return refuse(res, 422, id.code === 'UNDER_AGE' ? 'UNDER_AGE' : 'INVALID_FIELD', 'idNumber');
  // The first eligibility check (name and ID) comes before the mobile number is asked for.
  const mobile = body.mobile === undefined ? undefined : validateMobile(text(body.mobile));
  if (mobile && !mobile.valid) return refuse(res, 422, 'INVALID_FIELD', 'mobile');
  const card = body.cardNumber === undefined || body.cardNumber === '' ? undefined : validateCardNumber(text(body.cardNumber));
  if (card && !card.valid) return refuse(res, 422, 'INVALID_FIELD', 'cardNumber');
  const applicant = { name: name.value, idNumber: id.value, ...(mobile?.valid ? { mobile: mobile.value } : {}), ...(card?.valid ? { cardNumber: card.value } : {}) };
  if (body.type === 'organization') {
    const code = validateCreditCode(text(body.creditCode));
    if (!code.valid) return refuse(res, 422, 'INVALID_FIELD', 'creditCode');
    const organization = { name: text(body.orgName).trim(), creditCode: code.value };
    const org = await registry.checkOrganization(region.id, organization);
    if (!org.insured) return refuse(res, 422, 'NOT_INSURED', 'creditCode');
    if (org.mismatches.length) return refuse(res, 422, 'RECORD_MISMATCH', org.mismatches[0]);
    // The handler must be a person on record too.
    if ((await registry.person(applicant.idNumber))?.name !== applicant.name) return refuse(res, 422, 'RECORD_MISMATCH', 'name');
    return { ok: true, applicant, organization };
  }
  const person = await registry.checkPerson(region.id, applicant);
  if (!person.insured) return refuse(res, 422, 'NOT_INSURED', 'idNumber');
  if (person.mismatches.length) return refuse(res, 422, 'RECORD_MISMATCH', person.mismatches[0]);
  if (region.requireConfirmedContact && !person.contactConfirmed) return refuse(res, 422, 'CONTACT_UNCONFIRMED', 'mobile');
  return { ok: true, applicant };
}
