// Bundles the elements for pages without a build step:
//  - dist/sicert.bundle.min.js: one minified ES module that registers every element (<script type="module">);
//  - dist/esm/: per-element ES entry points (define/sicert-*.js) sharing chunks, minified.
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

export default [
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
