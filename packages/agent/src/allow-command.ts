// `sicert-agent allow <origin>`, `allowed`, `deny <origin>`: the origin allowlist kept in the agent's config file,
// so that an integrator (or a province's installer) does not have to edit JSON or restart anything.
import { checkConfigPath, configFilePath, readConfigObject, writeConfigObject } from './config-file.js';
import { withConfigLock } from './config-lock.js';
import { parseOriginEntry } from './origin-entry.js';
import { OriginAllowlist, OriginListError } from './origins.js';

/** The commands of this file. */
export type AllowCommand = 'allow' | 'allowed' | 'deny';

interface Options {
  config?: string;
  home?: string;
  /** `--allow-origin` given on this command line: an agent started so ignores the file's list. */
  allowOrigins?: string[];
}

const PICKED_UP = [
  '正在运行的 sicert-agent 会在 1 秒内自动生效，无需重启（以 --allow-origin 或 SICERT_ALLOW_ORIGINS 启动的代理除外：它不读此文件的列表）。',
  'A running sicert-agent applies this within a second, with no restart (except one started with --allow-origin or SICERT_ALLOW_ORIGINS: it does not follow this file).',
];

function originsIn(settings: Record<string, unknown>, path: string): string[] {
  const list = settings.allowOrigins ?? [];
  if (!Array.isArray(list) || list.some((o) => typeof o !== 'string')) throw new Error(`${path}: allowOrigins must be a list of origins`);
  return list as string[];
}

/** The entry as the agent compares it; a malformed one (hand-written) is kept as written so it is never lost. */
function normalized(entry: string): string {
  const parsed = parseOriginEntry(entry);
  return parsed.ok ? parsed.origin : entry;
}

/** The first entry of `list` that still lets `origin` in (a wildcard over it), if any. */
function coveringEntry(list: readonly string[], origin: string): string | undefined {
  if (origin.includes('*')) return undefined;
  return list.find((entry) => {
    try {
      return new OriginAllowlist([entry]).allows(origin);
    } catch {
      return false;
    }
  });
}

function overrideNote(options: Options, env: NodeJS.ProcessEnv): string[] {
  const source = options.allowOrigins?.length ? '--allow-origin' : env.SICERT_ALLOW_ORIGINS ? 'SICERT_ALLOW_ORIGINS' : undefined;
  if (!source) return [];
  return [
    `注意：以 ${source} 启动的代理只使用 ${source} 中的网站，不读此文件的列表（npm start 的演示则两者都允许）。`,
    `Note: an agent started with ${source} allows only the origins in ${source} and ignores this list (npm start's demo allows both).`,
  ];
}

function failure(what: string, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`配置文件无法${what === 'read' ? '读取' : '写入'}，未做改动：${message}\nThe config file cannot be ${what === 'read' ? 'read' : 'written'}; nothing was changed: ${message}`);
  return 1;
}

function listAllowed(path: string, options: Options, env: NodeJS.ProcessEnv): number {
  let current: string[];
  try {
    current = originsIn(readConfigObject(path), path);
  } catch (error) {
    return failure('read', error);
  }
  console.log(current.length === 0
    ? `没有允许任何网站（${path}）。允许一个：sicert-agent allow https://社保网站地址\nNo origin is allowed (${path}). Allow one: sicert-agent allow https://your-portal.example.gov.cn`
    : `允许使用本机证书的网站 / origins allowed (${path}):\n${current.map((o) => `  ${o}`).join('\n')}`);
  for (const line of overrideNote(options, env)) console.log(line);
  return 0;
}

/** After a deny (or a deny of an origin not listed): exit 1, naming the entry, when the agent would still let it in. */
function stillCovered(list: readonly string[], origin: string): number {
  const entry = coveringEntry(list, origin);
  if (entry === undefined) return 0;
  console.error(`注意：${origin} 仍被列表中的 ${entry} 允许，代理仍会接受它；如需拒绝，请运行 sicert-agent deny ${entry}\nNote: ${origin} is still allowed by the entry ${entry}, so the agent still accepts it; to refuse it, run sicert-agent deny ${entry}`);
  return 1;
}

