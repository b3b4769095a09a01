import { bytesToBase64 } from '../internal/format.js';
import { BackendError, type PortalBackend } from './portal-backend.js';
import type { Application, ApplicationRequest, CertificateRecord, EligibilityRequest, EligibilityResult, MaterialKind, RegionProfile, RenewalRequest, UploadResult } from './types.js';

/** The REST contract of docs/backend-api.md (OpenAPI: docs/backend-api.openapi.yaml), with the page's cookies. */
export class RestPortalBackend implements PortalBackend {
  constructor(
    readonly baseUrl = '/api/sicert/v1',
    private readonly locale: () => string = () => 'zh-CN',
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new BackendError('NETWORK', this.locale().startsWith('en') ? 'Cannot reach the service; check the network and retry.' : '无法连接服务，请检查网络后重试。');
    }
    const payload = (await response.json().catch(() => ({}))) as { error?: string; message?: string; messageEn?: string; field?: string };
    if (!response.ok) {
      const message = (this.locale().startsWith('en') ? payload.messageEn : payload.message) ?? `HTTP ${response.status}`;
      throw new BackendError(payload.error ?? `HTTP_${response.status}`, message, payload.field, response.status);
    }
    return payload as T;
  }

  region(id: string): Promise<RegionProfile> {
    return this.call('GET', `/regions/${encodeURIComponent(id)}`);
  }

  checkEligibility(request: EligibilityRequest): Promise<EligibilityResult> {
    return this.call('POST', '/eligibility', request);
  }

  async upload(region: string, kind: MaterialKind, file: File): Promise<UploadResult> {
    const data = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    return this.call('POST', '/uploads', { region, kind, fileName: file.name, data });
  }

  submit(request: ApplicationRequest, idempotencyKey: string): Promise<Application> {
    return this.idempotent('/applications', request, idempotencyKey);
  }

  async current(): Promise<Application | undefined> {
    try {
      return await this.call<Application>('GET', '/applications/current');
    } catch (error) {
      if (error instanceof BackendError && error.status === 404) return undefined;
      throw error;
    }
  }

  application(id: string): Promise<Application> {
    return this.call('GET', `/applications/${encodeURIComponent(id)}`);
  }

  confirmInstallation(id: string, signature: string): Promise<Application> {
    return this.call('POST', `/applications/${encodeURIComponent(id)}/installation`, { signature });
  }

  withdraw(id: string): Promise<Application> {
    return this.call('POST', `/applications/${encodeURIComponent(id)}/withdrawal`, {});
  }

  certificateStatus(serialNumber: string): Promise<CertificateRecord> {
    return this.call('GET', `/certificates/${encodeURIComponent(serialNumber)}`);
  }

  reportLoss(serialNumber: string): Promise<CertificateRecord> {
    return this.call('POST', `/certificates/${encodeURIComponent(serialNumber)}/loss`, {});
  }

  renew(request: RenewalRequest, idempotencyKey: string): Promise<Application> {
    return this.idempotent('/renewals', request, idempotencyKey);
  }

  /** A POST that makes something once per key: a lost answer is retried with the same key, and the backend returns what it already made. */
  private async idempotent(path: string, body: unknown, idempotencyKey: string): Promise<Application> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call<Application>('POST', path, body, { 'Idempotency-Key': idempotencyKey });
      } catch (error) {
        if (!(error instanceof BackendError) || error.code !== 'NETWORK' || attempt >= 2) throw error;
      }
    }
  }
}
