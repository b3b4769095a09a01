// `sicert-agent doctor` as a citizen or hall operator runs it: a healthy setup exits 0; each broken part is named
// in zh-CN and English with its fix, and the exit code is non-zero.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger, defaultConfig, SoftToken, startAgent } from '../src/index.js';
import { TEST_ORIGIN } from '@sicert/test-support/agent-client';
import { runCli } from './support/cli-process.js';
import { createSoftHsm, type SoftHsm } from '@sicert/test-support/softhsm';

const listen = (server: Server, port = 0) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sicert-agent doctor', () => {
  let hsm: SoftHsm;
  let dir: string;

  async function homeWithToken(name: string): Promise<{ home: string; file: string }> {
    const home = join(dir, name);
    const id = 'soft-0123456789abcdef';
    const file = join(home, 'soft-token', `${id}.json`);
    await SoftToken.create(file, id, id.slice(5), '张三', 'Home2468x');
    return { home, file };
  }

  before(() => {
    hsm = createSoftHsm('sicert-doctor');
    dir = mkdtempSync(join(tmpdir(), 'sicert-doctor-'));
  });
  after(() => {
    hsm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a healthy setup: module loads, token and PIN state, software token readable, origins, free port', async () => {
    const { home } = await homeWithToken('healthy');
    const { code, stdout } = await runCli(['doctor', '--home', home, '--module', hsm.module, '--allow-origin', TEST_ORIGIN, '--port', String(await freePort())]);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /PKCS#11 模块已加载: .*libsofthsm2\.so .*\| PKCS#11 module loads/);
    assert.match(stdout, /USB-Key「sicert-doctor」.*PIN 正常 \| token "sicert-doctor" .*PIN set/);
    assert.match(stdout, /本机证书「张三」可读: .*10 次 \| software token "张三" readable: .*10 PIN tries left/);
    assert.match(stdout, /协议版本 1 \| sicert-agent \S+, protocol 1/);
    assert.match(stdout, /Everything looks right/);
    assert.doesNotMatch(stdout, /\[!!\]/);
  });

  it('says the port is held by a running sicert agent, and that is not a failure', async () => {
    const home = join(dir, 'running');
    const agent = await startAgent({ ...defaultConfig(), port: 0, home, allowOrigins: [TEST_ORIGIN] }, createLogger('error', () => undefined));
    try {
      const { code, stdout } = await runCli(['doctor', '--home', home, '--allow-origin', TEST_ORIGIN, '--port', String(agent.port)]);
      assert.equal(code, 0, stdout);
      assert.match(stdout, new RegExp(`\\[ok\\] 端口 ${agent.port} 由 sicert-agent \\S+ 使用.*held by a running sicert-agent`));
    } finally {
      await agent.close();
    }
  });

  it('names every broken part with its fix and exits non-zero', async () => {
    const { home, file } = await homeWithToken('broken');
    truncateSync(file, 40);
    const notALibrary = join(dir, 'libnot-a-module.so');
    writeFileSync(notALibrary, 'this is not a shared library');
    // A vendor module that crashes its process as soon as it is used: the doctor must survive it.
    const crashing = join(dir, 'libcrashing.so');
    writeFileSync(`${crashing}.c`, 'void *C_GetFunctionList(void **list) { *(volatile int *)0 = 1; return 0; }\n');
    execFileSync('cc', ['-shared', '-fPIC', '-o', crashing, `${crashing}.c`]);
    const squatter = createServer();
    const port = await listen(squatter);
    try {
      const { code, stdout } = await runCli(['doctor', '--home', home, '--module', '/nonexistent/libukey.so', '--module', notALibrary, '--module', crashing, '--module', hsm.module, '--port', String(port)]);
      assert.equal(code, 1, stdout);
      const fixAfter = (finding: RegExp) => {
        const lines = stdout.split('\n');
        const at = lines.findIndex((l) => finding.test(l));
        assert.ok(at >= 0 && lines[at]!.startsWith('[!!]'), `reported as broken: ${finding}`);
        assert.match(lines[at + 1] ?? '', /^ +修复: .+ \| fix: .+/, `a fix follows ${finding}`);
      };
      fixAfter(new RegExp(`本机证书文件已损坏: ${file}.*\\| the software token file is damaged: ${file}`));
      fixAfter(/PKCS#11 模块不存在: \/nonexistent\/libukey\.so \| PKCS#11 module does not exist/);
      fixAfter(new RegExp(`PKCS#11 模块无法加载: ${notALibrary}.*\\| PKCS#11 module does not load`));
      fixAfter(new RegExp(`PKCS#11 模块无法加载: ${crashing} \\(the module crashed the process \\(SIGSEGV\\)\\)`));
      fixAfter(new RegExp(`端口 ${port} 被其他程序占用 \\| port ${port} is held by another program`));
      fixAfter(/没有允许的网页来源.* \| no origin is allowed/);
      assert.match(stdout, /USB-Key「sicert-doctor」/, 'the working module is still checked after the broken ones');
      assert.match(stdout, /有 6 项需要修复。 \| 6 thing\(s\) to fix\./);
    } finally {
      squatter.close();
    }
  });
});
