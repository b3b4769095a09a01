import type { BackendError } from '../../backend/portal-backend.js';
import type { Applicant, ApplicationRequest, CertificateType, EligibilityRequest, MaterialKind, Medium, RegionProfile } from '../../backend/types.js';
import type { TranslationKey } from '../../internal/localize.js';
import { validateCardNumber, validateCreditCode, validateMobile, validatePersonName, validateResidentId } from '../../validators/index.js';

/** The wizard's text fields. */
export const FIELD_NAMES = ['name', 'idNumber', 'cardNumber', 'mobile', 'orgName', 'creditCode', 'agentName', 'agentIdNumber'] as const;
export type FieldName = (typeof FIELD_NAMES)[number];
export type Form = Record<FieldName, string>;

/** A field's check: the normalised value, or a code keyed in the translations as `wizard.field.<code>`. */
export type FieldResult = { valid: true; value: string } | { valid: false; code: string };

/** What a field's check depends on besides its value. */
export interface FieldContext {
  /** The application date (for the age rule). */
  today: Date;
  /** The region's minimum age for the holder. */
  minimumAge: number;
}

/** The minimum age for an ID-number field: the region's for the holder, 18 for a 委托代办 agent. */
export function minimumAgeFor(field: FieldName, context: Pick<FieldContext, 'minimumAge'>): number {
  return field === 'agentIdNumber' ? 18 : context.minimumAge;
}

/** The validator of each field. */
export const FIELD_VALIDATORS: Record<FieldName, (value: string, context: FieldContext) => FieldResult> = {
  name: (value) => validatePersonName(value),
  agentName: (value) => validatePersonName(value),
  idNumber: (value, c) => validateResidentId(value, { today: c.today, minimumAge: minimumAgeFor('idNumber', c) }),
  agentIdNumber: (value, c) => validateResidentId(value, { today: c.today, minimumAge: minimumAgeFor('agentIdNumber', c) }),
  mobile: (value) => validateMobile(value),
  cardNumber: (value) => validateCardNumber(value),
  creditCode: (value) => validateCreditCode(value),
  orgName: (value) => (value.trim().length >= 2 ? { valid: true, value } : { valid: false, code: 'REQUIRED' }),
};

/** The outcome of checking some fields: the form with their values normalised, and a message per field (or none). */
export interface FieldsChecked {
  form: Form;
  errors: Partial<Record<FieldName, string | undefined>>;
  ok: boolean;
}

/**
 * A field's label inside a sentence ("The {field} is malformed."): an English label's capital is only the label's
 * own ("Mobile number" → "mobile number"), unless it is an acronym ("ID number") or a name whose every word is
 * capitalised ("Unified Social Credit Code"). Chinese labels have no case and come back unchanged.
 */
export function inSentence(label: string): string {
  const words = label.split(' ');
  if (!/^[A-Z][a-z]/.test(label) || words.slice(1).some((word) => /^[A-Z]/.test(word))) return label;
  return label[0]!.toLowerCase() + label.slice(1);
}

/** Checks every one of `fields` (so each problem shows at once), with messages from `t`. */
export function checkFields(form: Readonly<Form>, fields: readonly FieldName[], context: FieldContext, t: (key: TranslationKey, values: Record<string, string | number>) => string): FieldsChecked {
  const checked: FieldsChecked = { form: { ...form }, errors: {}, ok: true };
  for (const field of fields) {
    const result = FIELD_VALIDATORS[field](form[field], context);
    if (result.valid) checked.form[field] = result.value;
    else checked.ok = false;
    const values = { field: inSentence(t(`wizard.field.${field}`, {})), age: minimumAgeFor(field, context) };
    checked.errors[field] = result.valid ? undefined : t(`wizard.field.${result.code}` as TranslationKey, values);
  }
  return checked;
}

/** True when `name` is one of the wizard's fields (a backend error may name one). */
export function isFieldName(name: string | undefined): name is FieldName {
  return (FIELD_NAMES as readonly (string | undefined)[]).includes(name);
}

/** The field a backend error names: its own names, or `agent.name` / `agent.idNumber` for the 委托代办 agent. */
export function fieldOfBackendError(field: string | undefined): FieldName | undefined {
  if (isFieldName(field)) return field;
  if (field === 'agent.name') return 'agentName';
  if (field === 'agent.idNumber') return 'agentIdNumber';
  return undefined;
}

