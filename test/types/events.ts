/**
 * Type-level tests, checked by `tsc` (nothing runs): the DOM's event map knows every portal event
 * with its detail, so a host page's listeners are typed.
 */
import type { PortalEventMap, PortalEventName } from '../../widget/events.js';

declare const el: HTMLElement;

el.addEventListener('portal-job-created', (e) => {
  const id: number = e.detail.job.id;
  return id;
});
// @ts-expect-error a job-created event carries a job, not a quote
el.addEventListener('portal-job-created', (e) => e.detail.quote);
document.addEventListener('portal-filter', (e) => e.detail.list satisfies 'jobs' | 'quotes' | 'equipment');

/** Every name of the detail map is in the global map, as its PortalEvent. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
export type EveryEventIsGlobal = Expect<Same<{ [N in PortalEventName]: GlobalEventHandlersEventMap[N] }, PortalEventMap>>;
