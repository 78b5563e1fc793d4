import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { MyDetails } from '../elements/my-details/my-details.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('my-details', MyDetails);
export { MyDetails };
