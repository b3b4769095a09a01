import { join } from 'node:path';
import type { AgentConfig } from './config.js';
import { AuditLog } from './audit.js';
import { Dispatcher } from './dispatch.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Logger } from './log.js';
import type { OriginAllowlist } from './origins.js';
import { agentMethods } from './methods/agent-methods.js';
import { keyMethods } from './methods/key-methods.js';
import { hallMethods, TOKEN_INIT } from './methods/hall-methods.js';
import { lifecycleMethods } from './methods/lifecycle-methods.js';
import type { MethodDeps } from './methods/context.js';
import { signMethods } from './methods/sign-methods.js';
import { tokenMethods } from './methods/token-methods.js';
import { PinThrottle } from './pin-throttle.js';
import { Pkcs11Provider, type Pkcs11ProviderOptions } from './providers/pkcs11/pkcs11-provider.js';
import type { SigningThreadEvents } from './providers/pkcs11/pkcs11-sign-thread.js';
import type { Provider } from './providers/provider.js';
import { SoftTokenProvider, type SoftTokenProviderOptions } from './providers/soft/soft-token-provider.js';
import { TokenEvents } from './token-events.js';

/** A running agent. */
export interface RunningAgent {
  /** The port it listens on (useful with `port: 0`). */
  readonly port: number;
  /** `ws://127.0.0.1:<port>/v1`. */
  readonly url: string;
  readonly config: AgentConfig;
  readonly providers: readonly Provider[];
  /** The software token provider, when enabled. */
  readonly softToken: SoftTokenProvider | undefined;
  /** Token events going out to the open connections (`token.added`, `token.removed`, `token.changed`). */
  readonly tokenEvents: TokenEvents;
  /** The origins allowed now; `replace` changes them while running (see `watchAllowlist`). */
  readonly origins: OriginAllowlist;
  close(): Promise<void>;
}

/** Logs a module's signing threads: a start at debug, a failure (batches then sign on the event loop, slower) as a warning. */
function signingThreadLog(logger: Logger): (path: string) => SigningThreadEvents {
  return (module) => ({
    started: () => logger.debug('signing thread started', { module }),
    broken: (error) => logger.warn('signing threads unavailable: batches sign on the main thread', { module, error: error instanceof Error ? error.message : String(error) }),
  });
}

/**
 * Builds the providers from the configuration: PKCS#11 modules first, then the software token. `pkcs11` tunes
 * the PKCS#11 provider (a test may poll less often, to show what is announced without polling); `softToken` the
 * software token's limits (a test may bring its own clock).
 */
export function createProviders(
  config: AgentConfig,
  logger: Logger,
  pkcs11: Pkcs11ProviderOptions = {},
  softTokenOptions: SoftTokenProviderOptions = {},
): { providers: Provider[]; softToken: SoftTokenProvider | undefined } {
  const providers: Provider[] = [];
  if (config.modules.length) {
    providers.push(
      new Pkcs11Provider(
        config.modules,
        (path, error) => logger.error('cannot load PKCS#11 module', { module: path, error: error instanceof Error ? error.message : String(error) }),
        { signingThreads: signingThreadLog(logger), ...pkcs11 },
      ),
    );
  }
  const softToken = config.softToken ? new SoftTokenProvider(config.home, logger, softTokenOptions) : undefined;
  if (softToken) providers.push(softToken);
  return { providers, softToken };
}

/** The dispatcher over every method family the agent serves; hall mode adds `token.init` (see `hallMethods`). */
export function createDispatcher(deps: MethodDeps, options: { hallMode?: boolean } = {}): Dispatcher {
  const hall = options.hallMode ? hallMethods(deps) : {};
  const methods = { ...tokenMethods(deps), ...signMethods(deps), ...keyMethods(deps), ...lifecycleMethods(deps), ...hall };
  return new Dispatcher({ ...agentMethods(deps, options.hallMode ? [TOKEN_INIT] : []), ...methods }, deps.logger);
}

/** Parts a caller (a test) may supply itself, e.g. a PIN throttle on its own clock, or a queue it watches. */
export interface AgentParts {
  tokenQueue?: KeyedQueue;
  pinThrottle?: PinThrottle;
  /** Settings of the PKCS#11 provider, such as its poll interval. */
  pkcs11?: Pkcs11ProviderOptions;
  /** Settings of the software token: its limits and clock. */
  softToken?: SoftTokenProviderOptions;
  /**
   * Awaited once the server listens on `port` and before the providers and methods are built: a test holds them
   * back to see what the agent serves without them.
   */
  beforeCore?: (port: number) => Promise<void>;
}

/**
 * What serves the methods once the server listens: the providers, the method table and the token events. Built
 * by {@link startAgent} after the server already answers `/v1/health` (see `start.ts`); `close()` releases the
 * providers and stops the events, not the server.
 */
export interface AgentCore {
  readonly providers: readonly Provider[];
  readonly softToken: SoftTokenProvider | undefined;
  readonly dispatcher: Dispatcher;
  readonly tokenEvents: TokenEvents;
  close(): Promise<void>;
}

/** Builds the agent's providers, methods and token events (everything but the server). */
export function assembleAgent(config: AgentConfig, logger: Logger, parts: AgentParts = {}): AgentCore {
  const { providers, softToken } = createProviders(config, logger, parts.pkcs11, parts.softToken);
  const deps: MethodDeps = {
    providers,
    audit: new AuditLog(join(config.home, 'audit.log'), { maxBytes: config.auditMaxBytes, files: config.auditFiles }),
    logger,
    tokenQueue: parts.tokenQueue ?? new KeyedQueue(),
    pinThrottle: parts.pinThrottle ?? new PinThrottle(),
  };
  const dispatcher = createDispatcher(deps, { hallMode: config.hallMode });
  if (config.hallMode) logger.warn('hall mode: pages of the allowed origins can initialise blank USB-Keys (token.init)');
  const tokenEvents = new TokenEvents(providers, logger);
  return {
    providers,
    softToken,
    dispatcher,
    tokenEvents,
    async close() {
      // Stops the slot polling even if a connection's close was missed: nothing is left to keep the process alive.
      tokenEvents.close();
      await Promise.all(providers.map((p) => p.close()));
    },
  };
}
