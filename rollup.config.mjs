// Bundles the elements for pages without a build step:
//  - dist/sicert.bundle.min.js: one minified ES module that registers every element (<script type="module">);
//  - dist/esm/: per-element ES entry points (define/sicert-*.js) sharing chunks, minified.
// And the browser mock agent (packages/agent-mock) for static pages and Playwright: one ES module
// (dist/agent-mock.browser.min.js) and one classic script that sets `globalThis.sicertAgentMock`
// (dist/agent-mock.browser.iife.js, for `page.addInitScript`).
// The unbundled ES modules for bundler users come from `tsc -b` in dist/ beside them.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

const elements = 'packages/elements';
const plugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'default'] }),
  esbuild({ target: 'es2022', tsconfig: `${elements}/tsconfig.json` }),
  terser({ format: { comments: false } }),
];

const agentMock = 'packages/agent-mock';
const mockPlugins = () => [
  nodeResolve({ browser: true, exportConditions: ['browser', 'production', 'default'] }),
  esbuild({ target: 'es2022', tsconfig: `${agentMock}/tsconfig.json` }),
  terser({ format: { comments: false } }),
];

export default [
  {
    input: `${agentMock}/src/browser.ts`,
    output: [
      { file: `${agentMock}/dist/agent-mock.browser.min.js`, format: 'es', sourcemap: true },
      // Playwright runs an init script inside a function, where `var` makes no global: the footer does.
      { file: `${agentMock}/dist/agent-mock.browser.iife.js`, format: 'iife', name: 'sicertAgentMock', footer: 'globalThis.sicertAgentMock = sicertAgentMock;', sourcemap: true },
    ],
    plugins: mockPlugins(),
  },
  {
    input: `${elements}/src/all.ts`,
    output: { file: `${elements}/dist/sicert.bundle.min.js`, format: 'es', sourcemap: true },
    plugins: plugins(),
  },
  {
    input: {
      'sicert-signer': `${elements}/src/define/sicert-signer.ts`,
      'sicert-apply-wizard': `${elements}/src/define/sicert-apply-wizard.ts`,
      'sicert-pin-input': `${elements}/src/define/sicert-pin-input.ts`,
      'sicert-cert-picker': `${elements}/src/define/sicert-cert-picker.ts`,
      'sicert-agent-status': `${elements}/src/define/sicert-agent-status.ts`,
      'sicert-cert-status': `${elements}/src/define/sicert-cert-status.ts`,
      'sicert-pin-change': `${elements}/src/define/sicert-pin-change.ts`,
    },
    output: { dir: `${elements}/dist/esm`, format: 'es', chunkFileNames: 'chunks/[name]-[hash].js', sourcemap: true },
    plugins: plugins(),
  },
];
