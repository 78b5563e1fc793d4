import { expect, html, waitUntil } from '@open-wc/testing';
import type { JobList } from '../../widget/index.js';
import { eachTest, queries } from './helpers.js';
import { Net, text } from './jobs-helpers.js';
import { mountLive, office, providerJob } from './live-helpers.js';

async function mount(who: 'list' | 'own') {
  const root = await mountLive(who, html`<job-list page-size="50"></job-list>`);
  const list = root.querySelector('job-list') as JobList;
  await waitUntil(() => list.shadowRoot?.querySelector('ul.jobs, .empty'), 'the list never loaded', { timeout: 5000 });
  return { root, list, ...queries(list.shadowRoot!) };
}

describe('job-list: live updates', () => {
  const t = eachTest(() => new Net());

  it('a job the office moves along changes in place: same row, focus kept, announced politely, no refetch', async () => {
    const job = await providerJob('list', 'Live row in place');
    const m = await mount('list');
    const button = () => m.$<HTMLButtonElement>(`button.open[data-id="${job.id}"]`);
    await waitUntil(() => button(), 'the job is not listed');
    const row = button()!;
    row.focus();
    const lists = t.net.lists().length;
    await office('PATCH', `/jobs/${job.id}`, { status: 'on_the_way', technician: 'Dana Reyes' });
    await waitUntil(() => text(row.closest('li')!.querySelector('.badge')) === 'Technician on the way', 'the badge did not change', { timeout: 5000 });
    expect(button()).to.equal(row, 'the same row element');
    expect(m.list.shadowRoot!.activeElement).to.equal(row, 'focus stayed on the row');
    const status = m.$('p.visually-hidden[role=status]')!;
    expect(text(status)).to.equal(`Job ${job.number} is now technician on the way.`);
    expect(t.net.lists().length).to.equal(lists, 'no refetch');
    await expect(m.list).to.be.accessible();
  });

  it('a new job appears at the top; a view_own contact is not told of a job that is not theirs', async () => {
    const own = await mount('own');
    const heardByOwn: Event[] = [];
    own.root.addEventListener('portal-live', (e) => heardByOwn.push(e));
    const all = await mount('list');
    const job = await providerJob('list', 'Live brand new job');
    await waitUntil(() => all.$$('button.open')[0]?.dataset.id === String(job.id), 'the new job is not at the top', { timeout: 5000 });
    expect(text(all.$('p.visually-hidden[role=status]'))).to.equal(`New job ${job.number}: Live brand new job.`);
    await expect(all.list).to.be.accessible();
    await new Promise((r) => setTimeout(r, 300));
    expect(heardByOwn.length).to.equal(0);
    expect(own.$(`button.open[data-id="${job.id}"]`)).to.equal(null);
  });
});
