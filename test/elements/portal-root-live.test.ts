import { expect, html, waitUntil } from '@open-wc/testing';
import type { PortalRoot } from '../../widget/index.js';
import { eachTest, Net } from './helpers.js';
import { LIVE_PASSWORD, LIVE_PROVIDER, liveEmail } from './fixtures-live.js';
import { mountLive, providerJob } from './live-helpers.js';
import { text } from './jobs-helpers.js';

/** Drops the stream as a network failure would (the connection is private to portal-root). */
const dropStream = (root: PortalRoot): void => (root as unknown as { connection: { abort: AbortController | null } }).connection.abort?.abort();

describe('portal-root: live updates', () => {
  const t = eachTest(() => new Net());
  const liveCalls = () => t.net.to('GET', /\/live$/);

  it('opens one stream once signed in, with no token in its URL, and fires typed portal-live events', async () => {
    const events = t.record(['portal-live', 'portal-live-state']);
    const root = await mountLive('root', html``);
    expect(liveCalls().length).to.equal(1);
    expect(liveCalls()[0]!.url.search).to.equal('');
    expect(root.getAttribute('live-state')).to.equal('open');
    const job = await providerJob('root', 'Live event for the page');
    await waitUntil(() => events.events.some((e) => e.type === 'portal-live'), 'no portal-live event', { timeout: 5000 });
    const live = events.events.find((e) => e.type === 'portal-live')!;
    expect(live.bubbles && live.composed).to.equal(true);
    expect(live.detail.event.type).to.equal('job.created');
    expect(live.detail.event.data.job).to.include({ id: job.id, number: job.number, title: 'Live event for the page' });
    expect(events.events.filter((e) => e.type === 'portal-live-state').map((e) => e.detail.state)).to.include('open');
    await expect(root).to.be.accessible();
  });

  it('no-live opens no stream', async () => {
    const root = await mountLive('root', html``, { noLive: true });
    await root.updateComplete;
    expect(liveCalls().length).to.equal(0);
    expect(root.liveState).to.equal('off');
  });

  it('shows that it is reconnecting while the stream is down, then resumes with what was missed, once', async () => {
    const events = t.record(['portal-live']);
    const root = await mountLive('root', html``);
    t.net.cut = (c) => /\/live$/.test(c.path);
    dropStream(root);
    await waitUntil(() => root.liveState === 'reconnecting', 'never reconnecting');
    const note = root.shadowRoot!.querySelector('[part=live-status]')!;
    expect(note.getAttribute('role')).to.equal('status');
    expect(text(note)).to.equal('Live updates are interrupted. Reconnecting…');
    await expect(root).to.be.accessible();
    const missed = await providerJob('root', 'Made while the stream was down');
    t.net.cut = null;
    await waitUntil(() => root.liveState === 'open', 'never reopened', { timeout: 8000 });
    await waitUntil(() => events.events.some((e) => e.detail.event.data.job?.id === missed.id), 'the missed event never came', { timeout: 5000 });
    expect(text(root.shadowRoot!.querySelector('[part=live-status]'))).to.equal('');
    await new Promise((r) => setTimeout(r, 300));
    expect(events.events.filter((e) => e.detail.event.data.job?.id === missed.id).length).to.equal(1);
  });

  it('logging out closes the stream; a session ended elsewhere ends it and signs the page out', async () => {
    const root = await mountLive('root', html``);
    const state = () => (root as unknown as { state: { signOut(): Promise<void> } }).state;
    await state().signOut();
    await waitUntil(() => root.liveState === 'off', 'the stream stayed open');

    const signedOut = t.record(['portal-signed-out']);
    const again = await mountLive('root', html``);
    const r = await window.fetch(`/api/portal/${LIVE_PROVIDER}/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: liveEmail('root'), password: LIVE_PASSWORD }),
    });
    const { token } = (await r.json()) as { token: string };
    await window.fetch(`/api/portal/${LIVE_PROVIDER}/sessions`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
    await waitUntil(() => signedOut.events.length === 1, 'the page was not signed out', { timeout: 5000 });
    expect(signedOut.events[0]!.detail.reason).to.equal('expired');
    expect(again.liveState).to.equal('off');
  });
});
