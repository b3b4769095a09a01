// The two #verify-backend variants give the same answers: node:crypto (Node) and WebCrypto (browsers, bundles).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backend as node, OFF_LOOP_DIGEST_BYTES } from '../src/verify-backend-node.js';
import { backend as web } from '../src/verify-backend-web.js';
import type { KeyDescription, VerifyBackend } from '../src/verify-backend-types.js';

const message = new TextEncoder().encode('signed attributes, or anything else');

async function pair(description: KeyDescription): Promise<{ spki: Uint8Array; sign: (hash: string) => Promise<Uint8Array> }> {
  const rsa = description.name !== 'ECDSA';
  const keys = rsa
    ? await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify'])
    : await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: description.namedCurve }, true, ['sign', 'verify']);
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    spki: new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey)),
    // RSA keys are bound to one hash in WebCrypto: re-import the private key for each.
    sign: async (hash) => {
      const algorithm = rsa ? { name: 'RSASSA-PKCS1-v1_5', hash } : { name: 'ECDSA', namedCurve: description.name === 'ECDSA' ? description.namedCurve : '' };
      const key = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
      return new Uint8Array(await crypto.subtle.sign(rsa ? algorithm : { name: 'ECDSA', hash }, key, message));
    },
  };
}

describe('verify backends', () => {
  for (const description of [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', namedCurve: 'P-384' }, { name: 'RSASSA-PKCS1-v1_5' }] as KeyDescription[]) {
    it(`verify the same ${description.name === 'ECDSA' ? description.namedCurve : 'RSA-2048'} signatures alike, with each hash`, async () => {
      const { spki, sign } = await pair(description);
      for (const backend of [node, web] as VerifyBackend[]) {
        const key = await backend.importKey(spki, description);
        assert.ok(key);
        for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
          const signature = await sign(hash);
          assert.equal(await backend.verify(key, hash, message, signature), true, hash);
          const tampered = signature.slice();
          tampered[tampered.length - 1]! ^= 1;
          assert.equal(await backend.verify(key, hash, message, tampered), false);
          assert.equal(await backend.verify(key, hash === 'SHA-256' ? 'SHA-384' : 'SHA-256', message, signature), false, 'another hash');
        }
      }
    });
  }

  it('refuse a key described as another algorithm or curve, and digest alike', async () => {
    const { spki } = await pair({ name: 'ECDSA', namedCurve: 'P-256' });
    for (const backend of [node, web] as VerifyBackend[]) {
      assert.equal(await backend.importKey(spki, { name: 'RSASSA-PKCS1-v1_5' }), undefined);
      assert.equal(await backend.importKey(spki, { name: 'ECDSA', namedCurve: 'P-384' }), undefined);
      assert.equal(await backend.importKey(new Uint8Array([0x30, 0x00]), { name: 'ECDSA', namedCurve: 'P-256' }), undefined);
    }
    const big = new Uint8Array(200_000).fill(7);
    // Small contents are hashed on the spot; large ones a slice at a time, the event loop served between slices (a promise).
    assert.ok(node.digest('SHA-256', new Uint8Array(OFF_LOOP_DIGEST_BYTES)) instanceof Uint8Array);
    assert.ok(node.digest('SHA-256', new Uint8Array(OFF_LOOP_DIGEST_BYTES + 1)) instanceof Promise);
    for (const data of [message, big]) {
      for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
        assert.deepEqual(new Uint8Array(await node.digest(hash, data)), new Uint8Array(await web.digest(hash, data)));
      }
    }
  });
});
