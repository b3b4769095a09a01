// The agent's start, ordered for a quick first answer: the loopback server listens, and answers /v1/health, before
// the providers, the methods and the PKI code are even loaded. That work (most of the agent's modules, and loading
// and initialising every configured PKCS#11 module, which a vendor's USB-Key driver may take long over) is only
// needed once a page sends a request, so it runs right after the listen, and whatever a page sends meanwhile waits
// for it. This file therefore imports nothing heavy: `./agent.js` is loaded dynamically.
import type { AgentConfig } from './config.js';
import type { Dispatcher } from './dispatch.js';
import { createLogger, type Logger } from './log.js';
import { OriginAllowlist } from './origins.js';
import { startServer, type NotificationSource } from './server.js';
import type { AgentCore, AgentParts, RunningAgent } from './agent.js';

/** Answers each request once the core is built (a failure to build it is answered as `INTERNAL` by the server). */
function deferredDispatcher(core: Promise<AgentCore>): Pick<Dispatcher, 'handle'> {
  return { handle: (text, context) => core.then((built) => built.dispatcher.handle(text, context)) };
}

/** Subscribes a connection to the token events once they exist; unsubscribing before then cancels it. */
function deferredNotifications(core: Promise<AgentCore>): NotificationSource {
  return {
    subscribe(listener) {
      let unsubscribe: (() => void) | undefined;
      let closed = false;
      core.then(
        (built) => {
          if (!closed) unsubscribe = built.tokenEvents.subscribe(listener);
        },
        () => undefined,
      );
      return () => {
        closed = true;
        unsubscribe?.();
      };
    },
  };
}

/**
 * Starts the agent: the loopback server first, then providers and methods (see the note at the top of this file).
 * Resolves once everything is built; a failure to build it closes the server again and rejects.
 */
export async function startAgent(config: AgentConfig, logger: Logger = createLogger(config.logLevel), parts: AgentParts = {}): Promise<RunningAgent> {
  const origins = new OriginAllowlist(config.allowOrigins);
  if (origins.size === 0) logger.warn('no origin is allowed: no web page can use this agent (see --allow-origin)');
  let resolveCore!: (core: AgentCore) => void;
  let rejectCore!: (error: unknown) => void;
  const core = new Promise<AgentCore>((resolve, reject) => {
    resolveCore = resolve;
    rejectCore = reject;
  });
  // Nothing may be left unhandled when building fails: the failure is reported by the await below.
  core.catch(() => undefined);
  const server = await startServer(config, origins, deferredDispatcher(core), logger, deferredNotifications(core));
  let built: AgentCore;
  try {
    await parts.beforeCore?.(server.port);
    const { assembleAgent } = await import('./agent.js');
    built = assembleAgent(config, logger, parts);
    resolveCore(built);
  } catch (error) {
    rejectCore(error);
    await server.close();
    throw error;
  }
  const url = `ws://127.0.0.1:${server.port}/v1`;
  logger.info('agent listening', { url, providers: built.providers.map((p) => p.kind) });
  return {
    port: server.port,
    url,
    config,
    providers: built.providers,
    softToken: built.softToken,
    tokenEvents: built.tokenEvents,
    origins,
    async close() {
      await server.close();
      await built.close();
    },
  };
}
