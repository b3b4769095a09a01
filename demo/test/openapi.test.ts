// docs/backend-api.openapi.yaml keeps up with the demo: every route of the contract is described, and every field
// an Application answer carries is a property of its schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type express from 'express';
import { API_ERRORS } from '../server/api-errors.js';
import { applicationsApi, applicationView } from '../server/applications-api.js';
import type { ApplicationRecord } from '../server/applications-store.js';
import { certificatesApi } from '../server/certificates-api.js';
import type { DemoCa } from '../server/demo-ca.js';
import { renewalsApi } from '../server/renewals-api.js';

const yaml = readFileSync(new URL('../../docs/backend-api.openapi.yaml', import.meta.url), 'utf8');
const markdown = readFileSync(new URL('../../docs/backend-api.md', import.meta.url), 'utf8');
/** The demo's own declaration API (docs/backend-api.md, Declarations): not part of the backend contract. */
const DECLARATION_ERRORS = ['NO_DECLARATION', 'NOT_DECLARANT', 'INVALID_SIGNATURE', 'ALREADY_SIGNED', 'PERIOD_DECLARED'];

/** `METHOD /path` of every route a router handles, with `:id` written `{id}` as OpenAPI writes it. */
function routes(router: express.Router): string[] {
  const stack = (router as unknown as { stack: { route?: { path: string; methods: Record<string, boolean> } }[] }).stack;
  return stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((m) => `${m} ${layer.route!.path.replace(/:(\w+)/g, '{$1}')}`) : []));
}

/** The property names of a schema in components.schemas (two-space YAML indentation, as the file is written). */
function schemaProperties(name: string): string[] {
  const block = new RegExp(`\\n    ${name}:\\n([\\s\\S]*?)(?=\\n    \\w+:\\n|$)`).exec(yaml)?.[1] ?? '';
  const properties = /\n {6}properties:\n([\s\S]*)/.exec(block)?.[1] ?? '';
  return [...properties.matchAll(/^ {8}(\w+):/gm)].map((m) => m[1]!);
}

describe('the OpenAPI description', () => {
  it('describes every route of the backend contract the demo serves', () => {
    const services = {} as never;
    const served = [...routes(applicationsApi(services)), ...routes(certificatesApi(services)), ...routes(renewalsApi(services))];
    assert.ok(served.length >= 11, served.join(', '));
    for (const route of served) {
      const [method, path] = route.split(' ');
      const section = new RegExp(`\\n  ${path!.replace(/[{}]/g, '\\$&')}:\\n((?: {4}.*\\n|\\s*\\n)*)`).exec(yaml)?.[1] ?? '';
      assert.match(section, new RegExp(`^ {4}${method}:`, 'm'), `${route} is not in docs/backend-api.openapi.yaml`);
    }
    assert.match(yaml, /\n {2}\/crl:\n(?: {4}.*\n)* {4}get:/, 'GET /crl');
  });

  it('names every field of an Application answer', () => {
    const record: ApplicationRecord = {
      id: 'a', idempotencyKey: 'k', requestHash: 'h', owner: 'o', region: 'demo-east', type: 'personal', onBehalf: false, kind: 'renewal', replaces: 'ab',
      details: { applicant: { name: '张三', idNumber: 'x', mobile: 'm' }, materials: [], face: { method: 'f', at: 't' } },
      medium: 'computer', tokenId: 't', keyAlgorithm: 'ECDSA-P256', csr: new Uint8Array(), status: 'approved', rejectReason: null, fee: 0,
      submittedAt: 's', expectedBy: 'e', certificate: new Uint8Array([1]), serial: 'cd', history: [],
    };
    const fields = Object.keys(applicationView(record, { certificate: new Uint8Array([2]) } as DemoCa));
    const documented = schemaProperties('Application');
    for (const field of fields) assert.ok(documented.includes(field), `Application.${field} is not in the schema (${documented.join(', ')})`);
    for (const field of ['serialNumber', 'status', 'revokedAt', 'revocationReason']) assert.ok(schemaProperties('CertificateRecord').includes(field), field);
    assert.ok(schemaProperties('EligibilityResult').includes('repeatIssue'));
  });

  it('names every error code of the contract, in the Error schema and in the table of docs/backend-api.md', () => {
    const documented = /\n {8}error:\n {10}enum: \[([^\]]*)\]/.exec(yaml)?.[1]?.split(/,\s*/) ?? [];
    for (const code of Object.keys(API_ERRORS).filter((c) => !DECLARATION_ERRORS.includes(c))) {
      assert.ok(documented.includes(code), `${code} is not in the Error schema's enum`);
      assert.match(markdown, new RegExp(`^\\| (?:\`\\w+\` / )?\`${code}\`(?: / \`\\w+\`)? \\|`, 'm'), `${code} is not in the error table of docs/backend-api.md`);
    }
  });
});
