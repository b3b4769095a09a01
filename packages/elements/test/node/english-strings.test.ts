// The English the wizard writes: a field's label inside a sentence is lower case unless it is an acronym or a
// name ("The mobile number is malformed.", not "The Mobile number…"), and no Chinese punctuation (、，。) slips
// into the English locale, where lists are joined with ", ".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkFields, fieldErrorOf, FIELD_NAMES, inSentence } from '../../src/components/apply-wizard/wizard-form.js';
import { BackendError } from '../../src/backend/portal-backend.js';
import { translate, type TranslationKey } from '../../src/internal/localize.js';
import { en } from '../../src/translations/en.js';
import { batchEn } from '../../src/translations/batch.en.js';

const t = (key: TranslationKey, values: Record<string, string | number>) => translate('en', key, values);
const context = { today: new Date('2026-11-29T00:00:00Z'), minimumAge: 16 };

describe('English field messages', () => {
  test('a label inside a sentence loses its capital, an acronym or a name keeps it', () => {
    assert.equal(inSentence('Mobile number'), 'mobile number');
    assert.equal(inSentence('Name'), 'name');
    assert.equal(inSentence("Agent's name"), "agent's name");
    assert.equal(inSentence('ID number'), 'ID number');
    assert.equal(inSentence('Unified Social Credit Code'), 'Unified Social Credit Code');
    assert.equal(inSentence('手机号码'), '手机号码');
  });

  test('the messages of empty and malformed fields read as sentences', () => {
    const empty = checkFields(Object.fromEntries(FIELD_NAMES.map((f) => [f, ''])) as never, FIELD_NAMES, context, t);
    assert.equal(empty.errors.mobile, 'Enter the mobile number.');
    assert.equal(empty.errors.idNumber, 'Enter the ID number.');
    const malformed = checkFields({ ...Object.fromEntries(FIELD_NAMES.map((f) => [f, ''])), mobile: '12' } as never, ['mobile'], context, t);
    assert.equal(malformed.errors.mobile, 'The mobile number is malformed.');
    for (const message of Object.values(empty.errors)) assert.doesNotMatch(message ?? '', /\b[Tt]he [A-Z][a-z]+ [a-z]/, message);
  });

  test('a record mismatch from the backend names the field in lower case', () => {
    const error = new BackendError('RECORD_MISMATCH', 'mismatch', 'mobile', 422);
    assert.deepEqual(fieldErrorOf(error, t), { mobile: 'The mobile number does not match the social-insurance records: check it.' });
  });
});

test('the English locale has no Chinese punctuation (lists are joined with ", ")', () => {
  for (const [key, value] of Object.entries({ ...en, ...batchEn })) assert.doesNotMatch(value, /[、，。；：（）]/, key);
  assert.equal(batchEn['batch.numberSeparator'], ', ');
});
