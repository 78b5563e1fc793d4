/**
 * The typed API client. Works without any element (headless): `new PortalClient({ provider })`.
 * Types come from the server's contract module, type-only, so nothing of the server is bundled.
 */
import type {
  ApiErrorBody,
  Details,
  DetailsUpdateRequest,
  Equipment,
  EquipmentCreateRequest,
  EquipmentListParams,
  JobCreateRequest,
  JobDetail,
  JobListParams,
  JobSummary,
  JobUpdateRequest,
  LinkInfo,
  LoginResponse,
  Me,
  MessageResponse,
  Page,
  ProviderPublic,
  QuoteDetail,
  QuoteListParams,
  QuoteRequest,
  QuoteSummary,
} from '../../server/schemas.js';
import type { JobFile, JobFileList } from '../../server/files/schemas.js';

export type { JobFile, JobFileList } from '../../server/files/schemas.js';

export type {
  Me,
  LoginResponse,
  ProviderPublic,
  Permissions,
  Theme,
  Features,
  LinkInfo,
  MessageResponse,
  Details,
  DetailsUpdateRequest,
  Equipment,
  EquipmentCreateRequest,
  EquipmentListParams,
  JobCreateRequest,
  JobDetail,
  JobEvent,
  JobListParams,
  JobStatus,
  JobSummary,
  JobUpdateRequest,
  Page,
  QuoteDetail,
  QuoteLine,
  QuoteListParams,
  QuoteRequest,
  QuoteStatus,
  QuoteSummary,
  RecordAccess,
} from '../../server/schemas.js';

/** A failed call: the server's error code and message, and per-field problems for forms. */
export class PortalApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'PortalApiError';
  }
  /** The request never got an answer (offline, server down, blocked by CORS). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface PortalClientOptions {
  provider: string;
  /** Origin (and optional path prefix) of the API; default: this page's origin. */
  baseUrl?: string;
  token?: string | null;
  fetch?: typeof fetch;
}

export interface UploadOptions {
  /** The name the file is stored under (default: the File's own name). */
  name?: string;
  caption?: string;
  /** Called as the bytes go out: the browser's own upload progress. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignal;
}

interface RequestOptions {
  body?: unknown;
  query?: object;
  signal?: AbortSignal;
  auth?: boolean;
}

export class PortalClient {
  readonly provider: string;
  readonly baseUrl: string;
  token: string | null;
  private readonly fetchImpl: typeof fetch;

  constructor(options: PortalClientOptions) {
    this.provider = options.provider;
    this.baseUrl = (options.baseUrl || globalThis.location?.origin || '').replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The provider's public configuration (name, theme, feature switches). */
  config(signal?: AbortSignal): Promise<ProviderPublic> {
    return this.request('GET', '/config', { signal, auth: false });
  }

  /** Logs in; on success the client holds the new token. */
  async login(email: string, password: string, signal?: AbortSignal): Promise<LoginResponse> {
    const result = await this.request<LoginResponse>('POST', '/session', { body: { email, password }, signal, auth: false });
    this.token = result.token;
    return result;
  }

  /** Ends the session on the server. The token is forgotten even if the server cannot be reached. */
  async logout(signal?: AbortSignal): Promise<void> {
    if (!this.token) return;
    try {
      await this.request<void>('DELETE', '/session', { signal });
    } finally {
      this.token = null;
    }
  }

  me(signal?: AbortSignal): Promise<Me> {
    return this.request('GET', '/me', { signal });
  }

  /** Asks for a reset link by email. The answer is the same whether or not the address is known. */
  forgotPassword(email: string, signal?: AbortSignal): Promise<MessageResponse> {
    return this.request('POST', '/password/forgot', { body: { email }, signal, auth: false });
  }

  /** What an invitation or reset link is for, or why it cannot be used (PortalApiError 400/410). */
  inspectLink(token: string, signal?: AbortSignal): Promise<LinkInfo> {
    return this.request('POST', '/password/link', { body: { token }, signal, auth: false });
  }

  /** Sets the password with an emailed link and logs in: the client holds the new token. */
  async setPassword(token: string, password: string, signal?: AbortSignal): Promise<LoginResponse> {
    const result = await this.request<LoginResponse>('POST', '/password/set', { body: { token, password }, signal, auth: false });
    this.token = result.token;
    return result;
  }

  /** Changes the logged-in contact's password; their other sessions end. */
  changePassword(currentPassword: string, newPassword: string, signal?: AbortSignal): Promise<MessageResponse> {
    return this.request('POST', '/password/change', { body: { currentPassword, newPassword }, signal });
  }

  /** Ends every session of the logged-in contact, this one included. */
  async logoutEverywhere(signal?: AbortSignal): Promise<void> {
    await this.request<void>('DELETE', '/sessions', { signal });
    this.token = null;
  }

  // Jobs --------------------------------------------------------------------------------------

