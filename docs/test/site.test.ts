// The docs site as `npm run docs` builds it: every doc a page, no broken internal link, every element of the
// Custom Elements Manifest with its whole reference, the framework examples as type-checked, and the live examples
// running in Chromium with no console error.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { MOCK_PERSON, MOCK_PIN } from '@sicert/agent-mock/browser';
import { fromBase64, verifySignedData } from '@sicert/pki';
import { launchChromium } from '../../demo/e2e/browser.js';
import { buildSite, type BuiltSite } from '../site/build.js';
import { DECLARATION } from '../site/examples-markup.js';
import { elementPage, elementsOf, type Manifest } from '../site/reference.js';
import { serveStatic } from './static-server.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOCS = join(ROOT, 'docs');
let site: BuiltSite;
let manifest: Manifest;
const html = (page: string): string => readFileSync(join(site.outDir, page), 'utf8');

before(async () => {
  // buildSite says to run `npm run build` when the manifest is missing, before it is read here.
  site = await buildSite({ outDir: mkdtempSync(join(tmpdir(), 'sicert-docs-')) });
  manifest = JSON.parse(readFileSync(join(ROOT, 'packages/elements/custom-elements.json'), 'utf8')) as Manifest;
});
after(() => rmSync(site.outDir, { recursive: true, force: true }));

/** The HTML of the section under `<h2 id="id">`, up to the next `<h2`. */
function section(page: string, id: string): string {
  const start = page.indexOf(`<h2 id="${id}">`);
  assert.ok(start >= 0, `no section #${id}`);
  const end = page.indexOf('<h2', start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

test('every doc in docs/ has a page, and a doc in both languages links each to the other', () => {
  const docs = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
  assert.ok(docs.length >= 8);
  for (const doc of docs) assert.ok(site.pages.includes(doc.replace(/\.md$/, '.html')), `${doc} has no page`);
  for (const page of ['index.html', 'examples.html']) assert.ok(site.pages.includes(page), `${page} is missing`);
  const pairs = docs.filter((name) => name.endsWith('.zh-CN.md'));
  assert.ok(pairs.length >= 1, 'no doc is in both languages');
  for (const zh of pairs) {
    const en = zh.replace('.zh-CN.md', '.html');
    const zhPage = zh.replace(/\.md$/, '.html');
    assert.match(html(en), new RegExp(`<a href="${zhPage}" hreflang="zh-CN"`));
    assert.match(html(zhPage), new RegExp(`<a href="${en}" hreflang="en"`));
    assert.match(html(zhPage), /<html lang="zh-CN">/);
  }
});

test('no internal link or image is broken, anchors included', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of site.pages) {
    for (const [, attribute, target] of html(page).matchAll(/\s(href|src)="([^"]*)"/g)) {
      if (!target || /^(https?:|mailto:|data:)/.test(target)) continue;
      checked++;
      const [path, anchor] = target.split('#', 2) as [string, string | undefined];
      const file = path === '' ? page : path;
      if (!existsSync(join(site.outDir, file))) broken.push(`${page}: ${attribute}="${target}" (no ${file})`);
      else if (anchor && file.endsWith('.html') && !html(file).includes(` id="${anchor}"`)) broken.push(`${page}: ${target} (no #${anchor} in ${file})`);
    }
  }
  assert.deepEqual(broken, []);
  // The docs link each other by file name and anchor, as on GitHub: those are the links this checks.
  assert.ok(checked > 100, `only ${checked} internal links found`);
  assert.match(html('elements.html'), /<a href="backend-api\.html#[a-z-]+">|<a href="agent\.html#settings">|<a href="protocol\.html/);
});

test('every element of the manifest has a reference page with its properties, events, slots, parts and CSS properties', () => {
  const elements = elementsOf(manifest);
  assert.ok(elements.length >= 7);
  assert.deepEqual(site.elements, elements.map((element) => element.tagName));
  for (const element of elements) {
    const page = html(elementPage(element.tagName));
    const where = `<${element.tagName}>`;
    assert.ok(element.events?.length, `${where} documents no event`);
    for (const event of element.events ?? []) assert.ok(section(page, 'events').includes(`<code>${event.name}</code>`), `${where}: event ${event.name}`);
    assert.ok(element.cssParts?.length, `${where} documents no CSS part`);
    for (const part of element.cssParts ?? []) assert.ok(section(page, 'css-parts').includes(`<code>${part.name}</code>`), `${where}: part ${part.name}`);
    assert.ok((element.cssProperties?.length ?? 0) >= 16, `${where} documents ${element.cssProperties?.length ?? 0} CSS custom properties`);
    for (const property of element.cssProperties ?? []) {
      assert.ok(property.description, `${where}: ${property.name} has no description`);
      assert.ok(section(page, 'css-properties').includes(`<code>${property.name}</code>`), `${where}: ${property.name}`);
    }
    for (const attribute of element.attributes ?? []) assert.ok(section(page, 'properties').includes(`<code>${attribute.name}</code>`), `${where}: attribute ${attribute.name}`);
    assert.ok(section(page, 'properties').includes('<code>locale</code>'), `${where}: the inherited locale`);
    section(page, 'slots');
    assert.ok(html('examples.html').includes(`id="example-${element.tagName}"`), `${where} has no live example`);
  }
});

