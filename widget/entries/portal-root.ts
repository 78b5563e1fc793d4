import { define } from '../register.js';
define('portal-root');
export { PortalRoot } from '../elements/portal-root/portal-root.js';
