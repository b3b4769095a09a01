// `npm run docs`: the static docs site in docs/dist/ from docs/*.md and the elements' Custom Elements Manifest.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild } from 'esbuild';
import { page, type NavEntry, type PageSpec } from './layout.js';
import { renderDoc, type LinkTargets } from './markdown.js';
import { elementPage, elementReference, elementsOf, exampleControls, liveExample, type Manifest } from './reference.js';
import { homePage, SCREENSHOTS } from './home.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the site is read from and written to. */
export interface SiteOptions {
  /** docs/: the Markdown, images/ and the other files links point at. */
  docsDir?: string;
  manifestPath?: string;
  outDir?: string;
}

/** What was written, for the caller (and the test) to check. */
export interface BuiltSite {
  outDir: string;
  /** Every HTML page, relative to `outDir`. */
  pages: string[];
  /** The element tags that have a reference page. */
  elements: string[];
}

const ZH = '.zh-CN.md';

/** The docs pages: `agent.md` → `agent.html`, `agent.zh-CN.md` → `agent.zh-CN.html`. */
function docPages(docsDir: string): Map<string, string> {
  const pages = new Map<string, string>();
  for (const name of readdirSync(docsDir).sort()) if (name.endsWith('.md')) pages.set(name, name.replace(/\.md$/, '.html'));
  return pages;
}

/** Files beside the docs that links may point at and the site copies as they are. */
function docAssets(docsDir: string): Set<string> {
  const assets = new Set<string>();
  // tsconfig.json type-checks the framework examples; it means nothing on the site (and names files it does not ship).
  for (const name of readdirSync(docsDir)) if (!name.endsWith('.md') && name !== 'tsconfig.json' && statSync(join(docsDir, name)).isFile()) assets.add(name);
  for (const dir of ['images', 'frameworks']) {
    for (const name of existsSync(join(docsDir, dir)) ? readdirSync(join(docsDir, dir)) : []) assets.add(`${dir}/${name}`);
  }
  return assets;
}

function bundleExamples(outDir: string): Promise<unknown> {
  return esbuild({
    entryPoints: [join(ROOT, 'docs/site/examples.ts')],
    outfile: join(outDir, 'assets/examples.js'),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Builds the whole site into `outDir` (emptied first). */
export async function buildSite(options: SiteOptions = {}): Promise<BuiltSite> {
  const docsDir = options.docsDir ?? join(ROOT, 'docs');
  const manifestPath = options.manifestPath ?? join(ROOT, 'packages/elements/custom-elements.json');
  const outDir = options.outDir ?? join(docsDir, 'dist');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run build\` first (it writes the Custom Elements Manifest).`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const elements = elementsOf(manifest);

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  const bundling = bundleExamples(outDir);

  const pages = docPages(docsDir);
  const assets = docAssets(docsDir);
  const targets: LinkTargets = { pages, assets };
  const rendered = new Map([...pages.keys()].map((name) => [name, renderDoc(readFileSync(join(docsDir, name), 'utf8'), targets)]));

  const nav: NavEntry[] = [
    { href: 'index.html', title: 'Home · 首页' },
    ...[...pages].filter(([name]) => !name.endsWith(ZH)).map(([name, href]) => ({ href, title: rendered.get(name)?.title ?? name })),
    { href: 'examples.html', title: 'Live examples · 在线示例' },
    ...elements.map((element) => ({ href: elementPage(element.tagName), title: `<${element.tagName}>` })),
  ];

  const specs: PageSpec[] = [];
  for (const [name, file] of pages) {
    const doc = rendered.get(name);
    if (!doc) continue;
    const zh = name.endsWith(ZH);
    const other = zh ? name.replace(ZH, '.md') : name.replace(/\.md$/, ZH);
    const otherPage = pages.get(other);
    specs.push({ file, title: doc.title, body: doc.html, lang: zh ? 'zh-CN' : 'en', ...(otherPage ? { alternate: { href: otherPage, lang: zh ? 'en' : 'zh-CN' } } : {}) });
  }
  for (const element of elements) {
    specs.push({ file: elementPage(element.tagName), title: `<${element.tagName}>`, body: elementReference(element), lang: 'en', examples: true });
  }
  const examples = elements.map((element) => liveExample(element, `<a href="${elementPage(element.tagName)}"><code>&lt;${element.tagName}&gt;</code></a>`)).join('\n');
  specs.push({
    file: 'examples.html',
    title: 'Live examples',
    lang: 'en',
    examples: true,
    body: `<h1 id="live-examples">Live examples · 在线示例</h1>
<p>Every element of <code>@sicert/elements</code>, running in this page with no agent installed: a stand-in agent in the page answers in the scenario chosen below. The events each element fires are listed under it.</p>
<p lang="zh-CN">以下是 <code>@sicert/elements</code> 的全部组件，无需安装证书助手：页面内的示例证书助手按所选场景应答。每个组件下方列出它发出的事件。</p>
${exampleControls()}
${examples}`,
  });
  specs.push({ file: 'index.html', title: 'sicert docs', lang: 'en', body: homePage(nav, rendered, pages) });

  for (const spec of specs) writeFileSync(join(outDir, spec.file), page(spec, nav));
  for (const asset of assets) {
    mkdirSync(dirname(join(outDir, asset)), { recursive: true });
    copyFileSync(join(docsDir, asset), join(outDir, asset));
  }
  for (const shot of SCREENSHOTS) if (!assets.has(shot.file)) throw new Error(`docs/${shot.file} is missing (a screenshot the home page shows)`);
  copyFileSync(join(ROOT, 'docs/site/site.css'), join(outDir, 'assets/site.css'));
  await bundling;
  return { outDir, pages: specs.map((spec) => spec.file).sort(), elements: elements.map((element) => element.tagName) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  buildSite().then(
    (site) => console.log(`docs: ${site.pages.length} pages in ${site.outDir} (${Math.round(performance.now() - started)} ms)`),
    (error: unknown) => {
      console.error(`docs: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
