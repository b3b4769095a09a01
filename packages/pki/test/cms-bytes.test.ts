// The fast CMS builder against the pkijs-built reference, byte for byte: same certificate, same signing time, and
// the reference's signer replays the fast path's signature only if it is asked to sign exactly the same signed
// attributes, so the comparison covers those bytes too, whatever the key (ECDSA signatures are randomised).
// Every fast CMS is also verified by pkijs (verifySignedData) and by `openssl cms -verify`.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { createSignedData, exactBuffer, OID, prepareSignedData, sha256, toHex, verifySignedData, webCryptoSigner, type MessageSigner, type SignedDataInput } from '../src/index.js';
import { createSignedDataWithPkijs } from './support/pkijs-signed-data.js';
import { createTestCa, type TestCa } from './support/test-ca.js';

const ALGORITHMS = {
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256' },
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
} as const;

// A minute ago, with milliseconds: both builders state whole seconds; the certificates are valid then.
const SIGNING_TIME = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000 + 678);

/** Deterministic content of `length` bytes. */
function content(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 131 + 17) & 0xff;
  return out;
}

/** Signs with `signer` and remembers what it signed and the signature. */
function recording(signer: MessageSigner): MessageSigner & { last?: { message: Uint8Array; signature: Uint8Array } } {
  const wrapped: MessageSigner & { last?: { message: Uint8Array; signature: Uint8Array } } = {
    algorithm: signer.algorithm,
    async sign(message) {
      const signature = await signer.sign(message);
      wrapped.last = { message: message.slice(), signature };
      return signature;
    },
  };
  return wrapped;
}

/** A signer that gives `signature` back, for exactly `message` and nothing else. */
function replaying(algorithm: MessageSigner['algorithm'], recorded: { message: Uint8Array; signature: Uint8Array }): MessageSigner {
  return {
    algorithm,
    async sign(message) {
      assert.equal(toHex(message), toHex(recorded.message), 'both builders sign the same signed attributes');
      return recorded.signature;
    },
  };
}

/** `actual` equals `expected` byte for byte; otherwise fails showing where they part (hex of 4 MiB is slow to compare). */
function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  if (Buffer.from(actual).equals(Buffer.from(expected))) return;
  let at = 0;
  while (at < Math.min(actual.length, expected.length) && actual[at] === expected[at]) at++;
  const around = (bytes: Uint8Array) => toHex(bytes.subarray(Math.max(0, at - 16), at + 16));
  assert.fail(`${what} differ at byte ${at} (lengths ${actual.length} and ${expected.length}): …${around(actual)}… against …${around(expected)}…`);
}

/** The signed attributes of a SignedData are in DER order (ascending encodings), as a DER SET OF must be. */
function assertDerSorted(cms: Uint8Array): void {
  const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
  const encodings = signedData.signerInfos[0]!.signedAttrs!.attributes.map((a) => toHex(new Uint8Array(a.toSchema().toBER())));
  assert.equal(encodings.length, 4);
  assert.deepEqual(encodings, [...encodings].sort(), 'signed attributes in DER order');
}

/** Builds `input` with the fast path and with pkijs, and requires the same DER; returns it. */
async function sameBytes(input: SignedDataInput, signer: MessageSigner): Promise<Uint8Array> {
  const recorder = recording(signer);
  const fast = await createSignedData(input, recorder);
  const reference = await createSignedDataWithPkijs(input, replaying(signer.algorithm, recorder.last!));
  assertSameBytes(fast, reference, 'the fast DER and the pkijs DER');
  return fast;
}

