import { bytesToBase64 } from '../internal/format.js';
import { BackendError, type PortalBackend } from './portal-backend.js';
import type { Application, ApplicationRequest, EligibilityRequest, EligibilityResult, MaterialKind, RegionProfile, UploadResult } from './types.js';

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

  async submit(request: ApplicationRequest, idempotencyKey: string): Promise<Application> {
    // A lost answer is retried with the same key: the backend returns the application it already made.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.call<Application>('POST', '/applications', request, { 'Idempotency-Key': idempotencyKey });
      } catch (error) {
        if (!(error instanceof BackendError) || error.code !== 'NETWORK' || attempt >= 2) throw error;
      }
    }
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
}
