// `npm run package` as a citizen receives it: the .deb extracted into a temporary root, and its sicert-agent run
// with an empty PATH and no other environment, so no Node and no node_modules can stand in for what the package
// lacks. It answers --version and doctor (whose module probe is the executable itself), installs its systemd user
// unit (checked by systemd-analyze: no user manager runs here, so the enabling link is made by hand, as install
// says), and signs over its WebSocket with a SoftHSM2 USB-Key: a single signature through pkcs11js's addon beside
// the executable, and a batch through the signing threads, whose pkcs11js comes from the executable's assets.
import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fromBase64, toBase64 } from '@sicert/pki';
import { connect, TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { opensslVerifyCms } from '@sicert/test-support/openssl';
import { provisionPkcs11, type ProvisionedCerts } from '@sicert/test-support/provision';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';
import { createTestCa, type TestCa } from '@sicert/test-support/test-ca';
import { Pkcs11Provider } from '../src/index.js';
import { buildAndExtract, runBare, startBare, type ExtractedPackage } from './support/packaged-agent.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `systemd-analyze --user verify`: it needs a runtime directory of its own, which a root shell in CI lacks. */
function verifyUnit(path: string, runtime: string): { status: number | null; output: string } {
  const result = spawnSync('systemd-analyze', ['--user', 'verify', path], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the packaged agent', () => {
  let pkg: ExtractedPackage;
  let home: string;
  let hsm: SoftHsm;
  let ca: TestCa;
  let certs: ProvisionedCerts;

  before(async () => {
    pkg = buildAndExtract();
    home = mkdtempSync(join(tmpdir(), 'sicert-packaged-home-'));
    hsm = createSoftHsm('sicert-packaged');
    ca = await createTestCa();
    const provider = new Pkcs11Provider([hsm.module]);
    certs = await provisionPkcs11(provider, hsm.label, hsm.pin, ca);
    await provider.close();
  });

  after(() => {
    pkg.dispose();
    hsm.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  it('holds the executable with its addon beside it, /usr/bin/sicert-agent a link to it, the user unit and a desktop entry', () => {
    assert.equal(realpathSync(pkg.bin), join(realpathSync(pkg.root), 'usr/lib/sicert-agent/sicert-agent'));
    assert.ok(lstatSync(pkg.bin).isSymbolicLink());
    assert.ok(existsSync(join(pkg.root, 'usr/lib/sicert-agent/pkcs11.node')));
    assert.match(readFileSync(join(pkg.root, 'usr/lib/systemd/user/sicert-agent.service'), 'utf8'), /^ExecStart=\/usr\/bin\/sicert-agent start$/m);
    assert.match(readFileSync(join(pkg.root, 'usr/share/applications/sicert-agent.desktop'), 'utf8'), /^Exec=sicert-agent start$/m);
  });

  it('keeps an administrator\u2019s systemctl --global disable through remove and reinstall; only purge forgets it', () => {
    // The .deb's own maintainer scripts, run as dpkg runs them, on a temporary root (DPKG_ROOT): deb-systemd-helper
    // links and records there, and finds no systemctl in it, so it makes the links itself.
    const dir = mkdtempSync(join(tmpdir(), 'sicert-dpkg-root-'));
    try {
      const scripts = join(dir, 'DEBIAN');
      const root = join(dir, 'root');
      execFileSync('dpkg-deb', ['-e', join(pkg.out, readdirSync(pkg.out).find((f) => f.endsWith('.deb'))!), scripts]);
      const shipped = join(root, 'usr/lib/systemd/user/sicert-agent.service');
      const link = join(root, 'etc/systemd/user/default.target.wants/sicert-agent.service');
      const env = { ...process.env, DPKG_ROOT: root, DPKG_MAINTSCRIPT_PACKAGE: 'sicert-agent' };
      const script = (name: 'postinst' | 'postrm', action: string): void => {
        execFileSync(join(scripts, name), [action], { env: { ...env, DPKG_MAINTSCRIPT_NAME: name }, encoding: 'utf8' });
      };
      // dpkg unpacks before configure and deletes the files before postrm remove.
      const unpack = (): void => {
        mkdirSync(join(shipped, '..'), { recursive: true });
        copyFileSync(join(pkg.root, 'usr/lib/systemd/user/sicert-agent.service'), shipped);
      };
      const remove = (): void => {
        rmSync(shipped);
        script('postrm', 'remove');
      };
      // The links point at /usr/lib/..., outside the temporary root: looked at, not followed.
      const linked = (path: string) => lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
      unpack();
      script('postinst', 'configure');
      assert.ok(linked(link), 'enabled for every user at the first install');
      execFileSync('systemctl', [`--root=${root}`, '--global', 'disable', 'sicert-agent.service'], { stdio: 'ignore' });
      assert.equal(linked(link), false);
      remove();
      unpack();
      script('postinst', 'configure');
      assert.equal(linked(link), false, 'a reinstall after remove undid the administrator\u2019s disable');
      assert.equal(linked(join(root, 'etc/systemd/user/sicert-agent.service')), false, 'configure unmasks what remove masked');
      remove();
      script('postrm', 'purge');
      assert.equal(existsSync(join(root, 'var/lib/systemd/deb-systemd-user-helper-enabled')), false);
      unpack();
      script('postinst', 'configure');
      assert.ok(linked(link), 'after a purge, an install is a first install again');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes no NODE_OPTIONS once built with a Node that can refuse them; Node 20 cannot, and its unit unsets them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sicert-node-options-'));
    try {
      const marker = join(dir, 'loaded');
      writeFileSync(join(dir, 'inject.cjs'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');`);
      const result = runBare(pkg.bin, ['--version'], { NODE_OPTIONS: `--require=${join(dir, 'inject.cjs')}` });
      assert.equal(result.status, 0, result.stderr);
      // The field packaging/sea.mjs sets, execArgvExtension "none", exists only in Node versions that know it.
      const refuses = readFileSync(process.execPath).includes('execArgvExtension');
      assert.equal(existsSync(marker), !refuses, refuses ? 'NODE_OPTIONS was honoured' : 'Node 20 now ignores NODE_OPTIONS: update docs/security.md');
      assert.match(readFileSync(join(pkg.root, 'usr/lib/systemd/user/sicert-agent.service'), 'utf8'), /^UnsetEnvironment=NODE_OPTIONS$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers --version with an empty PATH', () => {
    const result = runBare(pkg.bin, ['--version']);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), VERSION);
  });

  it('runs doctor with an empty PATH: its module probe (the executable itself) loads SoftHSM2 and sees the token', async () => {
    const port = await freePort();
    const result = runBare(pkg.bin, ['doctor', '--port', String(port), '--allow-origin', TEST_ORIGIN, '--module', hsm.module], { HOME: home, SOFTHSM2_CONF: hsm.conf });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, new RegExp(`sicert-agent ${VERSION.replaceAll('.', '\\.')}, protocol 1`));
    assert.match(result.stdout, /PKCS#11 module loads: .*libsofthsm2\.so .*\d token\(s\)/);
    assert.match(result.stdout, /token "sicert-packaged" .*PIN set/);
    assert.match(result.stdout, /autostart is off .*run sicert-agent install/);
  });

  it('installs its systemd user unit (systemd-analyze verifies it), idempotently, and uninstalls exactly that', () => {
    const env = { HOME: home };
    const unit = join(home, '.config/systemd/user/sicert-agent.service');
    const wants = join(home, '.config/systemd/user/default.target.wants/sicert-agent.service');
    const first = runBare(pkg.bin, ['install'], env);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    // No systemctl on an empty PATH (and no user manager in CI): install says it linked the unit by hand.
    assert.match(first.stdout, /wrote the user unit .*\n.*no systemd user manager is running: linked/);
    assert.match(readFileSync(unit, 'utf8'), new RegExp(`^ExecStart=${realpathSync(pkg.bin)} start$`, 'm'));
    assert.equal(realpathSync(wants), unit);
    const runtime = mkdtempSync(join(tmpdir(), 'sicert-xdg-'));
    try {
      const installed = verifyUnit(unit, runtime);
      assert.equal(installed.status, 0, installed.output);
      // The package's own unit, its /usr/bin/sicert-agent read inside the extracted root.
      const packaged = join(runtime, 'sicert-agent.service');
      writeFileSync(packaged, readFileSync(join(pkg.root, 'usr/lib/systemd/user/sicert-agent.service'), 'utf8').replace('/usr/bin/sicert-agent', pkg.bin));
      const shipped = verifyUnit(packaged, runtime);
      assert.equal(shipped.status, 0, shipped.output);
    } finally {
      rmSync(runtime, { recursive: true, force: true });
    }
    const second = runBare(pkg.bin, ['install'], env);
    assert.equal(second.status, 0);
    assert.match(second.stdout, /user unit already in place.*\n.*already enabled/);
    assert.match(runBare(pkg.bin, ['doctor'], env).stdout, /autostart is on: starts at login/);
    const removed = runBare(pkg.bin, ['uninstall'], env);
    assert.equal(removed.status, 0, removed.stdout);
    assert.equal(existsSync(unit), false);
    assert.equal(existsSync(join(home, '.config/systemd')), false);
    assert.match(runBare(pkg.bin, ['doctor'], env).stdout, /autostart is off/);
  });

  it('signs over its WebSocket: one CMS, and a batch through its signing threads', async () => {
    const agent = await startBare(pkg.bin, ['--port', '0', '--allow-origin', TEST_ORIGIN, '--module', hsm.module, '--no-soft-token', '--log-level', 'debug'], {
      HOME: home,
      SOFTHSM2_CONF: hsm.conf,
    });
    const client = connect(agent.url);
    try {
      const content = new TextEncoder().encode('参保缴费证明 2026-11');
      const one = await client.request('sign.data', { certId: certs['ECDSA-P256'], pin: hsm.pin, data: toBase64(content) });
      const cms = opensslVerifyCms(fromBase64(one.signature), ca.root, content);
      assert.ok(cms.ok, cms.output);
      const items = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(`第 ${i} 项`));
      const batch = await client.request('sign.batch', { certId: certs['ECDSA-P256'], pin: hsm.pin, items: items.map((data) => ({ data: toBase64(data) })), format: 'raw' });
      const key = new X509Certificate(fromBase64(batch.certificate)).publicKey;
      batch.signatures.forEach((outcome, i) => {
        assert.ok('signature' in outcome, JSON.stringify(outcome));
        assert.ok(verify('sha256', items[i]!, key, fromBase64(outcome.signature)), `item ${i}`);
      });
      assert.match(agent.log(), /"message":"signing thread started"/);
      assert.doesNotMatch(agent.log(), /signing threads unavailable/);
    } finally {
      client.close();
      agent.child.kill('SIGTERM');
      await new Promise((resolve) => agent.child.once('close', resolve));
    }
  });
});
