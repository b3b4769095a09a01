// `sicert-agent allow <origin>`, `allowed`, `deny <origin>`: the origin allowlist kept in the agent's config file,
// so that an integrator (or a province's installer) does not have to edit JSON or restart anything.
import { configFilePath, readConfigObject, writeConfigObject } from './config-file.js';
import { parseOriginEntry } from './origin-entry.js';

/** The commands of this file. */
export type AllowCommand = 'allow' | 'allowed' | 'deny';

interface Options {
  config?: string;
  home?: string;
  /** `--allow-origin` given on this command line: an agent started so ignores the file's list. */
  allowOrigins?: string[];
}

const PICKED_UP = [
  '正在运行的 sicert-agent 会在 1 秒内自动生效，无需重启。',
  'A running sicert-agent applies this within a second; no restart is needed.',
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

function overrideNote(options: Options, env: NodeJS.ProcessEnv): string[] {
  const source = options.allowOrigins?.length ? '--allow-origin' : env.SICERT_ALLOW_ORIGINS ? 'SICERT_ALLOW_ORIGINS' : undefined;
  if (!source) return [];
  return [
    `注意：以 ${source} 启动的代理只使用 ${source} 中的网站，不读此文件的列表（npm start 的演示则两者都允许）。`,
    `Note: an agent started with ${source} allows only the origins in ${source} and ignores this list (npm start's demo allows both).`,
  ];
}

/**
 * Runs `allow`, `allowed` or `deny`; resolves with the exit code: 0 done (or nothing to do), 2 a malformed or missing
 * origin, 1 a config file that cannot be read or written (left as it was).
 */
export function allowCommand(command: AllowCommand, args: readonly string[], options: Options, env: NodeJS.ProcessEnv = process.env): number {
  const path = configFilePath(options, env);
  let settings: Record<string, unknown>;
  let current: string[];
  try {
    settings = readConfigObject(path);
    current = originsIn(settings, path);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`配置文件无法读取，未做改动：${message}\nThe config file cannot be read; nothing was changed: ${message}`);
    return 1;
  }
  if (command === 'allowed') {
    console.log(current.length === 0
      ? `没有允许任何网站（${path}）。允许一个：sicert-agent allow https://社保网站地址\nNo origin is allowed (${path}). Allow one: sicert-agent allow https://your-portal.example.gov.cn`
      : `允许使用本机证书的网站 / origins allowed (${path}):\n${current.map((o) => `  ${o}`).join('\n')}`);
    for (const line of overrideNote(options, env)) console.log(line);
    return 0;
  }
  if (args.length !== 1) {
    console.error(`用法：sicert-agent ${command} <网站来源>，例如 sicert-agent ${command} http://localhost:8080\nUsage: sicert-agent ${command} <origin>, e.g. sicert-agent ${command} http://localhost:8080`);
    return 2;
  }
  const parsed = parseOriginEntry(args[0]!);
  if (!parsed.ok) {
    console.error(`无法${command === 'allow' ? '允许' : '移除'}：${parsed.problem.zh}\nCannot ${command}: ${parsed.problem.en} (${parsed.problem.code})`);
    return 2;
  }
  const origin = parsed.origin;
  const spelled = origin === args[0]!.trim() ? '' : `（按代理的比较方式写作 ${origin} / as the agent compares it: ${origin}）`;
  const present = current.some((entry) => normalized(entry) === origin);
  if (command === 'allow' ? present : !present) {
    console.log(command === 'allow'
      ? `${origin} 已在允许列表中，未做改动${spelled}。\n${origin} was already allowed; nothing changed (${path}).`
      : `${origin} 本来就不在允许列表中，未做改动${spelled}。\n${origin} was not allowed; nothing changed (${path}).`);
    for (const line of overrideNote(options, env)) console.log(line);
    return 0;
  }
  const next = command === 'allow' ? [...current, origin] : current.filter((entry) => normalized(entry) !== origin);
  try {
    // Every other setting, and the order of the keys, stays as it was.
    writeConfigObject(path, { ...settings, allowOrigins: next });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`配置文件无法写入，未做改动：${message}\nThe config file cannot be written; nothing was changed: ${message}`);
    return 1;
  }
  console.log(command === 'allow'
    ? `已允许 ${origin} 的网页使用本机的证书${spelled}（已写入 ${path}）。\nAllowed pages of ${origin} to use the certificates on this computer (written to ${path}).`
    : `已不再允许 ${origin}${spelled}；它已打开的连接会被断开（已写入 ${path}）。\n${origin} is no longer allowed; its open connections are closed (written to ${path}).`);
  for (const line of [...PICKED_UP, ...overrideNote(options, env)]) console.log(line);
  return 0;
}
