import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RegionProfile } from '../../src/backend/types.js';
import { BackendError } from '../../src/backend/portal-backend.js';
import { applicationRequest, checkFields, csrSubject, detailFields, EMPTY_FORM, fieldErrorOf, fieldOfBackendError, prefilled, requiredMaterials } from '../../src/components/apply-wizard/wizard-form.js';

// The wizard's form model without a DOM: which fields and materials apply, how they are checked, what is sent.
const context = { today: new Date(2026, 10, 29), minimumAge: 16 };
const t = (key: string, values: Record<string, string | number>) => `${key}${values.age === undefined ? '' : `(${values.age})`}`;
const materials = { personal: ['id-front', 'id-back'], onBehalf: ['id-front', 'id-back', 'power-of-attorney', 'agent-id'], organization: ['business-licence', 'handler-id'] } as RegionProfile['materials'];
const profile = { materials } as RegionProfile;
const person = { name: '张三', idNumber: '11010519491231002X', mobile: '13800138000', cardNumber: 'A12345678' };

describe('wizard form', () => {
  test('the fields and materials follow the type and 委托代办', () => {
    assert.deepEqual(detailFields({ certType: 'personal', onBehalf: false }), ['name', 'idNumber', 'cardNumber', 'mobile']);
    assert.deepEqual(detailFields({ certType: 'personal', onBehalf: true }), ['name', 'idNumber', 'cardNumber', 'mobile', 'agentName', 'agentIdNumber']);
    assert.deepEqual(detailFields({ certType: 'organization', onBehalf: true }), ['orgName', 'creditCode', 'mobile']);
    assert.deepEqual(requiredMaterials(profile, { certType: 'personal', onBehalf: true }), materials.onBehalf);
    assert.deepEqual(requiredMaterials(profile, { certType: 'organization', onBehalf: true }), materials.organization);
    assert.deepEqual(requiredMaterials(undefined, { certType: 'personal', onBehalf: false }), []);
  });

  test('each field has its validator; values are normalised; an agent must be 18, the holder the region age', () => {
    const form = { ...prefilled(EMPTY_FORM, person), mobile: '+86 138-0013-8000', idNumber: '11010519491231002x', agentName: '李四', agentIdNumber: '440308201512011230' };
    const checked = checkFields(form, ['name', 'idNumber', 'mobile', 'agentName', 'agentIdNumber', 'orgName'], context, t);
    assert.equal(checked.ok, false);
    assert.equal(checked.form.mobile, '13800138000');
    assert.equal(checked.form.idNumber, '11010519491231002X');
    assert.deepEqual(checked.errors, { name: undefined, idNumber: undefined, mobile: undefined, agentName: undefined, agentIdNumber: 'wizard.field.UNDER_AGE(18)', orgName: 'wizard.field.REQUIRED(16)' });
    const young = checkFields({ ...form, idNumber: '440308201512011230' }, ['idNumber'], { ...context, minimumAge: 10 }, t);
    assert.deepEqual(young, { form: { ...form, idNumber: '440308201512011230' }, errors: { idNumber: undefined }, ok: true });
  });

  test('the prefill comes from the login and leaves what else was typed', () => {
    assert.deepEqual(prefilled({ ...EMPTY_FORM, orgName: '示例公司', name: 'x' }, { name: '张三', idNumber: '1' }), { ...EMPTY_FORM, orgName: '示例公司', name: '张三', idNumber: '1' });
    assert.deepEqual(prefilled(EMPTY_FORM, undefined), EMPTY_FORM);
  });

  test('a backend error names the field to mark', () => {
    assert.equal(fieldOfBackendError('mobile'), 'mobile');
    assert.equal(fieldOfBackendError('agent.name'), 'agentName');
    assert.equal(fieldOfBackendError('agent.idNumber'), 'agentIdNumber');
    assert.equal(fieldOfBackendError('face'), undefined);
    assert.equal(fieldOfBackendError(undefined), undefined);
    const t = (key: string, values: Record<string, string | number>) => `${key}${values.field === undefined ? '' : `:${values.field}`}`;
    assert.deepEqual(fieldErrorOf(new BackendError('RECORD_MISMATCH', 'no', 'mobile', 422), t), { mobile: 'wizard.field.mismatch:wizard.field.mobile' });
    assert.deepEqual(fieldErrorOf(new BackendError('UNDER_AGE', '代办人须年满18周岁', 'agent.idNumber', 422), t), { agentIdNumber: '代办人须年满18周岁' });
    assert.deepEqual(fieldErrorOf(new BackendError('FACE_FAILED', 'x', 'face', 422), t), {});
  });

  test('the application carries the agent only for a personal 委托代办, the organization only for 单位', () => {
    const form = { ...prefilled(EMPTY_FORM, person), orgName: ' 示例科技有限公司 ', creditCode: '91110000600037341L', agentName: '李四', agentIdNumber: '360426199101010071' };
    const parts = { region: 'r', materials: [{ kind: 'id-front' as const, uploadId: 'u1' }], faceToken: 'f', medium: 'computer' as const, key: { tokenId: 'soft-default', csr: 'MII' } };
    const personal = applicationRequest(form, { ...parts, certType: 'personal', onBehalf: true });
    assert.deepEqual(personal, {
      region: 'r',
      type: 'personal',
      applicant: { name: '张三', idNumber: person.idNumber, mobile: person.mobile, cardNumber: person.cardNumber },
      agent: { name: '李四', idNumber: '360426199101010071' },
      materials: parts.materials,
      face: { token: 'f' },
      medium: 'computer',
      tokenId: 'soft-default',
      csr: 'MII',
    });
    const organization = applicationRequest(form, { ...parts, certType: 'organization', onBehalf: true });
    assert.deepEqual(organization.organization, { orgName: '示例科技有限公司', creditCode: '91110000600037341L' });
    assert.equal(organization.agent, undefined);
    assert.equal('cardNumber' in organization.applicant, false);
    assert.deepEqual(csrSubject(form, { certType: 'personal' }), { C: 'CN', CN: '张三' });
    assert.deepEqual(csrSubject(form, { certType: 'organization' }).organizationIdentifier, '91110000600037341L');
  });
});
