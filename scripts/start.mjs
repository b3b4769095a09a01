// `npm start`: install and build what is needed, then run the agent and the sample portal.
import { build, checkNode, ensureDependencies, run } from './prepare.mjs';

checkNode();
ensureDependencies();
build();
run(process.execPath, ['demo/dist/main.js']);