/** The read-modify-write of `allow`/`deny`, run under the config file's lock. */
function change(command: 'allow' | 'deny', arg: string, path: string, options: Options, env: NodeJS.ProcessEnv): number {
  let settings: Record<string, unknown>;
  let current: string[];
  try {
    settings = readConfigObject(path);
    current = originsIn(settings, path);
  } catch (error) {
    return failure('read', error);
  }
  // A hand-written entry the agent cannot use can be removed by repeating it exactly.
  const exactBad = command === 'deny' && current.includes(arg.trim()) && !parseOriginEntry(arg).ok;
  const parsed = parseOriginEntry(arg);
  if (!parsed.ok && !exactBad) {
    console.error(`无法${command === 'allow' ? '允许' : '移除'}：${parsed.problem.zh}\nCannot ${command}: ${parsed.problem.en} (${parsed.problem.code})`);
    return 2;
  }
  const origin = parsed.ok ? parsed.origin : arg.trim();
  const spelled = origin === arg.trim() ? '' : `（按代理的比较方式写作 ${origin} / as the agent compares it: ${origin}）`;
  const matches = (entry: string) => (exactBad ? entry === origin : normalized(entry) === origin);
  const present = current.some(matches);
  if (command === 'allow' ? present : !present) {
    console.log(command === 'allow'
      ? `${origin} 已在允许列表中，未做改动${spelled}。\n${origin} was already allowed; nothing changed (${path}).`
      : `${origin} 本来就不在允许列表中，未做改动${spelled}。\n${origin} was not in the list; nothing changed (${path}).`);
    for (const line of overrideNote(options, env)) console.log(line);
    return command === 'deny' ? stillCovered(current, origin) : 0;
  }
  const next = command === 'allow' ? [...current, origin] : current.filter((entry) => !matches(entry));
  try {
    // The whole list as the running agent will load it: a list it cannot use would leave it on the old one.
    new OriginAllowlist(next);
  } catch (error) {
    if (!(error instanceof OriginListError)) throw error;
    console.error(`无法${command === 'allow' ? '允许' : '移除'}，未做改动：配置文件中的 ${JSON.stringify(error.entry)} 代理无法使用（${error.problem.zh}）；请改正它，或移除：sicert-agent deny '${error.entry}'\nCannot ${command}; nothing was changed: the agent cannot use the entry ${JSON.stringify(error.entry)} of ${path} (${error.problem.en}, ${error.problem.code}); correct it, or remove it: sicert-agent deny '${error.entry}'`);
    return 1;
  }
  try {
    // Every other setting, and the order of the keys, stays as it was.
    writeConfigObject(path, { ...settings, allowOrigins: next });
  } catch (error) {
    return failure('write', error);
  }
  console.log(command === 'allow'
    ? `已允许 ${origin} 的网页使用本机的证书${spelled}（已写入 ${path}）。\nAllowed pages of ${origin} to use the certificates on this computer (written to ${path}).`
    : `已从列表中移除 ${origin}${spelled}；它已打开的连接会在 1 秒内被断开（已写入 ${path}）。\n${origin} was removed from the list; its open connections are closed within a second (written to ${path}).`);
  for (const line of [...PICKED_UP, ...overrideNote(options, env)]) console.log(line);
  return command === 'deny' ? stillCovered(next, origin) : 0;
}

/**
 * Runs `allow`, `allowed` or `deny`; resolves with the exit code: 0 done (or nothing to do), 2 a malformed or missing
 * origin, 1 a config file that cannot be read or written (left as it was), a resulting list the agent could not
 * use, or a denied origin that another entry still allows.
 */
export function allowCommand(command: AllowCommand, args: readonly string[], options: Options, env: NodeJS.ProcessEnv = process.env): number {
  const path = configFilePath(options, env);
  if (command === 'allowed') return listAllowed(path, options, env);
  if (args.length !== 1) {
    console.error(`用法：sicert-agent ${command} <网站来源>，例如 sicert-agent ${command} http://localhost:8080\nUsage: sicert-agent ${command} <origin>, e.g. sicert-agent ${command} http://localhost:8080`);
    return 2;
  }
  try {
    checkConfigPath(path, true);
    return withConfigLock(path, () => change(command, args[0]!, path, options, env));
  } catch (error) {
    return failure('write', error);
  }
}
