// The .deb: the single executable under /usr/lib/sicert-agent/ with pkcs11js's addon beside it, /usr/bin/sicert-agent
// a link to it, the systemd user unit that starts it at login for every user (enabled by postinst through
// deb-systemd-helper, as dh_installsystemduser does), and a desktop entry. Built with dpkg-deb from a staging tree.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const HERE = dirname(fileURLToPath(import.meta.url));
const MAINTAINER = 'sicert developers <sicert-dev@lists.sicert.org>';

const DESCRIPTION = `local signing agent for social-insurance digital certificates
 sicert-agent lets the web pages of a provincial social-insurance portal use
 the citizen's USB-Key (through its PKCS#11 module) or a certificate kept on
 this computer, over a WebSocket on 127.0.0.1 open only to allowed sites.
 It starts at login as a systemd user service.
 .
 社保数字证书本地签名服务：让社保网站通过本机 127.0.0.1 上仅对允许网站开放的
 连接，使用您的 USB-Key（经其 PKCS#11 驱动模块）或本机证书签名；登录时作为
 systemd 用户服务自动启动。`;

// The maintainer scripts dh_installsystemduser generates (debhelper's autoscripts postinst-systemd-user-enable and
// postrm-systemd-user): deb-systemd-helper records the links it made, so an administrator's
// `systemctl --global disable` is kept through upgrades and through a remove and reinstall (was-enabled is then
// false); only purge forgets it. Remove masks the unit, whose file is gone, and the next configure unmasks it.
const POSTINST = `#!/bin/sh
set -e
if [ "$1" = "configure" ] || [ "$1" = "abort-upgrade" ] || [ "$1" = "abort-deconfigure" ] || [ "$1" = "abort-remove" ]; then
\tif command -v deb-systemd-helper >/dev/null 2>&1; then
\t\tdeb-systemd-helper --user unmask sicert-agent.service >/dev/null || true
\t\tif deb-systemd-helper --quiet --user was-enabled sicert-agent.service; then
\t\t\tdeb-systemd-helper --user enable sicert-agent.service >/dev/null || true
\t\telse
\t\t\tdeb-systemd-helper --user update-state sicert-agent.service >/dev/null || true
\t\tfi
\tfi
fi
`;

const POSTRM = `#!/bin/sh
set -e
if command -v deb-systemd-helper >/dev/null 2>&1; then
\tif [ "$1" = "remove" ]; then
\t\tdeb-systemd-helper --user mask sicert-agent.service >/dev/null || true
\tfi
\tif [ "$1" = "purge" ]; then
\t\tdeb-systemd-helper --user purge sicert-agent.service >/dev/null || true
\t\tdeb-systemd-helper --user unmask sicert-agent.service >/dev/null || true
\tfi
fi
`;

// Node's own binary, as Debian builds it: it carries zlib inside and is not position-independent; neither can be
// changed without building Node.
const OVERRIDES = `sicert-agent: embedded-library zlib [usr/lib/sicert-agent/sicert-agent]
sicert-agent: hardening-no-pie [usr/lib/sicert-agent/sicert-agent]
`;

const MANPAGE = (version) => `.TH SICERT-AGENT 1 "" "sicert-agent ${version}" "User Commands"
.SH NAME
sicert-agent \\- local signing agent for social-insurance digital certificates
.SH SYNOPSIS
.B sicert-agent
[\\fBstart\\fR|\\fBtokens\\fR|\\fBdoctor\\fR|\\fBaudit\\fR|\\fBinstall\\fR|\\fBuninstall\\fR] [\\fIoptions\\fR]
.SH DESCRIPTION
Lets the web pages of allowed social-insurance portals sign with a USB-Key (PKCS#11) or a certificate kept on
this computer, over a WebSocket on 127.0.0.1.
.B sicert-agent --help
lists the commands and options;
.B sicert-agent doctor
says what to fix.
.PP
社保数字证书本地签名服务。
.SH FILES
.TP
.I /usr/lib/systemd/user/sicert-agent.service
starts the agent at login.
.TP
.I ~/.sicert
the agent's data: configuration, software token, audit log.
`;

const COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: sicert

Files: *
Copyright: 2026 sicert developers
License: Apache-2.0
Comment: Contains Node.js (MIT License) and pkcs11js (MIT License).

