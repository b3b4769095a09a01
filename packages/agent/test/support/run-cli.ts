// Runs the agent's CLI from its TypeScript sources, as bin/sicert-agent.js runs the built one, so tests can spawn
// the real command (a child process that can be killed, or whose exit code and output are checked).
import { run } from '../../src/cli.js';

run(process.argv.slice(2));
