import { fromBase64, toBase64 } from '@sicert/pki/light';
import { summarizeCertificate } from '@sicert/pki';
import {
  AgentError,
  checkParams,
  checkRequest,
  isMethod,
  PROTOCOL_VERSION,
  Reason,
  type AgentInfoResult,
  type CertificateInfo,
  type HealthResponse,
  type Method,
  type NotificationMap,
  type NotificationName,
  type ParamsOf,
  type RpcId,
  type RpcResponse,
  type SignBatchOutcome,
} from '@sicert/protocol';
import { createMockCa, type MockCa, type MockCertificate, type MockCertificateKind } from './mock-ca.js';
import { MOCK_TOKEN_ID, MockToken, type MockMedium } from './mock-token.js';
import { asAgentError, failure, success } from './rpc.js';
import { MOCK_AGENT_VERSION, MOCK_PIN, OUTDATED_AGENT_VERSION, type MockScenario } from './scenarios.js';
import { MockSigner } from './signing.js';

/** A JSON-RPC message the mock sends on one connection. */
export type Outgoing = RpcResponse | { jsonrpc: '2.0'; method: NotificationName; params: NotificationMap[NotificationName] };
/** Where the mock sends a connection's messages. */
export type Send = (message: Outgoing) => void;

/** Options shared by the Node server and the browser helper. */
export interface MockCoreOptions {
  /** The scenario to start in; default `valid`. */
  scenario?: MockScenario;
  /** How long one token operation takes in the `slow` scenario; default 2,000 ms. */
  slowMs?: number;
  /** Where the certificate lives: a USB-Key (default) or this computer (the agent's software token). */
  medium?: MockMedium;
}

const CAPABILITIES = ['token.list', 'cert.list', 'sign.data', 'sign.batch', 'sign.format.cms-detached', 'sign.format.cms-attached', 'sign.format.raw', 'sign.digest', 'token.events'];
/** The real agent reports `sign.progress` at most every 100 ms (and once at the end). */
const PROGRESS_EVERY_MS = 100;

function certificateKind(scenario: MockScenario): MockCertificateKind {
  if (scenario === 'expiring' || scenario === 'expired') return scenario;
  return scenario === 'batch' ? 'organization' : 'valid';
}

/**
 * The mock agent itself, with no transport: the scenario, the USB-Key, its certificate, the methods, and the
 * notifications to every connection. The Node server and the browser helper both drive one.
 */
export class MockAgentCore {
  private scenarioNow: MockScenario;
  private readonly token: MockToken;
  private readonly signer: MockSigner;
  private readonly connections = new Set<Send>();
  private readonly known = new Set<string>();
  /** Operations waiting on a slow token, woken when the key is pulled out. */
  private readonly pulled = new Set<() => void>();

  private constructor(
    readonly ca: MockCa,
    private readonly options: MockCoreOptions,
  ) {
    this.scenarioNow = options.scenario ?? 'valid';
    this.token = new MockToken(options.medium);
    this.token.reset(this.scenarioNow);
    this.signer = new MockSigner(ca);
  }

  /** Makes the CA, the key and the first certificate (about 10 ms). */
  static async create(options: MockCoreOptions = {}): Promise<MockAgentCore> {
    const core = new MockAgentCore(await createMockCa(), options);
    await core.certificate();
    return core;
  }

  /** The PIN of the mock USB-Key. */
  readonly pin = MOCK_PIN;

  get scenario(): MockScenario {
    return this.scenarioNow;
  }

  /** What `GET /v1/health` answers in the current scenario. */
  health(): HealthResponse {
    const outdated = this.scenarioNow === 'outdated';
    return { name: 'sicert-agent', agentVersion: outdated ? OUTDATED_AGENT_VERSION : MOCK_AGENT_VERSION, protocol: outdated ? 0 : PROTOCOL_VERSION, status: 'ok' };
  }

  /** Switches scenario; pages connected meanwhile hear of the USB-Key as the real agent would tell them. */
  async setScenario(scenario: MockScenario): Promise<void> {
    const before = this.token.plugged ? JSON.stringify(this.token.describe()) : undefined;
    const certificateBefore = (await this.certificate()).id;
    this.scenarioNow = scenario;
    this.token.reset(scenario);
    await this.certificate();
    const after = this.token.plugged ? JSON.stringify(this.token.describe()) : undefined;
    if (before && !after) this.broadcast('token.removed', { tokenId: MOCK_TOKEN_ID });
    else if (!before && after) this.broadcast('token.added', { token: this.token.describe() });
    else if (after && (before !== after || certificateBefore !== (await this.certificate()).id)) this.broadcast('token.changed', { token: this.token.describe() });
  }

  /** Plugs the USB-Key in: `token.added` to every connection. */
  plug(): void {
    if (this.token.plugged) return;
    this.token.plugged = true;
    this.broadcast('token.added', { token: this.token.describe() });
  }

  /** Pulls the USB-Key out: `token.removed` to every connection; an operation in flight answers `TOKEN_REMOVED`. */
  unplug(): void {
    if (!this.token.plugged) return;
    this.token.plugged = false;
    for (const wake of [...this.pulled]) wake();
    this.broadcast('token.removed', { tokenId: MOCK_TOKEN_ID });
  }

  /** Adds a connection; returns the function that removes it. */
  connect(send: Send): () => void {
    this.connections.add(send);
    return () => this.connections.delete(send);
  }

