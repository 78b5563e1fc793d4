/**
 * A photo upload as the request body (PortalClient.uploadJobPhoto, fetched on the first upload).
 * XMLHttpRequest, not fetch: only it reports upload progress. Aborting the signal cancels the
 * upload (an AbortError).
 */
import { PortalApiError, apiError, type JobFile, type PortalClient, type UploadOptions } from './client.js';

export function upload(client: PortalClient, jobId: number, file: Blob & { name?: string }, options: UploadOptions): Promise<JobFile> {
  const query = new URLSearchParams({ name: options.name ?? file.name ?? 'photo' });
  if (options.caption) query.set('caption', options.caption);
  const xhr = new XMLHttpRequest();
  return new Promise<JobFile>((resolve, reject) => {
    const signal = options.signal;
    if (signal?.aborted) return reject(new DOMException('The upload was cancelled.', 'AbortError'));
    xhr.open('POST', `${client.baseUrl}/api/portal/${encodeURIComponent(client.provider)}/jobs/${jobId}/files?${query}`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (client.token) xhr.setRequestHeader('Authorization', `Bearer ${client.token}`);
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
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as JobFile);
        } catch {
          reject(apiError(xhr.status, '', null));
        }
      } else reject(apiError(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')));
    };
    xhr.send(file);
  });
}
