import { defaultAutostartEnv, type AutostartEnv, type AutostartStatus, type Note } from './autostart-env.js';
import { installLinux, statusLinux, uninstallLinux } from './autostart-linux.js';
import { installMacos, statusMacos, uninstallMacos } from './autostart-macos.js';
import { installWindows, statusWindows, uninstallWindows } from './autostart-windows.js';

/** Per-user autostart on one operating system. */
interface Backend {
  install(env: AutostartEnv): Note[];
  uninstall(env: AutostartEnv): Note[];
  status(env: AutostartEnv): AutostartStatus;
}

const BACKENDS: Partial<Record<NodeJS.Platform, Backend>> = {
  linux: { install: installLinux, uninstall: uninstallLinux, status: statusLinux },
  darwin: { install: installMacos, uninstall: uninstallMacos, status: statusMacos },
  win32: { install: installWindows, uninstall: uninstallWindows, status: statusWindows },
};

function backend(env: AutostartEnv): Backend {
  const found = BACKENDS[env.platform];
  if (!found) throw new Error(`此系统（${env.platform}）不支持自启动 | autostart is not supported on ${env.platform}`);
  return found;
}

/** Registers the agent to start when the user logs in: a systemd user unit, a launchd agent, or a Run entry. Idempotent. */
export function installAutostart(env: AutostartEnv = defaultAutostartEnv()): Note[] {
  return backend(env).install(env);
}

/** Removes exactly what {@link installAutostart} registered. */
export function uninstallAutostart(env: AutostartEnv = defaultAutostartEnv()): Note[] {
  return backend(env).uninstall(env);
}

/** Whether the agent starts at login, and by what. */
export function autostartStatus(env: AutostartEnv = defaultAutostartEnv()): AutostartStatus {
  const found = BACKENDS[env.platform];
  return found ? found.status(env) : { on: false, how: { zh: `此系统（${env.platform}）不支持自启动`, en: `autostart is not supported on ${env.platform}` } };
}

/**
 * `sicert-agent install` / `uninstall`: does it and prints each step in zh-CN and English. Returns the exit code:
 * 0 when done (or nothing was to do), 1 when it could not (the reason printed, nothing half-written).
 */
export function autostartCommand(action: 'install' | 'uninstall', env: AutostartEnv = defaultAutostartEnv(), print: (line: string) => void = console.log): number {
  try {
    const notes = action === 'install' ? installAutostart(env) : uninstallAutostart(env);
    for (const note of notes) print(`${note.zh} | ${note.en}`);
    return 0;
  } catch (error) {
    print(`sicert-agent ${action}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
