/**
 * The typed API client. Works without any element (headless): `new PortalClient({ provider })`.
 * Every call names a route of the server's `PortalRoutes` (type-only, nothing of the server is
 * bundled): its path, method and answer type come from the route definition, so renaming a path
 * or a field on the server breaks this build.
 */
import type { PortalRoutes } from '../../server/portal-app.js';
import type { ApiErrorBody } from '../../server/http/errors.js';
import type { Details, DetailsUpdateRequest } from '../../server/details/schemas.js';
import type { Equipment, EquipmentCreateRequest, EquipmentListParams } from '../../server/equipment/schemas.js';
import type { JobCreateRequest, JobDetail, JobListParams, JobSummary, JobUpdateRequest } from '../../server/jobs/schemas.js';
import type { LinkInfo, LoginResponse, Me, MessageResponse } from '../../server/sessions/schemas.js';
import type { Page } from '../../server/http/fields.js';
import type { ProviderPublic } from '../../server/providers/schemas.js';
import type { QuoteDetail, QuoteListParams, QuoteRequest, QuoteSummary } from '../../server/quotes/schemas.js';
import type { MapJobList } from '../../server/map/schemas.js';
import type { JobFile, JobFileList } from '../../server/files/schemas.js';

export type { JobFile, JobFileList } from '../../server/files/schemas.js';

export type {
  AlertChannel,
  AlertEvent,
  AlertsOverviewView as AlertsOverview,
  DestinationCreateRequest,
  DestinationView as AlertDestination,
  PreviewView as AlertPreview,
  SubscriptionCreateRequest as AlertCreateRequest,
  SubscriptionUpdateRequest as AlertUpdateRequest,
  SubscriptionView as Alert,
} from '../../server/alerts/schemas.js';

export type { LiveEvent, LiveEventType, LiveJobSummary, LiveQuoteSummary, LivePositionData, LiveReadyData, LiveReloadData, LiveEndData } from '../../server/live/schemas.js';
export type { MapJob, MapJobList } from '../../server/map/schemas.js';

export type { Me, LoginResponse, Permissions, LinkInfo, MessageResponse } from '../../server/sessions/schemas.js';
export type { ProviderPublic, Theme, Features } from '../../server/providers/schemas.js';
export type { Details, DetailsUpdateRequest } from '../../server/details/schemas.js';
export type { Equipment, EquipmentCreateRequest, EquipmentListParams } from '../../server/equipment/schemas.js';
export type { JobCreateRequest, JobDetail, JobEvent, JobListParams, JobSummary, JobUpdateRequest } from '../../server/jobs/schemas.js';
export type { JobStatus, QuoteStatus, RecordAccess } from '../../server/contract.js';
export type { Page } from '../../server/http/fields.js';
export type { QuoteDetail, QuoteLine, QuoteListParams, QuoteRequest, QuoteSummary } from '../../server/quotes/schemas.js';

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

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Key<M extends Method> = `$${Lowercase<M>}`;
/** The paths that answer a method. */
type PathFor<M extends Method> = { [P in keyof PortalRoutes]: Key<M> extends keyof PortalRoutes[P] ? P : never }[keyof PortalRoutes];
type Endpoint<M extends Method, P extends PathFor<M>> = PortalRoutes[P][Key<M> & keyof PortalRoutes[P]];
/** What the route answers on success (204: nothing). */
type Answer<E> = E extends { status: infer S; output: infer O } ? (S extends 200 | 201 | 202 ? O : S extends 204 ? void : never) : never;
/** `:name` segments of a path, which `params` must fill. */
type Params<P extends string> = P extends `${string}:${infer Name}/${infer Rest}` ? { [K in Name]: number } & Params<`/${Rest}`> : P extends `${string}:${infer Name}` ? { [K in Name]: number } : Record<never, never>;

