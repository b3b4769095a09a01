import { autostartStatus } from '../autostart/autostart.js';
import type { AutostartEnv } from '../autostart/autostart-env.js';
import { pass, type Finding } from './finding.js';

/** Whether the agent starts at login. Off is no fault (a hall counter starts it by hand), so it passes with the way to turn it on. */
export function checkAutostart(env?: AutostartEnv): Finding[] {
  const { on, how } = autostartStatus(env);
  return [on ? pass(`自启动已开启: ${how.zh}`, `autostart is on: ${how.en}`) : pass(`自启动未开启（${how.zh}），运行 sicert-agent install 开启`, `autostart is off (${how.en}): run sicert-agent install to turn it on`)];
}
