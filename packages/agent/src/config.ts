import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { DEFAULT_PORT } from '@sicert/protocol';
import type { LogLevel } from './log.js';
import { entryProblem } from './origins.js';
import { assertTrustedConfig } from './config-trust.js';

/** Everything the agent can be told. Documented in docs/agent.md. */
export interface AgentConfig {
  /** TCP port on 127.0.0.1. 0 picks a free one (tests). */
  port: number;
  /** Page origins allowed to use the agent. Empty means no page can. */
  allowOrigins: string[];
  /** PKCS#11 module paths (USB-Key drivers). */
  modules: string[];
  /** Data directory: software token, audit log. */
  home: string;
  /** Offer the software token ("this computer"). */
  softToken: boolean;
  logLevel: LogLevel;
  /** Largest WebSocket message accepted, bytes. */
  maxMessageBytes: number;
  /** Most simultaneous WebSocket connections. */
  maxConnections: number;
  /** Most simultaneous WebSocket connections from one page origin, so one origin cannot starve another. */
  maxConnectionsPerOrigin: number;
  /** Most unanswered requests per connection. */
  maxInFlight: number;
  /** Requests per second per connection, sustained (bursts of twice that are allowed). */
  ratePerSecond: number;
  /** Size at which `audit.log` is rotated, bytes. */
  auditMaxBytes: number;
  /** Rotated audit files kept (`audit.log.1` … `audit.log.<n>`). */
  auditFiles: number;
  /**
   * Service-hall counter mode: also serve `token.init` (initialise a blank USB-Key). Off by default, and never on
   * a citizen's computer: a page must not be able to initialise a USB-Key there.
   */
  hallMode: boolean;
}

/** Settings as they come from a file, the environment or flags: any subset. */
export type PartialConfig = Partial<AgentConfig>;

/** The defaults: safe when nothing is configured (no origin allowed, software token on). */
export function defaultConfig(): AgentConfig {
  return {
    port: DEFAULT_PORT,
    allowOrigins: [],
    modules: [],
    home: join(homedir(), '.sicert'),
    softToken: true,
    logLevel: 'info',
    maxMessageBytes: 8 * 1024 * 1024,
    maxConnections: 64,
    maxConnectionsPerOrigin: 16,
    maxInFlight: 16,
    ratePerSecond: 100,
    auditMaxBytes: 1024 * 1024,
    auditFiles: 5,
    hallMode: false,
  };
}

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];

function port(value: string, source: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${source}: not a port: ${value}`);
  return n;
}

function bool(value: string, source: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new Error(`${source}: expected true or false, got ${value}`);
}

/** The numeric limits: each a positive integer. */
const LIMITS = ['maxMessageBytes', 'maxConnections', 'maxConnectionsPerOrigin', 'maxInFlight', 'ratePerSecond'] as const;

function positive(value: unknown, source: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${source}: expected a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

/** The origins of `SICERT_ALLOW_ORIGINS`, each checked here so a bad one is one line naming the variable. */
function envOrigins(value: string): string[] {
  const list = value.split(/[\s,]+/).filter(Boolean);
  for (const entry of list) {
    const problem = entryProblem(entry);
    if (problem) throw new Error(`SICERT_ALLOW_ORIGINS=${value}: ${problem.zh} / ${problem.en} (${problem.code})`);
  }
  return list;
}

/** Settings from `SICERT_*` environment variables. */
export function configFromEnv(env: NodeJS.ProcessEnv): PartialConfig {
  const out: PartialConfig = {};
  if (env.SICERT_PORT) out.port = port(env.SICERT_PORT, 'SICERT_PORT');
  if (env.SICERT_ALLOW_ORIGINS) out.allowOrigins = envOrigins(env.SICERT_ALLOW_ORIGINS);
  if (env.SICERT_MODULES) out.modules = env.SICERT_MODULES.split(delimiter).filter(Boolean);
  if (env.SICERT_HOME) out.home = env.SICERT_HOME;
  if (env.SICERT_SOFT_TOKEN) out.softToken = bool(env.SICERT_SOFT_TOKEN, 'SICERT_SOFT_TOKEN');
  if (env.SICERT_HALL_MODE) out.hallMode = bool(env.SICERT_HALL_MODE, 'SICERT_HALL_MODE');
  if (env.SICERT_LOG_LEVEL) {
    if (!LOG_LEVELS.includes(env.SICERT_LOG_LEVEL)) throw new Error(`SICERT_LOG_LEVEL: one of ${LOG_LEVELS.join(', ')}`);
    out.logLevel = env.SICERT_LOG_LEVEL as LogLevel;
  }
  const perOrigin = env.SICERT_MAX_CONNECTIONS_PER_ORIGIN;
  if (perOrigin) out.maxConnectionsPerOrigin = positive(/^\d+$/.test(perOrigin) ? Number(perOrigin) : perOrigin, 'SICERT_MAX_CONNECTIONS_PER_ORIGIN');
  return out;
}

/**
 * Settings from a JSON config file; throws with the file name when it is malformed, or (POSIX) when another user
 * owns it or can write it or its directory.
 */
export function configFromFile(path: string): PartialConfig {
  // The file says which pages may use the certificates and which driver libraries to load: only its owner may write it.
  assertTrustedConfig(path);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: expected a JSON object`);
  const known = new Set(Object.keys(defaultConfig()));
  const unknown = Object.keys(parsed).filter((k) => !known.has(k));
  if (unknown.length) throw new Error(`${path}: unknown setting ${unknown.join(', ')}`);
  const settings = parsed as Record<string, unknown>;
  // A limit that is not a number would silently disable it (every comparison with NaN is false).
  for (const key of LIMITS) if (key in settings) positive(settings[key], `${path}: ${key}`);
  return parsed;
}

/**
 * Resolves the configuration: defaults, then the config file (`--config`, `SICERT_CONFIG`, or
 * `<home>/config.json` when it exists), then `SICERT_*` variables, then flags. Later sources win.
 */
export function resolveConfig(flags: PartialConfig & { config?: string }, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const fromEnv = configFromEnv(env);
  const base = defaultConfig();
  const home = flags.home ?? fromEnv.home ?? base.home;
  const file = flags.config ?? env.SICERT_CONFIG ?? (existsSync(join(home, 'config.json')) ? join(home, 'config.json') : undefined);
  const fromFile = file ? configFromFile(file) : {};
  const { config: _ignored, ...fromFlags } = flags;
  const merged: AgentConfig = { ...base, ...fromFile, ...fromEnv, ...stripUndefined(fromFlags) };
  merged.home = resolve(merged.home);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as Partial<T>;
}
