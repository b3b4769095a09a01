// What `npm start` takes from the environment and from the agent's own config file, so that the demo's agent is the
// one an integrator configures with `sicert-agent allow` (an integrator's page on its own origin can use it).
import { existsSync } from 'node:fs';
import { configFilePath, configFromEnv, configFromFile, type PartialConfig } from '@sicert/agent';
import { DEFAULT_PORT } from '@sicert/protocol';

/** The demo's start settings: ports, the agent settings from file and environment, the extra allowed origins. */
export interface StartSettings {
  portalPort: number;
  agentPort: number;
  /** The agent config file `sicert-agent allow` writes (it may not exist yet). */
  configFile: string;
  /** From the config file, then `SICERT_*` (later wins); the demo's own home, port and origins win over these. */
  agentSettings: PartialConfig;
  /** `SICERT_ALLOW_ORIGINS` and the config file's `allowOrigins` together, read again on each call. */
  extraOrigins: () => string[];
}

function portOf(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new StartProblem(`${name}=${value} 不是端口号（0-65535）/ ${name}=${value} is not a port (0-65535)`);
  return port;
}

/** A start that cannot go on, with the one line that says why and what to change (no stack trace). */
export class StartProblem extends Error {}

function fromFile(file: string): PartialConfig {
  if (!existsSync(file)) return {};
  try {
    return configFromFile(file);
  } catch (error) {
    throw new StartProblem(`代理配置文件不能使用 / the agent config file cannot be used: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Reads the settings of `npm start` from `env` and the agent config file it names (or `~/.sicert/config.json`). */
export function startSettings(env: NodeJS.ProcessEnv): StartSettings {
  const configFile = configFilePath({}, env);
  const file = fromFile(configFile);
  let fromEnv: PartialConfig;
  try {
    fromEnv = configFromEnv(env);
  } catch (error) {
    throw new StartProblem(error instanceof Error ? error.message : String(error));
  }
  // The demo keeps its agent's data in its own data directory, whatever home the file names.
  const { home: _home, allowOrigins: _origins, ...agentSettings } = { ...file, ...fromEnv };
  const envOrigins = fromEnv.allowOrigins ?? [];
  return {
    portalPort: portOf(env.SICERT_DEMO_PORT, 5180, 'SICERT_DEMO_PORT'),
    agentPort: portOf(env.SICERT_PORT, file.port ?? DEFAULT_PORT, 'SICERT_PORT'),
    configFile,
    agentSettings,
    extraOrigins: () => [...envOrigins, ...(fromFile(configFile).allowOrigins ?? [])],
  };
}

/**
 * The one line for a port already in use, naming the variable that moves it; undefined for any other error.
 * `error` is what `listen` rejected with (it carries the port).
 */
export function portInUseLine(error: unknown, settings: Pick<StartSettings, 'portalPort' | 'agentPort'>): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const failure = error as NodeJS.ErrnoException & { port?: number };
  if (failure.code !== 'EADDRINUSE') return undefined;
  const port = failure.port ?? settings.agentPort;
  const [what, zh, variable] = port === settings.portalPort && port !== 0 ? ['portal', '演示门户', 'SICERT_DEMO_PORT'] : ['agent', '签名代理', 'SICERT_PORT'];
  return `端口 ${port} 已被占用（${zh}）；换一个端口：${variable}=${port + 1} npm start / Port ${port} is in use (the ${what}); choose another with ${variable}, e.g. ${variable}=${port + 1} npm start`;
}
