// A config file names the pages allowed to use the certificates on this computer and the driver libraries the agent
// loads, so a file another local user can rewrite would hand them both. On POSIX the agent takes a config only from
// a file its own user owns and no one else can write, in a directory no one else can rename files in.
import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';

/** Thrown when a config file could be changed by another user; the message says which `chmod` (or `chown`) fixes it. */
export class UntrustedConfigError extends Error {}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** Why `path` (and its directory) cannot be trusted, or undefined. Windows is not checked (ACLs, not mode bits). */
export function untrustedConfigReason(path: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
  const uid = process.getuid?.();
  let file: Stats;
  try {
    file = statSync(path);
  } catch {
    return undefined; // a missing file is reported by whoever reads it
  }
  if (uid !== undefined && file.uid !== uid) {
    return `配置文件 ${path} 属于另一个用户（uid ${file.uid}），不予采用；修复：sudo chown ${uid} ${path} / the config file ${path} is owned by another user (uid ${file.uid}), so it is not used; fix: sudo chown ${uid} ${path}`;
  }
  if (file.mode & 0o022) {
    return `配置文件 ${path} 其他用户可以修改（权限 ${octal(file.mode)}），不予采用；修复：chmod 600 ${path} / the config file ${path} is writable by other users (mode ${octal(file.mode)}), so it is not used; fix: chmod 600 ${path}`;
  }
  const dir = dirname(path);
  const folder = statSync(dir);
  // Sticky (like /tmp): others may create files there but not rename over or delete this one.
  if (folder.mode & 0o022 && !(folder.mode & 0o1000)) {
    return `配置文件所在目录 ${dir} 其他用户可以写入（权限 ${octal(folder.mode)}），可替换此文件，不予采用；修复：chmod go-w ${dir} / the directory ${dir} holding the config file is writable by other users (mode ${octal(folder.mode)}), who could replace it, so it is not used; fix: chmod go-w ${dir}`;
  }
  if (uid !== undefined && folder.uid !== uid && folder.uid !== 0) {
    return `配置文件所在目录 ${dir} 属于另一个用户（uid ${folder.uid}），不予采用 / the directory ${dir} holding the config file is owned by another user (uid ${folder.uid}), so it is not used; move the file into a directory of your own`;
  }
  return undefined;
}

/** Throws {@link UntrustedConfigError} when {@link untrustedConfigReason} finds one. */
export function assertTrustedConfig(path: string): void {
  const reason = untrustedConfigReason(path);
  if (reason) throw new UntrustedConfigError(reason);
}
