/** job-photos' lightbox: one photo at a time in a modal dialog, with keyboard paging. */
import { html, nothing } from 'lit';
import type { JobFile } from '../../api/client.js';

export interface LightboxHost {
  openIndex: number | null;
  show(index: number): void;
  close(): void;
}

function onKey(host: LightboxHost, count: number, event: KeyboardEvent): void {
  const at = host.openIndex ?? 0;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: count - 1 }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  host.show(to);
}

/** The dialog; Escape closes it (the dialog's own cancel), arrows, Home and End page through the files. */
export function lightbox(host: LightboxHost, files: JobFile[]) {
  const index = host.openIndex;
  const file = index === null ? undefined : files[index];
  return html`<dialog
    part="lightbox"
    class="lightbox"
    aria-labelledby="lightbox-title"
    @keydown=${(e: KeyboardEvent) => onKey(host, files.length, e)}
    @cancel=${(e: Event) => {
      e.preventDefault();
      host.close();
    }}
  >
    ${file
      ? html`
          <div class="lightbox-head">
            <h4 id="lightbox-title">${file.caption || file.name}</h4>
            <span class="muted" aria-live="polite">${index! + 1} of ${files.length}</span>
            <button type="button" class="secondary close" @click=${() => host.close()}>Close</button>
          </div>
          ${file.kind === 'photo'
            ? html`<img class="full" src=${file.url} alt=${file.caption || file.name} />`
            : html`<p>${file.name} is a document: download it to open it.</p>`}
          ${file.caption ? html`<p class="caption">${file.caption}</p>` : nothing}
          <div class="actions">
            <button type="button" class="secondary" @click=${() => host.show(index! - 1)} ?disabled=${files.length < 2} aria-label="Previous photo">‹ Previous</button>
            <button type="button" class="secondary" @click=${() => host.show(index! + 1)} ?disabled=${files.length < 2} aria-label="Next photo">Next ›</button>
            <a class="download" href=${file.downloadUrl} download=${file.name}>Download</a>
          </div>
        `
      : nothing}
  </dialog>`;
}
