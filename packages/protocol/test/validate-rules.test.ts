// The protocol's runtime checks rule by rule: for each method a valid message, and next to it the same message
// with one field just past its limit (or of the wrong kind), which must be refused. Only accept/refuse is
// asserted, not the wording, so the checks can be rebuilt (e.g. from schemas) under the same tests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkParams, checkRequest, checkResponse, resultChecks, type Method } from '../src/index.js';

const b64 = (bytes: number) => Buffer.alloc(bytes, 0x5a).toString('base64');
const hex = (chars: number) => 'ab'.repeat(chars).slice(0, chars);
const KIB64 = 64 * 1024;

function accepts(method: Method, params: unknown, why = JSON.stringify(params)?.slice(0, 120)): void {
  assert.equal(checkParams(method, params), undefined, `${method} should accept ${why}`);
}
function refuses(method: Method, params: unknown, why = JSON.stringify(params)?.slice(0, 120)): void {
  assert.equal(typeof checkParams(method, params), 'string', `${method} should refuse ${why}`);
}

describe('params checks', () => {
  it('agent.info and token.list take no params or an object', () => {
    for (const method of ['agent.info', 'token.list'] as const) {
      accepts(method, undefined);
      accepts(method, {});
      for (const bad of [null, [], 'x', 1, true]) refuses(method, bad);
    }
  });

  it('cert.list: optional tokenId of 1-256 characters', () => {
    accepts('cert.list', undefined);
    accepts('cert.list', {});
    accepts('cert.list', { tokenId: 'x' });
    accepts('cert.list', { tokenId: 'x'.repeat(256) });
    for (const bad of [{ tokenId: '' }, { tokenId: 'x'.repeat(257) }, { tokenId: 5 }, null, [], 'soft-default']) refuses('cert.list', bad);
  });

  describe('sign.data', () => {
    const ok = { certId: 'soft-default/ab', pin: 'Home2468x', data: b64(10) };
    it('accepts data or a digest, with each format and the SHA-256 name', () => {
      accepts('sign.data', ok);
      accepts('sign.data', { ...ok, certId: 'c', pin: 'p' });
      accepts('sign.data', { ...ok, certId: 'c'.repeat(256), pin: 'p'.repeat(64) });
      for (const format of ['cms-detached', 'cms-attached', 'raw']) accepts('sign.data', { ...ok, format });
      const { data: _data, ...withoutData } = ok;
      accepts('sign.data', { ...withoutData, digest: b64(32), digestAlgorithm: 'SHA-256' });
      accepts('sign.data', { ...withoutData, digest: b64(64), format: 'raw' });
      accepts('sign.data', { ...ok, data: b64(1) });
    });
    it('refuses each field past its limit or of the wrong kind', () => {
      const { data: _data, ...withoutData } = ok;
      const bad: Record<string, unknown> = {
        'empty certId': { ...ok, certId: '' },
        'long certId': { ...ok, certId: 'c'.repeat(257) },
        'numeric certId': { ...ok, certId: 1 },
        'no certId': { pin: ok.pin, data: ok.data },
        'empty pin': { ...ok, pin: '' },
        'long pin': { ...ok, pin: 'p'.repeat(65) },
        'numeric pin': { ...ok, pin: 123456 },
        'neither data nor digest': withoutData,
        'both data and digest': { ...ok, digest: b64(32) },
        'empty data': { ...ok, data: '' },
        'data not base64': { ...ok, data: 'AA%A' },
        'data without padding': { ...ok, data: 'AAA' },
        'digest over 64 bytes': { ...withoutData, digest: b64(65) },
        'SHA-1': { ...withoutData, digest: b64(20), digestAlgorithm: 'SHA-1' },
        'unknown format': { ...ok, format: 'pkcs7' },
        'attached CMS of a digest': { ...withoutData, digest: b64(32), format: 'cms-attached' },
        'null': null,
        'array': [ok],
      };
      for (const [why, params] of Object.entries(bad)) refuses('sign.data', params, why);
    });
  });

  describe('key.generate', () => {
    const ok = { tokenId: 'soft-default', pin: 'Home2468x', algorithm: 'ECDSA-P256' };
    it('accepts each algorithm, with or without a label of up to 64 characters', () => {
      for (const algorithm of ['ECDSA-P256', 'RSA-2048', 'SM2']) accepts('key.generate', { ...ok, algorithm });
      accepts('key.generate', { ...ok, label: '' });
      accepts('key.generate', { ...ok, label: 'l'.repeat(64) });
    });
    it('refuses an unknown algorithm, a long label, and a missing token or PIN', () => {
      for (const params of [{ ...ok, algorithm: 'ed25519' }, { ...ok, algorithm: 'ecdsa-p256' }, { ...ok, label: 'l'.repeat(65) }, { ...ok, label: 1 }, { ...ok, tokenId: '' }, { ...ok, tokenId: 't'.repeat(257) }, { ...ok, pin: '' }, { tokenId: 't', algorithm: 'SM2' }]) {
        refuses('key.generate', params);
      }
    });
  });

  describe('csr.create', () => {
    const ok = { tokenId: 'soft-default', keyId: hex(40), pin: 'Home2468x', subject: { CN: '张三' } };
    it('accepts lower-case hex key ids of 2-128 characters and every supported subject attribute', () => {
      accepts('csr.create', { ...ok, keyId: hex(2) });
      accepts('csr.create', { ...ok, keyId: hex(128) });
      accepts('csr.create', { ...ok, subject: { CN: 'c'.repeat(128), O: 'o', OU: 'u', C: 'CN', ST: 's', L: 'l', serialNumber: 'n', organizationIdentifier: 'i', SN: 'x', GN: 'y' } });
    });
    it('refuses a bad key id, a subject without CN, unknown attributes and values past their limits', () => {
      const bad: Record<string, unknown> = {
        'one hex digit': { ...ok, keyId: 'a' },
        'key id too long': { ...ok, keyId: hex(130) },
        'upper-case key id': { ...ok, keyId: 'AB' },
        'key id not hex': { ...ok, keyId: 'zz' },
        'no CN': { ...ok, subject: { O: 'o' } },
        'unknown attribute': { ...ok, subject: { CN: 'c', EMAIL: 'a@b' } },
        'inherited name': { ...ok, subject: { CN: 'c', constructor: 'x' } },
        'long CN': { ...ok, subject: { CN: 'c'.repeat(129) } },
        'empty CN': { ...ok, subject: { CN: '' } },
        'three-letter country': { ...ok, subject: { CN: 'c', C: 'CHN' } },
        'one-letter country': { ...ok, subject: { CN: 'c', C: 'C' } },
        'numeric value': { ...ok, subject: { CN: 'c', O: 1 } },
        'subject array': { ...ok, subject: [['CN', 'c']] },
        'subject null': { ...ok, subject: null },
        'no PIN': { tokenId: ok.tokenId, keyId: ok.keyId, subject: ok.subject },
      };
      for (const [why, params] of Object.entries(bad)) refuses('csr.create', params, why);
    });
  });

  describe('cert.install', () => {
    const ok = { tokenId: 'soft-default', certificate: b64(KIB64) };
    it('accepts a certificate of up to 64 KiB and a chain of up to 8, with an optional PIN', () => {
      accepts('cert.install', ok);
      accepts('cert.install', { ...ok, chain: [] });
      accepts('cert.install', { ...ok, chain: Array.from({ length: 8 }, () => b64(KIB64)) });
      accepts('cert.install', { ...ok, pin: 'p' });
    });
    it('refuses a larger certificate, a longer chain, a bad chain element and an empty PIN', () => {
      for (const params of [
        { ...ok, certificate: b64(KIB64 + 1) },
        { ...ok, certificate: '' },
        { ...ok, chain: Array.from({ length: 9 }, () => b64(10)) },
        { ...ok, chain: [b64(10), 'not base64'] },
        { ...ok, chain: [b64(KIB64 + 1)] },
        { ...ok, chain: b64(10) },
        { ...ok, pin: '' },
        { ...ok, pin: 'p'.repeat(65) },
        { certificate: ok.certificate },
      ]) {
        refuses('cert.install', params);
      }
    });
  });
});

