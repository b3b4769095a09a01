// The demo API's submissions per second, on SQLite or PostgreSQL (issue 11's `npm run bench`): the demo portal on
// the chosen store, a few concurrent clients, each submission a real, distinct applicant (a person added to the
// insured records, signed in, with two uploads, a passed face check and a PKCS#10 request of a fresh P-256 key).
// What is timed is `POST /api/sicert/v1/applications` alone, the transaction the stores are about; everything a
// citizen does before it is prepared between the timed rounds.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { residentIdCheckCharacter } from '@sicert/elements/validators';
import { createCertificationRequest, toBase64, webCryptoSigner } from '@sicert/pki';
import { startThrowawayPostgres, type ThrowawayPostgres } from '@sicert/test-support/postgres';
import { startDemo, type RunningDemo } from '../../demo/server/demo.js';

/** What {@link measureSubmissions} measured. */
export interface SubmissionRate {
  store: 'sqlite' | 'postgres';
  clients: number;
  /** Applications created (201) in the timed rounds. */
  submitted: number;
  /** Wall time of the timed rounds, seconds. */
  seconds: number;
  perSecond: number;
  /** Latency of one submission, milliseconds. */
  medianMs: number;
  p95Ms: number;
  /** Answers other than 201 (none expected: every applicant is distinct). */
  failed: number;
}

/** Options of {@link measureSubmissions}. */
export interface SubmissionOptions {
  store: 'sqlite' | 'postgres';
  /** For PostgreSQL: an empty database to use; without it a throwaway cluster is started (and stopped). */
  databaseUrl?: string;
  /** Timed seconds to reach at least (default 10). */
  seconds?: number;
  /** Concurrent clients (default 4). */
  clients?: number;
}

interface Applicant {
  name: string;
  idNumber: string;
  mobile: string;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201c5a5a0a40000000049454e44ae426082', 'hex');
const DAY = 86_400_000;

/** The n-th bench applicant: a valid resident ID (Beijing Xicheng, born 1970 onwards), a Chinese name, a mobile. */
function applicant(n: number): Applicant {
  const birth = new Date(Date.UTC(1970, 0, 1) + Math.floor(n / 1000) * DAY).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `110102${birth}${String(n % 1000).padStart(3, '0')}`;
  const name = `测${String.fromCodePoint(0x4e00 + (n % 20_000))}${String.fromCodePoint(0x4e00 + ((n * 7) % 20_000))}`;
  return { name, idNumber: first17 + residentIdCheckCharacter(first17), mobile: `139${String(n).padStart(8, '0')}` };
}

/** A signed-in client of the portal, as a browser would be (cookie, Origin). */
function client(portalUrl: string) {
  let cookie = '';
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${portalUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', origin: portalUrl, ...(cookie ? { cookie } : {}), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    cookie = response.headers.get('set-cookie')?.split(';')[0] ?? cookie;
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
}

type Call = ReturnType<typeof client>;

/** Everything before the submission: records, sign-in, uploads, face check, key and CSR. */
async function prepare(demo: RunningDemo, person: Applicant): Promise<{ call: Call; key: string; body: Record<string, unknown> }> {
  await demo.db.sql.run(
    'INSERT INTO insured_persons (id_number, name, card_number, mobile, region, insurance, contact_confirmed) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING',
    [person.idNumber, person.name, `Z${person.idNumber.slice(-8)}`, person.mobile, 'demo-east', '城镇职工基本医疗保险'],
  );
  const call = client(demo.portalUrl);
  if ((await call('POST', '/api/demo/login', { idNumber: person.idNumber })).status !== 200) throw new Error(`bench: ${person.idNumber} cannot sign in`);
  const upload = async (kind: string) => String((await call('POST', '/api/sicert/v1/uploads', { region: 'demo-east', kind, fileName: `${kind}.png`, data: PNG.toString('base64') })).body.uploadId);
  const key = randomUUID();
  const face = await call('POST', '/api/demo/face-checks', { idNumber: person.idNumber, applicationKey: key, outcome: 'pass' });
  const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const csr = toBase64(await createCertificationRequest({ CN: person.name }, spki, webCryptoSigner(keys.privateKey)));
  const materials = [{ kind: 'id-front', uploadId: await upload('id-front') }, { kind: 'id-back', uploadId: await upload('id-back') }];
  const body = { region: 'demo-east', type: 'personal', applicant: person, materials, face: { token: face.body.token }, medium: 'computer', tokenId: 'soft-default', csr };
  return { call, key, body };
}

/** Runs `work` over `items` with `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

/**
 * Starts the demo on `store` and measures applications submitted per second through the HTTP API with `clients`
 * concurrent clients, in rounds (prepare a round's applicants untimed, then submit them all, timed) until the timed
 * rounds add up to `seconds`. Not a test: it asserts nothing but that every submission is accepted.
 */
export async function measureSubmissions(options: SubmissionOptions): Promise<SubmissionRate> {
  const clients = options.clients ?? 4;
  const target = (options.seconds ?? 10) * 1000;
  const dataDir = mkdtempSync(join(tmpdir(), 'sicert-bench-submissions-'));
  let cluster: ThrowawayPostgres | undefined;
  let demo: RunningDemo | undefined;
  try {
    let databaseUrl = options.databaseUrl;
    if (options.store === 'postgres' && !databaseUrl) {
      cluster = await startThrowawayPostgres();
      databaseUrl = await cluster.createDatabase();
    }
    demo = await startDemo({ dataDir, portalPort: 0, agentPort: 0, provisionDemoCertificate: false, ...(databaseUrl ? { databaseUrl } : {}) });
    const latencies: number[] = [];
    let timed = 0;
    let failed = 0;
    let n = 0;
    const round = clients * 10;
    while (timed < target) {
      const people = Array.from({ length: round }, () => applicant(n++));
      const prepared: Awaited<ReturnType<typeof prepare>>[] = [];
      await inParallel(people, clients, async (person) => void prepared.push(await prepare(demo!, person)));
      const started = performance.now();
      await inParallel(prepared, clients, async ({ call, key, body }) => {
        const t = performance.now();
        const answer = await call('POST', '/api/sicert/v1/applications', body, { 'Idempotency-Key': key });
        latencies.push(performance.now() - t);
        if (answer.status !== 201) failed++;
      });
      timed += performance.now() - started;
    }
    latencies.sort((a, b) => a - b);
    const submitted = latencies.length - failed;
    return { store: options.store, clients, submitted, seconds: timed / 1000, perSecond: submitted / (timed / 1000), medianMs: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), failed };
  } finally {
    await demo?.close();
    await cluster?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
