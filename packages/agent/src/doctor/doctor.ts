import type { AgentConfig } from '../config.js';
import { checkHome, checkOrigins, checkVersionAndPort } from './agent-checks.js';
import { checkAutostart } from './autostart-check.js';
import { formatFindings, type Finding } from './finding.js';
import { checkModules } from './module-checks.js';

/**
 * `sicert-agent doctor`: checks the version and port, allowed origins, home and software token, and every
 * PKCS#11 module (each loaded in a child process) with its tokens' PIN state; prints each finding in zh-CN and
 * English with the fix for each failure. Returns the exit code: 0 when nothing is broken, 1 otherwise.
 */
export async function doctor(config: AgentConfig, print: (line: string) => void = console.log): Promise<number> {
  const findings: Finding[] = [...(await checkVersionAndPort(config)), ...checkOrigins(config), ...checkHome(config), ...checkModules(config), ...checkAutostart()];
  print('sicert-agent doctor 诊断');
  for (const line of formatFindings(findings)) print(line);
  const broken = findings.filter((f) => !f.ok).length;
  print(broken === 0 ? '一切正常。 | Everything looks right.' : `有 ${broken} 项需要修复。 | ${broken} thing(s) to fix.`);
  return broken === 0 ? 0 : 1;
}

/**
 * `doctor` when the config file could be rewritten by another local user: the agent refuses to start on it, so
 * this is the one finding (with the `chmod`/`chown` that fixes it in the reason); exit code 1.
 */
export function doctorUntrustedConfig(error: Error, print: (line: string) => void = console.log): number {
  print('sicert-agent doctor 诊断');
  print(`[!!] ${error.message}`);
  print('有 1 项需要修复。 | 1 thing(s) to fix.');
  return 1;
}
