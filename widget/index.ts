/** The whole portal: defines every element. `<script type="module" src=".../portal.js">`. */
import { define, elements, type PortalTag } from './register.js';

define(...(Object.keys(elements) as PortalTag[]));

export { PortalClient, PortalApiError } from './api/client.js';
export type * from './api/client.js';
export { PortalEvent } from './events.js';
export type { PortalEventDetails, PortalEventName } from './events.js';
export { PortalRoot } from './elements/portal-root/portal-root.js';
export { PortalLogin } from './elements/portal-login/portal-login.js';
