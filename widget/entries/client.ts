/** Headless use: the typed client and the event types, no elements. */
export { PortalClient, PortalApiError } from '../api/client.js';
export type * from '../api/client.js';
export type { PortalEventDetails, PortalEventName, PortalEvent } from '../events.js';
/** The alert routes, as functions of a client: `alerts(client)`, `createAlert(client, {...})`, … */
export * as alerts from '../api/alerts.js';
