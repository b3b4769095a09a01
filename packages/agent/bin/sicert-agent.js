#!/usr/bin/env node
// Thin launcher so the bin exists (and stays executable) before the TypeScript is built.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`sicert-agent: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
