// Why a wildcard allowlist entry needs a registrable domain: `https://*.com` or `https://*.gov.cn` would let every
// site under that suffix use the certificates on this computer. The full Public Suffix List is large and changes;
// the agent only has to refuse the suffixes someone could plausibly type, so it keeps the multi-label ones that
// matter to Chinese portals and their usual hosts. Any single label (`com`, `cn`, `test`) is refused by rule.

/** Multi-label public suffixes a wildcard may not stand directly above (lower case, no leading dot). */
export const MULTI_LABEL_PUBLIC_SUFFIXES: ReadonlySet<string> = new Set([
  // China: second-level domains under .cn, and the province ones.
  'com.cn', 'net.cn', 'org.cn', 'gov.cn', 'edu.cn', 'ac.cn', 'mil.cn',
  'bj.cn', 'sh.cn', 'tj.cn', 'cq.cn', 'he.cn', 'sx.cn', 'nm.cn', 'ln.cn', 'jl.cn', 'hl.cn', 'js.cn', 'zj.cn',
  'ah.cn', 'fj.cn', 'jx.cn', 'sd.cn', 'ha.cn', 'hb.cn', 'hn.cn', 'gd.cn', 'gx.cn', 'hi.cn', 'sc.cn', 'gz.cn',
  'yn.cn', 'xz.cn', 'sn.cn', 'gs.cn', 'qh.cn', 'nx.cn', 'xj.cn',
  // Hong Kong, Macao, Taiwan.
  'com.hk', 'net.hk', 'org.hk', 'gov.hk', 'edu.hk', 'com.mo', 'gov.mo', 'com.tw', 'net.tw', 'org.tw', 'gov.tw', 'edu.tw',
  // Other country second levels seen often.
  'co.uk', 'org.uk', 'gov.uk', 'ac.uk', 'co.jp', 'ne.jp', 'or.jp', 'com.sg', 'gov.sg', 'com.au', 'net.au', 'gov.au', 'co.kr',
  // Hosting platforms where every customer has a label of their own.
  'github.io', 'gitlab.io', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev', 'herokuapp.com',
  'azurewebsites.net', 'cloudfront.net', 'appspot.com', 'web.app', 'firebaseapp.com', 'blogspot.com',
]);

/** True when `suffix` (the part after `*.`) is a single label or a listed public suffix: not a registrable domain. */
export function isPublicSuffix(suffix: string): boolean {
  const name = suffix.toLowerCase().replace(/\.$/, '');
  return !name.includes('.') || MULTI_LABEL_PUBLIC_SUFFIXES.has(name);
}

/** Longest host name DNS allows (RFC 1035): a longer one is no origin a browser sends. */
export const MAX_HOSTNAME_LENGTH = 253;