/**
 * The message for the field a backend error blames, if any: "does not match the records" for a mismatch of one of
 * the wizard's own fields, the backend's message otherwise.
 */
export function fieldErrorOf(error: BackendError, t: (key: TranslationKey, values: Record<string, string | number>) => string): Partial<Record<FieldName, string>> {
  const field = fieldOfBackendError(error.field);
  if (!field) return {};
  const mismatch = error.code === 'RECORD_MISMATCH' && field === error.field;
  return { [field]: mismatch ? t('wizard.field.mismatch', { field: inSentence(t(`wizard.field.${field}`, {})) }) : error.message };
}

/** The choices that decide which fields and materials apply. */
export interface ApplicationKind {
  certType: CertificateType;
  onBehalf: boolean;
}

/** The fields of the details step. */
export function detailFields({ certType, onBehalf }: ApplicationKind): FieldName[] {
  if (certType === 'organization') return ['orgName', 'creditCode', 'mobile'];
  return ['name', 'idNumber', 'cardNumber', 'mobile', ...(onBehalf ? (['agentName', 'agentIdNumber'] as const) : [])];
}

/** The materials the region requires for this kind of application. */
export function requiredMaterials(profile: RegionProfile | undefined, { certType, onBehalf }: ApplicationKind): MaterialKind[] {
  const m = profile?.materials;
  if (!m) return [];
  if (certType === 'organization') return m.organization;
  return onBehalf ? m.onBehalf : m.personal;
}

/** A form with nothing typed. */
export const EMPTY_FORM: Readonly<Form> = { name: '', idNumber: '', cardNumber: '', mobile: '', orgName: '', creditCode: '', agentName: '', agentIdNumber: '' };

/** `form` with the person from the portal's login filled in: the one place a prefill is written. */
export function prefilled(form: Readonly<Form>, applicant: Applicant | undefined): Form {
  return applicant ? { ...form, name: applicant.name, idNumber: applicant.idNumber, mobile: applicant.mobile ?? '', cardNumber: applicant.cardNumber ?? '' } : { ...form };
}

/** The eligibility check of the first step: name and ID only. */
export function eligibilityRequest(region: string, form: Form): EligibilityRequest {
  return { region, name: form.name, idNumber: form.idNumber };
}

/** The records check of the details step. */
export function detailsRequest(region: string, form: Form, { certType }: ApplicationKind): EligibilityRequest {
  return {
    region,
    type: certType,
    name: form.name,
    idNumber: form.idNumber,
    mobile: form.mobile,
    ...(certType === 'personal' ? { cardNumber: form.cardNumber } : { orgName: form.orgName.trim(), creditCode: form.creditCode }),
  };
}

/** Everything the application carries besides the form. */
export interface ApplicationParts extends ApplicationKind {
  region: string;
  materials: { kind: MaterialKind; uploadId: string }[];
  faceToken: string;
  medium: Medium;
  key: { tokenId: string; csr: string };
}

/** The application to submit. */
export function applicationRequest(form: Form, parts: ApplicationParts): ApplicationRequest {
  const personal = parts.certType === 'personal';
  return {
    region: parts.region,
    type: parts.certType,
    applicant: { name: form.name, idNumber: form.idNumber, mobile: form.mobile, ...(personal ? { cardNumber: form.cardNumber } : {}) },
    ...(personal ? {} : { organization: { orgName: form.orgName.trim(), creditCode: form.creditCode } }),
    ...(parts.onBehalf && personal ? { agent: { name: form.agentName, idNumber: form.agentIdNumber } } : {}),
    materials: parts.materials,
    face: { token: parts.faceToken },
    medium: parts.medium,
    tokenId: parts.key.tokenId,
    csr: parts.key.csr,
  };
}

/** The subject the certificate request names: the person, or the organization with its credit code. */
export function csrSubject(form: Form, { certType }: Pick<ApplicationKind, 'certType'>): Record<string, string> {
  return certType === 'organization' ? { C: 'CN', O: form.orgName, organizationIdentifier: form.creditCode, CN: form.orgName } : { C: 'CN', CN: form.name };
}
