// Only the modules below are loaded on this page (no entry, no index), so nothing else defines tags.
import { expect } from '@open-wc/testing';
import { defineTag } from '../../widget/define.js';
import { CustomerPortal } from '../../widget/elements/customer-portal/customer-portal.js';
import { JobList } from '../../widget/elements/job-list/job-list.js';

const SHOWN_BY_THE_PORTAL = ['portal-login', 'job-list', 'job-detail', 'job-form', 'quote-list', 'quote-form', 'equipment-list', 'my-details'];

describe('defineTag', () => {
  it('defines an element with the elements it renders (and theirs), each once; a second call changes nothing', () => {
    expect(SHOWN_BY_THE_PORTAL.filter((tag) => customElements.get(tag))).to.deep.equal([]);
    defineTag('job-list', JobList);
    expect(['job-list', 'job-detail', 'job-form'].map((tag) => !!customElements.get(tag))).to.deep.equal([true, true, true]);
    expect(customElements.get('quote-list')).to.equal(undefined);

    defineTag('customer-portal', CustomerPortal);
    expect(customElements.get('customer-portal')).to.equal(CustomerPortal);
    expect(SHOWN_BY_THE_PORTAL.filter((tag) => !customElements.get(tag))).to.deep.equal([]);
    // portal-root wraps the elements, it is not rendered by them: each entry brings it itself.
    expect(customElements.get('portal-root')).to.equal(undefined);
    expect(() => defineTag('customer-portal', CustomerPortal)).not.to.throw();
  });
});
