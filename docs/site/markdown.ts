import { posix } from 'node:path';
import { Marked, Renderer, type Tokens } from 'marked';

/** A rendered doc: its title (the first `#` heading) and body HTML. */
export interface RenderedDoc {
  title: string;
  html: string;
}

/** What a relative link in the docs may point at on the site. */
export interface LinkTargets {
  /** `agent.md` → `agent.html`: the docs that become pages. */
  pages: ReadonlyMap<string, string>;
  /** Other files under docs/ that the site copies as they are (`backend-api.openapi.yaml`). */
  assets: ReadonlySet<string>;
}

/**
 * GitHub's heading anchors, so that `agent.md#settings` written for GitHub lands on the same heading here: lower
 * case, punctuation dropped (CJK kept), spaces to hyphens, and `-1`, `-2` for repeats.
 */
export function slugger(): (text: string) => string {
  const seen = new Map<string, number>();
  return (text) => {
    const base = text
      .toLowerCase()
      .replace(/<[^>]*>/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count ? `${base}-${count}` : base;
  };
}

/**
 * Where a link written in a doc goes on the site: another doc's page (with its anchor), a copied file, or nowhere
 * (a path outside docs/ that the site does not carry: `undefined`, and the link is rendered as its text).
 */
export function siteHref(href: string, targets: LinkTargets): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#') || href.startsWith('//')) return href;
  const [path = '', anchor] = href.split('#', 2);
  const normal = posix.normalize(path);
  const suffix = anchor === undefined ? '' : `#${anchor}`;
  // docs/ links to the built site as `dist/…`: on the site itself, that is the page beside this one.
  if (normal.startsWith('dist/')) return normal.slice('dist/'.length) + suffix;
  const page = targets.pages.get(normal);
  if (page) return page + suffix;
  if (targets.assets.has(normal)) return normal + suffix;
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders one doc's Markdown: GitHub anchors on headings, relative links rewritten to the site's pages. */
export function renderDoc(markdown: string, targets: LinkTargets): RenderedDoc {
  const slug = slugger();
  let title = '';
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      heading({ tokens, depth, text }: Tokens.Heading): string {
        const inner = this.parser.parseInline(tokens);
        if (depth === 1 && !title) title = text.replace(/`/g, '');
        const id = slug(inner);
        return `<h${depth} id="${escapeHtml(id)}"><a class="anchor" href="#${escapeHtml(id)}" aria-hidden="true">#</a>${inner}</h${depth}>\n`;
      },
      link({ href, title: linkTitle, tokens }: Tokens.Link): string {
        const inner = this.parser.parseInline(tokens);
        const target = siteHref(href, targets);
        if (target === undefined) return `<span class="offsite" title="${escapeHtml(href)}">${inner}</span>`;
        return `<a href="${escapeHtml(target)}"${linkTitle ? ` title="${escapeHtml(linkTitle)}"` : ''}>${inner}</a>`;
      },
      table(token: Tokens.Table): string | false {
        // Wide tables scroll on their own instead of widening the page.
        const html: string = Renderer.prototype.table.call(this, token) as string;
        return `<div class="table-scroll">${html}</div>\n`;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { title: title || 'sicert', html };
}
