import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';

// Every element works inside a portal-root, so each entry brings it along; defining an element
// defines the elements it renders.
defineTag('portal-root', PortalRoot);
defineTag('job-detail', JobDetailElement);
export { JobDetailElement };
