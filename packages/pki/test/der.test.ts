// The hand-written DER encoder and the OID codec against asn1js (an independent implementation), at the length
// boundaries where the short and long forms change and for OIDs with large arcs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as asn1js from 'asn1js';
import { OID, toHex } from '../src/index.js';
import { decodeOid, decodeTime, DerError, readTlv } from '../src/der-reader.js';
import { derOid, encode, sizeOf, TAG, tlv } from '../src/der-writer.js';

describe('DER writer', () => {
  it('encodes lengths as asn1js does on both sides of every length-form boundary', () => {
    for (const length of [0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffff, 0x1000000]) {
      const content = new Uint8Array(length).fill(0x5a);
      const ours = encode(tlv(TAG.octetString, content));
      const theirs = new Uint8Array(new asn1js.OctetString({ valueHex: content }).toBER());
      assert.equal(ours.length, theirs.length, `${length} bytes`);
      assert.equal(toHex(ours.subarray(0, 8)), toHex(theirs.subarray(0, 8)), `${length} bytes: header`);
      assert.equal(sizeOf(tlv(TAG.octetString, content)), ours.length);
      const read = readTlv(ours, 0, ours.length, 'value');
      assert.equal(read.end - read.contentStart, length, `${length} bytes read back`);
    }
  });

  it('nests: a node inside a node is written once, in order, with each length right', () => {
    const inner = tlv(TAG.sequence, new Uint8Array([0x02, 0x01, 0x05]), tlv(TAG.octetString, new Uint8Array(200)));
    const outer = encode(tlv(TAG.context0, inner, new Uint8Array([0x05, 0x00])));
    const theirs = new asn1js.Constructed({
      idBlock: { tagClass: 3, tagNumber: 0 },
      value: [new asn1js.Sequence({ value: [new asn1js.Integer({ value: 5 }), new asn1js.OctetString({ valueHex: new Uint8Array(200) })] }), new asn1js.Null()],
    });
    assert.equal(toHex(outer), toHex(new Uint8Array(theirs.toBER())));
  });

  it('encodes and decodes object identifiers as asn1js does, large arcs included', () => {
    const oids = [...Object.values(OID), '2.25.329800735698586629295641978511506172918', '0.9.2342.19200300.100.1.1', '1.2.156.10197.1.501', '2.999.1'];
    for (const oid of oids) {
      const ours = derOid(oid);
      assert.equal(toHex(ours), toHex(new Uint8Array(new asn1js.ObjectIdentifier({ value: oid }).toBER())), oid);
      assert.equal(decodeOid(ours.subarray(2), 'oid'), oid);
    }
    assert.throws(() => decodeOid(new Uint8Array([0x2a, 0x86]), 'oid'), DerError);
    assert.throws(() => decodeOid(new Uint8Array([]), 'oid'), DerError);
  });

  it('reads UTCTime and GeneralizedTime as asn1js does, the UTCTime century switching at 50 (RFC 5280)', () => {
    const ascii = (text: string) => new TextEncoder().encode(text);
    for (const text of ['500101000000Z', '491231235959Z', '000229120000Z', '991231235959Z', '260101083015Z']) {
      assert.equal(decodeTime(0x17, ascii(text), 'time').toISOString(), new asn1js.UTCTime({ value: text }).toDate().toISOString(), text);
    }
    for (const text of ['20500101000000Z', '19491231235959Z', '99991231235959Z', '21360605180507Z']) {
      assert.equal(decodeTime(0x18, ascii(text), 'time').toISOString(), new asn1js.GeneralizedTime({ value: text }).toDate().toISOString(), text);
    }
    const refused: [number, string, RegExp][] = [
      [0x17, '991301000000Z', /not a valid date/],
      [0x18, '20250230000000Z', /not a valid date/],
      [0x17, '2501010000Z', /not in the DER form/],
      [0x17, '250101000000+0800', /not in the DER form/],
      [0x18, '20250101000000.5Z', /not in the DER form/],
      [0x04, '250101000000Z', /not a UTCTime or GeneralizedTime/],
    ];
    for (const [tag, text, message] of refused) {
      assert.throws(() => decodeTime(tag, ascii(text), 'time'), (error: unknown) => error instanceof DerError && message.test(error.message), text);
    }
  });
});