describe('envelope checks', () => {
  it('checkRequest: JSON-RPC 2.0, a string method, and a string or integer id', () => {
    assert.equal(checkRequest({ jsonrpc: '2.0', id: 1, method: 'agent.info' }), true);
    assert.equal(checkRequest({ jsonrpc: '2.0', id: 'a', method: 'x', params: [] }), true);
    for (const bad of [{ jsonrpc: '2', id: 1, method: 'm' }, { id: 1, method: 'm' }, { jsonrpc: '2.0', method: 'm' }, { jsonrpc: '2.0', id: null, method: 'm' }, { jsonrpc: '2.0', id: 1.5, method: 'm' }, { jsonrpc: '2.0', id: 1, method: 3 }, [{ jsonrpc: '2.0', id: 1, method: 'm' }], null]) {
      assert.equal(checkRequest(bad), false, JSON.stringify(bad));
    }
  });

  it('checkResponse: a result under a non-null id, or an error object with an integer code and a message', () => {
    assert.equal(checkResponse({ jsonrpc: '2.0', id: 1, result: {} }), true);
    assert.equal(checkResponse({ jsonrpc: '2.0', id: 1, result: null }), true);
    assert.equal(checkResponse({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse' } }), true);
    for (const bad of [
      { jsonrpc: '2.0', id: null, result: {} },
      { jsonrpc: '2.0', result: {} },
      { jsonrpc: '1.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 1 },
      { jsonrpc: '2.0', id: 1, error: { code: 1.5, message: 'm' } },
      { jsonrpc: '2.0', id: 1, error: { code: 1 } },
      { jsonrpc: '2.0', id: 1, error: 'failed' },
      [{ jsonrpc: '2.0', id: 1, result: {} }],
      null,
    ]) {
      assert.equal(checkResponse(bad), false, JSON.stringify(bad));
    }
  });
});

describe('result checks', () => {
  const ok = (method: Method, result: unknown) => assert.equal(resultChecks[method](result, 'result'), undefined, `${method} should accept ${JSON.stringify(result).slice(0, 100)}`);
  const bad = (method: Method, result: unknown) => assert.equal(typeof resultChecks[method](result, 'result'), 'string', `${method} should refuse ${JSON.stringify(result)?.slice(0, 100)}`);
  const token = { id: 'soft-default', provider: 'soft', label: '本机证书', manufacturer: 'sicert', model: 'soft token', serial: '0001', pin: { initialized: true, locked: false, countLow: false, finalTry: false, retriesLeft: 10 } };
  const cert = { id: 'soft-default/ab', tokenId: 'soft-default', der: b64(100), subject: 'CN=x', issuer: 'CN=y', serialNumber: '01', notBefore: '2026-01-01T00:00:00Z', notAfter: '2028-01-01T00:00:00Z', keyAlgorithm: 'ECDSA-P256', hasPrivateKey: true, status: 'valid' };

  it('agent.info', () => {
    ok('agent.info', { agentVersion: '1', protocol: 1, providers: ['soft'], capabilities: [], algorithms: ['ECDSA-P256'] });
    bad('agent.info', { agentVersion: '', protocol: 1, providers: [], capabilities: [], algorithms: ['ECDSA-P256'] });
    bad('agent.info', { agentVersion: '1', protocol: '1', providers: [], capabilities: [], algorithms: ['ECDSA-P256'] });
    bad('agent.info', { agentVersion: '1', protocol: 1, providers: [1], capabilities: [], algorithms: ['ECDSA-P256'] });
    bad('agent.info', { agentVersion: '1', protocol: 1, providers: [], algorithms: ['ECDSA-P256'] });
  });

  it('token.list', () => {
    ok('token.list', { tokens: [token, { ...token, pin: { ...token.pin, retriesLeft: undefined } }] });
    for (const t of [{ ...token, provider: 'hsm' }, { ...token, id: '' }, { ...token, pin: { ...token.pin, retriesLeft: 1.5 } }, { ...token, pin: { ...token.pin, locked: 'no' } }, { ...token, label: 7 }]) bad('token.list', { tokens: [t] });
    bad('token.list', { tokens: 'none' });
  });

  it('cert.list', () => {
    ok('cert.list', { certificates: [cert] });
    for (const status of ['valid', 'expiring', 'expired', 'notYetValid']) ok('cert.list', { certificates: [{ ...cert, status }] });
    for (const c of [{ ...cert, status: 'revoked' }, { ...cert, der: '' }, { ...cert, hasPrivateKey: 1 }, { ...cert, serialNumber: 'f'.repeat(129) }, { ...cert, tokenId: '' }]) bad('cert.list', { certificates: [c] });
  });

  it('sign.data, key.generate, csr.create, cert.install', () => {
    ok('sign.data', { signature: b64(70), certificate: b64(500) });
    bad('sign.data', { signature: '', certificate: b64(500) });
    bad('sign.data', { signature: b64(70), certificate: b64(KIB64 + 1) });
    ok('key.generate', { keyId: 'ab', publicKey: b64(91) });
    bad('key.generate', { keyId: 'a', publicKey: b64(91) });
    bad('key.generate', { keyId: 'ab', publicKey: b64(4097) });
    ok('csr.create', { csr: b64(300) });
    bad('csr.create', { csr: b64(16 * 1024 + 1) });
    ok('cert.install', { certId: 'c' });
    bad('cert.install', { certId: '' });
    bad('cert.install', { certId: 'c'.repeat(301) });
  });
});
