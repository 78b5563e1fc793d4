import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AlertSettings, CustomerPortal, JobDetailElement, PortalRoot } from '../../widget/index.js';
import { ALERT_JOB_TITLE, ALERTS_PROVIDER as ACME } from './fixtures-alerts.js';
import { PASSWORD, eachTest, signInAs, Net, queries, type, type Recorder } from './helpers.js';

const email = (name: string) => `${name}@alerts.test`;
const names = (r: Recorder): string[] => r.events.map((e) => e.type);

async function mount(name: string, inner = html`<alert-settings></alert-settings>`) {
  const token = await signInAs(ACME, email(name), PASSWORD);
  const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}>${inner}</portal-root>`);
  const el = root.querySelector('alert-settings') as AlertSettings;
  return { root, el, token, ...helpers(el) };
}

function helpers(el: AlertSettings) {
  const { $, $$ } = queries(el.shadowRoot!);
  return {
    $,
    $$,
    button: (label: string) => $$<HTMLButtonElement>('button').find((b) => b.textContent!.replace(/\s+/g, ' ').trim().startsWith(label)),
    check: (label: string) => $$<HTMLLabelElement>('label.check').find((l) => l.textContent!.includes(label))!.querySelector('input')!,
    alerts: () => $$('li.alert').map((li) => li.textContent!.replace(/\s+/g, ' ').trim()),
    destinations: () => $$('li.destination').map((li) => li.querySelector('.what')!.textContent!.trim() + ' · ' + li.querySelector('.badge')!.textContent!.trim()),
    notice: () => $('[part=notice]')!.textContent!.trim(),
  };
}

const loaded = (el: AlertSettings) => waitUntil(() => el.shadowRoot!.querySelector('#destinations-heading'), 'the alerts never loaded');

async function api(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`/api/portal/${ACME}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.status === 204 ? null : res.json();
}

