/** The one place that names every tag (the whole-portal entry defines them all). */
import { defineTag } from './define.js';
import { PortalLogin } from './elements/portal-login/portal-login.js';
import { PortalRoot } from './elements/portal-root/portal-root.js';
import { JobList } from './elements/job-list/job-list.js';
import { JobDetailElement } from './elements/job-detail/job-detail.js';
import { JobForm } from './elements/job-form/job-form.js';
import { QuoteList } from './elements/quote-list/quote-list.js';
import { QuoteForm } from './elements/quote-form/quote-form.js';
import { EquipmentList } from './elements/equipment-list/equipment-list.js';
import { MyDetails } from './elements/my-details/my-details.js';
import { CustomerPortal } from './elements/customer-portal/customer-portal.js';
import { AlertSettings } from './elements/alert-settings/alert-settings.js';
import { JobPhotos } from './elements/job-photos/job-photos.js';

export const elements = {
  'portal-root': PortalRoot,
  'portal-login': PortalLogin,
  'job-list': JobList,
  'job-detail': JobDetailElement,
  'job-form': JobForm,
  'quote-list': QuoteList,
  'quote-form': QuoteForm,
  'equipment-list': EquipmentList,
  'my-details': MyDetails,
  'customer-portal': CustomerPortal,
  'alert-settings': AlertSettings,
  'job-photos': JobPhotos,
} as const;

export type PortalTag = keyof typeof elements;

/** Defines the given tags, skipping any already defined. */
export function define(...tags: PortalTag[]): void {
  for (const tag of tags) defineTag(tag, elements[tag]);
}

/** Each tag with its element's type, from `elements` (the one list to keep), and the lazily loaded ones (widget/lazy.ts). */
export type PortalTagMap = { [T in PortalTag]: InstanceType<(typeof elements)[T]> } & { 'job-map': import('./elements/job-map/job-map.js').JobMap };

declare global {
  interface HTMLElementTagNameMap extends PortalTagMap {}
}
