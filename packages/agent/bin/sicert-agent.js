#!/usr/bin/env node
// Thin launcher so the bin exists (and stays executable) before the TypeScript is built.
import { run } from '../dist/cli.js';

run(process.argv.slice(2));
