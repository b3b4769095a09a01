// Runs the agent's CLI from its TypeScript sources, as bin/sicert-agent.js runs the built one, so tests can spawn
// the real command (a child process that can be killed, or whose exit code and output are checked).
import { main } from '../../src/cli.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`sicert-agent: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
