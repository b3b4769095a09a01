// An organisation's handler, as the demo knows one after an approved organisation application: the application in
// the store (it decides whom /api/declarations lets declare for the organisation) and the organisation's
// certificate from the demo CA on a software token of the agent, made through the agent's own key generation.
import { randomUUID } from 'node:crypto';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { ApplicationsStore } from '../../server/applications-store.js';
import type { RunningDemo } from '../../server/demo.js';
import { DAY, issueTo, type LI, type ORG } from './portal.js';

/** Makes `person` the handler of `organization` and installs the organisation's certificate; answers its agent id. */
export async function organizationHandler(demo: RunningDemo, client: AgentClient, person: typeof LI, organization: typeof ORG, pin: string): Promise<string> {
  const { tokenId } = await client.request('token.create', { provider: 'soft', label: organization.orgName, pin });
  const { keyId, publicKey } = await client.request('key.generate', { tokenId, pin, algorithm: 'ECDSA-P256' });
  const now = new Date();
  const issued = await issueTo(demo, person, fromBase64(publicKey), { notBefore: new Date(now.getTime() - DAY), notAfter: new Date(now.getTime() + 365 * DAY) }, organization);
  const at = now.toISOString();
  await new ApplicationsStore(demo.db).createOnce(
    {
      ...{ idempotencyKey: randomUUID(), requestHash: '', owner: person.idNumber, region: 'demo-east', type: 'organization', onBehalf: false, kind: 'new', replaces: null },
      details: { applicant: person, organization: { name: organization.orgName, creditCode: organization.creditCode }, materials: [], face: { method: 'test', at }, keyId },
      ...{ medium: 'computer', tokenId, keyAlgorithm: 'ECDSA-P256', csr: new Uint8Array(0), fee: 0, submittedAt: at, expectedBy: at },
    },
    { approved: { certificate: issued.der, serial: issued.serial, note: 'test: approved', guard: () => Promise.resolve(true), alongside: () => Promise.resolve() } },
  );
  return (await client.request('cert.install', { tokenId, pin, certificate: toBase64(issued.der), chain: [toBase64(demo.ca.certificate)] })).certId;
}