interface RequestOptions<P extends string> {
  params?: Params<P>;
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
    const result = await this.request('POST', '/session', { body: { email, password }, signal, auth: false });
    this.token = result.token;
    return result;
  }

  /** Ends the session on the server. The token is forgotten even if the server cannot be reached. */
  async logout(signal?: AbortSignal): Promise<void> {
    if (!this.token) return;
    try {
      await this.request('DELETE', '/session', { signal });
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
    const result = await this.request('POST', '/password/set', { body: { token, password }, signal, auth: false });
    this.token = result.token;
    return result;
  }

  /** Changes the logged-in contact's password; their other sessions end. */
  changePassword(currentPassword: string, newPassword: string, signal?: AbortSignal): Promise<MessageResponse> {
    return this.request('POST', '/password/change', { body: { currentPassword, newPassword }, signal });
  }

  /** Ends every session of the logged-in contact, this one included. */
  async logoutEverywhere(signal?: AbortSignal): Promise<void> {
    await this.request('DELETE', '/sessions', { signal });
    this.token = null;
  }

  // Jobs --------------------------------------------------------------------------------------

  /** One page of the contact's jobs (as far as their permission reaches), newest first. */
  listJobs(params: JobListParams = {}, signal?: AbortSignal): Promise<Page<JobSummary>> {
    return this.request('GET', '/jobs', { query: params, signal });
  }

  getJob(id: number, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('GET', '/jobs/:id', { params: { id }, signal });
  }

  createJob(job: JobCreateRequest, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('POST', '/jobs', { body: job, signal });
  }

  updateJob(id: number, changes: JobUpdateRequest, signal?: AbortSignal): Promise<JobDetail> {
    return this.request('PATCH', '/jobs/:id', { params: { id }, body: changes, signal });
  }

  // Quotes ------------------------------------------------------------------------------------

  listQuotes(params: QuoteListParams = {}, signal?: AbortSignal): Promise<Page<QuoteSummary>> {
    return this.request('GET', '/quotes', { query: params, signal });
  }

  getQuote(id: number, signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('GET', '/quotes/:id', { params: { id }, signal });
  }

  requestQuote(quote: QuoteRequest, signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', '/quotes', { body: quote, signal });
  }

  /** Accepts a quote the provider sent; once only, and not after it expired (409). */
  acceptQuote(id: number, note = '', signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', '/quotes/:id/accept', { params: { id }, body: { note }, signal });
  }

  declineQuote(id: number, note = '', signal?: AbortSignal): Promise<QuoteDetail> {
    return this.request('POST', '/quotes/:id/decline', { params: { id }, body: { note }, signal });
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
    return this.request('GET', '/jobs/:id/files', { params: { id: jobId }, signal });
  }

  deleteJobFile(jobId: number, fileId: number, signal?: AbortSignal): Promise<void> {
    return this.request('DELETE', '/jobs/:id/files/:fileId', { params: { id: jobId, fileId }, signal });
  }

  /**
   * Uploads a photo as the request body. XMLHttpRequest, not fetch: only it reports upload
   * progress. Aborting the signal cancels the upload (an AbortError).
   */
  async uploadJobPhoto(jobId: number, file: Blob & { name?: string }, options: UploadOptions = {}): Promise<JobFile> {
    // Fetched on the first upload: a page that never uploads does not download it.
    const { upload } = await import('./upload.js');
    return upload(this, jobId, file, options);
  }

  // Map and live updates ---------------------------------------------------------------------

  /** The started jobs with coordinates the contact may see (one job with `job`), with technicians' positions. 403 `map_disabled` when the map is off. */
  map(params: { job?: number } = {}, signal?: AbortSignal): Promise<MapJobList> {
    return this.request('GET', '/map', { query: params, signal });
  }

  /**
   * Opens the live event stream (text/event-stream) and returns its body; `lastEventId` resumes
   * after that event. Read with fetch, so the token goes in the Authorization header, never in
   * the URL. portal-root keeps one open and reconnects (widget/live/connection.ts).
   */
  async openLive(lastEventId: string | null, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
    const response = await this.send('GET', '/live', { signal }, headers);
    if (!response.ok || !response.body) throw await this.failure(response);
    return response.body;
  }

  private async send<P extends string>(method: Method, route: P, options: RequestOptions<P>, extraHeaders: Record<string, string> = {}): Promise<Response> {
    const params = (options.params ?? {}) as Record<string, number>;
    const path = route.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
    const headers: Record<string, string> = { Accept: 'application/json', ...extraHeaders };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.auth !== false && this.token) headers.Authorization = `Bearer ${this.token}`;
    // Every write carries a key of its own: sent again (a draft, a retry), it is done once. A caller
    // that sends the same write again later (the offline drafts) passes its own key.
    if (method !== 'GET') headers['Idempotency-Key'] ??= newKey();
    try {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
      const qs = query.size ? `?${query}` : '';
      return await this.fetchImpl(`${this.baseUrl}/api/portal/${encodeURIComponent(this.provider)}${path}${qs}`, {
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
  }

  private async failure(response: Response): Promise<PortalApiError> {
    return apiError(response.status, await response.text().catch(() => ''), response.headers.get('Retry-After'));
  }

  /**
   * Any route of the customer API, typed by the server's routes: `request('GET', '/jobs/:id',
   * { params: { id } })`. A failure throws a PortalApiError. The named methods above are this.
   */
  async request<M extends Method, P extends PathFor<M>>(method: M, route: P, options: RequestOptions<P> = {}): Promise<Answer<Endpoint<M, P>>> {
    type T = Answer<Endpoint<M, P>>;
    const response = await this.send(method, route, options);
    if (response.status === 204) return undefined as T;
    if (!response.ok) throw await this.failure(response);
    const text = await response.text();
    try {
      return (text ? JSON.parse(text) : undefined) as T;
    } catch {
      return undefined as T;
    }
  }
}


/** A random key (randomUUID is only in secure contexts; getRandomValues is everywhere). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The server's error answer (its code, message and fields) as a PortalApiError. */
export function apiError(status: number, text: string, retryAfter: string | null): PortalApiError {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const error = (data as ApiErrorBody | undefined)?.error;
  const retry = Number(retryAfter);
  return new PortalApiError(
    status,
    error?.code ?? 'http_error',
    error?.message ?? `The server answered ${status}.`,
    error?.fields ?? {},
    Number.isFinite(retry) && retry > 0 ? retry : undefined,
  );
}
