// `npm start`: install and build what is needed, then run the agent and the sample portal.
import { spawnSync } from 'node:child_process';
import { buildIfStale, checkNode, ensureDependencies, ROOT } from './prepare.mjs';

checkNode();
ensureDependencies();
buildIfStale();
// The portal says itself what went wrong (a port in use, say) in one line: its exit code is passed on, nothing added.
const demo = spawnSync(process.execPath, ['demo/dist/main.js'], { cwd: ROOT, stdio: 'inherit' });
process.exit(demo.status ?? 1);
