import { parseArgs } from 'node:util';
import type { AuditCommandOptions } from './audit-command.js';
import { resolveConfig, type AgentConfig, type PartialConfig } from './config.js';
import { UntrustedConfigError } from './config-trust.js';
import { createLogger, type LogLevel } from './log.js';
import { startAgent } from './start.js';
import { AGENT_VERSION } from './version.js';

const USAGE = `sicert-agent ${AGENT_VERSION} — the sicert local signing agent (社保数字证书本地签名服务)

Usage: sicert-agent [start|tokens|doctor|audit|allow|allowed|deny|install|uninstall] [options]

Commands:
  start     run the agent (default)
  tokens    list tokens and certificates, then exit
  doctor    check modules, tokens, port, allowlist, software token and version, and say what to fix
            (exit code 1 when something is broken)
  audit     print the audit log, oldest first, across its rotated files
  allow <origin>  let the pages of <origin> use the agent (saved in the config file; a running agent applies it)
  allowed   list the origins allowed in the config file
  deny <origin>   no longer allow <origin> (a running agent closes its connections)
  install   start the agent at login (systemd user unit, launchd agent or Windows Run entry)
  uninstall stop starting it at login: removes what install wrote

Options:
  --port <n>            port on 127.0.0.1 (default 21260; SICERT_PORT)
  --allow-origin <url>  page origin allowed to use the agent; repeatable (SICERT_ALLOW_ORIGINS, comma-separated)
  --module <path>       PKCS#11 module of a USB-Key; repeatable (SICERT_MODULES, path-list)
  --home <dir>          data directory (default ~/.sicert; SICERT_HOME)
  --config <file>       JSON config file (default <home>/config.json; SICERT_CONFIG)
  --no-soft-token       do not offer the software token (SICERT_SOFT_TOKEN=false)
  --hall-mode           service-hall counter: also initialise blank USB-Keys (token.init; SICERT_HALL_MODE)
  --log-level <level>   error, warn, info or debug (SICERT_LOG_LEVEL)
  --json                audit: JSON lines instead of a table
  --tail <n>            audit: only the last n entries
  -h, --help            this text
  -v, --version         the version
`;

interface ParsedArgs {
  command: string;
  flags: PartialConfig & { config?: string };
  audit: AuditCommandOptions;
  help: boolean;
  version: boolean;
  /** Arguments after the command (the origin of `allow` and `deny`). */
  args: string[];
}

