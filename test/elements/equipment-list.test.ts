import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { Equipment, PortalClient } from '../../widget/api/client.js';
import type { EquipmentList, PortalRoot } from '../../widget/index.js';
import { formatDate } from '../../widget/ui/format.js';
import { PASSWORD, eachTest, signInAs, Net as SharedNet, type, type Call, queries, whileOffline } from './helpers.js';

// The contacts and rows come from fixtures-equipment.ts (Node side; it cannot be imported here).
const ACME = 'acme-plumbing';
const XSS_NAME = '<img src=x onerror=alert(1)>';
const PAGING_TOTAL = 62 + 3; // pumps + "Boiler overdue", "Chiller future" and the markup one
const HEADERS = ['Name', 'Make', 'Model', 'Serial', 'Location', 'Installed', 'Last service', 'Next service'];

/** The shared request recorder, with a filter for this element's route. */
class Net extends SharedNet {
  equipment(method: string): Call[] {
    return this.to(method, /\/equipment$/);
  }
}

async function mount(email: string, template?: TemplateResult) {
  await signInAs(ACME, email, PASSWORD);
  const root = await fixture<PortalRoot>(
    template ??
      html`<portal-root provider=${ACME}><equipment-list></equipment-list><test-portal-consumer></test-portal-consumer></portal-root>`,
  );
  const el = root.querySelector('equipment-list') as EquipmentList;
  const sr = el.shadowRoot!;
  const { $, $$ } = queries(sr);
  const m = {
    root,
    el,
    $,
    $$,
    client: (): PortalClient => root.querySelector('test-portal-consumer')!.portal!.client,
    names: () => $$('tbody tr th').map((th) => th.textContent!.trim()),
    row: (name: string) => $$('tbody tr').find((tr) => tr.querySelector('th')!.textContent!.trim() === name),
    cells: (name: string) => [...m.row(name)!.querySelectorAll('th, td')].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()),
    button: (label: string) => $$<HTMLButtonElement>('button').find((b) => b.textContent!.trim() === label),
    input: (key: string) => $<HTMLInputElement>(`#eq-${key}`)!,
    search: () => $<HTMLInputElement>('#search')!,
    text: () => sr.textContent!.replace(/\s+/g, ' '),
    focused: () => {
      const a = sr.activeElement as HTMLElement | null;
      return a ? `${a.localName}${a.id ? '#' + a.id : ''}:${a.textContent!.trim()}` : 'nothing';
    },
  };
  return m;
}
type Mounted = Awaited<ReturnType<typeof mount>>;

const loaded = (m: Mounted, what = 'the equipment never loaded') => waitUntil(() => m.names().length > 0, what);

