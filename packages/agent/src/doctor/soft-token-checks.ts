import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentConfig } from '../config.js';
import { LEGACY_TOKEN_ID, tokenIds, tokenPath } from '../providers/soft/soft-token-directory.js';
import { readTokenFile, SOFT_TOKEN_MAX_TRIES } from '../providers/soft/soft-token-file.js';
import { splitLegacyStore } from '../providers/soft/soft-token-migration.js';
import { fail, pass, type Finding } from './finding.js';

const DAMAGED_FIX = {
  zh: '从备份恢复该文件，或将其移走（不要删除）后重新申领证书；然后重启证书助手',
  en: 'restore the file from a backup, or move it aside (do not delete it) and apply for a new certificate; then restart the agent',
};

/** The single store of an earlier version, when it is still there: split at the next start, damaged, or an older copy. */
function checkLegacyStore(dir: string): Finding[] {
  const path = tokenPath(dir, LEGACY_TOKEN_ID);
  if (!existsSync(path)) return [];
  const read = readTokenFile(path);
  if (read.damage !== undefined) return [fail(`本机证书文件已损坏: ${path}（${read.damage}）`, `the software token file is damaged: ${path} (${read.damage})`, DAMAGED_FIX.zh, DAMAGED_FIX.en)];
  if (!read.file) return [];
  const split = splitLegacyStore(read.file);
  if (split.every((t) => existsSync(tokenPath(dir, t.id)))) {
    return [fail(`旧版本机证书库 ${path} 是现有证书的旧副本，未被使用`, `the single store ${path} is an older copy of tokens that exist, and is not used`, '确认证书都已列出后，将该文件移走', 'check that every certificate is listed, then move the file away')];
  }
  return [pass(`旧版本机证书库将在证书助手下次启动时拆分为 ${split.length} 个本机证书: ${path}`, `the single store ${path} is split into ${split.length} software token(s) at the agent's next start`)];
}

/** Each software token: readable (holder, certificates, PIN tries left, locked, password to change) or damaged. */
export function checkSoftTokens(config: AgentConfig): Finding[] {
  const dir = join(config.home, 'soft-token');
  const findings = checkLegacyStore(dir);
  const ids = tokenIds(dir);
  if (ids.length === 0 && findings.length === 0) findings.push(pass('本机尚未存放证书', 'no certificate is stored on this computer yet'));
  for (const id of ids) {
    const path = tokenPath(dir, id);
    const read = readTokenFile(path, id);
    if (read.damage !== undefined) {
      findings.push(fail(`本机证书文件已损坏: ${path}（${read.damage}）`, `the software token file is damaged: ${path} (${read.damage})`, DAMAGED_FIX.zh, DAMAGED_FIX.en));
      continue;
    }
    if (!read.file) continue;
    const { label, failedTries: tries, certificates, mustChange } = read.file;
    const locked = tries >= SOFT_TOKEN_MAX_TRIES;
    const state = locked ? { zh: 'PIN 已锁定', en: 'PIN LOCKED' } : { zh: `PIN 还可尝试 ${SOFT_TOKEN_MAX_TRIES - tries} 次`, en: `${SOFT_TOKEN_MAX_TRIES - tries} PIN tries left` };
    const shared = mustChange ? { zh: '，密码与其他证书相同，请修改', en: ', password shared with other certificates: change it' } : { zh: '', en: '' };
    const zh = `本机证书「${label}」可读: ${path}，${certificates.length} 张证书，${state.zh}${shared.zh}`;
    const en = `software token "${label}" readable: ${path}, ${certificates.length} certificate(s), ${state.en}${shared.en}`;
    findings.push(locked ? fail(zh, en, '该证书的 PIN 已锁定，只能注销后重新申领证书', 'the PIN of this certificate is locked: revoke it and apply again') : pass(zh, en));
  }
  return findings;
}
