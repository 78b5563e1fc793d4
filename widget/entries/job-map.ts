import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobMap } from '../elements/job-map/job-map.js';

// Every element works inside a portal-root, so each entry brings it along. Leaflet itself is
// loaded by job-map when a map is drawn.
defineTag('portal-root', PortalRoot);
defineTag('job-map', JobMap);
export { JobMap };
