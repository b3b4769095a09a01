// The byte helpers and the ECDSA raw-to-DER encoding on their own, checked against Node's Buffer and crypto
// (an independent implementation), at the edges where an off-by-one hides: chunk boundaries, leading zeros,
// the high bit, the DER length forms.
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { ecdsaRawToDer, exactBuffer, fromBase64, fromHex, SHA256_DIGEST_INFO_PREFIX, sha256, toBase64, toHex, unsignedIntegerContent } from '../src/index.js';

/** Deterministic bytes (no randomness in the expected values). */
function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

describe('base64 and hex', () => {
  it('toBase64 agrees with Buffer across its 32 KiB chunks, for views and ArrayBuffers', () => {
    for (const length of [0, 1, 2, 3, 0x7fff, 0x8000, 0x8001, 0x10000 + 5]) {
      const data = bytes(length);
      const expected = Buffer.from(data).toString('base64');
      assert.equal(toBase64(data), expected, `${length} bytes`);
      assert.equal(toBase64(exactBuffer(data)), expected, `${length} bytes as an ArrayBuffer`);
    }
    const pooled = Buffer.from(bytes(40)).subarray(5, 25);
    assert.equal(toBase64(pooled), pooled.toString('base64'), 'a view reads only its own bytes');
  });

  it('fromBase64 gives back the bytes', () => {
    for (const length of [0, 1, 2, 3, 100]) {
      const data = bytes(length);
      assert.deepEqual([...fromBase64(Buffer.from(data).toString('base64'))], [...data]);
    }
    assert.deepEqual([...fromBase64('/+8A')], [0xff, 0xef, 0x00]);
  });

  it('toHex is lower case and two digits a byte; fromHex reverses it', () => {
    assert.equal(toHex(new Uint8Array([0, 1, 0x0f, 0x10, 0xab, 0xff])), '00010f10abff');
    assert.equal(toHex(new Uint8Array([0xde, 0xad]).buffer), 'dead');
    assert.equal(toHex(new Uint8Array()), '');
    const data = bytes(300);
    assert.equal(toHex(data), Buffer.from(data).toString('hex'));
    assert.deepEqual([...fromHex('00010f10ABff')], [0, 1, 0x0f, 0x10, 0xab, 0xff]);
    assert.deepEqual([...fromHex(Buffer.from(data).toString('hex'))], [...data]);
    assert.equal(fromHex('').length, 0);
  });

  it('exactBuffer returns an ArrayBuffer as it is, and copies exactly the bytes of a view', () => {
    const buffer = new ArrayBuffer(4);
    assert.equal(exactBuffer(buffer), buffer);
    const pooled = Buffer.from(bytes(64)).subarray(10, 20);
    const copy = exactBuffer(pooled);
    assert.ok(copy instanceof ArrayBuffer, 'a view is copied into an ArrayBuffer of its own');
    assert.equal(copy.byteLength, 10);
    assert.deepEqual([...new Uint8Array(copy)], [...pooled]);
  });

  it('sha256 agrees with Node for bytes, views and ArrayBuffers', async () => {
    for (const data of [new Uint8Array(), bytes(1), bytes(1000), Buffer.from(bytes(64)).subarray(3, 40)]) {
      const expected = createHash('sha256').update(data).digest('hex');
      assert.equal(toHex(await sha256(data)), expected);
      assert.equal(toHex(await sha256(exactBuffer(data))), expected);
    }
  });

  it('the SHA-256 DigestInfo prefix is the one of RFC 8017 §9.2', () => {
    assert.equal(toHex(SHA256_DIGEST_INFO_PREFIX), '3031300d060960864801650304020105000420');
  });
});

describe('unsigned DER integers', () => {
  it('strips leading zeros, keeps one zero for zero, and prepends 0x00 when the high bit is set', () => {
    const content = (...b: number[]) => [...unsignedIntegerContent(new Uint8Array(b))];
    assert.deepEqual(content(0x01, 0x02), [0x01, 0x02]);
    assert.deepEqual(content(0x00, 0x00, 0x7f), [0x7f]);
    assert.deepEqual(content(0x00, 0x80), [0x00, 0x80]);
    assert.deepEqual(content(0x00, 0x00, 0x80, 0x01), [0x00, 0x80, 0x01]);
    assert.deepEqual(content(0xff), [0x00, 0xff]);
    assert.deepEqual(content(0x00, 0x00), [0x00]);
    assert.deepEqual(content(0x00), [0x00]);
    assert.deepEqual(content(0x7f, 0x00), [0x7f, 0x00], 'trailing zeros stay');
  });
});

describe('ecdsaRawToDer', () => {
  it('encodes halves with and without the high bit, and with leading zeros, as OpenSSL expects', () => {
    const half = (first: number, fill = 0x11) => {
      const out = new Uint8Array(32).fill(fill);
      out[0] = first;
      return out;
    };
    const cases: [Uint8Array, Uint8Array][] = [
      [half(0x7f), half(0x7f)],
      [half(0x80), half(0x01)],
      [half(0x00), half(0xff)],
      [half(0x00, 0x00), half(0x80)],
    ];
    for (const [r, s] of cases) {
      const raw = new Uint8Array([...r, ...s]);
      const der = ecdsaRawToDer(raw);
      const int = (v: Uint8Array) => {
        const c = unsignedIntegerContent(v);
        return [0x02, c.length, ...c];
      };
      const body = [...int(r), ...int(s)];
      assert.deepEqual([...der], [0x30, body.length, ...body], toHex(raw));
    }
  });

  it('switches to the long length form at a body of exactly 128 bytes, not before', () => {
    const halves = (length: number) => new Uint8Array(length * 2).fill(0x01);
    const short = ecdsaRawToDer(halves(61));
    assert.deepEqual([...short.subarray(0, 2)], [0x30, 126]);
    assert.equal(short.length, 128);
    const long = ecdsaRawToDer(halves(62));
    assert.deepEqual([...long.subarray(0, 4)], [0x30, 0x81, 128, 0x02]);
    assert.equal(long.length, 131);
    assert.deepEqual([...long.subarray(3, 5)], [0x02, 62]);
    assert.deepEqual([...long.subarray(67, 69)], [0x02, 62]);
  });

  it('produces signatures Node verifies as DER, for P-256 and P-521 (the long length form)', () => {
    for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve });
      for (let i = 0; i < 8; i++) {
        const message = bytes(20, i);
        const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
        const der = ecdsaRawToDer(new Uint8Array(raw));
        assert.equal(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, der), true, `${namedCurve} #${i}`);
        assert.equal(der[1], der.length > 129 ? 0x81 : der.length - 2, 'the length form fits the body');
      }
    }
  });
});
