import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { JobPhotos } from '../elements/job-photos/job-photos.js';

// Every element works inside a portal-root, so each entry brings it along; job-detail edits with a job-form.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
defineTag('job-photos', JobPhotos);
defineTag('job-detail', JobDetailElement);
export { JobDetailElement, JobForm, JobPhotos };
