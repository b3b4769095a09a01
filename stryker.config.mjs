// Mutation testing (`npm run mutation`): Stryker changes the code the protocol, the PKI, the citizen-field
// validators and the agent's request gate stand on, one small change at a time, and reruns the tests that
// reach it. A change no test notices is a feature no test guards. See docs/testing.md.
//
// The tap runner starts one Node process per test file (`node --import tsx --test-reporter=tap <file>`), and
// records which files reach which mutant, so a mutant reruns only those files. The TypeScript checker drops
// mutants that would not compile before any test runs.

import { readdirSync } from 'node:fs';

/**
 * validate.test.ts stays out: its random inputs (25,000 cases) and 4 MiB strings run through instrumented code for
 * every mutant of schema.ts, seconds each, and under load those runs become timeouts that count as kills.
 * base64.test.ts, validate-rules.test.ts and schemas.test.ts pin the same rules on fixed inputs.
 */
const protocolTests = readdirSync('packages/protocol/test')
  .filter((name) => name.endsWith('.test.ts') && name !== 'validate.test.ts')
  .map((name) => `packages/protocol/test/${name}`);

/** Test files that exercise the mutated modules; each runs in its own process. */
const testFiles = [
  ...protocolTests,
  'packages/pki/test/*.test.ts',
  'packages/elements/test/node/validators*.test.ts',
  'packages/elements/test/node/wizard-form.test.ts',
  'packages/agent/test/dispatch.test.ts',
  'packages/agent/test/connection-limits.test.ts',
  'packages/agent/test/keyed-queue.test.ts',
  'packages/agent/test/pin-throttle*.test.ts',
  'packages/agent/test/pkcs11-errors.test.ts',
  'packages/agent/test/origins.test.ts',
  'packages/agent/test/busy.test.ts',
  'packages/agent/test/server.test.ts',
  'packages/agent/test/upgrade-refusal.test.ts',
  'packages/agent/test/request-path.test.ts',
  'packages/agent/test/fairness.test.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  tap: {
    testFiles,
    // sicert-source: @sicert/pki's `#verify-backend` resolves to its source (the sandbox has no dist/).
    nodeArgs: ['--conditions=sicert-source', '--import', 'tsx', '--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/protocol/src/**/*.ts',
    'packages/pki/src/**/*.ts',
    'packages/elements/src/validators/**/*.ts',
    'packages/agent/src/{dispatch,origins,connection-limits,keyed-queue,pin-throttle}.ts',
    'packages/agent/src/providers/pkcs11/pkcs11-errors.ts',
    '!**/index.ts',
  ],
  // The sandbox needs only the sources, the tests and the workspace packages they import.
  ignorePatterns: ['dist', 'reports', 'test-results', 'screenshots', '.demo-data', 'bench/results.json', 'demo/public/vendor'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // Two cores: one test process per core.
  concurrency: 2,
  // A mutant that makes a test hang (an endless loop over validate.test.ts's 4 MiB input) is a kill by timeout:
  // keep the wait short, it is paid once per such mutant.
  timeoutMS: 5000,
  thresholds: { high: 90, low: 80, break: 80 },
  // Later runs retest only the mutants whose code or tests changed; delete the file for a full run.
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
};
