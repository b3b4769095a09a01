// `npm start`: the agent and the sample portal on this computer, ready to sign.
import { resolve } from 'node:path';
import { DatabaseOpenError } from './database.js';
import { startDemo, type RunningDemo } from './demo.js';
import { DEMO_PIN } from './provision.js';
import { portInUseLine, startSettings, StartProblem, type StartSettings } from './start-settings.js';

const dataDir = resolve(process.env.SICERT_DEMO_DATA ?? '.demo-data');
let settings: StartSettings;
let demo: RunningDemo;
try {
  settings = startSettings(process.env);
  demo = await startDemo({
    dataDir,
    portalPort: settings.portalPort,
    agentPort: settings.agentPort,
    // SICERT_MODULES, SICERT_HALL_MODE and the rest come in with the agent's settings.
    agentSettings: settings.agentSettings,
    extraOrigins: settings.extraOrigins,
    configFile: settings.configFile,
    // A PostgreSQL server when set (several demo servers may share it); otherwise SQLite in the data directory.
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  });
} catch (error) {
  // A busy port or a broken setting is the person's to fix: one line saying what, not a stack trace.
  const line = error instanceof StartProblem || error instanceof DatabaseOpenError ? error.message : portInUseLine(error, settings!);
  if (line === undefined) throw error;
  console.error(`\n✖ ${line}\n`);
  process.exit(1);
}
const extra = settings.extraOrigins();
console.log(`
  sicert demo is running.

  Open ${demo.portalUrl}/  in Chrome, Edge or Firefox.
  演示证书初始密码 / initial password of the demo certificates (张三, 陈明): ${DEMO_PIN}
  Agent: ${demo.agent.url}   Data: ${dataDir}${process.env.DATABASE_URL ? '   Database: PostgreSQL (DATABASE_URL)' : ''}
  Also allowed / 另允许的网站: ${extra.length ? extra.join(', ') : '(none; add one: npx sicert-agent allow http://localhost:8080)'}
  Agent config: ${settings.configFile}

  Press Ctrl+C to stop.
`);
const stop = () => void demo.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
