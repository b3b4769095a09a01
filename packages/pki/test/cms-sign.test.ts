// createSignedData's contract beyond "it verifies": it refuses inputs that would produce a signature over the
// wrong thing, and it binds the signature to the signer's exact certificate (ESS signingCertificateV2, RFC 5035),
// which CAdES validators look for.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { createSignedData, exactBuffer, OID, parseCertificate, sha256, toHex, webCryptoSigner, type MessageSigner } from '../src/index.js';
import { createTestCa, type TestCa } from './support/test-ca.js';

describe('createSignedData', () => {
  let ca: TestCa;
  let certificate: Uint8Array;
  let signer: MessageSigner;
  const content = new TextEncoder().encode('社保缴费申报');

  before(async () => {
    ca = await createTestCa();
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    signer = webCryptoSigner(keys.privateKey);
    certificate = await ca.issue({ C: 'CN', O: '测试单位', CN: '张三' }, new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)));
  });

  it('refuses an attached signature without the content, and a digest that is not SHA-256', async () => {
    const digest = await sha256(content);
    await assert.rejects(createSignedData({ digest, attached: true, certificate }, signer), /attached signature needs the content/);
    await assert.rejects(createSignedData({ digest: digest.subarray(0, 20), certificate }, signer), /32 bytes/);
    await assert.rejects(createSignedData({ certificate }, signer), /32 bytes/);
  });

  it('names the signer certificate by its SHA-256 hash, issuer and serial number in signingCertificateV2', async () => {
    const cms = await createSignedData({ content, certificate }, signer);
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
    const attribute = signedData.signerInfos[0]!.signedAttrs!.attributes.find((a) => a.type === OID.signingCertificateV2);
    assert.ok(attribute, 'signingCertificateV2 is a signed attribute');
    // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 ::= SEQUENCE { certHash, issuerSerial }
    const signingCertificate = (attribute.values[0] as asn1js.Sequence).valueBlock.value;
    assert.equal(signingCertificate.length, 1, 'certs only, no policies');
    const certs = (signingCertificate[0] as asn1js.Sequence).valueBlock.value;
    assert.equal(certs.length, 1);
    const essCertIdV2 = (certs[0] as asn1js.Sequence).valueBlock.value;
    const [certHash, issuerSerial] = essCertIdV2 as [asn1js.OctetString, asn1js.Sequence];
    assert.equal(essCertIdV2.length, 2, 'hashAlgorithm left out: SHA-256 is its DEFAULT');
    assert.equal(toHex(certHash.valueBlock.valueHexView), toHex(await sha256(certificate)));
    const [generalNames, serial] = issuerSerial.valueBlock.value as [asn1js.Sequence, asn1js.Integer];
    const parsed = parseCertificate(certificate);
    const directoryName = new pkijs.GeneralName({ schema: generalNames.valueBlock.value[0] });
    assert.equal(generalNames.valueBlock.value.length, 1);
    assert.equal(directoryName.type, 4);
    assert.ok((directoryName.value as pkijs.RelativeDistinguishedNames).isEqual(parsed.issuer), 'the issuer’s name');
    assert.equal(toHex(serial.valueBlock.valueHexView), toHex(parsed.serialNumber.valueBlock.valueHexView));
  });

  it('carries the chain it is given after the signer certificate', async () => {
    const cms = await createSignedData({ content, certificate, chain: [ca.root] }, signer);
    const signedData = new pkijs.SignedData({ schema: pkijs.ContentInfo.fromBER(exactBuffer(cms)).content });
    const carried = (signedData.certificates ?? []).map((c) => toHex(new Uint8Array((c as pkijs.Certificate).toSchema().toBER())));
    assert.deepEqual(carried, [toHex(certificate), toHex(ca.root)]);
  });
});
