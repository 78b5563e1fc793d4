import { defineTag } from '../define.js';
import { CustomerPortal } from '../elements/customer-portal/customer-portal.js';
import { EquipmentList } from '../elements/equipment-list/equipment-list.js';
import { JobDetailElement } from '../elements/job-detail/job-detail.js';
import { JobForm } from '../elements/job-form/job-form.js';
import { JobList } from '../elements/job-list/job-list.js';
import { JobPhotos } from '../elements/job-photos/job-photos.js';
import { MyDetails } from '../elements/my-details/my-details.js';
import { PortalLogin } from '../elements/portal-login/portal-login.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { QuoteForm } from '../elements/quote-form/quote-form.js';
import { QuoteList } from '../elements/quote-list/quote-list.js';

// The whole portal is built from the other elements, so this entry brings all of them.
defineTag('portal-root', PortalRoot);
defineTag('portal-login', PortalLogin);
defineTag('job-list', JobList);
defineTag('job-detail', JobDetailElement);
defineTag('job-form', JobForm);
defineTag('job-photos', JobPhotos);
defineTag('quote-list', QuoteList);
defineTag('quote-form', QuoteForm);
defineTag('equipment-list', EquipmentList);
defineTag('my-details', MyDetails);
defineTag('customer-portal', CustomerPortal);
export { CustomerPortal };
