import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { QuoteForm } from '../elements/quote-form/quote-form.js';
import { QuoteList } from '../elements/quote-list/quote-list.js';

// Every element works inside a portal-root, so each entry brings it along; the list shows quote-form.
defineTag('portal-root', PortalRoot);
defineTag('quote-form', QuoteForm);
defineTag('quote-list', QuoteList);
export { QuoteList, QuoteForm };