  /** Answers one message received on a connection (undefined for a notification, which is never answered). */
  async handle(text: string, send: Send): Promise<RpcResponse | undefined> {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return failure(null, new AgentError(Reason.INVALID_REQUEST, 'Invalid request: not JSON'));
    }
    if (!checkRequest(message)) {
      const isNotification = typeof message === 'object' && message !== null && !('id' in message);
      return isNotification ? undefined : failure(null, new AgentError(Reason.INVALID_REQUEST, 'Invalid request: not JSON-RPC 2.0'));
    }
    const { id, method, params } = message;
    try {
      if (!isMethod(method) || !this.serves(method)) throw new AgentError(Reason.METHOD_NOT_FOUND, `Method not found: ${method.slice(0, 64)}`);
      const problem = checkParams(method, params);
      if (problem) throw new AgentError(Reason.INVALID_PARAMS, `Invalid params: ${problem}`);
      return success(id, await this.run(method, params as never, id, send));
    } catch (error) {
      return failure(id, asAgentError(error));
    }
  }

  private serves(method: Method): boolean {
    if (method === 'sign.batch') return this.scenarioNow !== 'missing-capability';
    return ['agent.info', 'token.list', 'cert.list', 'sign.data'].includes(method);
  }

  private async run<M extends Method>(method: M, params: ParamsOf<M>, id: RpcId, send: Send): Promise<unknown> {
    switch (method) {
      case 'agent.info':
        return this.info();
      case 'token.list':
        return { tokens: this.token.plugged ? [this.token.describe()] : [] };
      case 'cert.list':
        return { certificates: await this.certificates((params as ParamsOf<'cert.list'>)?.tokenId) };
      case 'sign.data':
        return this.signData(params as ParamsOf<'sign.data'>);
      default:
        return this.signBatch(params as ParamsOf<'sign.batch'>, id, send);
    }
  }

  private info(): AgentInfoResult {
    const capabilities = this.scenarioNow === 'missing-capability' ? CAPABILITIES.filter((c) => c !== 'sign.batch') : CAPABILITIES;
    return { agentVersion: this.health().agentVersion, protocol: 1, providers: [this.token.describe().provider], capabilities, algorithms: ['ECDSA-P256'] };
  }

  private certificate(): Promise<MockCertificate> {
    return this.ca.certificate(certificateKind(this.scenarioNow)).then((c) => {
      this.known.add(c.id);
      return c;
    });
  }

  private async certificates(tokenId: string | undefined): Promise<CertificateInfo[]> {
    if (!this.token.plugged || (tokenId !== undefined && tokenId !== MOCK_TOKEN_ID)) return [];
    const certificate = await this.certificate();
    return [{ id: certificate.id, tokenId: MOCK_TOKEN_ID, der: toBase64(certificate.der), ...summarizeCertificate(certificate.der), hasPrivateKey: true, provider: this.token.describe().provider }];
  }

  /** The certificate `certId` names, after the PIN, as the real agent checks them. */
  private async unlock(certId: string, pin: string): Promise<MockCertificate> {
    const certificate = await this.certificate();
    if (certId !== certificate.id) {
      throw this.known.has(certId) && !this.token.plugged ? new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed') : new AgentError(Reason.CERT_NOT_FOUND, 'no certificate with that id');
    }
    if (!this.token.plugged) throw new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed');
    const before = JSON.stringify(this.token.describe());
    try {
      this.token.login(pin, this.scenarioNow);
    } finally {
      if (JSON.stringify(this.token.describe()) !== before) this.broadcast('token.changed', { token: this.token.describe() });
    }
    await this.work();
    return certificate;
  }

  /**
   * The time a token takes: nothing, or `slowMs` in the `slow` scenario. A key pulled meanwhile ends the work at
   * once with `TOKEN_REMOVED`, as the real agent answers however the key's module reports it.
   */
  private async work(): Promise<void> {
    if (this.scenarioNow === 'slow') {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.pulled.delete(done);
          resolve();
        };
        const timer = setTimeout(done, this.options.slowMs ?? 2_000);
        this.pulled.add(done);
      });
    }
    if (!this.token.plugged) throw new AgentError(Reason.TOKEN_REMOVED, 'the USB-Key was removed during the operation');
  }

  private async signData(params: ParamsOf<'sign.data'>): Promise<unknown> {
    const certificate = await this.unlock(params.certId, params.pin);
    const input = params.data !== undefined ? { data: fromBase64(params.data) } : { digest: fromBase64(params.digest!) };
    const signature = await this.signer.sign(certificate, input, params.format ?? 'cms-detached');
    return { signature: toBase64(signature), certificate: toBase64(certificate.der) };
  }

  private async signBatch(params: ParamsOf<'sign.batch'>, id: RpcId, send: Send): Promise<unknown> {
    const certificate = await this.unlock(params.certId, params.pin);
    const total = params.items.length;
    const signatures: SignBatchOutcome[] = [];
    let reported = 0;
    for (const item of params.items) {
      try {
        const input = { ...(item.data !== undefined ? { data: fromBase64(item.data) } : {}), ...(item.digest !== undefined ? { digest: fromBase64(item.digest) } : {}) };
        signatures.push({ signature: toBase64(await this.signer.sign(certificate, input, params.format ?? 'cms-detached')) });
      } catch (error) {
        const failed = asAgentError(error);
        signatures.push({ error: { reason: failed.reason, message: failed.message } });
      }
      const done = signatures.length;
      if (done === total || Date.now() - reported >= PROGRESS_EVERY_MS) {
        reported = Date.now();
        send({ jsonrpc: '2.0', method: 'sign.progress', params: { id, done, total } });
      }
    }
    return { signatures, certificate: toBase64(certificate.der) };
  }

  private broadcast<N extends NotificationName>(method: N, params: NotificationMap[N]): void {
    for (const send of this.connections) send({ jsonrpc: '2.0', method, params });
  }
}
