import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { JobMap } from '../elements/job-map/job-map.js';

// Every element works inside a portal-root, so each entry brings it along; job-detail edits with a
// job-form and shows a job-map while the job is under way.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
defineTag('job-map', JobMap);
defineTag('job-detail', JobDetailElement);
export { JobDetailElement, JobForm };