License: Apache-2.0
 On Debian systems, the full text of the Apache License 2.0 can be found in
 /usr/share/common-licenses/Apache-2.0.
`;

/** The Depends of the executable and the addon, from the libraries they link (dpkg-shlibdeps). */
function depends(files) {
  const dir = mkdtempSync(join(tmpdir(), 'sicert-shlibs-'));
  try {
    mkdirSync(join(dir, 'debian'));
    writeFileSync(join(dir, 'debian/control'), 'Source: sicert-agent\n\nPackage: sicert-agent\nArchitecture: any\n');
    const out = execFileSync('dpkg-shlibdeps', ['-O', ...files], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /shlibs:Depends=(.*)/.exec(out)[1].trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(path, text, mode = 0o644) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

function files(dir, root = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return relative(root, path) === 'DEBIAN' ? [] : files(path, root);
    return e.isFile() ? [path] : [];
  });
}

/**
 * Builds `<out>/sicert-agent_<version>_<arch>.deb` from the executable and addon `buildExecutable` made; returns its
 * path. `unit` is the systemd user unit's text (src/autostart/systemd-unit.ts, the same generator install uses).
 */
export function buildDeb({ executable, addon, version, unit, out, work }) {
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  const root = join(work, 'deb-root');
  rmSync(root, { recursive: true, force: true });
  const lib = join(root, 'usr/lib/sicert-agent');
  mkdirSync(lib, { recursive: true });
  copyFileSync(executable, join(lib, 'sicert-agent'));
  chmodSync(join(lib, 'sicert-agent'), 0o755);
  copyFileSync(addon, join(lib, 'pkcs11.node'));
  chmodSync(join(lib, 'pkcs11.node'), 0o644);
  execFileSync('strip', ['--strip-unneeded', '--remove-section=.comment', '--remove-section=.note', join(lib, 'pkcs11.node')]);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  symlinkSync('../lib/sicert-agent/sicert-agent', join(root, 'usr/bin/sicert-agent'));
  write(join(root, 'usr/lib/systemd/user/sicert-agent.service'), unit);
  write(join(root, 'usr/share/applications/sicert-agent.desktop'), readFileSync(join(HERE, 'sicert-agent.desktop'), 'utf8'));
  write(join(root, 'usr/share/doc/sicert-agent/copyright'), COPYRIGHT);
  write(join(root, 'usr/share/lintian/overrides/sicert-agent'), OVERRIDES);
  write(join(root, 'usr/share/man/man1/sicert-agent.1.gz'), gzipSync(MANPAGE(version), { level: 9 }));
  const changelog = `sicert-agent (${version}) stable; urgency=medium\n\n  * Release ${version}; see the project's CHANGELOG.md files.\n\n -- ${MAINTAINER}  ${new Date(0).toUTCString().replace('GMT', '+0000')}\n`;
  write(join(root, 'usr/share/doc/sicert-agent/changelog.gz'), gzipSync(changelog, { level: 9 }));
  const payload = files(root);
  const installedKb = Math.ceil(payload.reduce((sum, f) => sum + statSync(f).size, 0) / 1024);
  const control = [
    'Package: sicert-agent',
    `Version: ${version}`,
    `Architecture: ${arch}`,
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedKb}`,
    `Depends: ${depends([join(lib, 'sicert-agent'), join(lib, 'pkcs11.node')])}`,
    'Recommends: opensc-pkcs11',
    'Section: utils',
    'Priority: optional',
    `Description: ${DESCRIPTION}`,
    '',
  ].join('\n');
  write(join(root, 'DEBIAN/control'), control);
  write(join(root, 'DEBIAN/postinst'), POSTINST, 0o755);
  write(join(root, 'DEBIAN/postrm'), POSTRM, 0o755);
  write(join(root, 'DEBIAN/md5sums'), payload.map((f) => `${createHash('md5').update(readFileSync(f)).digest('hex')}  ${relative(root, f)}\n`).join(''));
  for (const dir of [root, ...dirsUnder(root)]) chmodSync(dir, 0o755);
  mkdirSync(out, { recursive: true });
  const deb = join(out, `sicert-agent_${version}_${arch}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '-z3', '--build', root, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  return deb;
}

function dirsUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => [join(dir, e.name), ...dirsUnder(join(dir, e.name))]);
}
