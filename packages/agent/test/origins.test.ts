// The origin allowlist on its own: which Origin header values reach the agent. Every branch of the parse and
// the match, so that loosening any of them (a dropped scheme, port or label check) turns a case red.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeOrigin } from '@sicert/protocol';
import { OriginAllowlist, OriginListError } from '../src/origins.js';

describe('normalizeOrigin', () => {
  it('answers scheme://host[:port] in lower case, without a default port or a bare trailing slash', () => {
    assert.equal(normalizeOrigin('https://RSJ.Example.CN'), 'https://rsj.example.cn');
    assert.equal(normalizeOrigin('HTTPS://rsj.example.cn:443'), 'https://rsj.example.cn');
    assert.equal(normalizeOrigin('http://rsj.example.cn:80/'), 'http://rsj.example.cn');
    assert.equal(normalizeOrigin('http://127.0.0.1:5173'), 'http://127.0.0.1:5173');
    assert.equal(normalizeOrigin('  https://rsj.example.cn \n'), 'https://rsj.example.cn', 'surrounding blanks are trimmed');
  });

  it('refuses what is not an http(s) origin: other schemes, paths, queries, fragments, credentials, garbage', () => {
    for (const value of [
      'ftp://rsj.example.cn',
      'file:///etc/passwd',
      'ws://rsj.example.cn',
      'https://rsj.example.cn/portal',
      'https://rsj.example.cn/?a=1',
      'https://rsj.example.cn?a=1',
      'https://rsj.example.cn#top',
      'https://user@rsj.example.cn',
      'rsj.example.cn',
      '',
      'null',
      'https://',
    ]) {
      assert.equal(normalizeOrigin(value), undefined, value);
    }
  });
});

