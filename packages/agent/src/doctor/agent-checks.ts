import { accessSync, constants, existsSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { HEALTH_PATH, PROTOCOL_VERSION, type HealthResponse } from '@sicert/protocol';
import type { AgentConfig } from '../config.js';
import { OriginAllowlist } from '../origins.js';
import { AGENT_VERSION } from '../version.js';
import { fail, pass, type Finding } from './finding.js';
import { checkSoftTokens } from './soft-token-checks.js';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** The health answer of whatever listens on the port, if it is a sicert agent. */
function health(port: number): Promise<HealthResponse | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: HEALTH_PATH, timeout: 3000, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk.slice(0, 4096)));
      res.on('end', () => {
        try {
          const parsed = JSON.parse(body) as Partial<HealthResponse>;
          resolve(parsed.name === 'sicert-agent' ? (parsed as HealthResponse) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** This agent's version and protocol, and the port: free, or held by a sicert agent (whose version is compared). */
export async function checkVersionAndPort(config: AgentConfig): Promise<Finding[]> {
  const findings = [pass(`sicert-agent ${AGENT_VERSION}，协议版本 ${PROTOCOL_VERSION}`, `sicert-agent ${AGENT_VERSION}, protocol ${PROTOCOL_VERSION}`)];
  if (config.port === 0 || (await portFree(config.port))) {
    findings.push(pass(`端口 ${config.port} 空闲`, `port ${config.port} is free`));
    return findings;
  }
  const running = await health(config.port);
  if (!running) {
    findings.push(fail(`端口 ${config.port} 被其他程序占用`, `port ${config.port} is held by another program`, '关闭占用该端口的程序，或用 --port 换一个端口（网页也要改用同一端口）', 'stop the program on that port, or choose --port (and tell the portal the same port)'));
  } else if (running.protocol !== PROTOCOL_VERSION) {
    findings.push(fail(`端口 ${config.port} 上运行的 sicert-agent ${running.agentVersion} 使用协议 ${running.protocol}，本版本为 ${PROTOCOL_VERSION}`, `port ${config.port}: a sicert-agent ${running.agentVersion} speaks protocol ${running.protocol}, this one ${PROTOCOL_VERSION}`, '退出旧版本并启动新版本', 'quit the old agent and start this version'));
  } else {
    findings.push(pass(`端口 ${config.port} 由 sicert-agent ${running.agentVersion} 使用（已在运行）`, `port ${config.port} is held by a running sicert-agent ${running.agentVersion}`));
  }
  return findings;
}

/** Allowed origins: at least one, each well-formed. */
export function checkOrigins(config: AgentConfig): Finding[] {
  if (config.allowOrigins.length === 0) {
    return [fail('没有允许的网页来源，任何网页都无法使用本程序', 'no origin is allowed, so no web page can use the agent', '运行 sicert-agent allow https://社保网站地址（或启动时加 --allow-origin）', 'run sicert-agent allow https://your-portal.example.gov.cn (or start with --allow-origin)')];
  }
  try {
    new OriginAllowlist(config.allowOrigins);
    return [pass(`允许的网页来源: ${config.allowOrigins.join(', ')}`, `allowed origins: ${config.allowOrigins.join(', ')}`)];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [fail(`网页来源写法有误: ${message}`, `an allowed origin is malformed: ${message}`, '写成 https://主机[:端口]，不要带路径', 'write origins as https://host[:port], no path')];
  }
}

/** The home directory is writable, and (when on) each software token is sound. */
export function checkHome(config: AgentConfig): Finding[] {
  const findings: Finding[] = [];
  try {
    if (existsSync(config.home)) accessSync(config.home, constants.W_OK);
    findings.push(pass(`数据目录可写: ${config.home}`, `home ${config.home} is writable`));
  } catch {
    findings.push(fail(`数据目录不可写: ${config.home}`, `home ${config.home} is not writable`, '用 --home 换一个目录，或修改其权限', 'choose --home, or fix its permissions'));
  }
  return config.softToken ? [...findings, ...checkSoftTokens(config)] : findings;
}
