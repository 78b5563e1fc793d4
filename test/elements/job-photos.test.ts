import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { JobDetailElement, JobPhotos, PortalRoot } from '../../widget/index.js';
import { clearStoredSessions, eachTest, Net, queries, signInAs, whileOffline } from './helpers.js';
import { GALLERY, HIDDEN_CAPTION, PHOTO_CONTACTS, PHOTO_JOBS, PHOTOS_PROVIDER } from './photo-names.js';

type Role = keyof typeof PHOTO_CONTACTS;

async function jobId(role: Role, title: string): Promise<number> {
  const token = await signInAs(PHOTOS_PROVIDER, PHOTO_CONTACTS[role], 'element-test-1');
  const r = await window.fetch(`/api/portal/${PHOTOS_PROVIDER}/jobs?q=${encodeURIComponent(title)}`, { headers: { Authorization: `Bearer ${token}` } });
  const { items } = (await r.json()) as { items: { id: number; title: string }[] };
  const job = items.find((j) => j.title === title);
  if (!job) throw new Error(`no job "${title}" for ${role}`);
  await clearStoredSessions();
  return job.id;
}

/** A job-photos alone in a portal-root, signed in as `role`, once it has loaded. */
async function mount(role: Role | null, title: string) {
  const id = await jobId(role ?? 'owner', title);
  if (role) await signInAs(PHOTOS_PROVIDER, PHOTO_CONTACTS[role], 'element-test-1');
  const root = await fixture<PortalRoot>(html`<portal-root provider=${PHOTOS_PROVIDER}><job-photos job-id=${id}></job-photos></portal-root>`);
  const el = root.querySelector('job-photos') as JobPhotos;
  await waitUntil(() => el.shadowRoot && !el.shadowRoot.querySelector('.loading'), 'the photos never loaded', { timeout: 5000 });
  await el.updateComplete;
  const { $, $$ } = queries(el.shadowRoot!);
  const focused = (): Element | null => el.shadowRoot!.activeElement;
  return { root, el, id, $, $$, focused };
}

/** A small real JPEG from a canvas, padded to `size` bytes (the server reads the image and drops the rest). */
async function jpeg(size = 0, name = 'canvas.jpg'): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#3a7';
  g.fillRect(0, 0, 320, 240);
  g.fillStyle = '#fff';
  g.fillRect(40, 40, 120, 80);
  const blob = await new Promise<Blob>((ok) => canvas.toBlob((b) => ok(b!), 'image/jpeg', 0.9));
  const parts: BlobPart[] = [blob];
  if (size > blob.size) parts.push(new Uint8Array(size - blob.size));
  return new File(parts, name, { type: 'image/jpeg' });
}

