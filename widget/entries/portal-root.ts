import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';

defineTag('portal-root', PortalRoot);
export { PortalRoot };
