import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobList } from '../elements/job-list/job-list.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { AlertSettings } from '../elements/alert-settings/alert-settings.js';

// Every element works inside a portal-root, so each entry brings it along; job-list opens a
// job-detail for a chosen job (with its alert-settings) and a job-form for a new one.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
defineTag('alert-settings', AlertSettings);
defineTag('job-detail', JobDetailElement);
defineTag('job-list', JobList);
export { JobList, JobDetailElement, JobForm, AlertSettings };
