import { LitElement, html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { Task, initialState } from '@lit/task';
import type { JobFile, JobFileList } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError } from '../../ui/form.js';
import { empty, failed, loading, offlineNote, reportError } from '../../ui/states.js';
import { lightbox, type LightboxHost } from './lightbox.js';
import { styles } from './styles.js';

const validId = (id: unknown): id is number => Number.isSafeInteger(id) && (id as number) > 0;

/** One file on its way up: its own progress bar, cancel button and error. */
interface Upload {
  key: number;
  name: string;
  sent: number;
  total: number;
  error: string;
  controller: AbortController;
}

export const formatSize = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/**
 * @tagname job-photos
 * @summary A job's photos and files: a grid of thumbnails opening a lightbox (arrow keys,
 * Home/End, Escape), documents as download links, and, where the contact may add photos,
 * uploads by button or drag and drop with a progress bar, cancel and error per file.
 *
 * Files the office adds appear only once the office marks them viewable.
 *
 * @fires portal-photo-upload - Cancelable, before each file is sent. `detail: { jobId, name, size, type }`.
 * @fires portal-photo-uploaded - A photo was stored and is in the grid. `detail: { jobId, file }`.
 * @fires portal-photo-open - Cancelable, before the lightbox opens on a file. `detail: { jobId, file, index }`.
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The section around everything.
 * @csspart grid - The list of thumbnails.
 * @csspart thumbnail - Each thumbnail's button.
 * @csspart upload - The "Add photos" control and drop zone.
 * @csspart progress - Each upload's progress bar.
 * @csspart lightbox - The dialog showing one photo.
 * @csspart error - An error message.
 *
 * @cssprop --job-photos-thumb-size - Smallest thumbnail width (default 7rem).
 */
export class JobPhotos extends LitElement implements LightboxHost {
  static override styles = styles;

  /** Id of the job whose files to show. */
  @property({ type: Number, attribute: 'job-id' }) jobId: number | null = null;
  /** True while files are dragged over the drop zone. Reflected, for styling. */
  @property({ type: Boolean, reflect: true }) dragging = false;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() uploads: Upload[] = [];
  /** Index of the file shown in the lightbox, or null when it is closed. */
  @state() openIndex: number | null = null;
  /** Files uploaded here since the list loaded (shown before a reload brings them). */
  @state() private added: JobFile[] = [];
  @query('dialog') private dialog?: HTMLDialogElement;
  private nextKey = 1;

  private readonly filesTask = new Task(this, {
    task: async ([client, signedIn, jobId, access], { signal }) => {
      if (!client || !signedIn || !validId(jobId) || access === 'none') return initialState;
      this.added = [];
      try {
        return await client.listJobFiles(jobId, signal);
      } catch (error) {
        reportError(this, this.portal, 'load-files', error);
        throw error;
      }
    },
    args: () => [this.portal?.client, this.portal?.status === 'signed-in', this.jobId, this.portal?.me?.permissions.jobs] as const,
  });

  /** The files shown, oldest first. */
  get files(): JobFile[] {
    const loaded = this.filesTask.value?.items ?? [];
    return [...loaded, ...this.added.filter((a) => !loaded.some((f) => f.id === a.id))];
  }

  /** Reloads the list (new signed URLs too). */
  reload(): void {
    void this.filesTask.run();
  }

  // Lightbox ----------------------------------------------------------------------------------

  open(index: number): void {
    const file = this.files[index];
    if (!file || !validId(this.jobId)) return;
    if (!emit(this, 'portal-photo-open', { jobId: this.jobId, file, index }, { cancelable: true })) return;
    this.openIndex = index;
    void this.updateComplete.then(() => {
      if (this.dialog && !this.dialog.open) this.dialog.showModal();
    });
  }

  show(index: number): void {
    const count = this.files.length;
    if (count) this.openIndex = ((index % count) + count) % count;
  }

  close(): void {
    const index = this.openIndex;
    this.dialog?.close();
    this.openIndex = null;
    // Back to the thumbnail of the photo last shown, so the keyboard user is where they were.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-index="${index}"]`)?.focus());
  }

  // Uploads -----------------------------------------------------------------------------------

  private pick(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.addFiles([...(input.files ?? [])]);
    input.value = '';
  }

  private onDrag(event: DragEvent, over: boolean): void {
    if (!this.filesTask.value?.canUpload) return;
    event.preventDefault();
    this.dragging = over;
  }

  private onDrop(event: DragEvent): void {
    if (!this.filesTask.value?.canUpload) return;
    event.preventDefault();
    this.dragging = false;
    this.addFiles([...(event.dataTransfer?.files ?? [])]);
  }

  /** Uploads each file on its own (progress, cancel and errors per file). */
  addFiles(files: File[]): void {
    for (const file of files) void this.uploadOne(file);
  }

  private patch(key: number, change: Partial<Upload>): void {
    this.uploads = this.uploads.map((u) => (u.key === key ? { ...u, ...change } : u));
  }

