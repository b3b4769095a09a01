import { autostartStatus } from '../autostart/autostart.js';
import type { AutostartEnv } from '../autostart/autostart-env.js';
import { fail, pass, type Finding } from './finding.js';

/** Whether the agent starts at login. Off is no fault (a hall counter starts it by hand), so it passes with the way to turn it on. */
export function checkAutostart(env?: AutostartEnv): Finding[] {
  const { on, how, problem } = autostartStatus(env);
  if (problem) return [fail(`自启动未生效: ${problem.zh}`, `autostart does not work: ${problem.en}`, '移动 sicert-agent 后运行 sicert-agent install', 'move sicert-agent, then run sicert-agent install')];
  return [on ? pass(`自启动已开启: ${how.zh}`, `autostart is on: ${how.en}`) : pass(`自启动未开启（${how.zh}），运行 sicert-agent install 开启`, `autostart is off (${how.en}): run sicert-agent install to turn it on`)];
}