test('docs/frameworks.md shows the type-checked framework files verbatim, in both languages', () => {
  const files = readdirSync(join(DOCS, 'frameworks'));
  assert.deepEqual(files.sort(), ['react-lit.tsx', 'react-plain.tsx', 'vue.ts']);
  for (const doc of ['frameworks.md', 'frameworks.zh-CN.md']) {
    const text = readFileSync(join(DOCS, doc), 'utf8');
    for (const file of files) assert.ok(text.includes('\n' + readFileSync(join(DOCS, 'frameworks', file), 'utf8')), `${doc} does not show ${file} as it is`);
  }
});

test('the live examples run every element in Chromium with no console error', async () => {
  const server = await serveStatic(site.outDir);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    for (const file of ['examples.html', elementPage('sicert-signer'), elementPage('sicert-cert-status')]) {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      await page.goto(`${server.url}/${file}`);
      await page.waitForSelector('html[data-examples="ready"]');
      const tags = await page.$$eval('.live', (examples) => examples.flatMap((example) => [...example.querySelectorAll('*')].map((element) => element.localName).filter((name) => name.startsWith('sicert-'))));
      assert.ok(tags.length >= (file === 'examples.html' ? 7 : 1), `${file}: ${tags.join(', ')}`);
      for (const tag of tags) {
        // Defined, and drawn: its shadow root has content.
        await page.waitForFunction((name) => (document.querySelector(`.live ${name}`)?.shadowRoot?.childElementCount ?? 0) > 0 && customElements.get(name) !== undefined, tag);
      }
      // Every element bound to the agent settles on a state (whichever the scenario gives) and says so in its event.
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.live[data-events~="sicert-agent-state"]')].every((example) => /sicert-agent-state \{"state":"(?!checking)/.test(example.querySelector('.event-log')?.textContent ?? '')),
      );
      assert.match((await page.textContent('.live-notice')) ?? '', /\S/);
      await page.close();
      assert.deepEqual(problems, [], file);
    }
  } finally {
    await browser?.close();
    await server.close();
  }
});

test('the signer\'s live example signs with the in-page mock agent, and the signature verifies against its test CA', async () => {
  const server = await serveStatic(site.outDir);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${server.url}/${elementPage('sicert-signer')}?scenario=valid`);
    await page.waitForSelector('html[data-examples="ready"]');
    assert.match((await page.textContent('.live-notice')) ?? '', /certificate password Mock2468x/);
    await page.locator('sicert-signer input[type=radio]').first().check();
    await page.locator('sicert-signer sicert-pin-input input').fill(MOCK_PIN);
    await page.locator('sicert-signer button.sign').click();
    await page.locator('.live .event-log li', { hasText: 'sicert-signed' }).waitFor({ state: 'attached' });
    const { signature, caCertificate } = await page.evaluate(async () => {
      const log = [...document.querySelectorAll('.live .event-log li')].map((li) => li.textContent ?? '').find((line) => line.startsWith('sicert-signed '))!;
      const agent = (window as unknown as { sicertExampleAgent: { caCertificate: Promise<Uint8Array> } }).sicertExampleAgent;
      return { signature: (JSON.parse(log.slice('sicert-signed '.length)) as { signature: string }).signature, caCertificate: [...(await agent.caCertificate)] };
    });
    const result = await verifySignedData(fromBase64(signature), {
      content: new TextEncoder().encode(DECLARATION),
      expectedSigner: { serialNumber: MOCK_PERSON.serialNumber! },
      trustedRoots: [new Uint8Array(caCertificate)],
    });
    assert.equal(result.valid, true, JSON.stringify(result));
  } finally {
    await browser?.close();
    await server.close();
  }
});

test('a placeholder in an element\'s description (`<holder>`) is shown as written, not swallowed as HTML', () => {
  const page = html(elementPage('sicert-cert-status'));
  assert.match(page, /本机 · &lt;holder&gt;/);
  assert.doesNotMatch(page, /<holder>/);
});
