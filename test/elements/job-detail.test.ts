import { aTimeout, expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { JobDetailElement, JobForm } from '../../widget/index.js';
import { appointment } from '../../widget/ui/times.js';
import { eachTest, queries } from './helpers.js';
import { OWN_DETAIL, XSS_DESCRIPTION, XSS_NOTE, XSS_TITLE, type JobContactRole } from './fixtures-jobs.js';
import { Net, focusedIn, jobByTitle, mountAs, text, type } from './jobs-helpers.js';

/** A job-detail for job `id`, signed in as `role`, once it shows the job or what stands instead. */
async function mount(role: JobContactRole | null, id: number) {
  const { root, consumer } = await mountAs(role, html`<job-detail job-id=${id}></job-detail>`);
  const detail = root.querySelector('job-detail') as JobDetailElement;
  await waitUntil(() => detail.shadowRoot && !detail.shadowRoot.querySelector('.loading'), 'the job never showed', { timeout: 5000 });
  await detail.updateComplete;
  const { $, $$ } = queries(detail.shadowRoot!);
  return {
    root,
    consumer,
    detail,
    $,
    $$,
    /** The job's details as label → text. */
    fields: () => Object.fromEntries($$('dl .pair').map((p) => [text(p.querySelector('dt')), text(p.querySelector('dd'))])),
    timeline: () => $$('ol.timeline li').map((li) => [text(li.querySelector('.what')), text(li.querySelector('.who'))]),
    edit: () => $<HTMLButtonElement>('button.edit'),
    form: () => $('job-form') as JobForm | null,
    focused: () => focusedIn(detail.shadowRoot),
  };
}

const NOT_AVAILABLE = 'This job is not available. It may have been removed, or your account cannot see it.';

describe('job-detail', () => {
  const t = eachTest(() => new Net());

  it('shows every field of the job and its timeline, oldest first, with who did what', async () => {
    const job = await jobByTitle('own', OWN_DETAIL.title);
    const m = await mount('own', job.id);
    expect(text(m.$('h2'))).to.equal(`${job.number} ${OWN_DETAIL.title}`);
    expect(text(m.$('.badge'))).to.equal('Scheduled');
    expect(m.fields()).to.deep.equal({
      'Job number': job.number,
      Status: 'Scheduled',
      Address: OWN_DETAIL.address,
      'When suits you': OWN_DETAIL.preferredDates,
      'Contact on site': OWN_DETAIL.siteContact,
      // One window, formatted here from the data, with the provider's own clock (it works in Sydney).
      Appointment: appointment(job.scheduledStart, job.scheduledEnd, 'Australia/Sydney'),
      Technician: OWN_DETAIL.technician,
    });
    expect(m.fields()['Appointment']).to.match(/^\S+.*, \d{1,2}:\d\d/);
    // The description keeps its line breaks.
    expect(m.$('.description')!.textContent).to.equal(OWN_DETAIL.description);
    expect(m.$('ol.timeline')).not.to.equal(null);
    expect(m.timeline()).to.deep.equal([
      ['Requested in the customer portal', 'by Customer'],
      [`Appointment ${appointment(job.scheduledStart, job.scheduledEnd, 'Australia/Sydney')}`, 'by Office'],
      [`Technician: ${OWN_DETAIL.technician}`, 'by Office'],
      [OWN_DETAIL.note, 'by Office'],
    ]);
    expect(m.$$('ol.timeline time').map((t) => t.getAttribute('datetime'))).to.deep.equal(job.timeline.map((e) => e.at));
    expect(m.$$('h3').map((h) => text(h))).to.deep.equal(['Description', 'Timeline']);
    // view_own may not change it: no Edit.
    expect(m.edit()).to.equal(null);
    await expect(m.detail).to.be.accessible();
  });

  it('a view_own contact opening another contact\'s job by id sees "not available", not the job', async () => {
    const others = await jobByTitle('all', 'Routine check 03');
    const errors = t.record(['portal-error']);
    const m = await mount('own', others.id);
    expect(text(m.$('.not-available'))).to.equal(NOT_AVAILABLE);
    expect(m.$('h2')).to.equal(null);
    expect(text(m.detail.shadowRoot!)).not.to.contain('Routine check');
    expect(errors.events.map((e) => (e.detail as { status: number }).status)).to.deep.equal([404]);
    await expect(m.detail).to.be.accessible();
  });

  it('a job that does not exist is "not available" too; a malformed id asks for nothing', async () => {
    const m = await mount('all', 987654321);
    expect(text(m.$('.not-available'))).to.equal(NOT_AVAILABLE);
    const before = t.net.jobs().length;
    m.detail.setAttribute('job-id', 'abc');
    await m.detail.updateComplete;
    expect(text(m.$('.not-available'))).to.equal(NOT_AVAILABLE);
    expect(t.net.jobs().length).to.equal(before);
  });

  it('a contact without access to jobs sees a note and nothing is requested', async () => {
    const m = await mount('none', 1);
    expect(text(m.$('.state'))).to.contain('does not have access to jobs');
    expect(t.net.jobs().length).to.equal(0);
    await expect(m.detail).to.be.accessible();
  });

  it('signed out, it asks to log in', async () => {
    const m = await mount(null, 1);
    expect(text(m.$('.state'))).to.equal('Log in to see this job.');
    expect(t.net.jobs().length).to.equal(0);
  });

  it('a failed load shows the error with "Try again", which loads it', async () => {
    const job = await jobByTitle('all', 'Routine check 04');
    const { root } = await mountAs('all', html`<job-detail></job-detail>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('.state:not(.loading)'), 'nothing shown');
    expect(text(detail.shadowRoot!.querySelector('.state'))).to.equal('No job chosen.');
    t.net.down = true;
    detail.jobId = job.id;
    await waitUntil(() => detail.shadowRoot!.querySelector('.failed'), 'no error');
    expect(text(detail.shadowRoot!.querySelector('.failed'))).to.contain('Cannot reach the server');
    await expect(detail).to.be.accessible();
    t.net.down = false;
    detail.shadowRoot!.querySelector<HTMLButtonElement>('.failed button')!.click();
    await waitUntil(() => detail.shadowRoot!.querySelector('h2'), 'Try again did not load the job');
    expect(text(detail.shadowRoot!.querySelector('h2'))).to.contain('Routine check 04');
  });

  it('text that looks like markup is shown as text', async () => {
    const job = await jobByTitle('all', XSS_TITLE);
    const m = await mount('all', job.id);
    expect(text(m.$('h2'))).to.equal(`${job.number} ${XSS_TITLE}`);
    expect(m.$('.description')!.textContent).to.equal(XSS_DESCRIPTION);
    expect(m.fields()['Contact on site']).to.equal('"><svg onload=alert(1)>');
    expect(m.timeline().map(([what]) => what)).to.include(XSS_NOTE);
    expect(m.$$('img, script, svg, b, i').length).to.equal(0);
    expect((window as { __jobsXss?: boolean }).__jobsXss).to.equal(undefined);
    await expect(m.detail).to.be.accessible();
  });

  describe('editing', () => {
    it('no Edit for a closed job, nor for a contact who may only view', async () => {
      const closed = await jobByTitle('writer', 'Finished: boiler repair');
      expect((await mount('writer', closed.id)).edit()).to.equal(null);
      const open = await jobByTitle('viewer', 'Routine check 01');
      expect((await mount('viewer', open.id)).edit()).to.equal(null);
    });

    it('Edit opens the form prefilled; saving sends only the changed field, fires the events and shows the saved job', async () => {
      const job = await jobByTitle('writer', 'Writer: paint the door');
      const m = await mount('writer', job.id);
      const events = t.record(['portal-job-submit', 'portal-job-updated']);
      expect(m.edit()!.textContent!.trim()).to.equal('Edit');
      const requests = t.net.calls.length;
      m.edit()!.click();
      await m.detail.updateComplete;
      const form = m.form()!;
      await form.updateComplete;
      expect(m.detail.editing).to.equal(true);
      expect(m.detail.hasAttribute('editing')).to.equal(true);
      const input = (n: string) => form.shadowRoot!.querySelector<HTMLInputElement>(`[name=${n}]`)!;
      expect(input('title').value).to.equal('Writer: paint the door');
      expect(input('address').value).to.equal('9 Mill Lane, Springfield');
      expect(focusedIn(form.shadowRoot)).to.equal('input#job-title[name=title]');
      expect(t.net.calls.length).to.equal(requests); // the form took the job the detail had loaded
      await expect(m.detail).to.be.accessible();

      type(input('title'), 'Writer: paint the front door');
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => events.events.length === 2, 'not saved');
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit', 'portal-job-updated']);
      expect(events.events[0]!.detail).to.deep.equal({ id: job.id, job: { title: 'Writer: paint the front door' } });
      expect(t.net.jobs('PATCH').map((c) => c.body)).to.deep.equal([{ title: 'Writer: paint the front door' }]);
      await m.detail.updateComplete;
      expect(m.form()).to.equal(null);
      expect(text(m.$('h2'))).to.equal(`${job.number} Writer: paint the front door`);
      expect(text(m.$('[role=status]'))).to.equal('Your changes are saved.');
      expect(m.timeline().at(-1)).to.deep.equal(['Changed in the customer portal: what needs doing', 'by Customer']);
      expect(m.focused()).to.equal('h2#heading');
      // Only the title changed: the other fields are as they were.
      expect(m.fields()).to.deep.include({ Address: '9 Mill Lane, Springfield', Technician: 'Dana Reyes' });
      await expect(m.detail).to.be.accessible();
    });

    it('Cancel closes the form with focus on Edit, sends and fires nothing', async () => {
      const job = await jobByTitle('writer', 'Writer: check the meter');
      const m = await mount('writer', job.id);
      const events = t.record(['portal-job-submit', 'portal-job-updated']);
      m.edit()!.click();
      await m.detail.updateComplete;
      const form = m.form()!;
      await form.updateComplete;
      type(form.shadowRoot!.querySelector<HTMLInputElement>('[name=title]')!, 'Something else');
      [...form.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.trim() === 'Cancel')!.click();
      await m.detail.updateComplete;
      expect(m.form()).to.equal(null);
      expect(m.focused()).to.equal('button.secondary.edit');
      expect(text(m.$('h2'))).to.contain('Writer: check the meter');
      expect(events.events.length).to.equal(0);
      expect(t.net.jobs('PATCH').length).to.equal(0);
    });

    it('cancelling portal-job-submit sends nothing: the host saves it itself', async () => {
      const job = await jobByTitle('writer', 'Writer: check the meter');
      const m = await mount('writer', job.id);
      const cancel = (e: Event): void => e.preventDefault();
      document.addEventListener('portal-job-submit', cancel);
      const events = t.record(['portal-job-updated']);
      try {
        m.edit()!.click();
        await m.detail.updateComplete;
        const form = m.form()!;
        await form.updateComplete;
        type(form.shadowRoot!.querySelector<HTMLInputElement>('[name=title]')!, 'Host saves this');
        form.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
        await aTimeout(50);
        expect(t.net.jobs('PATCH').length).to.equal(0);
        expect(events.events.length).to.equal(0);
        expect(m.form()).not.to.equal(null);
      } finally {
        document.removeEventListener('portal-job-submit', cancel);
      }
      const [status, onServer] = await m.consumer.portal!.client.getJob(job.id).then((j) => [200, j] as const);
      expect([status, onServer.title]).to.deep.equal([200, 'Writer: check the meter']);
    });
  });
});
