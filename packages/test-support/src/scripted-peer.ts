// A scripted stand-in for the agent, for the browser tests of what a real agent will not do on demand: hold a
// signature until the test drops the connection, answer a request already settled, refuse a PIN as throttled,
// answer `pin.change` with each reason, report a locked USB-Key (SoftHSM2 never locks), and push the token
// notifications as a USB-Key is plugged in or out; started with `mustChangeUsbKey`, it also lists a USB-Key that asks
// for its PIN to be changed before use (CKF_USER_PIN_TO_BE_CHANGED), which no SoftHSM2 token reports; started with
// `signBatch`, it also answers `sign.batch` (with progress, and held like a signature). It speaks the real transport
// (health over HTTP with CORS, then JSON-RPC over a WebSocket).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';

/** PINs that script the peer's answer to `sign.data` (and `sign.batch`): held, refused with a reason, or signed. */
export const PEER_PINS = { hold: 'Hold2468x', throttled: 'Slow2468x', sign: 'Sign2468x', locked: 'Lock2468x', removed: 'Gone2468x', cancelled: 'Stop2468x' } as const;
/** The `retryAfterMs` the peer reports for {@link PEER_PINS.throttled}. */
export const PEER_RETRY_AFTER_MS = 41_500;
/** The one certificate the peer lists. */
export const PEER_CERT_ID = 'peer-cert-1';

/**
 * `pin.change` answers, by the `oldPin` the page sends: the right one changes it, the others fail with their reason;
 * a `newPin` of `policyRefused` fails with `PIN_POLICY` (a rule the page cannot know, as the agent's birth-date rule).
 */
export const PEER_PIN_CHANGE = { right: 'Sign2468x', wrong: 'Wrong2468x', locked: 'Lock2468x', throttled: 'Slow2468x', removed: 'Gone2468x', policyRefused: 'Agent2468x' } as const;
/** The `retriesLeft` the peer reports for a wrong old password. */
export const PEER_RETRIES_LEFT = 4;

interface Request {
  id: number;
  method: string;
  params?: { pin?: string; oldPin?: string; newPin?: string; tokenId?: string; items?: unknown[] };
}

/** How a peer is started: the default answers what every test of the status card and signer expects. */
export interface ScriptedPeerOptions {
  /**
   * Also list {@link MUST_CHANGE_USB_KEY_ID}, a USB-Key whose token reports `pin.mustChange` until a `pin.change` on it
   * succeeds (then `token.changed`), and make keys and requests on it (`key.generate`, `csr.create`, advertised with
   * `cert.install` so that the application wizard talks to this peer). `key.generate` is refused while the PIN must
   * still change, as a real key refuses a login then.
   */
  mustChangeUsbKey?: boolean;
  /**
   * Advertise and answer `sign.batch`: every item signed, after a `sign.progress` at the end; with
   * {@link PEER_PINS.hold}, a `sign.progress` at two fifths of the items (120 of 300), then held until `answerHeld()`.
   */
  signBatch?: boolean;
}

/** The id of the USB-Key a peer started with `mustChangeUsbKey` lists. */
export const MUST_CHANGE_USB_KEY_ID = 'peer-usb-new';

/** A running scripted peer. */
export interface ScriptedPeer {
  readonly url: string;
  /** Ends every connection abruptly, as a crashing or restarting agent does. */
  drop(): void;
  /** Answers, on every open connection, the `sign.data` (and `sign.batch`) requests it held, all signed. */
  answerHeld(): number;
  /** How many `sign.data` (and `sign.batch`) requests are held. */
  readonly held: number;
  /** How many `pin.change` requests reached the peer. */
  readonly pinChanges: number;
  /** Plugs in a USB-Key whose password is locked (listed with a certificate), announced with `token.added`. */
  plug(): void;
  /** Unplugs it, announced with `token.removed`. */
  unplug(): void;
  /** Locks the password of the certificate on this computer, announced with `token.changed`. */
  lockSoft(): void;
  /** Back to the first state (nothing plugged, nothing locked, the new USB-Key's PIN to change, no pin.change counted), without notifications. */
  reset(): void;
  close(): Promise<void>;
}

const certificate = {
  id: PEER_CERT_ID,
  tokenId: 'soft-default',
  provider: 'soft',
  der: Buffer.from('scripted peer certificate').toString('base64'),
  subject: 'CN=赵小刚',
  subjectCommonName: '赵小刚',
  issuer: 'CN=sicert Test Root CA',
  issuerCommonName: 'sicert Test Root CA',
  serialNumber: '01',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2036-01-01T00:00:00.000Z',
  keyAlgorithm: 'ECDSA-P256',
  hasPrivateKey: true,
  status: 'valid',
};