describe('fast CMS SignedData, byte for byte against pkijs', () => {
  let ca: TestCa;
  before(async () => {
    ca = await createTestCa();
  });

  for (const [name, params] of Object.entries(ALGORITHMS)) {
    describe(name, () => {
      let signer: MessageSigner;
      let certificate: Uint8Array;
      before(async () => {
        const keys = await crypto.subtle.generateKey(params, true, ['sign', 'verify']);
        signer = webCryptoSigner(keys.privateKey);
        const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
        certificate = await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, spki);
      });

      it('detached over data, detached over a digest and attached: the same DER, verified by pkijs and OpenSSL', async () => {
        const data = new TextEncoder().encode('社保缴费申报 2025-06');
        const cases: [string, SignedDataInput][] = [
          ['detached over data', { content: data, certificate, signingTime: SIGNING_TIME }],
          ['detached over a digest', { digest: await sha256(data), certificate, signingTime: SIGNING_TIME }],
          ['attached', { content: data, certificate, attached: true, signingTime: SIGNING_TIME }],
          ['detached with the chain', { content: data, certificate, chain: [ca.root], signingTime: SIGNING_TIME }],
        ];
        for (const [what, input] of cases) {
          const cms = await sameBytes(input, signer);
          const verified = await verifySignedData(cms, { content: data, expectedSigner: { certificate }, trustedRoots: [ca.root] });
          assert.equal(verified.valid, true, `${what}: ${verified.message ?? ''}`);
          const openssl = opensslVerifyCms(cms, ca.root, input.attached ? undefined : data);
          assert.equal(openssl.ok, true, `${what}: ${openssl.output}`);
          assertDerSorted(cms);
        }
      });

      it('signed now (the default signing time), it verifies at once with pkijs and OpenSSL', async () => {
        const data = new TextEncoder().encode('待遇申领');
        for (const attached of [false, true]) {
          const cms = await createSignedData({ content: data, certificate, attached }, signer);
          const verified = await verifySignedData(cms, { content: data, expectedSigner: { certificate }, trustedRoots: [ca.root] });
          assert.equal(verified.valid, true, verified.message);
          assert.equal(opensslVerifyCms(cms, ca.root, attached ? undefined : data).ok, true);
        }
      });
    });
  }

  describe('lengths at the DER boundaries', () => {
    let signer: MessageSigner;
    let certificate: Uint8Array;
    before(async () => {
      const keys = await crypto.subtle.generateKey(ALGORITHMS['ECDSA-P256'], true, ['sign', 'verify']);
      signer = webCryptoSigner(keys.privateKey);
      certificate = await ca.issue({ C: 'CN', CN: '李四' }, new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
    });

    for (const length of [1, 127, 128, 255, 256, 65535, 65536, 4 * 1024 * 1024]) {
      it(`attached content of ${length} bytes encodes as pkijs encodes it, and OpenSSL reads it back`, async () => {
        const data = content(length);
        const cms = await sameBytes({ content: data, certificate, attached: true, signingTime: SIGNING_TIME }, signer);
        const openssl = opensslVerifyCms(cms, ca.root);
        assert.equal(openssl.ok, true, openssl.output);
        const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
        const carried = signedData.encapContentInfo.eContent!;
        assert.equal(carried.idBlock.isConstructed, false, 'a primitive OCTET STRING, as DER requires');
        assertSameBytes(carried.valueBlock.valueHexView, data, 'the carried content and the content');
      });
    }

    it('carries an empty attached content (pkijs drops an empty eContent as its default, which leaves a detached CMS)', async () => {
      const cms = await createSignedData({ content: new Uint8Array(0), certificate, attached: true, signingTime: SIGNING_TIME }, signer);
      const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
      assert.equal(signedData.encapContentInfo.eContent?.valueBlock.valueHexView.length, 0);
      assert.ok(toHex(cms).includes('06092a864886f70d010701a0020400'), 'eContentType data, then [0] { OCTET STRING of no bytes }');
      const openssl = opensslVerifyCms(cms, ca.root);
      assert.equal(openssl.ok, true, openssl.output);
    });
  });

  it('states the signing time in UTCTime until 2049 and in GeneralizedTime from 2050 (RFC 5652 §11.3), in whole seconds', async () => {
    const keys = await crypto.subtle.generateKey(ALGORITHMS['ECDSA-P256'], true, ['sign', 'verify']);
    const signer = webCryptoSigner(keys.privateKey);
    const certificate = await ca.issue({ C: 'CN', CN: '王五' }, new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
    const template = await prepareSignedData(certificate);
    const cases: [Date, number, string][] = [
      [new Date('1950-01-01T00:00:00Z'), 23, '500101000000Z'],
      [new Date('2049-12-31T23:59:59.999Z'), 23, '491231235959Z'],
      [new Date('2050-01-01T00:00:00Z'), 24, '20500101000000Z'],
      [new Date('1949-12-31T23:59:59Z'), 24, '19491231235959Z'],
    ];
    for (const [date, tag, text] of cases) {
      const cms = await template.build({ digest: new Uint8Array(32), signingTime: date }, signer);
      const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
      const time = signedData.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID.signingTime)!.values[0] as asn1js.BaseBlock;
      assert.equal(time.idBlock.tagNumber, tag, date.toISOString());
      assert.equal(new TextDecoder().decode(time.valueBeforeDecodeView.subarray(2)), text);
      assertDerSorted(cms);
    }
    await assert.rejects(template.build({ digest: new Uint8Array(32), signingTime: new Date(Number.NaN) }, signer), /signing time/);
  });

  it('one template signs many times, each signature over its own digest and time', async () => {
    const keys = await crypto.subtle.generateKey(ALGORITHMS['RSA-2048'], true, ['sign', 'verify']);
    const signer = webCryptoSigner(keys.privateKey);
    const certificate = await ca.issue({ C: 'CN', CN: '赵六' }, new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
    const template = await prepareSignedData(certificate, [ca.root]);
    for (let i = 0; i < 3; i++) {
      const data = new TextEncoder().encode(`第 ${i} 项`);
      const input = { content: data, certificate, chain: [ca.root], signingTime: new Date(SIGNING_TIME.getTime() + i * 1000) };
      const recorder = recording(signer);
      const fast = await template.build(input, recorder);
      assertSameBytes(fast, await createSignedDataWithPkijs(input, replaying(signer.algorithm, recorder.last!)), `signature ${i}`);
    }
  });

  it('refuses a signer whose algorithm it has no identifier for', async () => {
    const certificate = await ca.issue({ C: 'CN', CN: '钱七' }, new Uint8Array(await crypto.subtle.exportKey('spki', (await crypto.subtle.generateKey(ALGORITHMS['ECDSA-P256'], true, ['sign'])).publicKey)));
    const odd = { algorithm: 'SM2', sign: async () => new Uint8Array(64) } as unknown as MessageSigner;
    await assert.rejects(createSignedData({ digest: new Uint8Array(32), certificate }, odd), /unsupported signature algorithm: SM2/);
  });
});