  /** One page of the contact's jobs (as far as their permission reaches), newest first. */
  listJobs(params: JobListParams = {}, signal?: AbortSignal): Promise<Page<JobSummary>> {
    return this.request('GET', '/jobs', { query: params, signal });
  }

  getJob(id: number, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('GET', `/jobs/${id}`, { signal });
  }

  createJob(job: JobCreateRequest, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('POST', '/jobs', { body: job, signal });
  }

  updateJob(id: number, changes: JobUpdateRequest, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('PATCH', `/jobs/${id}`, { body: changes, signal });
  }

  // Quotes ------------------------------------------------------------------------------------

  listQuotes(params: QuoteListParams = {}, signal?: AbortSignal): Promise<Page<QuoteSummary>> {
    return this.request('GET', '/quotes', { query: params, signal });
  }

  getQuote(id: number, signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('GET', `/quotes/${id}`, { signal });
  }

  requestQuote(quote: QuoteRequest, signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', '/quotes', { body: quote, signal });
  }

  /** Accepts a quote the provider sent; once only, and not after it expired (409). */
  acceptQuote(id: number, note = '', signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', `/quotes/${id}/accept`, { body: { note }, signal });
  }

  declineQuote(id: number, note = '', signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', `/quotes/${id}/decline`, { body: { note }, signal });
  }

  // Equipment and details ---------------------------------------------------------------------

  listEquipment(params: EquipmentListParams = {}, signal?: AbortSignal): Promise<Page<Equipment>> {
    return this.request('GET', '/equipment', { query: params, signal });
  }

  addEquipment(equipment: EquipmentCreateRequest, signal?: AbortSignal): Promise<Equipment> {
    return this.request('POST', '/equipment', { body: equipment, signal });
  }

  getDetails(signal?: AbortSignal): Promise<Details> {
    return this.request('GET', '/details', { signal });
  }

  updateDetails(changes: DetailsUpdateRequest, signal?: AbortSignal): Promise<Details> {
    return this.request('PATCH', '/details', { body: changes, signal });
  }

  // Job files ---------------------------------------------------------------------------------

  /** The job's files this contact may see, with signed URLs for <img> and links, and whether they may add photos. */
  listJobFiles(jobId: number, signal?: AbortSignal): Promise<JobFileList> {
    return this.request('GET', `/jobs/${jobId}/files`, { signal });
  }

  deleteJobFile(jobId: number, fileId: number, signal?: AbortSignal): Promise<void> {
    return this.request('DELETE', `/jobs/${jobId}/files/${fileId}`, { signal });
  }

  /**
   * Uploads a photo as the request body. XMLHttpRequest, not fetch: only it reports upload
   * progress. Aborting the signal cancels the upload (an AbortError).
   */
  uploadJobPhoto(jobId: number, file: Blob & { name?: string }, options: UploadOptions = {}): Promise<JobFile> {
    const query = new URLSearchParams({ name: options.name ?? file.name ?? 'photo' });
    if (options.caption) query.set('caption', options.caption);
    const xhr = new XMLHttpRequest();
    return new Promise<JobFile>((resolve, reject) => {
      const signal = options.signal;
      if (signal?.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
      xhr.open('POST', `${this.url(`/jobs/${jobId}/files`)}?${query}`);
      xhr.setRequestHeader('Accept', 'application/json');
      if (this.token) xhr.setRequestHeader('Authorization', `Bearer ${this.token}`);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => options.onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      const onAbort = (): void => xhr.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);
      xhr.onabort = () => {
        done();
        reject(new DOMException('The upload was cancelled.', 'AbortError'));
      };
      xhr.onerror = () => {
        done();
        reject(new PortalApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.'));
      };
      xhr.onload = () => {
        done();
        try {
          resolve(answer<JobFile>(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
        } catch (error) {
          reject(error);
        }
      };
      xhr.send(file);
    });
  }

  private url(path: string): string {
    return `${this.baseUrl}/api/portal/${encodeURIComponent(this.provider)}${path}`;
  }

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.auth !== false && this.token) headers.Authorization = `Bearer ${this.token}`;
    let response: Response;
    try {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
      const qs = query.size ? `?${query}` : '';
      response = await this.fetchImpl(`${this.url(path)}${qs}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        credentials: 'omit',
      });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw new PortalApiError(0, 'network_error', 'Cannot reach the server. Check your connection and try again.');
    }
    if (response.status === 204) return undefined as T;
    return answer<T>(response.status, await response.text(), response.headers.get('Retry-After'));
  }
}

/** The parsed body of an answer, or the PortalApiError it carries. */
function answer<T>(status: number, text: string, retryAfter: string | null): T {
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (status < 200 || status > 299) {
    const error = (data as ApiErrorBody | undefined)?.error;
    const retry = Number(retryAfter);
    throw new PortalApiError(
      status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${status}.`,
      error?.fields ?? {},
      Number.isFinite(retry) && retry > 0 ? retry : undefined,
    );
  }
  return data as T;
}
