import { define } from '../register.js';
// A login form only works inside a portal-root, so this entry brings both.
define('portal-root', 'portal-login');
export { PortalLogin } from '../elements/portal-login/portal-login.js';
