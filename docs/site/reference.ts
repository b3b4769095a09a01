import { Marked } from 'marked';
import { EXAMPLE_MARKUP } from './examples-markup.js';
import { escapeHtml } from './layout.js';

/** The parts of a Custom Elements Manifest the reference reads (schema 2.x). */
interface Named {
  name: string;
  description?: string;
}
interface Typed extends Named {
  type?: { text: string };
  default?: string;
}
interface Member extends Typed {
  kind: 'field' | 'method';
  static?: boolean;
  privacy?: 'public' | 'private' | 'protected';
  attribute?: string;
  readonly?: boolean;
  parameters?: Typed[];
}
export interface ElementDeclaration extends Named {
  tagName?: string;
  customElement?: boolean;
  members?: Member[];
  attributes?: (Typed & { fieldName?: string })[];
  events?: Typed[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: (Named & { default?: string })[];
}
export interface Manifest {
  modules: { path: string; declarations?: ElementDeclaration[] }[];
}

/** The manifest's custom elements (declarations with a tag), sorted by tag. */
export function elementsOf(manifest: Manifest): (ElementDeclaration & { tagName: string })[] {
  return manifest.modules
    .flatMap((module) => module.declarations ?? [])
    .filter((declaration): declaration is ElementDeclaration & { tagName: string } => typeof declaration.tagName === 'string')
    .sort((a, b) => a.tagName.localeCompare(b.tagName));
}

/** The page of an element's reference. */
export function elementPage(tagName: string): string {
  return `element-${tagName}.html`;
}

/**
 * The manifest's descriptions come from TSDoc, where `<holder>` or `<why>` are placeholders in quoted text, not
 * HTML: shown as written, never passed through as markup (which would hide them).
 */
const markdown = new Marked({ gfm: true, renderer: { html: ({ text }: { text: string }) => escapeHtml(text) } });

function prose(text: string | undefined): string {
  return text ? markdown.parse(text, { async: false }) : '<p class="none">—</p>';
}

function inline(text: string | undefined): string {
  return text ? markdown.parseInline(text.replace(/\n/g, ' '), { async: false }) : '';
}

function code(text: string | undefined): string {
  return text ? `<code>${escapeHtml(text)}</code>` : '';
}

function table(headers: string[], rows: string[][], empty: string): string {
  if (!rows.length) return `<p class="none">${empty}</p>`;
  const head = headers.map((header) => `<th>${header}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

function isPublic(member: Member): boolean {
  return !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#');
}

/** The live example of one element: the markup, running, with its events logged beneath. */
export function liveExample(element: ElementDeclaration & { tagName: string }, heading: string): string {
  const markup = EXAMPLE_MARKUP[element.tagName];
  if (!markup) return '';
  const events = (element.events ?? []).map((event) => event.name).join(' ');
  return `<section class="example" id="example-${element.tagName}">
<h2>${heading}</h2>
<div class="live" lang="zh-CN" data-events="${escapeHtml(events)}">
${markup}
<details class="events"><summary>Events · 事件</summary><ol class="event-log"></ol></details>
</div>
<pre><code class="language-html">${escapeHtml(markup)}</code></pre>
</section>`;
}

/** The controls every live example page has: scenario, language, and what the stand-in agent is. */
export function exampleControls(): string {
  return `<div class="example-controls">
<label>Scenario · 场景 <select data-scenario></select></label>
<label>Language · 语言 <select data-lang><option value="zh-CN">中文</option><option value="en">English</option></select></label>
<p class="live-notice" role="status"></p>
</div>`;
}

/** One element's reference: description, live example, then every table the manifest has for it. */
export function elementReference(element: ElementDeclaration & { tagName: string }): string {
  const fields = (element.members ?? []).filter((member) => member.kind === 'field' && isPublic(member));
  const methods = (element.members ?? []).filter((member) => member.kind === 'method' && isPublic(member));
  const attributeOf = new Map((element.attributes ?? []).map((attribute) => [attribute.fieldName ?? attribute.name, attribute.name]));
  const properties = fields.map((field) => {
    const attribute = field.attribute ?? attributeOf.get(field.name);
    const facts = [
      attribute ? `attribute ${code(attribute)}` : 'property only',
      field.type ? `type ${code(field.type.text)}` : '',
      field.default ? `default ${code(field.default)}` : '',
      field.readonly ? 'read-only' : '',
    ].filter(Boolean);
    return [`${code(field.name)}${facts.map((fact) => `<br><span class="meta">${fact}</span>`).join('')}`, inline(field.description)];
  });
  const methodRows = methods.map((method) => [
    code(`${method.name}(${(method.parameters ?? []).map((parameter) => parameter.name).join(', ')})`),
    inline(method.description),
  ]);
  const events = (element.events ?? []).map((event) => [code(event.name), inline(event.description)]);
  const slots = (element.slots ?? []).map((slot) => [code(slot.name || '(default)'), inline(slot.description)]);
  const parts = (element.cssParts ?? []).map((part) => [code(part.name), inline(part.description)]);
  const cssProperties = (element.cssProperties ?? []).map((property) => [code(property.name), inline(property.description), code(property.default)]);
  return `<h1 id="${element.tagName}"><code>&lt;${element.tagName}&gt;</code></h1>
<p class="class-name">Class <code>${escapeHtml(element.name)}</code> from <code>@sicert/elements</code>; <code>import '@sicert/elements/define/${element.tagName}'</code> registers the tag.</p>
${prose(element.description)}
${exampleControls()}
${liveExample(element, 'Live example · 在线示例')}
<h2 id="properties">Properties and attributes</h2>
${table(['property', ''], properties, 'None.')}
<h2 id="methods">Methods</h2>
${table(['method', ''], methodRows, 'None.')}
<h2 id="events">Events</h2>
${table(['event', 'when, and its detail'], events, 'None.')}
<h2 id="slots">Slots</h2>
${table(['slot', ''], slots, 'None: the element renders all of its content itself.')}
<h2 id="css-parts">CSS parts</h2>
${table(['part', ''], parts, 'None.')}
<h2 id="css-properties">CSS custom properties</h2>
${table(['property', '', 'default'], cssProperties, 'None.')}`;
}
