// `npm start`: the agent and the sample portal on this computer, ready to sign.
import { resolve } from 'node:path';
import { DEFAULT_PORT } from '@sicert/protocol';
import { startDemo } from './demo.js';
import { DEMO_PIN } from './provision.js';

const dataDir = resolve(process.env.SICERT_DEMO_DATA ?? '.demo-data');
const demo = await startDemo({
  dataDir,
  portalPort: Number(process.env.SICERT_DEMO_PORT ?? 5180),
  agentPort: Number(process.env.SICERT_PORT ?? DEFAULT_PORT),
  modules: (process.env.SICERT_MODULES ?? '').split(':').filter(Boolean),
  // The hall counter's on-site USB-Key needs an agent in hall mode: off unless asked for, as on a citizen's computer.
  hallMode: /^(1|true|yes|on)$/i.test(process.env.SICERT_HALL_MODE ?? ''),
});
console.log(`
  sicert demo is running.

  Open ${demo.portalUrl}/  in Chrome, Edge or Firefox.
  演示证书初始密码 / initial password of the demo certificates (张三, 陈明): ${DEMO_PIN}
  Agent: ${demo.agent.url}   Data: ${dataDir}

  Press Ctrl+C to stop.
`);
const stop = () => void demo.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
