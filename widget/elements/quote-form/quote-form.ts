import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import type { QuoteRequest } from '../../api/client.js';
import { portalContext, type PortalState } from '../../context.js';
import { emit } from '../../events.js';
import { asApiError, escapeCloses, field, focusFirstInvalid, sentence, textareaField } from '../../ui/form.js';
import { loading, notAllowed, offlineNote, reportError } from '../../ui/states.js';
import { styles } from './styles.js';
import { LIMITS } from '../../../server/contract.js';

/** The server's limits. */
const MAX = { title: LIMITS.title, description: LIMITS.description, address: LIMITS.address } as const;

/**
 * @tagname quote-form
 * @summary Ask the provider for a quote: what is needed, details and address.
 *
 * Works alone (after a request it confirms it and empties the form) or inside quote-list, which
 * sets `onclose` to take the contact back to the list.
 *
 * @fires portal-quote-submit - Cancelable, before the request is sent; cancel to send it yourself. `detail: { quote }`.
 * @fires portal-quote-requested - The request was sent. `detail: { quote }` (the new QuoteDetail).
 * @fires portal-error - A request failed. `detail: { code, message, status, action }`.
 *
 * @csspart base - The card around everything.
 * @csspart form - The form.
 * @csspart input - Each input and textarea.
 * @csspart textarea - The "Details" textarea.
 * @csspart button - The submit and close buttons.
 * @csspart error - The error message.
 * @csspart notice - The confirmation after a request.
 *
 * @cssprop --quote-form-max-width - Width of the card (default 40rem).
 */
export class QuoteForm extends LitElement {
  static override styles = styles;

  /** Heading of the form. */
  @property() heading = 'Request a quote';
  /** True while the request is being sent. Reflected. */
  @property({ type: Boolean, reflect: true }) busy = false;
  /**
   * Set by a parent that shows this form in its own view (quote-list): called by "Back to quotes".
   * Without it the form stays where it is and empties itself after a request.
   */
  @property({ attribute: false }) override onclose: (() => void) | null = null;

  @consume({ context: portalContext, subscribe: true })
  @state()
  protected portal?: PortalState;

  @state() private fieldErrors: Record<string, string | undefined> = {};
  @state() private error = '';
  @state() private notice = '';

  private $<E extends HTMLElement = HTMLElement>(selector: string): E | null {
    return this.renderRoot.querySelector<E>(selector);
  }

  /** Focuses the first field (quote-list calls this when it opens the form). */
  override focus(options?: FocusOptions): void {
    const first = this.$('input');
    if (first) first.focus(options);
    else super.focus(options);
  }

  private check(quote: Required<QuoteRequest>): boolean {
    const tooLong = (k: keyof typeof MAX): string | undefined =>
      quote[k].length > MAX[k] ? `Use at most ${MAX[k]} characters (now ${quote[k].length}).` : undefined;
    this.fieldErrors = {
      title: quote.title ? tooLong('title') : 'Say what you need quoted.',
      description: tooLong('description'),
      address: tooLong('address'),
    };
    this.error = '';
    if (!Object.values(this.fieldErrors).some(Boolean)) return true;
    void this.updateComplete.then(() => focusFirstInvalid(this.renderRoot));
    return false;
  }

  private async onSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const portal = this.portal;
    if (!portal || this.busy) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const value = (k: string): string => String(data.get(k) ?? '').trim();
    const quote = { title: value('title'), description: value('description'), address: value('address') };
    this.notice = '';
    if (!this.check(quote) || !emit(this, 'portal-quote-submit', { quote }, { cancelable: true })) return;
    this.busy = true;
    try {
      const created = await portal.client.requestQuote(quote);
      form.reset();
      this.notice = `Thank you. Your quote request ${created.number} is sent; we will let you know when the quote is ready.`;
      emit(this, 'portal-quote-requested', { quote: created });
      this.busy = false;
      await this.updateComplete;
      this.$('[part=notice]')?.focus();
    } catch (error) {
      const e = asApiError(error);
      const message = reportError(this, portal, 'request-quote', error);
      this.fieldErrors = Object.fromEntries(Object.entries(e.fields).map(([k, v]) => [k, sentence(v)]));
      const marked = Object.keys(e.fields).some((k) => k in MAX);
      this.error = marked ? 'Please correct the marked fields.' : (message ?? '');
      this.busy = false; // a disabled field cannot take focus
      await this.updateComplete;
      if (!focusFirstInvalid(this.renderRoot)) this.$('[part=error]')?.focus();
    }
  }

  private clear(name: string): () => void {
    return () => {
      if (this.fieldErrors[name]) this.fieldErrors = { ...this.fieldErrors, [name]: undefined };
    };
  }

  private renderForm() {
    return html`
      <form part="form" novalidate aria-busy=${this.busy ? 'true' : 'false'} @submit=${this.onSubmit}
        @keydown=${escapeCloses(this.onclose, () => this.busy)}>
        ${field({
          name: 'title',
          label: 'What do you need quoted?',
          hint: `Required. Up to ${MAX.title} characters.`,
          error: this.fieldErrors.title,
          disabled: this.busy,
          onInput: this.clear('title'),
        })}
        ${textareaField({
          name: 'description',
          label: 'Details',
          hint: `Optional: sizes, access, timing. Up to ${MAX.description} characters.`,
          error: this.fieldErrors.description,
          disabled: this.busy,
          rows: 5,
          part: 'input textarea',
          onInput: this.clear('description'),
        })}
        ${field({
          name: 'address',
          label: 'Address',
          hint: 'Where the work would be, if not your usual address.',
          autocomplete: 'street-address',
          error: this.fieldErrors.address,
          disabled: this.busy,
          onInput: this.clear('address'),
        })}
        ${this.error ? html`<p part="error" class="error" role="alert" tabindex="-1">${this.error}</p>` : nothing}
        <div class="actions">
          <button part="button" class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Sending…' : 'Send request'}</button>
          ${this.onclose
            ? html`<button part="button" class="secondary" type="button" @click=${() => this.onclose?.()}>Back to quotes</button>`
            : nothing}
        </div>
      </form>
    `;
  }

  private renderBody() {
    const portal = this.portal;
    if (!portal || portal.status === 'loading') return loading();
    if (portal.status !== 'signed-in' || !portal.me) return html`<p class="state" role="status">Log in to request a quote.</p>`;
    if (!portal.me.permissions.createQuotes) return notAllowed('requesting quotes');
    return html`
      ${offlineNote(portal, false)}
      <div role="status">${this.notice ? html`<p part="notice" class="success notice" tabindex="-1">${this.notice}</p>` : nothing}</div>
      ${this.renderForm()}
      <span class="visually-hidden" role="status">${this.busy ? 'Sending your quote request…' : ''}</span>
    `;
  }

  override render() {
    return html`
      <section part="base" class="card" aria-labelledby="heading">
        <h2 id="heading">${this.heading}</h2>
        ${this.renderBody()}
      </section>
    `;
  }
}
