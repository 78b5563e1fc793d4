/** The whole portal: defines every element. `<script type="module" src=".../portal.js">`. */
import { define, elements, type PortalTag } from './register.js';
import { loadJobMap, whenInDocument } from './lazy.js';

define(...(Object.keys(elements) as PortalTag[]));
// job-map (and Leaflet) load when a map is drawn: by the elements that draw one, or for a
// <job-map> in the page itself, once it is there.
whenInDocument('job-map', loadJobMap);

export { PortalClient, PortalApiError } from './api/client.js';
export type * from './api/client.js';
export { PortalEvent } from './events.js';
export type { PortalEventDetails, PortalEventName } from './events.js';
export { PortalRoot } from './elements/portal-root/portal-root.js';
export { PortalLogin } from './elements/portal-login/portal-login.js';
export { JobList } from './elements/job-list/job-list.js';
export { JobDetailElement } from './elements/job-detail/job-detail.js';
export { JobForm } from './elements/job-form/job-form.js';
export { QuoteList } from './elements/quote-list/quote-list.js';
export { QuoteForm } from './elements/quote-form/quote-form.js';
export { EquipmentList } from './elements/equipment-list/equipment-list.js';
export { MyDetails } from './elements/my-details/my-details.js';
export { CustomerPortal } from './elements/customer-portal/customer-portal.js';
export type { JobMap } from './elements/job-map/job-map.js';
export { loadJobMap } from './lazy.js';
export type { LiveConnection, LiveState } from './live/connection.js';
export { AlertSettings } from './elements/alert-settings/alert-settings.js';
export { JobPhotos } from './elements/job-photos/job-photos.js';
export type { PortalTab, PortalList, PortalForm } from './events.js';
