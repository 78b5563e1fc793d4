import { aTimeout, expect, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { JobDetail, JobForm } from '../../widget/index.js';
import { PortalApiError } from '../../widget/index.js';
import { eachTest, queries } from './helpers.js';
import { XSS_TITLE, type JobContactRole } from './fixtures-jobs.js';
import { Net, focusedIn, jobByTitle, mountAs, text, type } from './jobs-helpers.js';

const LABELS = {
  title: 'What needs doing (required)',
  description: 'Description',
  address: 'Address (required)',
  preferredDates: 'Notes on timing',
  siteContact: 'Contact on site',
};
type Field = keyof typeof LABELS;

/** A job-form signed in as `role`, once it shows its form or what stands instead. */
async function mount(role: JobContactRole | null, template: TemplateResult = html`<job-form></job-form>`) {
  const { root, consumer } = await mountAs(role, template);
  const form = root.querySelector('job-form') as JobForm;
  await waitUntil(() => form.shadowRoot && !form.shadowRoot.querySelector('.loading'), 'the form never showed', { timeout: 5000 });
  await form.updateComplete;
  const { $, $$ } = queries(form.shadowRoot!);
  const field = (n: Field) => $<HTMLInputElement | HTMLTextAreaElement>(`[name=${n}]`)!;
  return {
    root,
    consumer,
    form,
    $,
    $$,
    field,
    /** The message tied to a field by aria-describedby, if it is marked invalid. */
    errorOf: (n: Field) => (field(n).getAttribute('aria-invalid') === 'true' ? text($(`#job-${n}-error`)) : ''),
    submit: () => $<HTMLButtonElement>('button[type=submit]')!,
    cancel: () => $$<HTMLButtonElement>('button').find((b) => b.textContent!.trim() === 'Cancel')!,
    alert: () => text($('[role=alert]')),
    notice: () => text($('[role=status]')),
    focused: () => focusedIn(form.shadowRoot),
  };
}
type Mounted = Awaited<ReturnType<typeof mount>>;

async function fill(m: Mounted, values: Partial<Record<Field, string>>): Promise<void> {
  for (const [k, v] of Object.entries(values)) type(m.field(k as Field), v);
  await m.form.updateComplete;
}

async function submitted(m: Mounted): Promise<void> {
  m.submit().click();
  await aTimeout(0);
  await waitUntil(() => !m.form.busy, 'still busy');
  await m.form.updateComplete;
}

const ALL_EVENTS = ['portal-job-submit', 'portal-job-created', 'portal-job-updated', 'portal-error'];

describe('job-form', () => {
  const t = eachTest(() => new Net());

  describe('new job', () => {
    it('has the five labelled fields, the description as a text area', async () => {
      const m = await mount('writer');
      expect(text(m.$('h2'))).to.equal('New job');
      for (const [name, label] of Object.entries(LABELS)) {
        const el = m.field(name as Field);
        expect([...(el.labels ?? [])].map((l) => text(l))).to.deep.equal([label]);
      }
      expect(m.field('description').localName).to.equal('textarea');
      expect(m.field('title').required).to.equal(true);
      expect(m.field('address').required).to.equal(true);
      expect(m.submit().textContent!.trim()).to.equal('Send job request');
      await expect(m.form).to.be.accessible();
    });

    it('empty or too long fields are marked inline, focus goes to the first, nothing is sent or fired', async () => {
      const m = await mount('writer');
      const events = t.record(ALL_EVENTS);
      await fill(m, { title: '   ', address: '' });
      await submitted(m);
      expect(m.errorOf('title')).to.equal('Say what needs doing.');
      expect(m.errorOf('address')).to.equal('Enter the address where the work is.');
      expect(m.errorOf('description')).to.equal('');
      expect(m.focused()).to.equal('input#job-title[name=title]');
      await expect(m.form).to.be.accessible();

      await fill(m, { title: 'x'.repeat(201), address: 'a'.repeat(500), siteContact: 's'.repeat(201), description: 'd'.repeat(5001) });
      // Typing in a field clears its message.
      expect(m.errorOf('title')).to.equal('');
      await submitted(m);
      expect(m.errorOf('title')).to.equal('Use at most 200 characters (now 201).');
      expect(m.errorOf('address')).to.equal('');
      expect(m.errorOf('description')).to.equal('Use at most 5000 characters (now 5001).');
      expect(m.errorOf('siteContact')).to.equal('Use at most 200 characters (now 201).');
      expect(t.net.jobs('POST').length).to.equal(0);
      expect(events.events.length).to.equal(0);
      await expect(m.form).to.be.accessible();
    });

    it('sends the job: portal-job-submit (cancelable) then portal-job-created; the server has it; the form empties and says so', async () => {
      const m = await mount('writer');
      const events = t.record(ALL_EVENTS);
      const title = `New from the form ${Date.now()}`;
      await fill(m, { title: `  ${title}  `, description: 'Line one\nLine two', address: '9 Mill Lane, Springfield', preferredDates: 'Mornings', siteContact: 'Sam' });
      m.field('siteContact').focus();
      await sendKeys({ press: 'Enter' }); // Enter in a field sends the form
      await waitUntil(() => events.events.length === 2, 'not created');
      const [submit, created] = events.events as [CustomEvent, CustomEvent<{ job: JobDetail }>];
      expect(submit.type).to.equal('portal-job-submit');
      expect([submit.bubbles, submit.composed, submit.cancelable]).to.deep.equal([true, true, true]);
      const sent = { title, description: 'Line one\nLine two', address: '9 Mill Lane, Springfield', preferredDates: 'Mornings', siteContact: 'Sam', preferredDate: null, preferredWindow: null };
      expect(submit.detail).to.deep.equal({ id: null, job: sent });
      expect(t.net.jobs('POST').map((c) => c.body)).to.deep.equal([sent]);
      expect(created.type).to.equal('portal-job-created');
      expect([created.bubbles, created.composed]).to.deep.equal([true, true]);
      const onServer = await m.consumer.portal!.client.getJob(created.detail.job.id);
      expect({ ...sent, status: 'requested', canEdit: true }).to.deep.equal({
        title: onServer.title,
        description: onServer.description,
        address: onServer.address,
        preferredDates: onServer.preferredDates,
        siteContact: onServer.siteContact,
        preferredDate: onServer.preferredDate,
        preferredWindow: onServer.preferredWindow,
        status: onServer.status,
        canEdit: onServer.canEdit,
      });
      await m.form.updateComplete;
      expect(m.field('title').value).to.equal('');
      expect(m.notice()).to.equal(`Job ${onServer.number} has been sent to the office.`);
      await expect(m.form).to.be.accessible();
    });

    it('cancelling portal-job-submit sends nothing: the host sends it itself', async () => {
      const m = await mount('writer');
      const events = t.record(ALL_EVENTS);
      let detail: unknown;
      const cancel = (e: CustomEvent): void => {
        detail = e.detail;
        e.preventDefault();
      };
      m.root.addEventListener('portal-job-submit', cancel);
      await fill(m, { title: 'Sent by the host', address: 'Host Street' });
      await submitted(m);
      m.root.removeEventListener('portal-job-submit', cancel);
      expect(detail).to.deep.equal({ id: null, job: { title: 'Sent by the host', description: '', address: 'Host Street', preferredDates: '', siteContact: '', preferredDate: null, preferredWindow: null } });
      expect(t.net.jobs('POST').length).to.equal(0);
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit']);
      expect(m.field('title').value).to.equal('Sent by the host');
    });

    it('what the server refuses shows next to the field, and nothing is written', async () => {
      const m = await mount('writer');
      const events = t.record(ALL_EVENTS);
      const title = `Bell\u0007 ${Date.now()}`;
      await fill(m, { title, address: 'Control Street' });
      await submitted(m);
      expect(m.errorOf('title')).to.equal('What needs doing must not contain control characters.');
      expect(m.alert()).to.equal('The office could not take this yet: please correct the fields marked below.');
      expect(m.focused()).to.equal('input#job-title[name=title]');
      const error = events.events.find((e) => e.type === 'portal-error') as CustomEvent;
      expect(error.detail).to.deep.include({ status: 400, code: 'validation_failed', action: 'create-job' });
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit', 'portal-error']);
      const page = await m.consumer.portal!.client.listJobs({ q: 'Control Street' });
      expect(page.items.length).to.equal(0);
      await expect(m.form).to.be.accessible();
    });

    it('a contact who may not create jobs sees a note; the server refuses them too', async () => {
      const m = await mount('viewer');
      expect(m.$('form')).to.equal(null);
      expect(text(m.$('.state'))).to.contain('does not have access to asking for new jobs');
      await expect(m.form).to.be.accessible();
      const refused = await m.consumer.portal!.client.createJob({ title: 'Sneaky', address: 'Nowhere' }).catch((e: unknown) => e);
      expect(refused instanceof PortalApiError && refused.status).to.equal(403);
    });

    it('Cancel without an onclose empties the form; with one, calls it; neither fires an event', async () => {
      const m = await mount('writer');
      const events = t.record(ALL_EVENTS);
      await fill(m, { title: 'Never mind', address: 'Here' });
      m.cancel().click();
      await m.form.updateComplete;
      expect([m.field('title').value, m.field('address').value]).to.deep.equal(['', '']);
      let closed = 0;
      m.form.onclose = () => closed++;
      await fill(m, { title: 'Never mind again' });
      m.cancel().click();
      expect(closed).to.equal(1);
      expect(events.events.length).to.equal(0);
      expect(t.net.jobs('POST').length).to.equal(0);
    });

    it('signed out, it asks to log in', async () => {
      const m = await mount(null);
      expect(text(m.$('.state'))).to.equal('Log in to ask for or change a job.');
      expect(m.$('form')).to.equal(null);
    });
  });

  describe('editing a job', () => {
    it('is prefilled; only the changed fields are sent (PATCH); portal-job-updated follows', async () => {
      const job = await jobByTitle('writer', 'Writer: fix the fence');
      const m = await mount('writer', html`<job-form job-id=${job.id}></job-form>`);
      const events = t.record(ALL_EVENTS);
      expect(text(m.$('h2'))).to.equal(`Edit job ${job.number}`);
      expect(Object.fromEntries((Object.keys(LABELS) as Field[]).map((n) => [n, m.field(n).value]))).to.deep.equal({
        title: job.title,
        description: job.description,
        address: job.address,
        preferredDates: job.preferredDates,
        siteContact: job.siteContact,
      });
      expect(m.submit().textContent!.trim()).to.equal('Save changes');
      await expect(m.form).to.be.accessible();

      // Nothing changed: nothing to send.
      await submitted(m);
      expect(m.notice()).to.equal('Nothing has changed, so there is nothing to save.');
      expect(t.net.jobs('PATCH').length).to.equal(0);
      expect(events.events.length).to.equal(0);

      await fill(m, { address: '11 Mill Lane, Springfield ' });
      await submitted(m);
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit', 'portal-job-updated']);
      expect(events.events[0]!.detail).to.deep.equal({ id: job.id, job: { address: '11 Mill Lane, Springfield' } });
      expect(t.net.jobs('PATCH').map((c) => [c.path.endsWith(`/jobs/${job.id}`), c.body])).to.deep.equal([[true, { address: '11 Mill Lane, Springfield' }]]);
      const updated = (events.events[1] as CustomEvent<{ job: JobDetail }>).detail.job;
      expect([updated.address, updated.title, updated.description, updated.siteContact]).to.deep.equal([
        '11 Mill Lane, Springfield',
        job.title,
        job.description,
        job.siteContact,
      ]);
      expect(m.notice()).to.equal('Your changes are saved.');
      expect(m.field('address').value).to.equal('11 Mill Lane, Springfield');
      const onServer = await m.consumer.portal!.client.getJob(job.id);
      expect([onServer.address, onServer.preferredDates]).to.deep.equal(['11 Mill Lane, Springfield', job.preferredDates]);
      // A second save with no further change sends nothing.
      await submitted(m);
      expect(t.net.jobs('PATCH').length).to.equal(1);
    });

    it('an edit of a closed (completed) job is refused with the 409 message, and nothing changes', async () => {
      const job = await jobByTitle('writer', 'Finished: boiler repair');
      const m = await mount('writer', html`<job-form job-id=${job.id}></job-form>`);
      const events = t.record(ALL_EVENTS);
      expect(text(m.$('.warning'))).to.equal('This job is completed, so the office no longer accepts changes to it.');
      await fill(m, { title: 'Reopen please' });
      await submitted(m);
      expect(m.alert()).to.equal('This job is completed and can no longer be changed.');
      expect(m.focused()).to.equal('p.error');
      expect((events.events.at(-1) as CustomEvent).detail).to.deep.include({ status: 409, code: 'job_closed', action: 'update-job' });
      expect(events.events.map((e) => e.type)).to.deep.equal(['portal-job-submit', 'portal-error']);
      expect((await m.consumer.portal!.client.getJob(job.id)).title).to.equal('Finished: boiler repair');
      await expect(m.form).to.be.accessible();
    });

    it('an edit by a contact who may only view is refused with the 403 message', async () => {
      const job = await jobByTitle('viewer', 'Routine check 08');
      const m = await mount('viewer', html`<job-form job-id=${job.id}></job-form>`);
      expect(text(m.$('.warning'))).to.equal('Your account may see this job but not change it.');
      await fill(m, { title: 'Changed by a viewer' });
      await submitted(m);
      expect(m.alert()).to.equal('Your account may not edit this job.');
      expect((await m.consumer.portal!.client.getJob(job.id)).title).to.equal('Routine check 08');
    });

    it('a view_own contact editing another contact\'s job by id sees "not available"', async () => {
      const job = await jobByTitle('all', 'Routine check 09');
      const m = await mount('own', html`<job-form job-id=${job.id}></job-form>`);
      expect(text(m.$('.not-available'))).to.contain('This job is not available');
      expect(m.$('form')).to.equal(null);
      await expect(m.form).to.be.accessible();
    });

    it('a contact without access to jobs sees a note and nothing is requested', async () => {
      const m = await mount('none', html`<job-form job-id="1"></job-form>`);
      expect(text(m.$('.state'))).to.contain('does not have access to jobs');
      expect(t.net.jobs().length).to.equal(0);
    });

    it('Cancel without an onclose puts back the loaded values', async () => {
      const job = await jobByTitle('writer', 'Writer: loose tiles');
      const m = await mount('writer', html`<job-form job-id=${job.id}></job-form>`);
      await fill(m, { title: 'Changed my mind' });
      m.cancel().click();
      await m.form.updateComplete;
      expect(m.field('title').value).to.equal('Writer: loose tiles');
      expect(t.net.jobs('PATCH').length).to.equal(0);
    });

    it('text that looks like markup stays text in the fields', async () => {
      const job = await jobByTitle('all', XSS_TITLE);
      const m = await mount('all', html`<job-form job-id=${job.id}></job-form>`);
      expect(m.field('title').value).to.equal(XSS_TITLE);
      expect(m.field('description').value).to.equal(job.description);
      expect(m.$$('img, script, svg').length).to.equal(0);
      expect((window as { __jobsXss?: boolean }).__jobsXss).to.equal(undefined);
    });
  });
});

describe('job-form: where and when', () => {
  const t = eachTest(() => new Net());

  it('a new request starts at the company’s address (changeable) and asks for a day and a time of day; a past day is refused inline', async () => {
    const m = await mount('writer');
    const me = m.consumer.portal!.me!;
    expect(m.field('address').value).to.equal(me.company.address);
    const day = m.form.shadowRoot!.querySelector<HTMLInputElement>('input[name=preferredDate]')!;
    const window = m.form.shadowRoot!.querySelector<HTMLSelectElement>('select[name=preferredWindow]')!;
    expect(day.type).to.equal('date');
    expect([...window.options].map((o) => o.textContent)).to.deep.equal(['Any time', 'Morning', 'Afternoon']);
    expect(text(m.form.shadowRoot!.querySelector('legend'))).to.equal('When suits you');
    await expect(m.form).to.be.accessible();

    await fill(m, { title: 'Check the boiler' });
    day.value = '2020-01-01';
    day.dispatchEvent(new InputEvent('input'));
    await submitted(m);
    expect(t.net.jobs('POST').length).to.equal(0);
    expect(day.getAttribute('aria-invalid')).to.equal('true');
    expect(text(m.form.shadowRoot!.querySelector('#job-preferredDate-error'))).to.equal('Choose today or a later day.');
    await expect(m.form).to.be.accessible();

    const next = new Date(Date.now() + 2 * 86_400_000);
    const iso = `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, '0')}-${String(next.getDate()).padStart(2, '0')}`;
    day.value = iso;
    day.dispatchEvent(new InputEvent('input'));
    window.value = 'afternoon';
    window.dispatchEvent(new Event('change'));
    await submitted(m);
    await waitUntil(() => t.net.jobs('POST').length === 1, 'not sent');
    expect(t.net.jobs('POST')[0]!.body).to.deep.include({ address: me.company.address, preferredDate: iso, preferredWindow: 'afternoon' });
  });
});
