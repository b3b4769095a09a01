import { join } from 'node:path';
import { readAuditLog, type AuditRecord } from './audit.js';
import type { AgentConfig } from './config.js';

/** Options of `sicert-agent audit`. */
export interface AuditCommandOptions {
  /** JSON lines instead of a table. */
  json: boolean;
  /** Only the last N entries. */
  tail: number | undefined;
}

function pad(text: string, width: number): string {
  // CJK characters take two columns in a terminal.
  const columns = text.length + (text.match(/[\u1100-\uffff]/g)?.length ?? 0);
  return text + ' '.repeat(Math.max(1, width - columns));
}

function row(e: AuditRecord): string {
  const subject = e.certId ?? (e.keyId ? `${e.tokenId ?? ''}/${e.keyId}` : (e.tokenId ?? ''));
  return [pad(e.time, 26), pad(e.operation, 14), pad(e.outcome, 16), pad(e.origin, 34), pad(subject, 40), e.digest ? `${e.digest.slice(0, 16)}…` : ''].join('').trimEnd();
}

/**
 * `sicert-agent audit`: the audit log and its rotated files, oldest first, as a table or JSON lines.
 * Writes through `print` (one call per line); returns the exit code.
 */
export function auditCommand(config: AgentConfig, options: AuditCommandOptions, print: (line: string) => void = console.log): number {
  const path = join(config.home, 'audit.log');
  const { entries, unreadable } = readAuditLog(path);
  const shown = options.tail === undefined ? entries : entries.slice(Math.max(0, entries.length - options.tail));
  if (options.json) {
    for (const entry of shown) print(JSON.stringify(entry));
    return 0;
  }
  print(`审计日志 audit log: ${path}`);
  print([pad('time 时间', 26), pad('operation 操作', 14), pad('outcome 结果', 16), pad('origin 来源', 34), pad('certificate/token 证书', 40), 'SHA-256'].join('').trimEnd());
  for (const entry of shown) print(row(entry));
  print(`${shown.length} / ${entries.length} 条记录 entries${unreadable ? `; ${unreadable} 行无法读取 unreadable line(s) skipped` : ''}`);
  return 0;
}
