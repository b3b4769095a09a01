/** One entry of the site's navigation. */
export interface NavEntry {
  href: string;
  title: string;
}

/** A page to write: where, its title, its body, and the same page in the other language when the docs have it. */
export interface PageSpec {
  file: string;
  title: string;
  body: string;
  lang: 'en' | 'zh-CN';
  /** The page's counterpart in the other language. */
  alternate?: { href: string; lang: 'en' | 'zh-CN' };
  /** Loads the live examples' script. */
  examples?: boolean;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The one page template: navigation on the side, the content, and the language switch when there is one. */
export function page(spec: PageSpec, nav: readonly NavEntry[]): string {
  const links = nav
    .map((entry) => `<li><a href="${escapeHtml(entry.href)}"${entry.href === spec.file ? ' aria-current="page"' : ''}>${escapeHtml(entry.title)}</a></li>`)
    .join('\n');
  const alternate = spec.alternate
    ? `<p class="lang-switch"><a href="${escapeHtml(spec.alternate.href)}" hreflang="${spec.alternate.lang}" lang="${spec.alternate.lang}">${spec.alternate.lang === 'zh-CN' ? '中文' : 'English'}</a></p>`
    : '';
  return `<!doctype html>
<html lang="${spec.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)} · sicert</title>
<link rel="stylesheet" href="assets/site.css">
<link rel="icon" href="data:,">
${spec.alternate ? `<link rel="alternate" hreflang="${spec.alternate.lang}" href="${escapeHtml(spec.alternate.href)}">` : ''}
${spec.examples ? '<script type="module" src="assets/examples.js"></script>' : ''}
</head>
<body>
<header class="site-header"><a class="brand" href="index.html">sicert</a> <span>社保数字证书 · docs</span></header>
<div class="layout">
<nav class="site-nav" aria-label="Docs"><ul>
${links}
</ul></nav>
<main>
${alternate}
${spec.body}
</main>
</div>
</body>
</html>
`;
}
