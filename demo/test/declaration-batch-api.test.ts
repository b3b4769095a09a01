// The demo's batch of declarations: an organisation's handler gets this period's declarations, one per insurance,
// signs them all with one sign.batch on the agent (one password), and posts the signatures at once; the server
// verifies each against its own stored declaration and the organisation, and records each verdict alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import type { AgentClient } from '@sicert/protocol';
import { connect } from '@sicert/test-support/agent-client';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { MAX_SIGNATURES_PER_POST } from '../server/declarations-api.js';
import type { Declaration } from '../server/declaration.js';
import { startDemo, type RunningDemo } from '../server/demo.js';
import { testStore } from './support/store.js';
import { DEMO_PIN } from '../server/provision.js';
import { organizationHandler } from './support/org-handler.js';
import { LI, ORG, session, ZHANG, type Call } from './support/portal.js';

interface Result {
  id: string;
  verified?: boolean;
  problem?: string;
  messageEn?: string;
  error?: string;
  signer?: string;
}

describe('demo portal: a batch of declarations', () => {
  let dataDir: string;
  let demo: RunningDemo;
  let client: AgentClient;
  let orgCertId: string;
  let li: { call: Call };

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sicert-demo-batch-'));
    demo = await startDemo({ ...(await testStore(dataDir)), dataDir, portalPort: 0, agentPort: 0 });
    client = connect(demo.agent.url, demo.portalUrl);
    orgCertId = await organizationHandler(demo, client, LI, ORG, DEMO_PIN);
    li = await session(demo, LI.idNumber);
  });
  after(async () => {
    client.close();
    await demo.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const newBatch = async () => (await li.call('POST', '/api/declarations/batch', { organization: ORG.creditCode })).body as unknown as Declaration[];
  const signAll = async (declarations: readonly Declaration[]) =>
    (await client.request('sign.batch', { certId: orgCertId, pin: DEMO_PIN, items: declarations.map((d) => ({ data: toBase64(new TextEncoder().encode(d.payload)) })) })).signatures.map((o) => ('signature' in o ? o.signature : ''));
  const post = async (signatures: { id: string; signature: unknown }[]) => (await li.call('POST', '/api/declarations/signatures', { signatures })).body.results as Result[];

  it('gives a handler one declaration per insurance of this period, for the organisation; nobody else', async () => {
    const answer = await li.call('POST', '/api/declarations/batch', { organization: ORG.creditCode });
    assert.equal(answer.status, 201);
    const declarations = answer.body as unknown as Declaration[];
    assert.deepEqual(
      declarations.map((d) => /：(.+?)，缴费基数 8,000\.00 元，单位缴费 ([\d,.]+) 元/.exec(d.summary)?.slice(1)),
      [['城镇职工基本养老保险', '1,280.00'], ['职工基本医疗保险', '640.00'], ['失业保险', '40.00'], ['工伤保险', '32.00']],
    );
    for (const d of declarations) {
      assert.ok(d.summary.startsWith(`${ORG.orgName} 单位社保缴费申报`));
      assert.deepEqual((await demo.db.declaration(d.id))?.organization, ORG.creditCode);
    }
    assert.equal(new Set(declarations.map((d) => d.payload)).size, 4);
    assert.equal((await (await session(demo, ZHANG.idNumber)).call('POST', '/api/declarations/batch', { organization: ORG.creditCode })).body.error, 'NOT_DECLARANT');
    assert.equal((await li.call('POST', '/api/declarations/batch', {})).body.error, 'NOT_DECLARANT');
    assert.equal((await (await session(demo)).call('POST', '/api/declarations/batch', { organization: ORG.creditCode })).status, 401);
  });

  it('asked again in the period, offers the same unsigned declarations: never a second set', async () => {
    const first = (await demo.db.organizationDeclarations(ORG.creditCode)).map((r) => r.id);
    const again = await li.call('POST', '/api/declarations/batch', { organization: ORG.creditCode });
    assert.equal(again.status, 200);
    const declarations = again.body as unknown as Declaration[];
    assert.deepEqual(new Set(declarations.map((d) => d.id)), new Set(first));
    // Shown again exactly as made: the payload signed and the fields the page shows.
    for (const d of declarations) assert.equal(d.payload, (await demo.db.declaration(d.id))?.payload);
    assert.deepEqual(declarations[2]!.fields.find((f) => f.labelEn === 'Insurance')?.value, '失业保险');
    assert.equal((await demo.db.organizationDeclarations(ORG.creditCode)).length, 4);
  });

  it('judges each entry alone: a signature posted for another declaration, an unknown id, garbage, a replay', async () => {
    const [a, b, c, d] = await newBatch();
    const [sigA, sigB] = await signAll([a!, b!]);
    const results = await post([
      { id: a!.id, signature: sigA },
      { id: c!.id, signature: sigB }, // b's signature, posted for c
      { id: 'no-such-declaration', signature: sigB },
      { id: d!.id, signature: 'not base64 at all!' },
    ]);
    assert.deepEqual(results.map((r) => r.verified ?? r.error), [true, false, 'NO_DECLARATION', 'INVALID_SIGNATURE']);
    assert.equal(results[1]!.problem, 'DIGEST_MISMATCH');
    assert.deepEqual(await Promise.all([a, b, c, d].map(async (x) => (await demo.db.declaration(x!.id))?.verdict ?? null)), ['VERIFIED', null, 'DIGEST_MISMATCH', null]);
    // A verified declaration is never signed twice; b, refused for c, is still b's own.
    assert.deepEqual((await post([{ id: a!.id, signature: sigA }, { id: b!.id, signature: sigB }])).map((r) => r.verified ?? r.error), ['ALREADY_SIGNED', true]);
  });

  it('offers only what is left unsigned (a refused one too), signs it under one password, then says the period is declared', async () => {
    const declarations = await newBatch();
    // a and b were accepted above; c was refused (another's signature), d never signed: both are offered again.
    assert.deepEqual(declarations.map((d) => /：(.+?)，/.exec(d.summary)?.[1]), ['失业保险', '工伤保险']);
    const signatures = await signAll(declarations);
    for (const [i, d] of declarations.entries()) assert.equal(opensslVerifyCms(fromBase64(signatures[i]!), demo.ca.certificate, new TextEncoder().encode(d.payload)).ok, true);
    const results = await post(declarations.map((d, i) => ({ id: d.id, signature: signatures[i] })));
    assert.deepEqual(results.map((r) => [r.id, r.verified, r.signer]), declarations.map((d) => [d.id, true, `${ORG.orgName} (${LI.name})`]));
    for (const d of declarations) assert.equal((await demo.db.declaration(d.id))?.verdict, 'VERIFIED');
    const done = await li.call('POST', '/api/declarations/batch', { organization: ORG.creditCode });
    assert.deepEqual([done.status, done.body.error], [409, 'PERIOD_DECLARED']);
    assert.equal(done.body.message, '本单位本期各险种均已申报并受理，无需再次申报。');
    assert.match(String(done.body.messageEn), /^This organisation’s declarations of every insurance for this period are already signed and accepted/);
    assert.equal((await demo.db.organizationDeclarations(ORG.creditCode)).length, 4);
  });

  it('words a refusal as two sentences in English (no capital after a colon)', async () => {
    // 李四's own declaration signed with the organisation's certificate: the wrong signer.
    const declaration = (await li.call('POST', '/api/declarations', {})).body as unknown as Declaration;
    const [signature] = await signAll([declaration]);
    const [result] = await post([{ id: declaration.id, signature }]);
    assert.equal(result!.problem, 'WRONG_SIGNER');
    assert.equal(result!.messageEn, 'The signature was refused. The certificate is not the declarant’s; sign with your own (or your organisation’s) certificate.');
  });

  it('takes 1 to MAX_SIGNATURES_PER_POST entries in a list, and nothing else', async () => {
    for (const signatures of [undefined, [], 'x', Array.from({ length: MAX_SIGNATURES_PER_POST + 1 }, () => ({ id: 'x', signature: 'AA==' }))]) {
      const answer = await li.call('POST', '/api/declarations/signatures', { signatures });
      assert.deepEqual([answer.status, answer.body.error, answer.body.field], [400, 'INVALID_SIGNATURE', 'signatures']);
    }
    assert.equal((await (await session(demo)).call('POST', '/api/declarations/signatures', { signatures: [] })).status, 401);
  });
});