  private async uploadOne(file: File): Promise<void> {
    const portal = this.portal;
    const jobId = this.jobId;
    const max = this.filesTask.value?.maxFileBytes ?? Infinity;
    if (!portal || !validId(jobId)) return;
    if (!emit(this, 'portal-photo-upload', { jobId, name: file.name, size: file.size, type: file.type }, { cancelable: true })) return;
    const upload: Upload = { key: this.nextKey++, name: file.name, sent: 0, total: file.size, error: '', controller: new AbortController() };
    this.uploads = [...this.uploads, upload];
    // Checked here as well as on the server, so nobody waits for 15 MB to go up to be told.
    if (file.size > max) return this.patch(upload.key, { error: `This file is ${formatSize(file.size)}; photos can be at most ${formatSize(max)}.` });
    if (file.type && !file.type.startsWith('image/')) return this.patch(upload.key, { error: 'This is not a photo. Choose a JPEG, PNG, WebP or HEIC image.' });
    try {
      const stored = await portal.client.uploadJobPhoto(jobId, file, {
        signal: upload.controller.signal,
        onProgress: (sent, total) => this.patch(upload.key, { sent, total }),
      });
      this.uploads = this.uploads.filter((u) => u.key !== upload.key);
      this.added = [...this.added, stored];
      emit(this, 'portal-photo-uploaded', { jobId, file: stored });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') {
        this.uploads = this.uploads.filter((u) => u.key !== upload.key);
        return;
      }
      reportError(this, portal, 'upload-photo', error);
      this.patch(upload.key, { error: asApiError(error).message });
    }
  }

  private cancel(upload: Upload): void {
    if (upload.error) this.uploads = this.uploads.filter((u) => u.key !== upload.key);
    else upload.controller.abort();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const u of this.uploads) u.controller.abort();
  }

  // Rendering ---------------------------------------------------------------------------------

  private renderUploader(list: JobFileList) {
    if (!list.canUpload) return nothing;
    const offline = !this.portal?.online;
    return html`
      <div
        part="upload"
        class="drop"
        @dragover=${(e: DragEvent) => this.onDrag(e, true)}
        @dragleave=${(e: DragEvent) => this.onDrag(e, false)}
        @drop=${this.onDrop}
      >
        <input id="pick" class="visually-hidden" type="file" accept="image/*" multiple ?disabled=${offline} @change=${this.pick} />
        <label for="pick" class="button ${offline ? 'disabled' : ''}">Add photos</label>
        <span class="muted hint">or drop them here · up to ${formatSize(list.maxFileBytes)} each</span>
      </div>
      ${this.uploads.length
        ? html`<ul class="uploads" aria-label="Uploads">
            ${this.uploads.map(
              (u) => html`<li class="upload ${u.error ? 'failed-upload' : ''}">
                <span class="name">${u.name}</span>
                ${u.error
                  ? html`<span class="error" part="error" role="alert">${u.error}</span>`
                  : html`<progress part="progress" max=${u.total || 1} value=${u.sent} aria-label="Uploading ${u.name}"></progress>
                      <span class="muted" aria-hidden="true">${u.total ? Math.floor((100 * u.sent) / u.total) : 0}%</span>`}
                <button type="button" class="secondary" @click=${() => this.cancel(u)} aria-label="${u.error ? 'Dismiss' : 'Cancel'} ${u.name}">
                  ${u.error ? 'Dismiss' : 'Cancel'}
                </button>
              </li>`,
            )}
          </ul>`
        : nothing}
    `;
  }

  private renderFile(file: JobFile, index: number) {
    const alt = file.caption || file.name;
    if (file.kind === 'document' || !file.thumbUrl) {
      return html`<li class="doc">
        <a href=${file.downloadUrl} download=${file.name} data-index=${index}>${file.name}</a>
        <span class="muted">PDF · ${formatSize(file.size)}</span>
      </li>`;
    }
    return html`<li>
      <button part="thumbnail" type="button" class="thumb" data-index=${index} @click=${() => this.open(index)}>
        <img src=${file.thumbUrl} alt=${alt} loading="lazy" />
      </button>
    </li>`;
  }

  private renderList(list: JobFileList) {
    const files = this.files;
    return html`
      ${this.renderUploader(list)}
      ${files.length
        ? html`<ul part="grid" class="grid" aria-label="Photos and files">${files.map((f, i) => this.renderFile(f, i))}</ul>`
        : empty(list.canUpload ? 'No photos yet. Add some to show what needs doing.' : 'No photos or files yet.')}
      ${lightbox(this, files)}
    `;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state">Log in to see this job's photos.</p>`;
    if (portal.me.permissions.jobs === 'none' || !validId(this.jobId)) return nothing;
    return this.filesTask.render({
      initial: () => loading('Loading photos…'),
      pending: () => (this.filesTask.value ? this.renderList(this.filesTask.value) : loading('Loading photos…')),
      complete: (list) => this.renderList(list),
      error: (error) => {
        const e = asApiError(error);
        return e.status === 404 ? empty('The photos of this job are not available.') : failed(e.message, () => this.reload());
      },
    });
  }

  override render() {
    return html`<section part="base" aria-labelledby="photos-heading">
      <h3 id="photos-heading">Photos and files</h3>
      ${offlineNote(this.portal)}${this.renderBody()}
    </section>`;
  }
}
