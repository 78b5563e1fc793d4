import { defineTag } from '../define.js';
import { PortalRoot } from '../elements/portal-root/portal-root.js';
import { QuoteList } from '../elements/quote-list/quote-list.js';

// Every element works inside a portal-root, so each entry brings it along; defining an element
// defines the elements it renders.
defineTag('portal-root', PortalRoot);
defineTag('quote-list', QuoteList);
export { QuoteList };
