import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { PortalLogin } from '../elements/portal-login/portal-login.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('portal-login', PortalLogin);
export { PortalLogin };
