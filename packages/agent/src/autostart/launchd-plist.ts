import { assertSafeCommand } from './unsafe-path.js';

/** The launchd label, and the plist's name under ~/Library/LaunchAgents. */
export const LAUNCHD_LABEL = 'cn.sicert.agent';

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/**
 * The launchd agent (macOS) that runs `command start` when the user logs in (`RunAtLoad`) and again if it exits
 * with a failure (`KeepAlive.SuccessfulExit = false`). Throws `UnsafeAutostartPathError` (unsafe-path.ts) for a
 * word XML cannot carry as it is: a control character (XML 1.0 forbids most, and reads a carriage return as a
 * newline) or text that is not well-formed Unicode; `&`, `<`, `>` and `"` are escaped.
 */
export function launchdPlist(command: readonly string[]): string {
  assertSafeCommand(command, 'launchd');
  const args = [...command, 'start'].map((a) => `    <string>${xml(a)}</string>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- Written by \`sicert-agent install\`; \`sicert-agent uninstall\` removes it. -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>${LAUNCHD_LABEL}</string>
  <key>ProgramArguments</key>
  <array>
${args}
  </array>
  <key>RunAtLoad</key>
  <true/>
  <key>KeepAlive</key>
  <dict>
    <key>SuccessfulExit</key>
    <false/>
  </dict>
  <key>ProcessType</key>
  <string>Interactive</string>
</dict>
</plist>
`;
}
