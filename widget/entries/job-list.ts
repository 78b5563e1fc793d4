import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobList } from '../elements/job-list/job-list.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { JobPhotos } from '../elements/job-photos/job-photos.js';

// Every element works inside a portal-root, so each entry brings it along; job-list opens a
// job-detail for a chosen job and a job-form for a new one.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
defineTag('job-photos', JobPhotos);
defineTag('job-detail', JobDetailElement);
defineTag('job-list', JobList);
export { JobList, JobDetailElement, JobForm, JobPhotos };