describe('alert-settings', () => {
  const t = eachTest(() => new Net());

  it('shows the empty list and the login email as a confirmed destination; accessible', async () => {
    const m = await mount('list');
    await loaded(m.el);
    expect(m.$('h2')!.textContent).to.equal('Job alerts');
    expect(m.$('.empty')!.textContent).to.equal('No alerts yet.');
    expect(m.destinations()).to.deep.equal(['Email list@alerts.test (your login) · Confirmed']);
    expect(m.button('Add a phone for SMS')).to.exist;
    await expect(m.el).to.be.accessible();
  });

  it('creates an alert: events, reminder hours, destination; fires portal-alert-save then portal-alert-saved', async () => {
    const events = t.record(['portal-alert-save', 'portal-alert-saved']);
    const m = await mount('create');
    await loaded(m.el);
    m.button('New alert')!.click();
    await m.el.updateComplete;
    expect(m.el.shadowRoot!.activeElement?.id).to.equal('alert-form-heading', 'focus moves to the form');
    expect(m.check('create@alerts.test').checked, 'the login email is chosen').to.equal(true);
    m.check('Reminder before the job starts').click();
    m.check('Job completed').click();
    await m.el.updateComplete;
    const hours = m.$<HTMLInputElement>('#reminder-hours')!;
    type(hours, '6');
    await expect(m.el).to.be.accessible();
    m.button('Save alert')!.click();
    await waitUntil(() => m.alerts().length === 1, 'the alert never showed');
    expect(m.alerts()[0]).to.contain('All my jobs: 6 h before the start, Job completed');
    expect(names(events)).to.deep.equal(['portal-alert-save', 'portal-alert-saved']);
    expect((events.events[0] as CustomEvent).detail.alert).to.deep.include({ events: ['start_reminder', 'job_completed'], reminderHours: 6, jobId: null });
    expect((events.events[1] as CustomEvent).detail.created).to.equal(true);
    expect(m.notice()).to.equal('Your alert is set up.');
    expect(t.net.to('POST', /\/alerts\/subscriptions$/)).to.have.length(1);
  });

  it('a cancelled portal-alert-save sends nothing; choosing no event is caught before sending', async () => {
    t.cancel('portal-alert-save');
    const m = await mount('cancel');
    await loaded(m.el);
    m.button('New alert')!.click();
    await m.el.updateComplete;
    m.button('Save alert')!.click();
    await m.el.updateComplete;
    expect(m.$('form [role=alert]')!.textContent).to.equal('Choose at least one event.');
    m.check('Job started').click();
    m.button('Save alert')!.click();
    await m.el.updateComplete;
    expect(t.net.to('POST', /\/alerts\/subscriptions$/)).to.have.length(0);
  });

  it('pauses, resumes, edits and deletes an alert', async () => {
    const token = await signInAs(ACME, email('edit'), PASSWORD);
    const o = await api(token, 'GET', '/alerts');
    await api(token, 'POST', '/alerts/subscriptions', { events: ['job_started'], destinationIds: [o.destinations[0].id] });
    const deleted = t.record(['portal-alert-deleted', 'portal-alert-saved']);
    const m = await mount('edit');
    await waitUntil(() => m.alerts().length === 1);
    m.button('Pause')!.click();
    await waitUntil(() => m.alerts()[0]!.includes('Paused'));
    expect(m.notice()).to.equal('The alert is paused.');
    m.button('Resume')!.click();
    await waitUntil(() => !m.alerts()[0]!.includes('Paused'));
    m.button('Edit')!.click();
    await m.el.updateComplete;
    expect(m.check('Job started').checked).to.equal(true);
    m.check('Technician on the way').click();
    m.button('Save alert')!.click();
    await waitUntil(() => m.alerts()[0]!.includes('Technician on the way'));
    m.button('Delete')!.click();
    await waitUntil(() => m.$('.empty'));
    expect(names(deleted)).to.deep.equal(['portal-alert-saved', 'portal-alert-saved', 'portal-alert-saved', 'portal-alert-deleted']);
    expect(m.el.shadowRoot!.activeElement?.textContent?.trim()).to.equal('New alert');
  });

  it('verifies a phone: send code, resend waits for the cooldown, a wrong code is refused, the right one verifies', async () => {
    const verified = t.record(['portal-phone-verified', 'portal-error']);
    const m = await mount('phone');
    await loaded(m.el);
    m.button('Add a phone for SMS')!.click();
    await m.el.updateComplete;
    const input = m.$<HTMLInputElement>('#new-address')!;
    expect(m.el.shadowRoot!.activeElement).to.equal(input);
    type(input, '555 1234');
    m.button('Send code')!.click();
    await m.el.updateComplete;
    expect(input.getAttribute('aria-invalid')).to.equal('true');
    type(input, '+15557654321');
    m.button('Send code')!.click();
    await waitUntil(() => m.destinations().length === 2);
    expect(m.destinations()[1]).to.equal('SMS +15557654321 · Waiting for confirmation');
    expect(m.button('Send a new code')!.disabled, 'cooldown').to.equal(true);
    expect(m.button('Send a new code')!.textContent).to.match(/in \d+ s/);
    await expect(m.el).to.be.accessible();
    const code = await waitUntil(async () => {
      const box = (await (await fetch('/api/dev/mailbox')).json()) as { channel: string; to: string; text: string }[];
      return /is (\d{6})/.exec(box.find((x) => x.channel === 'sms' && x.to === '+15557654321')?.text ?? '')?.[1];
    }, 'no code in the demo mailbox').then(async () => {
      const box = (await (await fetch('/api/dev/mailbox')).json()) as { channel: string; to: string; text: string }[];
      return /is (\d{6})/.exec(box.find((x) => x.channel === 'sms' && x.to === '+15557654321')!.text)![1]!;
    });
    const codeInput = m.$$<HTMLInputElement>('li.destination input')[0]!;
    type(codeInput, code === '000000' ? '111111' : '000000');
    m.button('Verify')!.click();
    await waitUntil(() => codeInput.getAttribute('aria-invalid') === 'true' || m.$('li.destination .field-error'));
    expect(names(verified)).to.deep.equal(['portal-error']);
    type(m.$$<HTMLInputElement>('li.destination input')[0]!, code);
    m.button('Verify')!.click();
    await waitUntil(() => m.destinations()[1] === 'SMS +15557654321 · Confirmed');
    expect(names(verified)).to.deep.equal(['portal-error', 'portal-phone-verified']);
    expect(m.notice()).to.equal('SMS +15557654321 is verified.');
  });

  it('previews the message as it will be sent, in the provider’s name', async () => {
    const m = await mount('preview');
    await loaded(m.el);
    m.button('New alert')!.click();
    await m.el.updateComplete;
    m.check('Job completed').click();
    m.button('Preview')!.click();
    await waitUntil(() => m.$('[part=preview]'));
    expect(m.$('[part=preview] .brand')!.textContent).to.contain('Acme Plumbing');
    expect(m.$('[part=preview] .subject')!.textContent).to.match(/Job J-\d+ is completed/);
    await expect(m.el).to.be.accessible();
  });

  it('keyboard: Tab reaches "New alert", Enter opens the form, checkboxes toggle with Space', async () => {
    const m = await mount('keyboard');
    await loaded(m.el);
    m.button('New alert')!.focus();
    await sendKeys({ press: 'Enter' });
    await m.el.updateComplete;
    expect(m.$('form.alert-form')).to.exist;
    m.check('Job started').focus();
    await sendKeys({ press: 'Space' });
    expect(m.check('Job started').checked).to.equal(true);
    await sendKeys({ press: 'Tab' });
    expect(m.el.shadowRoot!.activeElement).to.equal(m.check('Job completed'));
  });

  it('a contact with alerts off sees a notice, and no Alerts tab in customer-portal; accessible', async () => {
    const m = await mount('off', html`<alert-settings></alert-settings><customer-portal></customer-portal>`);
    await waitUntil(() => m.$('.state.empty'));
    expect(m.$('.state.empty')!.textContent).to.contain('does not have access to alerts');
    const portal = m.root.querySelector('customer-portal') as CustomerPortal;
    await waitUntil(() => portal.tabs.length > 0);
    expect(portal.tabs).to.not.include('alerts');
    expect(t.net.to('GET', /\/alerts$/)).to.have.length(0);
    await expect(m.el).to.be.accessible();
  });

  it('customer-portal has an Alerts tab for a contact who may use alerts', async () => {
    const token = await signInAs(ACME, email('portal'), PASSWORD);
    const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}><customer-portal></customer-portal></portal-root>`);
    const portal = root.querySelector('customer-portal') as CustomerPortal;
    await waitUntil(() => portal.tabs.includes('alerts'));
    portal.shadowRoot!.querySelector<HTMLButtonElement>('#tab-alerts')!.click();
    await portal.updateComplete;
    const el = portal.shadowRoot!.querySelector('alert-settings') as AlertSettings;
    await loaded(el);
    expect(token).to.be.a('string');
    await expect(portal).to.be.accessible();
  });

  it('offline: the load error shows with a retry and fires portal-error', async () => {
    const errors = t.record(['portal-error']);
    t.net.cut = (c) => /\/alerts$/.test(c.path);
    const m = await mount('offline');
    await waitUntil(() => m.$('.failed'));
    expect(m.$('.failed p')!.textContent).to.match(/Cannot reach the server/);
    expect(names(errors)).to.deep.equal(['portal-error']);
    await expect(m.el).to.be.accessible();
    t.net.cut = null;
    m.button('Try again')!.click();
    await loaded(m.el);
  });

  it('job-detail: "Alert me" opens alerts for that job and sets one up for it', async () => {
    const token = await signInAs(ACME, email('job'), PASSWORD);
    const jobs = await api(token, 'GET', '/jobs');
    const job = jobs.items.find((j: { title: string }) => j.title === ALERT_JOB_TITLE);
    const saved = t.record(['portal-alert-saved']);
    const root = await fixture<PortalRoot>(html`<portal-root provider=${ACME}><job-detail job-id=${job.id}></job-detail></portal-root>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot!.querySelector('button.alert-me'));
    const alertMe = detail.shadowRoot!.querySelector<HTMLButtonElement>('button.alert-me')!;
    expect(alertMe.getAttribute('aria-expanded')).to.equal('false');
    alertMe.click();
    await detail.updateComplete;
    expect(alertMe.getAttribute('aria-expanded')).to.equal('true');
    const el = detail.shadowRoot!.querySelector('alert-settings') as AlertSettings;
    await loaded(el);
    const m = helpers(el);
    expect(m.$('#alerts-heading')!.textContent).to.equal('Alerts for this job');
    m.button('Alert me about this job')!.click();
    await el.updateComplete;
    expect(m.$$('label.check').some((l) => l.textContent!.includes('Quote ready')), 'quotes are not per job').to.equal(false);
    m.check('Job started').click();
    m.button('Save alert')!.click();
    await waitUntil(() => m.alerts().length === 1);
    expect(m.alerts()[0]).to.match(/^Job J-\d+: Job started/);
    expect((saved.events[0] as CustomEvent).detail.alert.jobId).to.equal(job.id);
    await expect(detail).to.be.accessible();
  });
});
