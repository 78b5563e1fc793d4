import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { AlertSettings } from '../elements/alert-settings/alert-settings.js';

// Every element works inside a portal-root, so each entry brings it along; job-detail edits with a job-form.
defineTag('portal-root', PortalRoot);
defineTag('job-form', JobForm);
defineTag('job-detail', JobDetailElement);
// Its "Alert me" shortcut opens an alert-settings for the job.
defineTag('alert-settings', AlertSettings);
export { JobDetailElement, JobForm, AlertSettings };
