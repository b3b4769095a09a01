/**
 * The version of `@sicert/elements`, kept equal to package.json's by test/node/version.test.ts (a bundle cannot
 * read package.json, and Lit records its own version the same way).
 */
export const ELEMENTS_VERSION = '0.1.0';