function parse(argv: string[]): ParsedArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      module: { type: 'string', multiple: true },
      home: { type: 'string' },
      config: { type: 'string' },
      'soft-token': { type: 'boolean' },
      'no-soft-token': { type: 'boolean' },
      'hall-mode': { type: 'boolean' },
      'log-level': { type: 'string' },
      json: { type: 'boolean' },
      tail: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const flags: PartialConfig & { config?: string } = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port: not a port: ${values.port}`);
    flags.port = port;
  }
  if (values['allow-origin']) flags.allowOrigins = values['allow-origin'];
  if (values.module) flags.modules = values.module;
  if (values.home) flags.home = values.home;
  if (values.config) flags.config = values.config;
  if (values['no-soft-token']) flags.softToken = false;
  else if (values['soft-token']) flags.softToken = true;
  if (values['hall-mode']) flags.hallMode = true;
  if (values['log-level']) {
    if (!['error', 'warn', 'info', 'debug'].includes(values['log-level'])) throw new Error('--log-level: error, warn, info or debug');
    flags.logLevel = values['log-level'] as LogLevel;
  }
  const tail = values.tail === undefined ? undefined : Number(values.tail);
  if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new Error(`--tail: not a count: ${values.tail}`);
  const takesArgument = positionals[0] === 'allow' || positionals[0] === 'deny';
  if (positionals.length > (takesArgument ? 2 : 1)) throw new Error(`unexpected argument: ${positionals[takesArgument ? 2 : 1]}`);
  return { command: positionals[0] ?? 'start', flags, audit: { json: Boolean(values.json), tail }, help: Boolean(values.help), version: Boolean(values.version), args: positionals.slice(1) };
}

async function tokens(config: AgentConfig): Promise<void> {
  // pkijs only for this listing: `start` never loads it (see docs/agent.md).
  const { summarizeCertificate } = await import('@sicert/pki');
  const logger = createLogger('error');
  // Commands other than start load what they use when run, so `start` loads none of it.
  const { createProviders } = await import('./agent.js');
  const { providers } = createProviders(config, logger);
  try {
    for (const provider of providers) {
      for (const token of await provider.listTokens()) {
        const pin = token.damaged ? 'DAMAGED (see sicert-agent doctor)' : token.pin.locked ? 'PIN locked' : token.pin.initialized ? 'PIN set' : 'not initialised';
        console.log(`${token.id}  [${token.provider}] ${token.label}  ${token.manufacturer} ${token.model}  ${pin}`);
        for (const cert of await provider.listCertificates(token.id)) {
          const s = summarizeCertificate(cert.der);
          console.log(`  ${cert.id}  ${s.subjectCommonName ?? s.subject}  until ${s.notAfter.slice(0, 10)}  ${s.status}${cert.hasPrivateKey ? '' : '  (no private key)'}`);
        }
      }
    }
  } finally {
    await Promise.all(providers.map((p) => p.close()));
  }
}

/** Runs the CLI; resolves with the exit code (start resolves only on failure). */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (error) {
    console.error(`sicert-agent: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.version) {
    console.log(AGENT_VERSION);
    return 0;
  }
  // Before the config is resolved: these read and write the config file themselves, and explain a broken one.
  if (parsed.command === 'allow' || parsed.command === 'allowed' || parsed.command === 'deny') return (await import('./allow-command.js')).allowCommand(parsed.command, parsed.args, parsed.flags);
  let config: AgentConfig;
  try {
    config = resolveConfig(parsed.flags);
  } catch (error) {
    // doctor reports a config file others could rewrite as a finding to fix, not a crash.
    if (parsed.command === 'doctor' && error instanceof UntrustedConfigError) return (await import('./doctor/doctor.js')).doctorUntrustedConfig(error);
    throw error;
  }
  switch (parsed.command) {
    case 'tokens':
      await tokens(config);
      return 0;
    case 'doctor':
      return (await import('./doctor/doctor.js')).doctor(config);
    case 'audit':
      return (await import('./audit-command.js')).auditCommand(config, parsed.audit);
    case 'install':
    case 'uninstall':
      return (await import('./autostart/autostart.js')).autostartCommand(parsed.command);
    case 'start': {
      const agent = await startAgent(config);
      console.log(`sicert-agent ${AGENT_VERSION} listening on ${agent.url}`);
      const { watchAllowlist } = await import('./allowlist-reload.js');
      watchAllowlist(agent, (await import('./config-file.js')).configFilePath(parsed.flags), () => resolveConfig(parsed.flags).allowOrigins, createLogger(config.logLevel));
      const stop = () => {
        void agent.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => undefined);
    }
    default:
      console.error(`sicert-agent: unknown command ${parsed.command}\n\n${USAGE}`);
      return 2;
  }
}

/** Ends the process once everything written to stdout and stderr has been handed over (a pipe drains slowly). */
function exitAfterOutput(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

/**
 * Runs the CLI as a process: `main`, then exit with its code. Output to a pipe (`sicert-agent audit --json | wc -l`)
 * is written asynchronously, so the process exits only after it has drained.
 */
export function run(argv: string[]): void {
  main(argv).then(exitAfterOutput, (error: unknown) => {
    console.error(`sicert-agent: ${error instanceof Error ? error.message : String(error)}`);
    exitAfterOutput(1);
  });
}
