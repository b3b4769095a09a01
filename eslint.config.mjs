// typescript-eslint with type-aware rules over every TypeScript file; plain JS gets the recommended set.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.demo-data/**', 'bench/results.json', 'custom-elements.json', '.stryker-tmp/**', 'reports/**', 'release/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Non-null assertions are used where an index or a find is guarded by the surrounding logic.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true, ignoreVoidOperator: true }],
      // `return void sendError(res, …)` is the handlers' idiom for "answer and stop".
      '@typescript-eslint/no-meaningless-void-operator': 'off',
      // Providers implement async interfaces; some implementations happen to need no await.
      '@typescript-eslint/require-await': 'off',
      // Flags every narrowing cast of an Event or asn1js value; the casts are deliberate.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  // Lit templates and custom-element rules over the elements (lit-analyzer checks the template bindings' types:
  // `npm run lint:templates`).
  {
    files: ['packages/elements/src/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/best-practice']],
    settings: { wc: { elementBaseClasses: ['SicertElement', 'LitElement'] } },
    // LitElement implements every lifecycle callback, so the guard is noise (eslint-plugin-lit's advice).
    rules: { 'wc/guard-super-call': 'off' },
  },
  { files: ['packages/elements/test/**/*.ts'], extends: [lit.configs['flat/recommended']] },
  {
    files: ['**/test/**/*.ts', '**/e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      // chai's property assertions (expect(x).to.exist) are expressions by design.
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unnecessary-condition': 'off',
    },
  },
  {
    files: ['demo/public/**/*.js'],
    languageOptions: {
      globals: { document: 'readonly', window: 'readonly', fetch: 'readonly', location: 'readonly', navigator: 'readonly', Option: 'readonly', localStorage: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', document: 'readonly', fetch: 'readonly', window: 'readonly', setTimeout: 'readonly' } },
  },
);
