/**
 * Every event the elements fire. All bubble and are composed, so a host page can listen on
 * `document`; the "before" events are cancelable so a host can take over the default action.
 * Setting a property in code fires nothing.
 */
import type {
  Details,
  DetailsUpdateRequest,
  Equipment,
  EquipmentCreateRequest,
  JobCreateRequest,
  JobDetail,
  JobSummary,
  JobUpdateRequest,
  Me,
  QuoteDetail,
  QuoteRequest,
  QuoteSummary,
} from './api/client.js';

export type PortalTab = 'jobs' | 'quotes' | 'equipment' | 'details';

/** The lists that search, filter, sort and page: job-list, quote-list, equipment-list. */
export type PortalList = 'jobs' | 'quotes' | 'equipment';

/** The create forms a list opens: job-form, quote-form, equipment-list's add form. */
export type PortalForm = 'job' | 'quote' | 'equipment';

export interface PortalEventDetails {
  /** Before logging in. Cancel to handle the credentials yourself. */
  'portal-sign-in': { email: string; remember: boolean };
  /** A contact is logged in (also after a reload restored the session). */
  'portal-signed-in': { me: Me; restored: boolean };
  /** Before logging out (of this device, or everywhere). Cancel to keep the session. */
  'portal-sign-out': { everywhere: boolean };
  /** The session ended: the contact logged out (here or everywhere), or the server ended it. */
  'portal-signed-out': { reason: 'logout' | 'everywhere' | 'expired' };
  /** The "forgot password?" link. Cancel to run your own reset flow instead of the built-in form. */
  'portal-forgot-password': { email: string };
  /** A reset link was asked for (the server answers the same whether or not the address is known). */
  'portal-reset-requested': { email: string };
  /** A password was set from an emailed invitation or reset link; the contact is now logged in. */
  'portal-password-set': { me: Me; purpose: 'invite' | 'reset' };
  /** The logged-in contact changed their password; their other sessions ended. */
  'portal-password-changed': Record<string, never>;
  /** A job was chosen in a list. Cancel to show it your own way instead of the built-in detail. */
  'portal-job-select': { job: JobSummary };
  /** Before a job is created (`id` null) or saved. Cancel to send it yourself. */
  'portal-job-submit': { id: number | null; job: JobCreateRequest | JobUpdateRequest };
  'portal-job-created': { job: JobDetail };
  'portal-job-updated': { job: JobDetail };
  /** A quote was chosen in a list. Cancel to show it your own way. */
  'portal-quote-select': { quote: QuoteSummary };
  /** Before a quote request is sent. Cancel to send it yourself. */
  'portal-quote-submit': { quote: QuoteRequest };
  'portal-quote-requested': { quote: QuoteDetail };
  /** Before a quote is accepted or declined. Cancel to stop it. */
  'portal-quote-answer': { quote: QuoteDetail; answer: 'accept' | 'decline'; note: string };
  'portal-quote-accepted': { quote: QuoteDetail };
  'portal-quote-declined': { quote: QuoteDetail };
  /** Before equipment is added. Cancel to add it yourself. */
  'portal-equipment-submit': { equipment: EquipmentCreateRequest };
  'portal-equipment-added': { equipment: Equipment };
  /** Before details are saved. Cancel to save them yourself. */
  'portal-details-submit': { changes: DetailsUpdateRequest };
  'portal-details-saved': { details: Details };
  /**
   * A list's search text (once typing pauses, or at once on Enter), status filter or sort was
   * changed by the user, before the list loads. `detail` is the whole filter that would be in
   * force (`query` trimmed; `status`/`sort` '' where the list has none). Cancel to keep the list as
   * it was and filter your own way. Setting `query`, `status` or `sort` in code fires nothing.
   */
  'portal-filter': { list: PortalList; query: string; status: string; sort: string };
  /** "Load more" was pressed, before the next page (from `cursor`) loads. Cancel to load nothing. */
  'portal-load-more': { list: PortalList; cursor: string };
  /** "New job", "Request a quote" or "Add equipment" was pressed. Cancel to keep the form closed and show your own. */
  'portal-form-open': { form: PortalForm };
  /** customer-portal: before switching tabs. Cancel to stay. */
  'portal-tab-change': { tab: PortalTab };
  /** Something failed that the element showed to the user. */
  'portal-error': { code: string; message: string; status: number; action: string };
}

export type PortalEventName = keyof PortalEventDetails;

export class PortalEvent<N extends PortalEventName> extends CustomEvent<PortalEventDetails[N]> {
  constructor(name: N, detail: PortalEventDetails[N], options: { cancelable?: boolean } = {}) {
    super(name, { detail, bubbles: true, composed: true, cancelable: options.cancelable ?? false });
  }
}

/** Fires the event from `target`; returns false when a listener cancelled it. */
export function emit<N extends PortalEventName>(
  target: EventTarget,
  name: N,
  detail: PortalEventDetails[N],
  options: { cancelable?: boolean } = {},
): boolean {
  return target.dispatchEvent(new PortalEvent(name, detail, options));
}

/** Every portal event by name, typed from PortalEventDetails (the one list to keep). */
export type PortalEventMap = { [N in PortalEventName]: PortalEvent<N> };

declare global {
  // Merged into the DOM's map so `el.addEventListener('portal-job-created', (e) => e.detail.job)` is typed.
  interface GlobalEventHandlersEventMap extends PortalEventMap {}
}
