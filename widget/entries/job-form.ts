import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobForm } from '../elements/job-form/job-form.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
export { JobForm };
