import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobPhotos } from '../elements/job-photos/job-photos.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('job-photos', JobPhotos);
export { JobPhotos };
