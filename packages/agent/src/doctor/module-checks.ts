import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import type { AgentConfig } from '../config.js';
import { findKnownModules } from '../known-modules.js';
import { fail, pass, type Finding } from './finding.js';
import { probeInvocation } from './probe-invocation.js';
import type { ModuleReport } from './probe-module.js';

/** A vendor module that takes longer than this to list its tokens is reported as hanging. */
const PROBE_TIMEOUT_MS = 20_000;

/** Loads `path` in a child process; a crash or hang becomes an error instead of taking the doctor down. */
function probe(path: string): ModuleReport | { error: string } {
  const { command, args } = probeInvocation(path);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: PROBE_TIMEOUT_MS, env: process.env });
  if (result.error) return { error: result.error.message };
  if (result.signal) return { error: `the module crashed the process (${result.signal})` };
  try {
    return JSON.parse(result.stdout) as ModuleReport | { error: string };
  } catch {
    return { error: `the module failed to load (exit ${result.status ?? '?'}): ${result.stderr.trim().split('\n').pop() ?? ''}` };
  }
}

function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function pinState(t: ModuleReport['tokens'][number]): { zh: string; en: string; ok: boolean } {
  if (!t.initialized) return { ok: true, zh: '未初始化', en: 'not initialised' };
  if (t.locked) return { ok: false, zh: 'PIN 已锁定', en: 'PIN LOCKED' };
  if (t.finalTry) return { ok: true, zh: 'PIN 仅剩最后一次机会', en: 'PIN: one try left' };
  if (t.countLow) return { ok: true, zh: 'PIN 曾输错', en: 'PIN: a wrong PIN was entered' };
  return { ok: true, zh: 'PIN 正常', en: 'PIN set' };
}

/** Configured modules (each exists, loads, and lists its tokens with PIN state), and known modules found but not configured. */
export function checkModules(config: AgentConfig, exists: (path: string) => boolean = existsSync): Finding[] {
  const findings: Finding[] = [];
  for (const path of config.modules) {
    if (!exists(path)) {
      findings.push(fail(`PKCS#11 模块不存在: ${path}`, `PKCS#11 module does not exist: ${path}`, '安装 USB-Key 驱动，或改正 --module 路径', 'install the USB-Key driver, or correct the --module path'));
      continue;
    }
    const report = probe(path);
    if ('error' in report) {
      findings.push(fail(`PKCS#11 模块无法加载: ${path} (${report.error})`, `PKCS#11 module does not load: ${path} (${report.error})`, '重新安装 USB-Key 驱动（注意 32/64 位），或改用厂商提供的其他模块', "reinstall the USB-Key driver (mind 32/64-bit), or use the vendor's other module"));
      continue;
    }
    findings.push(pass(`PKCS#11 模块已加载: ${path} (${report.library})，${report.tokens.length} 个 USB-Key`, `PKCS#11 module loads: ${path} (${report.library}), ${report.tokens.length} token(s)`));
    for (const token of report.tokens) {
      const state = pinState(token);
      const label = token.label || '(blank)';
      const zh = `USB-Key「${label}」${token.manufacturer} ${token.model} 序列号 ${token.serial}: ${state.zh}`;
      const en = `token "${label}" ${token.manufacturer} ${token.model} serial ${token.serial}: ${state.en}`;
      findings.push(state.ok ? pass(zh, en) : fail(zh, en, '请持身份证到社保经办大厅解锁 PIN', 'take your ID card to the social-insurance hall to unblock the PIN'));
    }
  }
  const configured = new Set(config.modules.filter(exists).map(realFile));
  for (const found of findKnownModules(exists, realFile).filter((m) => !configured.has(m.file))) {
    findings.push(pass(`发现未配置的模块 ${found.name}: ${found.path}（如需使用请加 --module）`, `found ${found.name} at ${found.path}, not configured (add --module to use it)`));
  }
  if (config.modules.length === 0 && !config.softToken) {
    findings.push(fail('没有配置 USB-Key 模块，本机证书也已关闭', 'no USB-Key module is configured and the software token is off', '用 --module 指定 USB-Key 驱动模块，或开启本机证书', 'name the USB-Key module with --module, or turn the software token on'));
  }
  return findings;
}