const softToken = {
  id: 'soft-default',
  provider: 'soft',
  label: '赵小刚',
  manufacturer: 'sicert',
  model: 'software token',
  serial: 'peer0001',
  pin: { initialized: true, locked: false, countLow: false, finalTry: false, retriesLeft: 10 },
};

/** A USB-Key whose password is locked, as a real key reports it after too many wrong tries. */
const lockedUsbKey = {
  id: 'peer-usb-1',
  provider: 'pkcs11',
  label: '赵小刚的U盾',
  manufacturer: 'Peer Keys',
  model: 'PK-1',
  serial: 'PK0001',
  pin: { initialized: true, locked: true, countLow: true, finalTry: false },
};

const usbCertificate = { ...certificate, id: 'peer-usb-1/02', tokenId: lockedUsbKey.id, provider: 'pkcs11', serialNumber: '02' };

/** A new USB-Key, its PIN set by the vendor or the hall, which the key itself asks to be changed before use. */
const mustChangeKey = {
  id: MUST_CHANGE_USB_KEY_ID,
  provider: 'pkcs11',
  label: '新U盾',
  manufacturer: 'Peer Keys',
  model: 'PK-2',
  serial: 'PK0002',
  pin: { initialized: true, locked: false, countLow: false, finalTry: false },
};

/** What the peer answers `key.generate` and `csr.create` with: well-formed base64, never parsed by the wizard. */
const madeKey = { keyId: 'a1b2c3d4', publicKey: Buffer.from('scripted peer public key').toString('base64') };
const madeCsr = { csr: Buffer.from('scripted peer certificate request').toString('base64') };

const signed = { signature: Buffer.from('signature from the scripted peer').toString('base64'), certificate: certificate.der };

