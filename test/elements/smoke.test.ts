import { expect, fixture, html } from '@open-wc/testing';
import '../../widget/index.js';

describe('smoke', () => {
  it('renders the login form inside portal-root', async () => {
    const root = await fixture(html`<portal-root provider="acme-plumbing"><portal-login></portal-login></portal-root>`);
    const login = root.querySelector('portal-login')!;
    await new Promise((r) => setTimeout(r, 500));
    await login.updateComplete;
    expect(login.shadowRoot!.querySelector('input[name=email]')).to.exist;
    await expect(login).to.be.accessible();
  });
});
