import { entryProblem } from './origins.js';

/** Why an origin typed on the command line was refused: a stable code and what to write instead. */
export interface OriginProblem {
  code: 'NOT_A_URL' | 'SCHEME' | 'PATH' | 'QUERY' | 'CREDENTIALS' | 'WILDCARD' | 'TOO_LONG';
  zh: string;
  en: string;
}

/** The origin as the agent compares it, or why it is not one. */
export type OriginEntry = { ok: true; origin: string } | { ok: false; problem: OriginProblem };

const EXAMPLE = 'https://rsj.example.gov.cn 或 http://localhost:8080';
const EXAMPLE_EN = 'https://rsj.example.gov.cn or http://localhost:8080';

function refuse(code: OriginProblem['code'], zh: string, en: string): OriginEntry {
  return { ok: false, problem: { code, zh: `${zh}，请写成 ${EXAMPLE}`, en: `${en}; write it as ${EXAMPLE_EN}` } };
}

/**
 * Checks an origin strictly (`http`/`https`, a host, an optional port; no path, query, fragment or user) and
 * answers it normalised as the agent's allowlist compares it: lower case, default port dropped. A leading wildcard
 * label (`https://*.example.gov.cn`) is kept, as the allowlist understands it.
 */
export function parseOriginEntry(input: string): OriginEntry {
  const text = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined || !text.slice(scheme.length + 1).startsWith('//')) {
    return refuse('NOT_A_URL', `“${input}”不是网址：缺少 http:// 或 https://`, `“${input}” is not a URL: it lacks http:// or https://`);
  }
  if (scheme !== 'http' && scheme !== 'https') return refuse('SCHEME', `只能允许 http 或 https 网页，不能是 ${scheme}:`, `only http or https pages can be allowed, not ${scheme}:`);
  // A wildcard label is not a valid URL host: check the rest with a stand-in label, then put the wildcard back.
  const wildcard = /^[a-z]+:\/\/\*\./i.test(text);
  let url: URL;
  try {
    url = new URL(wildcard ? text.replace('*.', 'wildcard-label.') : text);
  } catch {
    return refuse('NOT_A_URL', `“${input}”不是有效的网址（主机名或端口有误）`, `“${input}” is not a valid URL (check the host name and port)`);
  }
  if (url.username || url.password) return refuse('CREDENTIALS', '网址中不能带用户名或密码', 'an origin has no user name or password');
  if (url.pathname !== '/' || /^[a-z]+:\/\/[^/?#]*\/[^?#]/i.test(text)) return refuse('PATH', `网页来源不带路径（去掉 ${url.pathname}）`, `an origin has no path (drop ${url.pathname})`);
  if (url.search || url.hash || /[?#]/.test(text)) return refuse('QUERY', '网页来源不带 ? 或 # 之后的部分', 'an origin has no query (?…) or fragment (#…)');
  const origin = wildcard ? url.origin.replace('wildcard-label.', '*.') : url.origin;
  // What the agent itself would refuse to load (a wildcard over a public suffix, an endless host name).
  const problem = entryProblem(origin);
  if (problem?.code === 'WILDCARD' || problem?.code === 'TOO_LONG') return { ok: false, problem: { code: problem.code, zh: problem.zh, en: problem.en } };
  return { ok: true, origin };
}