describe('job-photos', () => {
  const t = eachTest(() => new Net());

  it('shows the viewable photos as thumbnails with alt text and documents as links; the hidden office photo is not there', async () => {
    const m = await mount('owner', PHOTO_JOBS.gallery);
    expect(m.$$('img').map((i) => i.getAttribute('alt'))).to.deep.equal([GALLERY[0].caption, GALLERY[1].caption]);
    expect(m.$$('.doc a').map((a) => a.textContent)).to.deep.equal(['Quote.pdf']);
    expect(m.el.shadowRoot!.textContent).not.to.include(HIDDEN_CAPTION);
    expect(m.$<HTMLImageElement>('img')!.src).to.match(/\/files\/\d+\/thumb\?c=\d+&e=\d+&s=/);
    await waitUntil(() => m.$$<HTMLImageElement>('img').every((i) => i.complete && i.naturalWidth > 0), 'the thumbnails load from their signed URLs');
    const input = m.$<HTMLInputElement>('input[type=file]')!;
    expect(input.accept).to.equal('image/*');
    expect(input.multiple).to.equal(true);
    await expect(m.el).to.be.accessible();
  });

  it('opens a lightbox: arrows, Home and End page, Escape closes it and focus returns to the thumbnail', async () => {
    const m = await mount('owner', PHOTO_JOBS.gallery);
    const opened = t.record(['portal-photo-open']);
    m.$$<HTMLButtonElement>('button.thumb')[1]!.click();
    await m.el.updateComplete;
    const dialog = m.$<HTMLDialogElement>('dialog')!;
    await waitUntil(() => dialog.open);
    expect((opened.events[0]!.detail as { index: number }).index).to.equal(1);
    const title = () => m.$('#lightbox-title')!.textContent;
    expect(title()).to.equal(GALLERY[1].caption);
    await expect(m.el).to.be.accessible();
    await sendKeys({ press: 'ArrowRight' });
    await m.el.updateComplete;
    expect(title()).to.equal('Quote.pdf');
    await sendKeys({ press: 'Home' });
    await m.el.updateComplete;
    expect(title()).to.equal(GALLERY[0].caption);
    expect(m.$<HTMLImageElement>('img.full')!.alt).to.equal(GALLERY[0].caption);
    expect(m.$<HTMLAnchorElement>('a.download')!.href).to.match(/download=1$/);
    await sendKeys({ press: 'ArrowLeft' });
    await m.el.updateComplete;
    expect(title()).to.equal('Quote.pdf', 'ArrowLeft from the first wraps to the last');
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'Escape' });
    await m.el.updateComplete;
    await waitUntil(() => !dialog.open);
    await waitUntil(() => m.focused()?.getAttribute('data-index') === '2', 'focus is back on the last one shown');
  });

  it('a cancelled portal-photo-open leaves the lightbox closed', async () => {
    const m = await mount('owner', PHOTO_JOBS.gallery);
    t.cancel('portal-photo-open');
    m.$<HTMLButtonElement>('button.thumb')!.click();
    await m.el.updateComplete;
    expect(m.$<HTMLDialogElement>('dialog')!.open).to.equal(false);
  });

  it('a view-only colleague sees the photos but cannot add any; an office job offers no upload either', async () => {
    const viewer = await mount('viewer', PHOTO_JOBS.gallery);
    expect(viewer.$$('img')).to.have.length(2);
    expect(viewer.$('input[type=file]')).to.equal(null);
    await expect(viewer.el).to.be.accessible();
    const office = await mount('owner', PHOTO_JOBS.office);
    expect(office.$('input[type=file]')).to.equal(null);
    expect(office.$$('img').map((i) => i.getAttribute('alt'))).to.deep.equal(['Meter']);
  });

  it('uploads show real progress from the browser, then the photo joins the grid with portal-photo-uploaded', async () => {
    const m = await mount('upload', PHOTO_JOBS.empty);
    expect(m.$('.empty')!.textContent).to.include('No photos yet');
    await expect(m.el).to.be.accessible();
    const events = t.record(['portal-photo-upload', 'portal-photo-uploaded']);
    const file = await jpeg(8 * 1024 * 1024, 'big.jpg');
    // Every value the progress bar is given while the upload runs.
    const seen = new Set<number>();
    const watch = new MutationObserver((records) => {
      for (const r of records) if (r.target instanceof HTMLProgressElement) seen.add(Number(r.target.getAttribute('value')));
    });
    watch.observe(m.el.shadowRoot!, { subtree: true, attributes: true, attributeFilter: ['value'] });
    // Loopback is too fast to see progress: Chromium's own throttling makes it last about a second.
    await executeServerCommand('throttle-upload', { bytesPerSecond: 8 * 1024 * 1024 });
    try {
      m.el.addFiles([file]);
      await m.el.updateComplete;
      await expect(m.el).to.be.accessible();
      await waitUntil(() => m.el.uploads.length === 0, 'the upload ends', { timeout: 8000 });
    } finally {
      watch.disconnect();
      await executeServerCommand('throttle-upload', { bytesPerSecond: -1 });
    }
    // The bar moved more than once, and at least once to a point part-way: progress, not a spinner.
    const values = `progress values seen: ${[...seen].join(', ')}`;
    expect([...seen].filter((v) => v > 0).length, values).to.be.greaterThan(1);
    expect([...seen].some((v) => v > 0 && v < file.size), values).to.equal(true);
    await waitUntil(() => m.$$('img').length === 1, 'the uploaded photo is shown');
    expect(events.events.map((e) => e.type)).to.deep.equal(['portal-photo-upload', 'portal-photo-uploaded']);
    expect((events.events[1]!.detail as { file: { name: string } }).file.name).to.equal('big.jpg');
  });

  it('a cancelled upload stops and leaves nothing behind; a cancelled portal-photo-upload sends nothing', async () => {
    const m = await mount('upload', PHOTO_JOBS.empty);
    const before = m.$$('img').length;
    const uploaded = t.record(['portal-photo-uploaded']);
    m.el.addFiles([await jpeg(14 * 1024 * 1024, 'cancel-me.jpg')]);
    await m.el.updateComplete;
    m.$<HTMLButtonElement>('.upload button')!.click();
    await waitUntil(() => m.el.uploads.length === 0);
    const stop = t.cancel('portal-photo-upload');
    m.el.addFiles([await jpeg(0, 'vetoed.jpg')]);
    await m.el.updateComplete;
    expect(m.el.uploads).to.have.length(0);
    stop();
    m.el.reload();
    await waitUntil(() => !m.$('.loading'));
    expect(m.$$('img').length).to.equal(before);
    expect(uploaded.events).to.have.length(0);
  });

  it('each failing file shows its own error inline: too big (before sending), wrong type (from the server)', async () => {
    const m = await mount('upload', PHOTO_JOBS.empty);
    const errors = t.record(['portal-error']);
    m.el.addFiles([new File([new Uint8Array(16 * 1024 * 1024)], 'huge.jpg', { type: 'image/jpeg' }), new File(['<svg xmlns="http://www.w3.org/2000/svg"/>'], 'logo.svg', { type: 'image/svg+xml' })]);
    await waitUntil(() => m.$$('.upload [role=alert]').length === 2, 'both errors show');
    const messages = m.$$('.upload').map((li) => [li.querySelector('.name')!.textContent, li.querySelector('[role=alert]')!.textContent]);
    expect(messages[0]![0]).to.equal('huge.jpg');
    expect(messages[0]![1]).to.include('at most 15.0 MB');
    expect(messages[1]![0]).to.equal('logo.svg');
    expect(messages[1]![1]).to.include('This kind of file cannot be added');
    expect(errors.events.map((e) => (e.detail as { status: number }).status)).to.deep.equal([415]);
    await expect(m.el).to.be.accessible();
    m.$<HTMLButtonElement>('.upload button')!.click();
    await m.el.updateComplete;
    expect(m.$$('.upload')).to.have.length(1, 'dismissed');
  });

  it('a failed load shows an error with a retry; signed out it asks to log in', async () => {
    t.net.cut = (c) => c.path.endsWith('/files');
    const m = await mount('owner', PHOTO_JOBS.gallery);
    expect(m.$('.failed')).not.to.equal(null);
    await expect(m.el).to.be.accessible();
    t.net.cut = null;
    m.$<HTMLButtonElement>('.failed button')!.click();
    await waitUntil(() => m.$$('img').length === 2);
    const out = await mount(null, PHOTO_JOBS.gallery);
    expect(out.$('.state')!.textContent).to.include('Log in');
    await expect(out.el).to.be.accessible();
  });

  it('offline: says so, keeps the photos readable and the upload control off', async () => {
    const m = await mount('upload', PHOTO_JOBS.empty);
    await whileOffline([m.root, m.el], async () => {
      expect(m.$('.offline')!.textContent).to.contain('You are offline');
      expect(m.$<HTMLInputElement>('input[type=file]')!.disabled).to.equal(true);
      await expect(m.el).to.be.accessible();
    });
  });

  it('job-detail shows the job\'s photos in its own section', async () => {
    const id = await jobId('owner', PHOTO_JOBS.gallery);
    await signInAs(PHOTOS_PROVIDER, PHOTO_CONTACTS.owner, 'element-test-1');
    const root = await fixture<PortalRoot>(html`<portal-root provider=${PHOTOS_PROVIDER}><job-detail job-id=${id}></job-detail></portal-root>`);
    const detail = root.querySelector('job-detail') as JobDetailElement;
    await waitUntil(() => detail.shadowRoot?.querySelector('job-photos'), 'job-detail renders job-photos', { timeout: 5000 });
    const photos = detail.shadowRoot!.querySelector('job-photos') as JobPhotos;
    await waitUntil(() => photos.shadowRoot!.querySelectorAll('img').length === 2, 'its photos load');
    await expect(detail).to.be.accessible();
  });
});
