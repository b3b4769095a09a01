import { escapeHtml, type NavEntry } from './layout.js';
import type { RenderedDoc } from './markdown.js';

/** The demo portal in zh-CN, as the end-to-end tests see it (SICERT_SCREENSHOTS; see docs/testing.md). */
export const SCREENSHOTS: readonly { file: string; caption: string; alt: string }[] = [
  {
    file: 'images/declarations-batch-list.png',
    caption: '&lt;sicert-signer&gt; in batch mode: a handler signs four declarations of 示例科技有限公司 at once.',
    alt: '社保缴费申报：单位经办人选择证书，一次签署 4 项申报',
  },
  {
    file: 'images/lifecycle-renew-dialog.png',
    caption: '&lt;sicert-cert-status&gt;: renewing a certificate that expires in 10 days, with its password.',
    alt: '我的数字证书：证书续期对话框，输入证书密码',
  },
  {
    file: 'images/lifecycle-loss-reported.png',
    caption: '&lt;sicert-cert-status&gt; after a loss report: the certificate revoked, 补办 offered.',
    alt: '我的数字证书：证书已挂失并吊销，可点击补办',
  },
  {
    file: 'images/lifecycle-reissue-review.png',
    caption: '&lt;sicert-apply-wizard&gt;: step 7 of 9, reviewing a reissue (补办) before submitting it.',
    alt: '社保数字证书申领：第 7 步，确认提交补办申请',
  },
];

/** The home page: what sicert is, every doc, the examples and the element reference, and the screenshots. */
export function homePage(nav: readonly NavEntry[], rendered: ReadonlyMap<string, RenderedDoc>, pages: ReadonlyMap<string, string>): string {
  const docs = [...pages]
    .filter(([name]) => !name.endsWith('.zh-CN.md'))
    .map(([name, href]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(rendered.get(name)?.title ?? name)}</a></li>`)
    .join('\n');
  const elements = nav
    .filter((entry) => entry.href.startsWith('element-'))
    .map((entry) => `<li><a href="${escapeHtml(entry.href)}"><code>${escapeHtml(entry.title)}</code></a></li>`)
    .join('\n');
  const shots = SCREENSHOTS.map(
    (shot) => `<figure><a href="${shot.file}"><img src="${shot.file}" alt="${escapeHtml(shot.alt)}" loading="lazy"></a><figcaption>${shot.caption}</figcaption></figure>`,
  ).join('\n');
  return `<h1 id="sicert">sicert · 社保数字证书</h1>
<p>An open TypeScript toolkit that lets a provincial social-insurance portal offer the social-insurance digital certificate online: web components for the portal's pages, a small signing agent on the citizen's computer (USB-Keys through PKCS#11, or a certificate stored on the computer), the protocol between them, and certificate and CMS verification for the portal's server.</p>
<p lang="zh-CN">让省级社保网上服务大厅在线办理社保数字证书的开源 TypeScript 工具包：门户页面的 Web 组件、市民电脑上的签名助手（USB-Key 或本机证书）、两者之间的协议，以及门户服务器端的证书与签名验证。</p>
<h2 id="docs">Docs</h2>
<ul>
${docs}
</ul>
<h2 id="elements">Elements · 组件</h2>
<p><a href="examples.html">Every element running live</a>, with no agent installed. Each element's reference lists its properties, attributes, methods, events, slots, CSS parts and CSS custom properties, read from the Custom Elements Manifest.</p>
<ul class="columns">
${elements}
</ul>
<h2 id="screenshots">Screenshots · 截图</h2>
<p>The demo portal in Chinese, as its end-to-end tests see it in Chromium.</p>
<div class="gallery">
${shots}
</div>`;
}
