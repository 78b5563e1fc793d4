/** The whole portal: defines every element. `<script type="module" src=".../portal.js">`. */
import { define, elements, type PortalTag } from './register.js';

define(...(Object.keys(elements) as PortalTag[]));

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
export { JobMap } from './elements/job-map/job-map.js';
export { LiveConnection } from './live/connection.js';
export type { LiveState } from './live/connection.js';
export { AlertSettings } from './elements/alert-settings/alert-settings.js';
export { JobPhotos } from './elements/job-photos/job-photos.js';
export type { PortalTab, PortalList, PortalForm } from './events.js';
