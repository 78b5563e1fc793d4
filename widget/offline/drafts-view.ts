/**
 * The drafts a list shows (loaded lazily by DraftsController): "Waiting to send", or the
 * server's refusal with Fix (the draft's text fields, sent again) and Discard.
 */
import { html, nothing } from 'lit';
import { field } from '../ui/form.js';
import type { DraftsController } from './drafts.js';
import type { PortalClient } from '../api/client.js';
import { discard, drafts, revise, type Draft, type DraftKind } from './layer.js';

const STATE: Record<Draft['state'], string> = { waiting: 'Waiting to send', refused: 'Not sent' };
const WHAT: Record<DraftKind, string> = { job: 'Job request', quote: 'Quote request', equipment: 'Equipment', details: 'Details edit' };
const label = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1).replace(/([A-Z])/g, ' $1').toLowerCase();

/** A draft body's text fields, one level of nesting flattened (details: company.phone). */
function fieldsOf(body: Record<string, unknown>, prefix = ''): [string, string][] {
  return Object.entries(body).flatMap(([k, v]): [string, string][] =>
    typeof v === 'string' ? [[prefix + k, v]] : v && typeof v === 'object' && !prefix ? fieldsOf(v as Record<string, unknown>, `${k}.`) : [],
  );
}

function bodyFrom(form: HTMLFormElement, old: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = structuredClone(old);
  for (const [name, value] of new FormData(form)) {
    const [a, b] = name.split('.') as [string, string | undefined];
    if (b === undefined) body[a] = String(value);
    else (body[a] as Record<string, unknown>)[b] = String(value);
  }
  return body;
}

/** The drafts of one kind of the contact signed in with `client`. */
export const draftsOf = async (client: PortalClient, kind: DraftKind): Promise<Draft[]> =>
  client.token ? (await drafts(client.baseUrl, client.provider, client.token)).filter((d) => d.kind === kind) : [];

export function renderDrafts(ctl: DraftsController) {
  if (!ctl.items.length) return nothing;
  const c = ctl.client();
  return html`<section class="drafts" part="drafts" aria-label="Not sent yet">
    <ul>
      ${ctl.items.map(
        (d) => html`<li part="draft" data-state=${d.state}>
          <p>
            <strong>${WHAT[d.kind]}: ${String(d.body.title ?? d.body.name ?? 'your details')}</strong>
            <span class="badge" data-tone=${d.state === 'refused' ? 'danger' : 'info'}>${STATE[d.state]}</span>
          </p>
          ${d.error ? html`<p class="error" role="alert">${d.error}</p>` : nothing}
          ${ctl.editing === d.id
            ? html`<form part="form" novalidate @submit=${(e: SubmitEvent) => save(ctl, e, d)}>
                ${fieldsOf(d.body).map(([name, value]) => field({ name, id: `draft-${d.id}-${name}`, label: label(name.split('.').pop()!), value, error: d.fields?.[name.split('.').pop()!] }))}
                <div class="actions">
                  <button part="button" class="primary" type="submit">Save and send</button>
                  <button part="button" class="secondary" type="button" @click=${() => edit(ctl, '')}>Cancel</button>
                </div>
              </form>`
            : html`<div class="actions">
                ${d.state === 'refused' ? html`<button part="button" class="secondary" type="button" @click=${() => edit(ctl, d.id)}>Fix</button>` : nothing}
                <button part="button" class="secondary" type="button" @click=${() => discard(c.baseUrl, c.provider, c.token, d.id)}>Discard</button>
              </div>`}
        </li>`,
      )}
    </ul>
  </section>`;
}

function edit(ctl: DraftsController, id: string): void {
  ctl.editing = id;
  ctl.host.requestUpdate();
}

async function save(ctl: DraftsController, event: SubmitEvent, d: Draft): Promise<void> {
  event.preventDefault();
  const c = ctl.client();
  ctl.editing = '';
  await revise(c.baseUrl, c.provider, c.token, d.id, bodyFrom(event.target as HTMLFormElement, d.body));
}