/** Every row the server lists for this contact, page by page. */
async function listAll(client: PortalClient, q?: string): Promise<Equipment[]> {
  const all: Equipment[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listEquipment({ q, cursor, limit: 100 });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all;
}


function fillForm(m: Mounted, values: Record<string, string>): void {
  for (const [k, v] of Object.entries(values)) type(m.input(k), v);
}

describe('equipment-list', () => {
  const t = eachTest(() => new Net());

  describe('viewing', () => {
    it('shows the first page as a table with column and row headers, formatted dates and no add button', async () => {
      const m = await mount('eq-view@equipment.test');
      await loaded(m);
      expect(m.$('h2')!.textContent).to.equal('Equipment');
      expect(m.$$('thead th').map((th) => th.textContent!.trim())).to.deep.equal(HEADERS);
      expect(m.$$('thead th').every((th) => th.getAttribute('scope') === 'col')).to.equal(true);
      expect(m.$$('tbody th').every((th) => th.getAttribute('scope') === 'row')).to.equal(true);
      expect(m.names().length).to.equal(50);
      expect(m.names().slice(0, 4)).to.deep.equal([XSS_NAME, 'Boiler overdue', 'Chiller future', 'Pump 01']);
      expect(m.cells('Pump 01').slice(0, 7)).to.deep.equal([
        'Pump 01',
        'Grundfos',
        'CR 5',
        'GF-1001',
        'Plant room 2',
        formatDate('2019-04-02'),
        formatDate('2025-01-15'),
      ]);
      expect(m.$('[role=status]#count')!.textContent).to.equal('Showing 50 items; more are available.');
      expect(m.button('Load more')).to.exist;
      expect(m.button('Add equipment')).to.equal(undefined);
      expect(m.$('form[part=form]')).to.equal(null);
      expect(t.net.equipment('GET').length).to.equal(1);
      expect(t.net.equipment('GET')[0]!.url.searchParams.get('limit')).to.equal('50');
      await expect(m.el).to.be.accessible();
    });

    it('marks a next service date in the past as "Overdue" in text, and a future one not', async () => {
      const m = await mount('eq-view@equipment.test');
      await loaded(m);
      const overdue = m.cells('Boiler overdue');
      expect(overdue[7]).to.match(/ Overdue$/);
      expect(m.row('Boiler overdue')!.querySelector('[part~=badge]')!.textContent).to.equal('Overdue');
      expect(overdue[5]).to.equal(formatDate('2016-09-30'));
      expect(m.cells('Chiller future')[7]).not.to.contain('Overdue');
      expect(m.cells('Chiller future')[7]).to.not.equal('');
      expect(m.$$('tbody [part~=badge]').length).to.equal(1);
    });

    it('shows markup in equipment as text', async () => {
      const alerts: unknown[] = [];
      const alert = window.alert;
      window.alert = (x?: unknown) => void alerts.push(x);
      try {
        const m = await mount('eq-view@equipment.test');
        await loaded(m);
        await aTimeout(50);
        expect(m.cells(XSS_NAME).slice(0, 5)).to.deep.equal([XSS_NAME, '<script>window.__equipmentXss = 1</script>', 'M', 'XSS-1', '<b>Roof</b>']);
        expect(m.$$('img, script, b').length).to.equal(0);
        expect((window as { __equipmentXss?: number }).__equipmentXss).to.equal(undefined);
        expect(alerts.length).to.equal(0);
      } finally {
        window.alert = alert;
      }
    });

    it('"Load more" fetches the next page with the keyset cursor, and focus moves to the first new row', async () => {
      const m = await mount('eq-paging@equipment.test');
      await loaded(m);
      const firstPage = await m.client().listEquipment({ limit: 50 });
      t.net.calls.length = 0;
      m.button('Load more')!.click();
      await waitUntil(() => m.names().length === PAGING_TOTAL, 'the second page never showed');
      const [more] = t.net.equipment('GET');
      expect(more!.url.searchParams.get('cursor')).to.equal(firstPage.nextCursor);
      expect(new Set(m.names()).size).to.equal(PAGING_TOTAL);
      expect(m.names().at(-1)).to.equal('Pump 62');
      expect(m.button('Load more')).to.equal(undefined, 'no more pages');
      expect(m.$('#count')!.textContent).to.equal(`Showing ${PAGING_TOTAL} items.`);
      await m.el.updateComplete;
      expect(m.focused()).to.equal('th:Pump 48');
      await expect(m.el).to.be.accessible();
    });

    it("never shows another company's equipment, on any page or search", async () => {
      const m = await mount('eq-paging@equipment.test');
      await loaded(m);
      m.button('Load more')!.click();
      await waitUntil(() => m.names().length === PAGING_TOTAL);
      expect(m.names().filter((n) => /other|secret|Pump 00/i.test(n))).to.deep.equal([]);
      expect((await listAll(m.client())).length).to.equal(PAGING_TOTAL);
      expect((await listAll(m.client(), 'secret')).length).to.equal(0);
      expect((await listAll(m.client(), 'Existing heater')).length).to.equal(0);

      type(m.search(), 'OTHER');
      await waitUntil(() => m.text().includes('No equipment matches “OTHER”.'), 'the search never answered');
      expect(m.names()).to.deep.equal([]);
      expect(m.$('.empty')!.getAttribute('role')).to.equal('status');
      await expect(m.el).to.be.accessible();
    });

    it('shows the empty state', async () => {
      const m = await mount('eq-empty@equipment.test');
      await waitUntil(() => m.$('.empty'), 'no empty state');
      expect(m.$('.empty')!.textContent).to.equal('No equipment is recorded for your company yet.');
      expect(m.$('table')).to.equal(null);
      await expect(m.el).to.be.accessible();
    });

    it('shows a failed load with "Try again", reports it, and recovers', async () => {
      t.net.cut = (c) => c.url.pathname.endsWith('/equipment');
      const recorder = t.record(['portal-error']);
      const m = await mount('eq-errors@equipment.test');
      await waitUntil(() => m.$('[role=alert]'), 'no error shown');
      expect(m.$('[role=alert]')!.textContent).to.contain('Cannot reach the server');
      expect(recorder.events.map((e) => e.detail)).to.deep.equal([
        { code: 'network_error', message: 'Cannot reach the server. Check your connection and try again.', status: 0, action: 'list-equipment' },
      ]);
      expect(recorder.events[0]!.bubbles && recorder.events[0]!.composed).to.equal(true);
      await expect(m.el).to.be.accessible();
      t.net.cut = null;
      m.button('Try again')!.click();
      await loaded(m, 'no rows after trying again');
      expect(m.$('[role=alert]')).to.equal(null);
    });

    it('says so when the browser is offline, and keeps the rows readable', async () => {
      const m = await mount('eq-view@equipment.test');
      await loaded(m);
      await whileOffline([m.root, m.el], async () => {
        expect(m.$('.offline')!.textContent).to.contain('You are offline');
        expect(m.names().length).to.equal(50);
        await expect(m.el).to.be.accessible();
      });
    });
  });

  describe('search', () => {
    it('is debounced: one request for a burst of typing, about 250 ms after the last key', async () => {
      const m = await mount('eq-search@equipment.test');
      await loaded(m);
      t.net.calls.length = 0;
      for (const v of ['P', 'Pu', 'Pum', 'Pump', 'Pump 1']) {
        type(m.search(), v);
        await aTimeout(40);
      }
      await aTimeout(150);
      expect(t.net.equipment('GET').length).to.equal(0, 'nothing sent within 250 ms of the last key');
      await waitUntil(() => t.net.equipment('GET').length === 1);
      expect(t.net.equipment('GET')[0]!.url.searchParams.get('q')).to.equal('Pump 1');
      await waitUntil(() => m.names().length === 10 && m.names().every((n) => n.startsWith('Pump 1')), 'the search result never showed');
      expect(m.el.query).to.equal('Pump 1');
      expect(m.$('#count')!.textContent).to.equal('Showing 10 items.');
      await aTimeout(300);
      expect(t.net.equipment('GET').length).to.equal(1);
      await expect(m.el).to.be.accessible();
    });

    it('aborts the previous request when the search changes', async () => {
      const m = await mount('eq-search@equipment.test');
      await loaded(m);
      const release = t.net.hold((c) => c.url.searchParams.get('q') === 'Pump 1');
      try {
        type(m.search(), 'Pump 1');
        await waitUntil(() => t.net.equipment('GET').some((c) => c.url.searchParams.get('q') === 'Pump 1'));
        const slow = t.net.equipment('GET').find((c) => c.url.searchParams.get('q') === 'Pump 1')!;
        expect(m.$('#count')!.textContent).to.equal('Searching…');
        type(m.search(), 'Pump 2');
        await waitUntil(() => slow.signal?.aborted, 'the first search was never aborted');
        await waitUntil(() => m.names().length === 10 && m.names().every((n) => n.startsWith('Pump 2')));
      } finally {
        release();
      }
      await aTimeout(50);
      expect(m.names().every((n) => n.startsWith('Pump 2'))).to.equal(true, 'the aborted answer never replaces the newer one');
    });

    it('Enter searches at once; the query attribute sets the starting search and fires nothing', async () => {
      const recorder = t.record(['portal-equipment-submit', 'portal-equipment-added', 'portal-error']);
      const m = await mount(
        'eq-search@equipment.test',
        html`<portal-root provider=${ACME}><equipment-list query="Boiler"></equipment-list></portal-root>`,
      );
      await loaded(m);
      expect(m.names()).to.deep.equal(['Boiler overdue']);
      expect(m.search().value).to.equal('Boiler');
      m.search().focus();
      m.search().value = 'Chiller';
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => m.names()[0] === 'Chiller future', 'Enter did not search');
      m.el.query = 'GF-1003';
      await waitUntil(() => m.names().join() === 'Pump 03');
      expect(recorder.events.length).to.equal(0);
    });
  });

  describe('permissions', () => {
    it("equipment 'none': not allowed, no request; the server refuses too", async () => {
      const m = await mount('eq-none@equipment.test');
      await waitUntil(() => m.text().includes('does not have access to equipment'), 'no not-allowed message');
      expect(m.$('[role=status]')!.textContent).to.contain('does not have access to equipment');
      expect(m.$('table, #search')).to.equal(null);
      expect(m.button('Add equipment')).to.equal(undefined);
      expect(t.net.equipment('GET').length).to.equal(0);
      await expect(m.el).to.be.accessible();
      const status = async (p: Promise<unknown>) => p.then(() => 200, (e: { status: number }) => e.status);
      expect(await status(m.client().listEquipment())).to.equal(403);
      expect(await status(m.client().addEquipment({ name: 'Sneaky' }))).to.equal(403);
    });

    it("equipment 'view': no add button, and the server refuses an add", async () => {
      const m = await mount('eq-view@equipment.test');
      await loaded(m);
      expect(m.button('Add equipment')).to.equal(undefined);
      const refused = await m.client().addEquipment({ name: 'Sneaky view add' }).then(() => 200, (e: { status: number }) => e.status);
      expect(refused).to.equal(403);
      expect((await listAll(m.client(), 'Sneaky')).length).to.equal(0);
    });
  });

  describe('adding', () => {
    it('opens a form, fires cancelable submit then added, and shows the new row', async () => {
      const m = await mount('eq-add@equipment.test');
      await loaded(m);
      const recorder = t.record(['portal-equipment-submit', 'portal-equipment-added', 'portal-error']);
      m.button('Add equipment')!.click();
      await m.el.updateComplete;
      expect(m.el.hasAttribute('adding')).to.equal(true);
      expect(m.focused()).to.equal('input#eq-name:');
      const labels = m.$$<HTMLInputElement>('form[part=form] input').map((i) => `${[...i.labels!].map((l) => l.textContent).join()}|${i.type}`);
      expect(labels).to.deep.equal([
        'Name (required)|text',
        'Make|text',
        'Model|text',
        'Serial number|text',
        'Location|text',
        'Installed on|date',
        'Last service|date',
        'Next service|date',
      ]);
      await expect(m.el).to.be.accessible();

      fillForm(m, { name: '  Water softener  ', make: 'Kinetico', model: 'Premier', serial: 'KN-77', location: 'Laundry', installedOn: '2024-05-01', nextServiceOn: '2020-02-03' });
      const release = t.net.hold((c) => c.method === 'POST');
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => m.el.busy, 'never busy');
      expect(m.el.hasAttribute('busy')).to.equal(true);
      expect(m.$<HTMLButtonElement>('button[type=submit]')!.disabled).to.equal(true);
      expect(m.$<HTMLButtonElement>('button[type=submit]')!.textContent!.trim()).to.equal('Adding…');
      release();
      await waitUntil(() => m.row('Water softener'), 'the new row never appeared');
      await m.el.updateComplete;

      const [submit, added] = recorder.events;
      expect(recorder.events.map((e) => e.type)).to.deep.equal(['portal-equipment-submit', 'portal-equipment-added']);
      expect(submit!.cancelable && submit!.bubbles && submit!.composed).to.equal(true);
      expect(submit!.detail.equipment).to.deep.equal({
        name: 'Water softener',
        make: 'Kinetico',
        model: 'Premier',
        serial: 'KN-77',
        location: 'Laundry',
        installedOn: '2024-05-01',
        lastServiceOn: null,
        nextServiceOn: '2020-02-03',
      });
      expect(added!.bubbles && added!.composed && !added!.cancelable).to.equal(true);
      expect(added!.detail.equipment).to.deep.include({ name: 'Water softener', serial: 'KN-77', installedOn: '2024-05-01' });
      expect(m.names()).to.deep.equal(['Existing heater', 'Water softener']);
      expect(m.cells('Water softener')[7]).to.match(/Overdue$/);
      expect(m.$('[part=notice]')!.getAttribute('role')).to.equal('status');
      expect(m.$('[part=notice]')!.textContent).to.equal('Water softener was added.');
      expect(m.el.hasAttribute('adding')).to.equal(false);
      expect(m.el.hasAttribute('busy')).to.equal(false);
      expect(m.focused()).to.equal('th:Water softener');
      expect((await listAll(m.client())).map((e) => e.name)).to.deep.equal(['Existing heater', 'Water softener']);
      await expect(m.el).to.be.accessible();
    });

    it('a row added here that the next page brings again is shown once', async () => {
      const m = await mount(
        'eq-dedupe@equipment.test',
        html`<portal-root provider=${ACME}><equipment-list page-size="1"></equipment-list><test-portal-consumer></test-portal-consumer></portal-root>`,
      );
      await loaded(m);
      expect(m.names()).to.deep.equal(['Existing heater']);
      m.button('Add equipment')!.click();
      await m.el.updateComplete;
      fillForm(m, { name: 'Water softener' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => m.row('Water softener'), 'the new row never appeared');
      // The server's next page (one row after "Existing heater") is the row just added.
      const more = () => m.$<HTMLButtonElement>('button.more');
      const release = t.net.hold((c) => c.params.has('cursor'));
      more()!.click();
      await waitUntil(() => more()?.disabled, '"Load more" never started');
      release();
      await waitUntil(() => more() && !more()!.disabled, 'the next page never loaded');
      expect(m.names()).to.deep.equal(['Existing heater', 'Water softener']);
      m.button('Load more')!.click();
      await waitUntil(() => m.names().length === 3, 'the last page never showed');
      expect(m.names()).to.deep.equal(['Existing heater', 'Water softener', 'Zeta pump']);
      await expect(m.el).to.be.accessible();
    });

    it('a cancelled submit sends nothing and keeps the form', async () => {
      const m = await mount('eq-cancel@equipment.test');
      await loaded(m);
      const stop = (e: Event): void => e.preventDefault();
      document.addEventListener('portal-equipment-submit', stop);
      const recorder = t.record(['portal-equipment-added']);
      try {
        m.button('Add equipment')!.click();
        await m.el.updateComplete;
        fillForm(m, { name: 'Host adds this' });
        m.$<HTMLButtonElement>('button[type=submit]')!.click();
        await aTimeout(100);
        expect(t.net.equipment('POST').length).to.equal(0);
        expect(recorder.events.length).to.equal(0);
        expect(m.$('form[part=form]')).to.exist;
        expect(m.input('name').value).to.equal('Host adds this');
      } finally {
        document.removeEventListener('portal-equipment-submit', stop);
      }
      expect((await listAll(m.client())).map((e) => e.name)).to.deep.equal(['Existing heater']);
      m.button('Cancel')!.click();
      await m.el.updateComplete;
      expect(m.$('form[part=form]')).to.equal(null);
      expect(m.focused()).to.equal('button:Add equipment');
    });

    it('bad input is shown inline next to each field, the first is focused, and nothing is sent', async () => {
      const m = await mount('eq-bad@equipment.test');
      await loaded(m);
      const recorder = t.record(['portal-equipment-submit', 'portal-equipment-added', 'portal-error']);
      m.button('Add equipment')!.click();
      await m.el.updateComplete;
      const errorOf = (key: string): string => {
        const input = m.input(key);
        if (input.getAttribute('aria-invalid') !== 'true') return '';
        return m.$(`#${input.getAttribute('aria-describedby')}`)!.textContent!.trim();
      };
      fillForm(m, { name: '   ', make: 'm'.repeat(101), serial: 's'.repeat(100), location: 'l'.repeat(301) });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await m.el.updateComplete;
      expect(errorOf('name')).to.equal('Enter the name.');
      expect(errorOf('make')).to.equal('Make must be at most 100 characters.');
      expect(errorOf('serial')).to.equal('');
      expect(errorOf('location')).to.equal('Location must be at most 300 characters.');
      await m.el.updateComplete;
      expect(m.focused()).to.equal('input#eq-name:');
      await expect(m.el).to.be.accessible();

      fillForm(m, { name: 'n'.repeat(201), make: 'ok', location: 'ok' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await m.el.updateComplete;
      expect(errorOf('name')).to.equal('Name must be at most 200 characters.');
      expect(errorOf('make')).to.equal('');

      // Dates: nothing done in the future, no service before the install (the server checks the same).
      const later = new Date(Date.now() + 5 * 86_400_000);
      const future = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}`;
      fillForm(m, { name: 'Boiler', installedOn: future, lastServiceOn: '' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await m.el.updateComplete;
      expect(errorOf('installedOn')).to.equal('Installed on cannot be in the future.');
      fillForm(m, { name: 'Boiler', installedOn: '2024-05-01', lastServiceOn: '2024-04-30' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await m.el.updateComplete;
      expect(errorOf('installedOn')).to.equal('');
      expect(errorOf('lastServiceOn')).to.equal('Last service cannot be before the install date.');
      await expect(m.el).to.be.accessible();

      expect(t.net.equipment('POST').length).to.equal(0);
      expect(recorder.events.length).to.equal(0);
      expect((await listAll(m.client())).map((e) => e.name)).to.deep.equal(['Existing heater']);
    });

    it("the server's field errors (an impossible date, control characters) show inline and nothing is written", async () => {
      const m = await mount('eq-server@equipment.test');
      await loaded(m);
      const recorder = t.record(['portal-equipment-added', 'portal-error']);
      m.button('Add equipment')!.click();
      await m.el.updateComplete;

      // A date input cannot hold 2026-02-30 in Chromium, so the request is changed on its way out:
      // the server's own check must still reach the right field.
      t.net.rewrite = (c) => (c.method === 'POST' ? JSON.stringify({ ...JSON.parse(c.body!), installedOn: '2026-02-30' }) : null);
      fillForm(m, { name: 'Impossible date', installedOn: '2026-02-27' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => m.input('installedOn').getAttribute('aria-invalid') === 'true', 'no inline error for the date');
      await m.el.updateComplete;
      const dateError = m.$(`#${m.input('installedOn').getAttribute('aria-describedby')}`)!.textContent!.trim();
      expect(dateError).to.equal('Installed on is not a real date.');
      expect(m.focused()).to.equal('input#eq-installedOn:');
      expect(m.$('form [role=alert]')!.textContent).to.equal('Please correct the marked fields.');
      expect(recorder.events.map((e) => [e.type, e.detail.status, e.detail.action])).to.deep.equal([['portal-error', 400, 'add-equipment']]);
      expect(m.el.busy).to.equal(false);
      await expect(m.el).to.be.accessible();

      t.net.rewrite = null;
      fillForm(m, { name: 'Bell\u0007 character', installedOn: '' });
      m.$<HTMLButtonElement>('button[type=submit]')!.click();
      await waitUntil(() => m.input('name').getAttribute('aria-invalid') === 'true', 'no inline error for the name');
      expect(m.$(`#${m.input('name').getAttribute('aria-describedby')}`)!.textContent!.trim()).to.equal('Name must not contain control characters.');
      expect(m.input('installedOn').getAttribute('aria-invalid')).to.equal('false');

      expect(recorder.events.filter((e) => e.type === 'portal-equipment-added').length).to.equal(0);
      expect((await listAll(m.client())).map((e) => e.name)).to.deep.equal(['Existing heater']);
      expect(m.names()).to.deep.equal(['Existing heater']);
    });

    it('works with the keyboard: Enter opens the form, Enter in a field adds, Space on Cancel closes', async () => {
      const m = await mount('eq-keys@equipment.test');
      await loaded(m);
      m.button('Add equipment')!.focus();
      await sendKeys({ press: 'Enter' });
      await m.el.updateComplete;
      expect(m.focused()).to.equal('input#eq-name:');
      await sendKeys({ type: 'Keyboard kettle' });
      await sendKeys({ press: 'Tab' });
      expect(m.focused()).to.equal('input#eq-make:');
      await sendKeys({ type: 'Breville' });
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => m.row('Keyboard kettle'), 'Enter did not add');
      await m.el.updateComplete;
      expect(m.cells('Keyboard kettle').slice(0, 2)).to.deep.equal(['Keyboard kettle', 'Breville']);
      expect(m.focused()).to.equal('th:Keyboard kettle');

      m.button('Add equipment')!.focus();
      await sendKeys({ press: 'Space' });
      await m.el.updateComplete;
      expect(m.$('form[part=form]')).to.exist;
      m.button('Cancel')!.focus();
      await sendKeys({ press: 'Space' });
      await m.el.updateComplete;
      expect(m.$('form[part=form]')).to.equal(null);
      expect(m.focused()).to.equal('button:Add equipment');
    });
  });

  describe('filter, paging and form events', () => {
    const NAMES = ['portal-filter', 'portal-load-more', 'portal-form-open'];
    /** Longer than the search's pause (250 ms): a search still waiting would have been sent by then. */
    const SEARCH_PAUSE = 400;
    const flags = (e: Event): boolean[] => [e.bubbles, e.composed, e.cancelable];

    it('typing fires one cancelable portal-filter once typing pauses, before the request; Enter fires it at once', async () => {
      const m = await mount('eq-search@equipment.test');
      await loaded(m);
      const recorder = t.record(NAMES);
      t.net.calls.length = 0;
      let sentAtEvent = -1;
      t.on('portal-filter', () => (sentAtEvent = t.net.equipment('GET').length));
      for (const v of ['P', 'Pu', 'Pump 1']) {
        type(m.search(), v);
        await aTimeout(40);
      }
      expect(recorder.events.length).to.equal(0);
      await waitUntil(() => t.net.equipment('GET').length === 1, 'the search was never sent');
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-filter');
      expect(e!.detail).to.deep.equal({ list: 'equipment', query: 'Pump 1', status: '', sort: '' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(0);
      await waitUntil(() => m.names().length === 10 && m.names().every((n) => n.startsWith('Pump 1')), 'the search result never showed');

      type(m.search(), ' Chiller ');
      m.search().focus();
      await sendKeys({ press: 'Enter' });
      expect(recorder.events.length).to.equal(2);
      expect(recorder.events[1]!.detail).to.deep.equal({ list: 'equipment', query: 'Chiller', status: '', sort: '' });
      await aTimeout(SEARCH_PAUSE);
      expect(recorder.events.length).to.equal(2);
      await waitUntil(() => m.names().join() === 'Chiller future', 'Enter did not search');
      expect(t.net.equipment('GET').length).to.equal(2);
    });

    it('cancelling portal-filter sends nothing and keeps the list as it was, for typing and Enter', async () => {
      const m = await mount('eq-search@equipment.test');
      await loaded(m);
      const recorder = t.record(NAMES);
      t.cancel('portal-filter');
      t.net.calls.length = 0;
      const names = m.names();
      type(m.search(), 'Pump 1');
      await waitUntil(() => recorder.events.length === 1, 'no portal-filter once typing paused');
      m.search().focus();
      await sendKeys({ press: 'Enter' });
      expect(recorder.events.map((e) => [e.type, e.detail, e.defaultPrevented])).to.deep.equal([
        ['portal-filter', { list: 'equipment', query: 'Pump 1', status: '', sort: '' }, true],
        ['portal-filter', { list: 'equipment', query: 'Pump 1', status: '', sort: '' }, true],
      ]);
      await aTimeout(SEARCH_PAUSE);
      await m.el.updateComplete;
      expect(t.net.equipment('GET').length).to.equal(0);
      expect(m.names()).to.deep.equal(names);
      expect(m.el.query).to.equal('');
      expect(m.$('#count')!.textContent).to.equal('Showing 50 items; more are available.');
      // The search box keeps what was typed.
      expect(m.search().value).to.equal('Pump 1');
    });

    it('setting query in code (attribute or property) fires nothing, nor does the first load', async () => {
      const recorder = t.record(NAMES);
      const m = await mount(
        'eq-search@equipment.test',
        html`<portal-root provider=${ACME}><equipment-list query="Boiler"></equipment-list></portal-root>`,
      );
      await waitUntil(() => m.names().join() === 'Boiler overdue', 'the query attribute was not applied');
      m.el.setAttribute('query', 'Chiller');
      await waitUntil(() => m.names().join() === 'Chiller future', 'the query attribute change was not applied');
      m.el.query = 'GF-1003';
      await waitUntil(() => m.names().join() === 'Pump 03', 'the query property was not applied');
      await aTimeout(SEARCH_PAUSE);
      expect(m.search().value).to.equal('GF-1003');
      expect(recorder.events.length).to.equal(0);
    });

    it('"Load more" fires one cancelable portal-load-more with the cursor, before the next page is requested', async () => {
      const m = await mount('eq-paging@equipment.test');
      await loaded(m);
      const { nextCursor } = await m.client().listEquipment({ limit: 50 });
      const recorder = t.record(NAMES);
      t.net.calls.length = 0;
      let sentAtEvent = -1;
      t.on('portal-load-more', () => (sentAtEvent = t.net.equipment('GET').length));
      m.button('Load more')!.click();
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-load-more');
      expect(e!.detail).to.deep.equal({ list: 'equipment', cursor: nextCursor });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(sentAtEvent).to.equal(0);
      await waitUntil(() => m.names().length === PAGING_TOTAL, 'the second page never showed');
      expect(t.net.equipment('GET').map((c) => c.url.searchParams.get('cursor'))).to.deep.equal([nextCursor]);
      expect(recorder.events.length).to.equal(1);
    });

    it('cancelling portal-load-more loads nothing and keeps the list and its button', async () => {
      const m = await mount('eq-paging@equipment.test');
      await loaded(m);
      const recorder = t.record(NAMES);
      const stop = t.cancel('portal-load-more');
      t.net.calls.length = 0;
      const names = m.names();
      m.button('Load more')!.click();
      await m.el.updateComplete;
      await aTimeout(100);
      expect(recorder.events.length).to.equal(1);
      expect(recorder.events[0]!.defaultPrevented).to.equal(true);
      const { cursor } = recorder.events[0]!.detail as { cursor: string };
      expect(cursor).to.be.a('string').and.not.equal('');
      expect(t.net.equipment('GET').length).to.equal(0);
      expect(m.names()).to.deep.equal(names);
      expect(m.el.busy).to.equal(false);
      expect(m.button('Load more')!.disabled).to.equal(false);
      expect(m.$('#count')!.textContent).to.equal('Showing 50 items; more are available.');
      // Not cancelled, the same button loads the page the event named.
      stop();
      m.button('Load more')!.click();
      await waitUntil(() => m.names().length === PAGING_TOTAL, 'the second page never showed');
      expect(t.net.equipment('GET').map((c) => c.url.searchParams.get('cursor'))).to.deep.equal([cursor]);
    });

    it('"Add equipment" fires one cancelable portal-form-open; cancelling keeps the form closed and the list as it was', async () => {
      const m = await mount('eq-add-paging@equipment.test');
      await loaded(m);
      const recorder = t.record(NAMES);
      const stop = t.cancel('portal-form-open');
      t.net.calls.length = 0;
      const names = m.names();
      m.button('Add equipment')!.click();
      await m.el.updateComplete;
      await aTimeout(50);
      expect(recorder.events.length).to.equal(1);
      const [e] = recorder.events;
      expect(e!.type).to.equal('portal-form-open');
      expect(e!.detail).to.deep.equal({ form: 'equipment' });
      expect(flags(e!)).to.deep.equal([true, true, true]);
      expect(m.el.adding).to.equal(false);
      expect(m.el.hasAttribute('adding')).to.equal(false);
      expect(m.$('form[part=form]')).to.equal(null);
      expect(m.button('Add equipment')).to.exist;
      expect(m.names()).to.deep.equal(names);
      expect(t.net.calls.length).to.equal(0);

      stop();
      m.button('Add equipment')!.click();
      await m.el.updateComplete;
      expect(recorder.events.length).to.equal(2);
      expect(recorder.events[1]!.detail).to.deep.equal({ form: 'equipment' });
      expect(m.el.hasAttribute('adding')).to.equal(true);
      expect(m.$('form[part=form]')).to.exist;
      expect(m.focused()).to.equal('input#eq-name:');
      expect(t.net.equipment('POST').length).to.equal(0);
    });
  });

  describe('layout', () => {
    it('becomes a readable stacked list in a narrow container, and a table again when wide', async () => {
      const m = await mount(
        'eq-narrow@equipment.test',
        html`<div style="width: 30rem"><portal-root provider=${ACME}><equipment-list></equipment-list></portal-root></div>`,
      );
      await loaded(m);
      const tr = m.row('Boiler overdue')!;
      const make = tr.querySelector('td')!;
      expect(getComputedStyle(tr).display).to.equal('grid');
      expect(getComputedStyle(make).display).to.equal('block');
      expect(getComputedStyle(make, '::before').content).to.equal('"Make: "');
      expect(getComputedStyle(m.$('thead')!).position).to.equal('absolute', 'headers are hidden visually, not from screen readers');
      const table = m.$('table')!;
      expect(table.scrollWidth).to.be.at.most(table.clientWidth + 1, 'nothing overflows sideways');
      expect(tr.getBoundingClientRect().width).to.be.at.most(m.el.getBoundingClientRect().width + 1);
      expect(tr.getBoundingClientRect().height).to.be.greaterThan(4 * make.getBoundingClientRect().height, 'one value per line');
      expect(m.cells('Boiler overdue')[7]).to.match(/Overdue$/);
      await expect(m.el).to.be.accessible();

      m.el.closest('div')!.style.width = '70rem';
      await aTimeout(50);
      expect(getComputedStyle(tr).display).to.equal('table-row');
      expect(getComputedStyle(make, '::before').content).to.equal('none');
      expect(getComputedStyle(m.$('thead')!).position).to.equal('static');
    });
  });
});
