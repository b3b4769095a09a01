import { accessSync, constants, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { summarizeCertificate } from '@sicert/pki';
import { createProviders, startAgent } from './agent.js';
import { resolveConfig, type AgentConfig, type PartialConfig } from './config.js';
import { createLogger, type LogLevel } from './log.js';
import { OriginAllowlist } from './origins.js';
import { AGENT_VERSION } from './version.js';

const USAGE = `sicert-agent ${AGENT_VERSION} — the sicert local signing agent (社保数字证书本地签名服务)

Usage: sicert-agent [start|tokens|doctor] [options]

Commands:
  start     run the agent (default)
  tokens    list tokens and certificates, then exit
  doctor    check modules, port, allowlist and home directory, and say what to fix

Options:
  --port <n>            port on 127.0.0.1 (default 21260; SICERT_PORT)
  --allow-origin <url>  page origin allowed to use the agent; repeatable (SICERT_ALLOW_ORIGINS, comma-separated)
  --module <path>       PKCS#11 module of a USB-Key; repeatable (SICERT_MODULES, path-list)
  --home <dir>          data directory (default ~/.sicert; SICERT_HOME)
  --config <file>       JSON config file (default <home>/config.json; SICERT_CONFIG)
  --no-soft-token       do not offer the software token (SICERT_SOFT_TOKEN=false)
  --log-level <level>   error, warn, info or debug (SICERT_LOG_LEVEL)
  -h, --help            this text
  -v, --version         the version
`;

function parse(argv: string[]): { command: string; flags: PartialConfig & { config?: string }; help: boolean; version: boolean } {
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
      'log-level': { type: 'string' },
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
  if (values['log-level']) {
    if (!['error', 'warn', 'info', 'debug'].includes(values['log-level'])) throw new Error('--log-level: error, warn, info or debug');
    flags.logLevel = values['log-level'] as LogLevel;
  }
  if (positionals.length > 1) throw new Error(`unexpected argument: ${positionals[1]}`);
  return { command: positionals[0] ?? 'start', flags, help: Boolean(values.help), version: Boolean(values.version) };
}

async function tokens(config: AgentConfig): Promise<void> {
  const logger = createLogger('error');
  const { providers } = createProviders(config, logger);
  try {
    for (const provider of providers) {
      for (const token of await provider.listTokens()) {
        const pin = token.pin.locked ? 'PIN locked' : token.pin.initialized ? 'PIN set' : 'not initialised';
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

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function doctor(config: AgentConfig): Promise<number> {
  let problems = 0;
  const ok = (text: string) => console.log(`  ok    ${text}`);
  const bad = (text: string, fix: string) => {
    problems++;
    console.log(`  FIX   ${text}\n        → ${fix}`);
  };
  console.log(`sicert-agent ${AGENT_VERSION} doctor`);
  if (config.allowOrigins.length === 0) bad('no origin is allowed, so no web page can use the agent', 'add --allow-origin https://your-portal.example.gov.cn');
  else {
    try {
      new OriginAllowlist(config.allowOrigins);
      ok(`allowed origins: ${config.allowOrigins.join(', ')}`);
    } catch (error) {
      bad(String(error instanceof Error ? error.message : error), 'write origins as https://host[:port], no path');
    }
  }
  if (config.port !== 0 && !(await portFree(config.port))) bad(`port ${config.port} on 127.0.0.1 is in use`, 'stop the other agent, or choose --port');
  else ok(`port ${config.port} is free`);
  for (const module of config.modules) {
    if (!existsSync(module)) bad(`PKCS#11 module ${module} does not exist`, 'install the USB-Key driver, or fix --module');
  }
  try {
    if (existsSync(config.home)) accessSync(config.home, constants.W_OK);
    ok(`home ${config.home} is writable`);
  } catch {
    bad(`home ${config.home} is not writable`, 'choose --home, or fix its permissions');
  }
  // Module load failures are logged as errors: turn each into a finding with its fix.
  const findings = createLogger('error', (line) => {
    const { message, module, error } = JSON.parse(line) as { message: string; module?: string; error?: string };
    bad(`${message} ${module ?? ''}: ${error ?? ''}`, 'check the module path and the USB-Key driver');
  });
  const { providers } = createProviders(config, findings);
  try {
    const found = (await Promise.all(providers.map((p) => p.listTokens()))).flat();
    if (found.length === 0) bad('no token found', 'plug in the USB-Key, or enable the software token');
    for (const token of found) ok(`token ${token.label} (${token.provider})${token.pin.locked ? ' — PIN LOCKED: the hall can unblock it' : ''}`);
  } finally {
    await Promise.all(providers.map((p) => p.close()));
  }
  console.log(problems === 0 ? 'Everything looks right.' : `${problems} thing(s) to fix.`);
  return problems === 0 ? 0 : 1;
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
  const config = resolveConfig(parsed.flags);
  switch (parsed.command) {
    case 'tokens':
      await tokens(config);
      return 0;
    case 'doctor':
      return doctor(config);
    case 'start': {
      const agent = await startAgent(config);
      console.log(`sicert-agent ${AGENT_VERSION} listening on ${agent.url}`);
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
