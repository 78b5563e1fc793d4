import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { CustomerPortal } from '../elements/customer-portal/customer-portal.js';

// Every element works inside a portal-root, so each entry brings it along; defining an element
// defines the elements it renders.
defineTag('portal-root', PortalRoot);
defineTag('customer-portal', CustomerPortal);
export { CustomerPortal };
