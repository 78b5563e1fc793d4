import { aTimeout, expect, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import { JOB_STATUSES } from '../../server/contract.js';
import type { JobDetailElement, JobForm, JobList } from '../../widget/index.js';
import { JOB_STATUS_LABELS } from '../../widget/ui/format.js';
import { eachTest, queries } from './helpers.js';
import { FIXTURE_JOBS, XSS_TITLE, ZEBRA_TITLE, visibleTo, type JobContactRole } from './fixtures-jobs.js';
import { Net, focusedIn, mountAs, text, type } from './jobs-helpers.js';

/** A job-list signed in as `role`, once its first state (rows, empty, not allowed, error) shows. */
async function mount(role: JobContactRole | null, template: TemplateResult = html`<job-list></job-list>`) {
  const { root, consumer } = await mountAs(role, template);
  const list = root.querySelector('job-list') as JobList;
  await settled(list);
  return { root, consumer, list, ...parts(list) };
}

/** Waits until the list is not loading and shows something other than a loading note. */
async function settled(list: JobList): Promise<void> {
  await waitUntil(() => !list.busy && list.shadowRoot && !list.shadowRoot.querySelector('.loading'), 'the job list never settled', { timeout: 5000 });
  await list.updateComplete;
}

function parts(list: JobList) {
  const { $, $$ } = queries(list.shadowRoot!);
  return {
    $,
    $$,
    rows: () => $$('li.row'),
    titles: () => $$('li.row .title').map((t) => t.textContent ?? ''),
    ids: () => $$<HTMLButtonElement>('button.open').map((b) => Number(b.dataset.id)),
    search: () => $<HTMLInputElement>('input[type=search]')!,
    statusSelect: () => $<HTMLSelectElement>('select#status')!,
    sortSelect: () => $<HTMLSelectElement>('select#sort')!,
    more: () => $<HTMLButtonElement>('button.more'),
    newJob: () => $<HTMLButtonElement>('button.new'),
    announced: () => text($('.visually-hidden[role=status]')),
    focused: () => focusedIn(list.shadowRoot),
  };
}

/** Loads every page with "Load more". */
async function loadAll(m: Awaited<ReturnType<typeof mount>>): Promise<void> {
  while (m.more()) {
    m.more()!.click();
    await waitUntil(() => !m.list.busy, 'load more never finished');
    await m.list.updateComplete;
  }
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

const testCo = (role: JobContactRole) => visibleTo(role);

/** Longer than the search's pause (250 ms): a search still waiting would have been sent by then. */
const SEARCH_PAUSE = 400;

describe('job-list', () => {
  const t = eachTest(() => new Net());

  describe('what each contact sees', () => {
    it('an edit_all contact (like alex) sees every job of the company, with number, title, status, address, schedule and last update', async () => {
      const m = await mount('all');
      expect(m.rows().length).to.equal(20);
      const zebra = m.rows()[0]!; // changed most recently
      expect(text(zebra.querySelector('.title'))).to.equal(ZEBRA_TITLE);
      expect(text(zebra.querySelector('.number'))).to.match(/^J-\d+$/);
      expect(text(zebra.querySelector('.badge'))).to.equal('On hold');
      expect(text(zebra.querySelector('.address'))).to.equal('Corner of Elm Street and Mill Lane');
      expect(text(zebra.querySelector('.when'))).to.match(/^Scheduled \S/);
      expect(text(zebra.querySelector('.changed'))).to.match(/^Updated \S/);
      expect(zebra.querySelector('time')!.getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
      const requested = m.rows().find((r) => text(r.querySelector('.badge')) === 'Requested' && text(r).includes('Routine'))!;
      expect(text(requested.querySelector('.when'))).to.equal('Not scheduled yet');
      await loadAll(m);
      expect(m.titles().sort()).to.deep.equal(testCo('all').map((j) => j.title).sort());
      expect(m.newJob()!.textContent!.trim()).to.equal('New job');
      expect(m.$('.muted')?.textContent ?? '').not.to.contain('asked for');
      await expect(m.list).to.be.accessible();
    });

    it('a view_own contact (like jordan) sees only their own jobs: the server scopes the list', async () => {
      const m = await mount('own');
      const own = testCo('own').map((j) => j.title).sort();
      expect(own.length).to.equal(3);
      expect(m.titles().sort()).to.deep.equal(own);
      expect(m.more()).to.equal(null);
      expect(text(m.$('.muted'))).to.equal('The jobs you asked for or are the contact of.');
      // Not hidden by the element: the request itself asked for every job and got only these.
      expect(t.net.lists().at(-1)!.params.has('q')).to.equal(false);
      await expect(m.list).to.be.accessible();
    });

    it('a contact without access to jobs sees a note, and nothing is requested', async () => {
      const m = await mount('none');
      expect(text(m.$('.state'))).to.contain('does not have access to jobs');
      expect(m.rows().length).to.equal(0);
      expect(m.search()).to.equal(null);
      expect(m.newJob()).to.equal(null);
      expect(t.net.jobs().length).to.equal(0);
      await expect(m.list).to.be.accessible();
    });

    it('"New job" shows only to contacts who may create jobs', async () => {
      const viewer = await mount('viewer');
      expect(viewer.rows().length).to.equal(20); // view_all: sees the company's jobs
      expect(viewer.newJob()).to.equal(null);
      const own = await mount('own');
      expect(own.newJob()).not.to.equal(null);
    });

    it('signed out, it asks to log in and requests nothing', async () => {
      const m = await mount(null);
      expect(text(m.$('.state'))).to.equal('Log in to see your jobs.');
      expect(t.net.jobs().length).to.equal(0);
      await expect(m.list).to.be.accessible();
    });
  });

  describe('search, filter, sort', () => {
    it('search waits for typing to pause, aborts the previous request, and narrows the list', async () => {
      const m = await mount('all');
      const before = t.net.lists().length;
      // Three keystrokes in quick succession: one request.
      for (const q of ['z', 'ze', 'zeb']) {
        type(m.search(), q);
        await aTimeout(40);
      }
      expect(t.net.lists().length).to.equal(before);
      await waitUntil(() => t.net.lists().length === before + 1, 'the search was never sent');
      await aTimeout(300);
      expect(t.net.lists().length).to.equal(before + 1);
      expect(t.net.lists().at(-1)!.params.get('q')).to.equal('zeb');

      // A new search while one is still running aborts the running one.
      const slow = t.net.lists().length;
      const release = t.net.hold((c) => c.params.get('q') === 'routine check 1');
      type(m.search(), 'routine check 1');
      await waitUntil(() => t.net.lists().length === slow + 1, 'second search never sent');
      type(m.search(), 'zebra');
      await waitUntil(() => t.net.lists().length === slow + 2, 'third search never sent');
      expect(t.net.lists()[slow]!.signal!.aborted).to.equal(true);
      release();
      await settled(m.list);
      expect(m.titles()).to.deep.equal([ZEBRA_TITLE]);
      expect(m.list.query).to.equal('zebra');
      expect(m.list.getAttribute('query')).to.equal('zebra');
      expect(m.announced()).to.equal('1 job shown.');
      await expect(m.list).to.be.accessible();
    });

    it('Enter in the search box searches at once', async () => {
      const m = await mount('all');
      const before = t.net.lists().length;
      m.search().focus();
      await sendKeys({ type: 'routine check 2' });
      await sendKeys({ press: 'Enter' });
      // Asked for while the key is handled: not left to the pause after typing (that would come later).
      expect(m.list.query).to.equal('routine check 2');
      await waitUntil(() => t.net.lists().length === before + 1, 'Enter sent nothing');
      expect(t.net.lists().at(-1)!.params.get('q')).to.equal('routine check 2');
      await waitUntil(() => m.titles().length === 10 && m.titles().every((t) => t.startsWith('Routine check 2')), 'Enter did not search');
      // The pause after typing then sends nothing more.
      await aTimeout(SEARCH_PAUSE);
      expect(t.net.lists().length).to.equal(before + 1);
    });

    it('a search that differs only by spaces, or the status chosen again, fires and loads nothing', async () => {
      const m = await mount('all', html`<job-list query="zebra" status="on_hold"></job-list>`);
      const events = t.record(['portal-filter']);
      const before = t.net.lists().length;
      type(m.search(), '  zebra ');
      m.search().focus();
      await sendKeys({ press: 'Enter' });
      choose(m.statusSelect(), 'on_hold');
      await aTimeout(SEARCH_PAUSE);
      expect(events.events.length).to.equal(0);
      expect(t.net.lists().length).to.equal(before);
      expect(m.search().value).to.equal('  zebra ');
      expect(m.titles()).to.deep.equal([ZEBRA_TITLE]);
    });

    it('a list removed while typing sends nothing once the pause is over', async () => {
      const m = await mount('all');
      const events = t.record(['portal-filter']);
      const before = t.net.lists().length;
      type(m.search(), 'zebra');
      m.list.remove();
      await aTimeout(SEARCH_PAUSE);
      expect(events.events.length).to.equal(0);
      expect(m.list.query).to.equal('');
      expect(t.net.lists().length).to.equal(before);
    });

    it('a search that finds nothing says so', async () => {
      const m = await mount('all');
      type(m.search(), 'no such job anywhere');
      await waitUntil(() => m.$('.empty'), 'no empty state');
      expect(text(m.$('.empty'))).to.equal('No jobs match your search.');
      expect(m.rows().length).to.equal(0);
      await expect(m.list).to.be.accessible();
    });

    it('the status filter offers every status and narrows the list', async () => {
      const m = await mount('all');
      const options = [...m.statusSelect().options].map((o) => o.value);
      expect(options).to.deep.equal(['', ...JOB_STATUSES]);
      expect([...m.statusSelect().options].map((o) => o.textContent!.trim())).to.deep.equal(['All statuses', ...JOB_STATUSES.map((s) => JOB_STATUS_LABELS[s])]);
      choose(m.statusSelect(), 'on_hold');
      await waitUntil(() => m.list.status === 'on_hold' && !m.list.busy && m.rows().every((r) => text(r.querySelector('.badge')) === 'On hold'), 'filter not applied');
      const expected = testCo('all').filter((j) => j.status === 'on_hold').map((j) => j.title);
      expect(m.titles().sort()).to.deep.equal(expected.sort());
      expect(m.list.getAttribute('status')).to.equal('on_hold');
      expect(t.net.lists().at(-1)!.params.get('status')).to.equal('on_hold');
      await expect(m.list).to.be.accessible();
    });

    it('the status attribute sets the first filter', async () => {
      const m = await mount('all', html`<job-list status="completed"></job-list>`);
      expect(m.statusSelect().value).to.equal('completed');
      expect(m.titles().sort()).to.deep.equal(testCo('all').filter((j) => j.status === 'completed').map((j) => j.title).sort());
      expect(t.net.lists().length).to.equal(1);
    });

    it('sorts by last update or by date created', async () => {
      const m = await mount('all');
      expect(m.titles()[0]).to.equal(ZEBRA_TITLE);
      choose(m.sortSelect(), 'created');
      const newest = [...testCo('all')].sort((a, b) => a.createdHoursAgo - b.createdHoursAgo)[0]!.title;
      await waitUntil(() => m.titles()[0] === newest && !m.list.busy, 'not sorted by creation');
      expect(m.titles()).not.to.include(ZEBRA_TITLE); // created long ago: not on the first page
      expect(text(m.rows()[0]!.querySelector('.changed'))).to.match(/^Created \S/);
      expect(m.list.getAttribute('sort')).to.equal('created');
      expect(t.net.lists().at(-1)!.params.get('sort')).to.equal('created');
    });

    it('attributes set query, sort and page size; setting them in code fires no event', async () => {
      const events = t.record(['portal-job-select', 'portal-error']);
      const m = await mount('all', html`<job-list query="routine" sort="created" page-size="7"></job-list>`);
      expect(m.search().value).to.equal('routine');
      expect(m.titles()).to.deep.equal(['Routine check 01', 'Routine check 02', 'Routine check 03', 'Routine check 04', 'Routine check 05', 'Routine check 06', 'Routine check 07']);
      m.list.status = 'cancelled';
      await waitUntil(() => !m.list.busy && m.rows().length > 0 && m.rows().every((r) => text(r.querySelector('.badge')) === 'Cancelled'), 'status in code not applied');
      expect(m.statusSelect().value).to.equal('cancelled');
      expect(events.events.length).to.equal(0);
    });
  });

  describe('paging', () => {
    it('"Load more" loads the next page without duplicates, says how many, and moves focus to the first new job', async () => {
      const m = await mount('all', html`<job-list page-size="10"></job-list>`);
      const all = testCo('all').length;
      expect(m.rows().length).to.equal(10);
      expect(t.net.lists()[0]!.params.get('limit')).to.equal('10');
      const firstPage = m.ids();
      m.more()!.click();
      await waitUntil(() => m.rows().length === 20 && !m.list.busy, 'second page not loaded');
      expect(t.net.lists().at(-1)!.params.get('cursor')).to.match(/^[A-Za-z0-9_-]+$/);
      expect(m.ids().slice(0, 10)).to.deep.equal(firstPage);
      expect(m.announced()).to.equal('Loaded 10 more jobs. 20 jobs shown.');
      expect(m.focused()).to.equal(`button[data-id=${m.ids()[10]}].open`);
      await loadAll(m);
      expect(m.rows().length).to.equal(all);
      expect(new Set(m.ids()).size).to.equal(all);
      expect(m.more()).to.equal(null);
      expect(m.announced()).to.equal(`Loaded ${all - 30} more jobs. ${all} jobs shown, all there are.`);
      await expect(m.list).to.be.accessible();
    });

    it('a search while "Load more" is still loading stops it: its page is not added to the results', async () => {
      const m = await mount('all', html`<job-list page-size="10"></job-list>`);
      const release = t.net.hold((c) => c.params.has('cursor'));
      m.more()!.click();
      await waitUntil(() => m.list.busy, '"Load more" never started');
      const [more] = t.net.lists().filter((c) => c.params.has('cursor'));
      type(m.search(), 'zebra');
      await waitUntil(() => !m.list.busy && m.titles().join() === ZEBRA_TITLE, 'the search never showed');
      expect(more!.signal!.aborted).to.equal(true);
      release();
      await aTimeout(100);
      await m.list.updateComplete;
      expect(m.titles()).to.deep.equal([ZEBRA_TITLE]);
      expect(m.more()).to.equal(null);
    });

    it('a page that fails to load says so and can be tried again', async () => {
      const m = await mount('all');
      const errors = t.record(['portal-error']);
      t.net.down = true;
      m.more()!.click();
      await waitUntil(() => m.$('[role=alert]'), 'no error shown');
      expect(text(m.$('[role=alert]'))).to.contain('Cannot reach the server');
      expect(errors.events.map((e) => (e.detail as { action: string }).action)).to.deep.equal(['load-more-jobs']);
      expect(m.rows().length).to.equal(20);
      t.net.down = false;
      m.more()!.click();
      await waitUntil(() => m.rows().length > 20 && !m.list.busy, 'retry failed');
      expect(m.$('[role=alert]')).to.equal(null);
    });

    it('a list that fails to load shows the error with "Try again"', async () => {
      const m = await mount('all');
      const errors = t.record(['portal-error']);
      t.net.down = true;
      m.list.status = 'completed';
      await waitUntil(() => m.$('.failed'), 'no error state');
      expect(text(m.$('.failed [part=error]'))).to.contain('Cannot reach the server');
      expect(errors.events.map((e) => (e.detail as { action: string }).action)).to.deep.equal(['load-jobs']);
      expect(m.rows().length).to.equal(0);
      await expect(m.list).to.be.accessible();
      t.net.down = false;
      [...m.$$<HTMLButtonElement>('.failed button')].find((b) => b.textContent!.trim() === 'Try again')!.click();
      await waitUntil(() => m.rows().length > 0 && !m.list.busy, 'Try again did not load');
      expect(m.titles().sort()).to.deep.equal(testCo('all').filter((j) => j.status === 'completed').map((j) => j.title).sort());
    });
  });

  describe('opening a job', () => {
    it('fires a cancelable portal-job-select, shows the job, and "Back to jobs" returns focus to its row', async () => {
      const m = await mount('all');
      const events = t.record(['portal-job-select']);
      const row = m.$$<HTMLButtonElement>('button.open')[2]!;
      const id = Number(row.dataset.id);
      row.click();
      expect(events.events.length).to.equal(1);
      const e = events.events[0] as CustomEvent<{ job: { id: number } }>;
      expect(e.detail.job.id).to.equal(id);
      expect([e.bubbles, e.composed, e.cancelable]).to.deep.equal([true, true, true]);
      await m.list.updateComplete;
      const detail = m.$('job-detail') as JobDetailElement;
      expect(detail.jobId).to.equal(id);
      await waitUntil(() => detail.shadowRoot?.querySelector('h2'), 'detail not shown');
      await waitUntil(() => focusedIn(detail.shadowRoot) === 'h2#heading', 'focus not on the job heading');
      expect(m.rows().length).to.equal(0);
      await expect(m.list).to.be.accessible();

      m.$<HTMLButtonElement>('button.back')!.click();
      await m.list.updateComplete;
      expect(m.focused()).to.equal(`button[data-id=${id}].open`);
      expect(m.rows().length).to.equal(20);
    });

    it('cancelling portal-job-select keeps the list and loads nothing', async () => {
      const m = await mount('all');
      const cancel = (e: Event): void => e.preventDefault();
      document.addEventListener('portal-job-select', cancel);
      try {
        m.$<HTMLButtonElement>('button.open')!.click();
        await m.list.updateComplete;
        await aTimeout(50);
        expect(m.$('job-detail')).to.equal(null);
        expect(m.rows().length).to.equal(20);
        expect(t.net.calls.filter((c) => /\/jobs\/\d+$/.test(c.path)).length).to.equal(0);
      } finally {
        document.removeEventListener('portal-job-select', cancel);
      }
    });

    it('works from the keyboard: Tab to a job, Enter opens it', async () => {
      const m = await mount('own');
      m.search().focus();
      await sendKeys({ press: 'Tab' }); // status
      await sendKeys({ press: 'Tab' }); // sort
      await sendKeys({ press: 'Tab' }); // first job
      expect(m.focused()).to.equal(`button[data-id=${m.ids()[0]}].open`);
      const first = m.ids()[0];
      const selected = oneEvent(document, 'portal-job-select');
      await sendKeys({ press: 'Enter' });
      expect((await selected).detail.job.id).to.equal(first);
      await waitUntil(() => m.$('job-detail'), 'no detail');
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(m.focused()).to.equal('button.secondary.back');
      await sendKeys({ press: 'Space' });
      await m.list.updateComplete;
      expect(m.focused()).to.equal(`button[data-id=${first}].open`);
    });

    it('a job whose title looks like markup shows it as text', async () => {
      const m = await mount('all', html`<job-list query="onerror"></job-list>`);
      expect(m.titles()).to.deep.equal([XSS_TITLE]);
      expect(text(m.rows()[0]!.querySelector('.address'))).to.equal('<b id="evil-address">1</b> Evil Street');
      expect(m.$$('img, b, script').length).to.equal(0);
      expect((window as { __jobsXss?: boolean }).__jobsXss).to.equal(undefined);
      await expect(m.list).to.be.accessible();
    });
  });

  it('a job changed in its detail shows the change in the list on the way back', async () => {
    const m = await mount('writer', html`<job-list query="list edit target"></job-list>`);
    const id = m.ids()[0]!;
    m.$<HTMLButtonElement>('button.open')!.click();
    await m.list.updateComplete;
    const detail = m.$('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('button.edit'), 'no Edit');
    detail.shadowRoot!.querySelector<HTMLButtonElement>('button.edit')!.click();
    await waitUntil(() => detail.shadowRoot!.querySelector('job-form')?.shadowRoot?.querySelector('input[name=title]'), 'no form');
    const form = detail.shadowRoot!.querySelector('job-form') as JobForm;
    type(form.shadowRoot!.querySelector<HTMLInputElement>('input[name=title]')!, 'Writer: list edit target, changed');
    const updated = oneEvent(m.list, 'portal-job-updated');
    form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await updated;
    m.$<HTMLButtonElement>('button.back')!.click();
    await m.list.updateComplete;
    expect(m.titles()).to.deep.equal(['Writer: list edit target, changed']);
    expect(m.focused()).to.equal(`button[data-id=${id}].open`);
  });

  describe('a new job', () => {
    it('"New job" opens the form in the list; Cancel returns to the list with focus on "New job" and fires nothing', async () => {
      const m = await mount('writer');
      const events = t.record(['portal-job-submit', 'portal-job-created']);
      m.newJob()!.click();
      await m.list.updateComplete;
      const form = m.$('job-form') as JobForm;
      expect(form.jobId).to.equal(null);
      await form.updateComplete;
      expect(focusedIn(form.shadowRoot)).to.equal('input#job-title[name=title]');
      expect(m.rows().length).to.equal(0);
      await expect(m.list).to.be.accessible();
      [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
      await m.list.updateComplete;
      expect(m.$('job-form')).to.equal(null);
      expect(m.focused()).to.equal('button.primary.new');
      expect(events.events.length).to.equal(0);
      expect(t.net.jobs('POST').length).to.equal(0);
    });

    it('a created job appears in the list, with focus on it, and the server has it', async () => {
      const m = await mount('writer');
      const events = t.record(['portal-job-submit', 'portal-job-created']);
      m.newJob()!.click();
      await m.list.updateComplete;
      const form = m.$('job-form') as JobForm;
      await form.updateComplete;
      const f = (n: string) => form.shadowRoot!.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name=${n}]`)!;
      const title = `Created from the list ${Date.now()}`;
      type(f('title'), title);
      type(f('address'), '9 Mill Lane, Springfield');
      type(f('preferredDates'), 'Friday');
      form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => events.events.some((e) => e.type === 'portal-job-created'), 'never created');
      const created = (events.events.find((e) => e.type === 'portal-job-created') as CustomEvent<{ job: { id: number; title: string } }>).detail.job;
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit', 'portal-job-created']);
      await waitUntil(() => m.titles()[0] === title && !m.list.busy, 'the new job is not at the top of the list');
      await waitUntil(() => m.focused() === `button[data-id=${created.id}].open`, 'focus not on the new job');
      expect(m.announced()).to.match(/^Job J-\d+ was sent to the office\.$/);
      const onServer = await m.consumer.portal!.client.getJob(created.id);
      expect([onServer.title, onServer.address, onServer.preferredDates, onServer.status, onServer.source]).to.deep.equal([
        title,
        '9 Mill Lane, Springfield',
        'Friday',
        'requested',
        'portal',
      ]);
      await expect(m.list).to.be.accessible();
    });
  });

  describe('filter, paging and form events', () => {
    const NAMES = ['portal-filter', 'portal-load-more', 'portal-form-open'];
    const flags = (e: Event): boolean[] => [e.bubbles, e.composed, e.cancelable];

    it('typing fires one cancelable portal-filter once typing pauses, before the request; Enter fires it at once', async () => {
      const m = await mount('all');
      const events = t.record(NAMES);
      const before = t.net.lists().length;
      let sentAtEvent = -1;
      t.on('portal-filter', () => (sentAtEvent = t.net.lists().length));
      for (const q of ['z', 'ze', 'zeb']) {
        type(m.search(), q);
        await aTimeout(40);
      }
      expect(events.events.length).to.equal(0);
      await waitUntil(() => t.net.lists().length === before + 1, 'the search was never sent');
      expect(events.events.length).to.equal(1);
      const [e] = events.events;
      expect(e!.type).to.equal('portal-filter');
      expect(e!.detail).to.deep.equal({ list: 'jobs', query: 'zeb', status: '', sort: 'updated' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);
      expect(t.net.lists().at(-1)!.params.get('q')).to.equal('zeb');

      type(m.search(), ' zebra ');
      m.search().focus();
      await sendKeys({ press: 'Enter' });
      expect(events.events.length).to.equal(2);
      expect(events.events[1]!.detail).to.deep.equal({ list: 'jobs', query: 'zebra', status: '', sort: 'updated' });
      await aTimeout(SEARCH_PAUSE);
      expect(events.events.length).to.equal(2);
      await waitUntil(() => !m.list.busy && m.titles().length === 1 && m.titles()[0] === ZEBRA_TITLE, 'Enter did not search');
      expect(t.net.lists().length).to.equal(before + 2);
    });

    it('the status filter and the sort each fire one cancelable portal-filter with the whole filter, before the request', async () => {
      const m = await mount('all', html`<job-list query="routine"></job-list>`);
      const events = t.record(NAMES);
      const before = t.net.lists().length;
      let sentAtEvent = -1;
      t.on('portal-filter', () => (sentAtEvent = t.net.lists().length));

      choose(m.statusSelect(), 'completed');
      expect(events.events.length).to.equal(1);
      expect(events.events[0]!.detail).to.deep.equal({ list: 'jobs', query: 'routine', status: 'completed', sort: 'updated' });
      expect(flags(events.events[0]!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);
      await waitUntil(
        () => t.net.lists().length === before + 1 && !m.list.busy && m.rows().length > 0 && m.rows().every((r) => text(r.querySelector('.badge')) === 'Completed'),
        'filter not applied',
      );
      expect(t.net.lists().at(-1)!.params.get('status')).to.equal('completed');

      choose(m.sortSelect(), 'created');
      expect(events.events.length).to.equal(2);
      expect(events.events[1]!.detail).to.deep.equal({ list: 'jobs', query: 'routine', status: 'completed', sort: 'created' });
      expect(flags(events.events[1]!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before + 1);
      await waitUntil(() => t.net.lists().length === before + 2 && !m.list.busy && /^Created /.test(text(m.rows()[0]?.querySelector('.changed'))), 'sort not applied');
      expect(t.net.lists().at(-1)!.params.get('sort')).to.equal('created');
      await aTimeout(SEARCH_PAUSE);
      expect(events.events.length).to.equal(2);
    });

    it('cancelling portal-filter sends nothing and keeps the list as it was, for typing, Enter, status and sort', async () => {
      const m = await mount('all');
      const events = t.record(NAMES);
      t.cancel('portal-filter');
      const before = t.net.lists().length;
      const ids = m.ids();
      type(m.search(), 'zebra');
      await waitUntil(() => events.events.length === 1, 'no portal-filter once typing paused');
      m.search().focus();
      await sendKeys({ press: 'Enter' });
      expect(events.events.length).to.equal(2);
      choose(m.statusSelect(), 'on_hold');
      choose(m.sortSelect(), 'created');
      expect(events.events.map((e) => e.detail)).to.deep.equal([
        { list: 'jobs', query: 'zebra', status: '', sort: 'updated' },
        { list: 'jobs', query: 'zebra', status: '', sort: 'updated' },
        { list: 'jobs', query: '', status: 'on_hold', sort: 'updated' },
        { list: 'jobs', query: '', status: '', sort: 'created' },
      ]);
      expect(events.events.every((e) => e.type === 'portal-filter' && e.defaultPrevented)).to.equal(true);
      await aTimeout(SEARCH_PAUSE);
      await m.list.updateComplete;
      expect(t.net.lists().length).to.equal(before);
      expect(m.ids()).to.deep.equal(ids);
      expect(m.list.busy).to.equal(false);
      expect([m.list.query, m.list.status, m.list.sort]).to.deep.equal(['', '', 'updated']);
      // The selects show the filter still in force; the search box keeps what was typed.
      expect([m.statusSelect().value, m.sortSelect().value]).to.deep.equal(['', 'updated']);
      expect(m.search().value).to.equal('zebra');
    });

    it('setting query, status and sort in code (attributes or properties) fires nothing, nor does the first load', async () => {
      const events = t.record(NAMES);
      const m = await mount('all', html`<job-list query="routine" status="completed" sort="created"></job-list>`);
      expect(m.rows().length).to.be.greaterThan(0);
      m.list.setAttribute('query', 'routine check 1');
      m.list.setAttribute('status', 'on_hold');
      m.list.setAttribute('sort', 'updated');
      await waitUntil(
        () => !m.list.busy && t.net.lists().at(-1)!.params.get('q') === 'routine check 1' && m.rows().length > 0 && m.rows().every((r) => text(r.querySelector('.badge')) === 'On hold'),
        'attributes not applied',
      );
      expect(t.net.lists().at(-1)!.params.get('status')).to.equal('on_hold');
      expect(t.net.lists().at(-1)!.params.get('sort')).to.equal('updated');
      m.list.query = 'zebra';
      m.list.status = '';
      m.list.sort = 'created';
      await waitUntil(() => !m.list.busy && m.titles().length === 1 && m.titles()[0] === ZEBRA_TITLE, 'properties not applied');
      await aTimeout(SEARCH_PAUSE);
      expect(m.search().value).to.equal('zebra');
      expect(events.events.length).to.equal(0);
    });

    it('"Load more" fires one cancelable portal-load-more with the cursor, before the next page is requested', async () => {
      const m = await mount('all', html`<job-list page-size="10"></job-list>`);
      const events = t.record(NAMES);
      const before = t.net.lists().length;
      let sentAtEvent = -1;
      t.on('portal-load-more', () => (sentAtEvent = t.net.lists().length));
      m.more()!.click();
      expect(events.events.length).to.equal(1);
      const [e] = events.events;
      expect(e!.type).to.equal('portal-load-more');
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(before);
      await waitUntil(() => m.rows().length === 20 && !m.list.busy, 'second page not loaded');
      expect(t.net.lists().length).to.equal(before + 1);
      expect(e!.detail).to.deep.equal({ list: 'jobs', cursor: t.net.lists().at(-1)!.params.get('cursor') });
      expect(e!.detail.cursor).to.match(/^[A-Za-z0-9_-]+$/);
      expect(events.events.length).to.equal(1);
    });

    it('cancelling portal-load-more loads nothing and keeps the list and its button', async () => {
      const m = await mount('all', html`<job-list page-size="10"></job-list>`);
      const events = t.record(NAMES);
      const stop = t.cancel('portal-load-more');
      const before = t.net.lists().length;
      const ids = m.ids();
      m.more()!.click();
      await m.list.updateComplete;
      await aTimeout(100);
      expect(events.events.length).to.equal(1);
      expect(events.events[0]!.defaultPrevented).to.equal(true);
      const { cursor } = events.events[0]!.detail as { cursor: string };
      expect(cursor).to.match(/^[A-Za-z0-9_-]+$/);
      expect(t.net.lists().length).to.equal(before);
      expect(m.ids()).to.deep.equal(ids);
      expect(m.list.busy).to.equal(false);
      expect(m.more()!.disabled).to.equal(false);
      expect(text(m.more())).to.equal('Load more');
      // Not cancelled, the same button loads the page the event named.
      stop();
      m.more()!.click();
      await waitUntil(() => m.rows().length === 20 && !m.list.busy, 'second page not loaded');
      expect(t.net.lists().at(-1)!.params.get('cursor')).to.equal(cursor);
    });

    it('"New job" fires one cancelable portal-form-open; cancelling keeps the form closed and the list as it was', async () => {
      const m = await mount('all');
      const events = t.record(NAMES);
      const stop = t.cancel('portal-form-open');
      const calls = t.net.calls.length;
      const ids = m.ids();
      m.newJob()!.click();
      await m.list.updateComplete;
      await aTimeout(50);
      expect(events.events.length).to.equal(1);
      const [e] = events.events;
      expect(e!.type).to.equal('portal-form-open');
      expect(e!.detail).to.deep.equal({ form: 'job' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(m.$('job-form')).to.equal(null);
      expect(m.ids()).to.deep.equal(ids);
      expect(t.net.calls.length).to.equal(calls);

      stop();
      m.newJob()!.click();
      await m.list.updateComplete;
      expect(events.events.length).to.equal(2);
      expect(events.events[1]!.detail).to.deep.equal({ form: 'job' });
      expect(m.$('job-form')).not.to.equal(null);
    });
  });

  it('fixture sanity: 30+ jobs for paging in every status', () => {
    expect(testCo('all').length).to.be.greaterThan(30);
    expect(new Set(FIXTURE_JOBS.map((j) => j.status)).size).to.equal(JOB_STATUSES.length);
  });
});
