import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { QuoteForm } from '../elements/quote-form/quote-form.js';

// Every element works inside a portal-root, so each entry brings it along.
defineTag('portal-root', PortalRoot);
defineTag('quote-form', QuoteForm);
export { QuoteForm };
