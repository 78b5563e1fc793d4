import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { AlertSettings } from '../elements/alert-settings/alert-settings.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('alert-settings', AlertSettings);
export { AlertSettings };