describe('OriginAllowlist', () => {
  it('counts its entries, exact and wildcard', () => {
    assert.equal(new OriginAllowlist([]).size, 0);
    assert.equal(new OriginAllowlist(['https://a.example.cn']).size, 1);
    assert.equal(new OriginAllowlist(['https://a.example.cn', 'https://*.b.example.cn', 'http://127.0.0.1:5173']).size, 3);
  });

  it('throws on an entry that is not an origin, naming it', () => {
    for (const entry of ['https://a.example.cn/path', 'a.example.cn', 'ftp://a.example.cn', '*.a.example.cn']) {
      assert.throws(() => new OriginAllowlist([entry]), (e: unknown) => e instanceof OriginListError && e.entry === entry && e.problem.code === 'NOT_AN_ORIGIN' && e.message.includes(`“${entry}” is not an origin`) && /[\u4e00-\u9fff]/.test(e.message), entry);
    }
  });

  it('refuses a wildcard over a single label or a public suffix, which would open the agent to every site there', () => {
    for (const entry of ['https://*.com', 'https://*.cn', 'http://*.test:8080', 'https://*.gov.cn', 'https://*.com.cn', 'https://*.CO.UK', 'https://*.github.io', 'https://*.com.hk']) {
      assert.throws(() => new OriginAllowlist([entry]), (e: unknown) => e instanceof OriginListError && e.problem.code === 'WILDCARD' && /registrable domain/.test(e.message), entry);
    }
    const registrable = new OriginAllowlist(['https://*.example.gov.cn', 'https://*.sbj.com.cn', 'https://*.example.com']);
    assert.equal(registrable.allows('https://rsj.example.gov.cn'), true);
    assert.equal(registrable.allows('https://a.sbj.com.cn'), true);
  });

  it('refuses an entry whose host name is longer than DNS allows (253 characters)', () => {
    const label = 'a'.repeat(60);
    const long = `https://${[label, label, label, label, 'example.cn'].join('.')}`;
    for (const entry of [long, long.replace('https://', 'https://*.')]) {
      assert.throws(() => new OriginAllowlist([entry]), (e: unknown) => e instanceof OriginListError && e.problem.code === 'TOO_LONG', entry);
    }
    assert.equal(new OriginAllowlist([`https://${[label, label, label, 'example.cn'].join('.')}`]).size, 1, 'a long but valid host is kept');
  });

  it('refuses a missing, empty, "null" or unparsable Origin, even with a wildcard entry', () => {
    const list = new OriginAllowlist(['https://a.example.cn', 'https://*.example.cn']);
    for (const origin of [undefined, '', 'null', 'not an origin', 'https://a.example.cn/x']) {
      assert.equal(list.allows(origin), false, String(origin));
    }
  });

  it('matches an exact entry by scheme, host and port, however either side is written', () => {
    const list = new OriginAllowlist([' HTTPS://A.Example.CN:443/ ', 'http://127.0.0.1:5173']);
    assert.equal(list.allows('https://a.example.cn'), true);
    assert.equal(list.allows('https://A.EXAMPLE.cn:443'), true);
    assert.equal(list.allows('http://a.example.cn'), false, 'scheme');
    assert.equal(list.allows('https://a.example.cn:8443'), false, 'port');
    assert.equal(list.allows('https://b.a.example.cn'), false, 'an exact entry covers no subdomain');
    assert.equal(list.allows('http://127.0.0.1:5173'), true);
    assert.equal(list.allows('http://127.0.0.1'), false, 'port');
  });

  it('matches a wildcard entry on any deeper label, with the same scheme and port, never the bare domain', () => {
    const list = new OriginAllowlist(['HTTPS://*.HRSS.Example.CN']);
    assert.equal(list.allows('https://rsj.hrss.example.cn'), true);
    assert.equal(list.allows('https://a.b.hrss.example.cn'), true, 'more than one label');
    assert.equal(list.allows('https://RSJ.hrss.example.cn:443'), true, 'the default port is no port');
    assert.equal(list.allows('https://hrss.example.cn'), false, 'the bare domain');
    assert.equal(list.allows('https://evilhrss.example.cn'), false, 'a label that only ends the same');
    assert.equal(list.allows('http://rsj.hrss.example.cn'), false, 'scheme');
    assert.equal(list.allows('https://rsj.hrss.example.cn:8443'), false, 'port');
    assert.equal(list.allows('https://rsj.hrss.example.cn.evil.cn'), false, 'suffix, not infix');
  });

  it('matches a wildcard entry with a port, or with a trailing slash, on that port only', () => {
    const list = new OriginAllowlist(['http://*.example.cn:8080/']);
    assert.equal(list.size, 1);
    assert.equal(list.allows('http://a.example.cn:8080'), true);
    assert.equal(list.allows('http://a.example.cn'), false);
    assert.equal(list.allows('http://a.example.cn:8081'), false);
    assert.equal(list.allows('https://a.example.cn:8080'), false);
  });

  it('keeps every entry: a later entry does not replace an earlier one', () => {
    const list = new OriginAllowlist(['https://a.example.cn', 'https://*.b.example.cn', 'https://*.c.example.cn', 'https://d.example.cn']);
    for (const origin of ['https://a.example.cn', 'https://x.b.example.cn', 'https://x.c.example.cn', 'https://d.example.cn']) {
      assert.equal(list.allows(origin), true, origin);
    }
  });
});

// Allowlist entries come from a config file an administrator types, sometimes with a Chinese input method on.
describe('OriginAllowlist entries as typed', () => {
  it('trims full-width and other Unicode blanks around an entry, exact or wildcard', () => {
    const list = new OriginAllowlist(['https://rsj.example.gov.cn\u3000', '\u3000https://*.hrss.example.cn\u00a0']);
    assert.equal(list.allows('https://rsj.example.gov.cn'), true);
    assert.equal(list.allows('https://a.hrss.example.cn'), true);
  });

  it('refuses a wildcard entry with anything before its scheme or after its host and port', () => {
    for (const entry of ['ftp+https://*.example.gov.cn', 'xhttps://*.example.gov.cn', 'https://*.example.gov.cn/path', 'https://*.example.gov.cn:8443/x']) {
      assert.throws(() => new OriginAllowlist([entry]), /is not an origin/, entry);
    }
  });
});