/** Starts the peer on a free loopback port, answering pages of `origin`. */
export async function startScriptedPeer(origin: string, options: ScriptedPeerOptions = {}): Promise<ScriptedPeer> {
  const held: Array<{ id: number; answer: object }> = [];
  let pinChanges = 0;
  let plugged = false;
  let softLocked = false;
  let mustChange = true;
  const newKey = () => ({ ...mustChangeKey, pin: { ...mustChangeKey.pin, mustChange } });
  const tokens = () => [
    { ...softToken, pin: softLocked ? { ...softToken.pin, locked: true, countLow: true, retriesLeft: 0 } : softToken.pin },
    ...(plugged ? [lockedUsbKey] : []),
    ...(options.mustChangeUsbKey ? [newKey()] : []),
  ];
  const capabilities = ['token.list', 'cert.list', 'sign.data', 'pin.change', ...(options.mustChangeUsbKey ? ['key.generate', 'csr.create', 'cert.install'] : []), ...(options.signBatch ? ['sign.batch'] : [])];
  const server: Server = createServer((req, res) => {
    if (req.url !== '/v1/health') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': origin });
    res.end(JSON.stringify({ name: 'sicert-agent', agentVersion: '9.9.9-peer', protocol: 1, status: 'ok' }));
  });
  const wss = new WebSocketServer({ server, path: '/v1', handleProtocols: (protocols: Iterable<string>) => ([...protocols].includes('sicert.v1') ? 'sicert.v1' : false) });
  const reply = (socket: WebSocket, id: number, body: object) => socket.send(JSON.stringify({ jsonrpc: '2.0', id, ...body }));
  const notify = (method: string, params: object) => {
    for (const socket of wss.clients) socket.send(JSON.stringify({ jsonrpc: '2.0', method, params }));
  };
  const pinChangeAnswer = (req: Request): object => {
    pinChanges++;
    const { oldPin, newPin } = req.params ?? {};
    const refused = (reason: string, data: object = {}) => ({ error: { code: -32000, message: reason, data: { reason, ...data } } });
    if (oldPin === PEER_PIN_CHANGE.wrong) return refused('PIN_INCORRECT', { retriesLeft: PEER_RETRIES_LEFT });
    if (oldPin === PEER_PIN_CHANGE.locked) return refused('PIN_LOCKED');
    if (oldPin === PEER_PIN_CHANGE.throttled) return refused('PIN_THROTTLED', { retryAfterMs: PEER_RETRY_AFTER_MS });
    if (oldPin === PEER_PIN_CHANGE.removed) return refused('TOKEN_REMOVED');
    if (newPin === PEER_PIN_CHANGE.policyRefused) return refused('PIN_POLICY');
    if (oldPin !== PEER_PIN_CHANGE.right) return refused('PIN_INCORRECT');
    if (options.mustChangeUsbKey && req.params?.tokenId === MUST_CHANGE_USB_KEY_ID && mustChange) {
      mustChange = false;
      setImmediate(() => notify('token.changed', { token: newKey() }));
    }
    return { result: {} };
  };
  /** The whole-request refusal a scripted PIN asks for, as a real agent refuses a signature or a batch. */
  const signRefusal = (pin: string | undefined): object | undefined => {
    const refused = (reason: string, data: object = {}) => ({ error: { code: -32000, message: reason, data: { reason, ...data } } });
    if (pin === PEER_PINS.throttled) return refused('PIN_THROTTLED', { retryAfterMs: PEER_RETRY_AFTER_MS });
    if (pin === PEER_PINS.locked) return refused('PIN_LOCKED');
    if (pin === PEER_PINS.removed) return refused('TOKEN_REMOVED');
    if (pin === PEER_PINS.cancelled) return refused('CANCELLED');
    return undefined;
  };
  const signBatch = (socket: WebSocket, req: Request) => {
    const total = req.params?.items?.length ?? 0;
    const answer = { result: { signatures: (req.params?.items ?? []).map(() => ({ signature: signed.signature })), certificate: signed.certificate } };
    const progress = (done: number) => socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'sign.progress', params: { id: req.id, done, total } }));
    if (req.params?.pin === PEER_PINS.hold) {
      progress(Math.floor((total * 2) / 5));
      held.push({ id: req.id, answer });
      return;
    }
    const refusal = signRefusal(req.params?.pin);
    if (!refusal) progress(total);
    reply(socket, req.id, refusal ?? answer);
  };
  const notScripted = { error: { code: -32601, message: 'not scripted', data: { reason: 'METHOD_NOT_FOUND' } } };
  const onNewKey = (req: Request, result: object): object => {
    if (req.params?.tokenId !== MUST_CHANGE_USB_KEY_ID) return { error: { code: -32000, message: 'no such token', data: { reason: 'TOKEN_NOT_FOUND' } } };
    if (mustChange) return { error: { code: -32000, message: 'the PIN must be changed first', data: { reason: 'TOKEN_ERROR' } } };
    return { result };
  };
  wss.on('connection', (socket) => {
    socket.on('message', (data: WebSocket.Data) => {
      const req = JSON.parse((data as Buffer).toString()) as Request;
      switch (req.method) {
        case 'agent.info':
          return reply(socket, req.id, { result: { agentVersion: '9.9.9-peer', protocol: 1, providers: ['soft'], capabilities, algorithms: ['ECDSA-P256'] } });
        case 'token.list':
          return reply(socket, req.id, { result: { tokens: tokens() } });
        case 'cert.list':
          return reply(socket, req.id, { result: { certificates: [certificate, ...(plugged ? [usbCertificate] : [])] } });
        case 'pin.change':
          return reply(socket, req.id, pinChangeAnswer(req));
        case 'key.generate':
        case 'csr.create':
          return reply(socket, req.id, options.mustChangeUsbKey ? onNewKey(req, req.method === 'key.generate' ? madeKey : madeCsr) : notScripted);
        case 'sign.data':
          if (req.params?.pin === PEER_PINS.hold) return void held.push({ id: req.id, answer: { result: signed } });
          return reply(socket, req.id, signRefusal(req.params?.pin) ?? { result: signed });
        case 'sign.batch':
          return options.signBatch ? signBatch(socket, req) : reply(socket, req.id, notScripted);
        default:
          return reply(socket, req.id, notScripted);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    drop() {
      for (const socket of wss.clients) socket.terminate();
    },
    answerHeld() {
      const answers = held.splice(0);
      for (const socket of wss.clients) for (const { id, answer } of answers) reply(socket, id, answer);
      return answers.length;
    },
    get held() {
      return held.length;
    },
    get pinChanges() {
      return pinChanges;
    },
    plug() {
      plugged = true;
      notify('token.added', { token: lockedUsbKey });
    },
    unplug() {
      plugged = false;
      notify('token.removed', { tokenId: lockedUsbKey.id });
    },
    lockSoft() {
      softLocked = true;
      notify('token.changed', { token: tokens()[0]! });
    },
    reset() {
      plugged = false;
      softLocked = false;
      mustChange = true;
      pinChanges = 0;
    },
    async close() {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
