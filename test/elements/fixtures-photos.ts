/**
 * Data for the job-photos tests (Node side): one company with an uploader and a viewer, a job
 * they requested with photos (and an office photo kept hidden), an empty one for uploads, and an
 * office job where customers may not add photos.
 */
import { hashPassword } from '../../server/auth/password.js';
import { createCompany, createContact } from '../../server/companies/data.js';
import { insertJob } from '../../server/jobs/data.js';
import { getProviderBySlug } from '../../server/providers/data.js';
import type { Db } from '../../server/db/index.js';
import type { Files } from '../../server/files/service.js';
import { bytesBody, demoPdf, demoPhoto } from '../../demo/photos.js';
import { GALLERY, HIDDEN_CAPTION, PHOTO_CONTACTS, PHOTO_JOBS, PHOTOS_PROVIDER } from './photo-names.js';

export async function seedPhotoFixtures(db: Db, files: Files): Promise<void> {
  const acme = getProviderBySlug(db, PHOTOS_PROVIDER)!;
  const company = createCompany(db, acme.id, { name: 'Photo Test Co' });
  const hash = await hashPassword('element-test-1');
  const owner = createContact(db, acme.id, { companyId: company, email: PHOTO_CONTACTS.owner, name: 'Photo Owner', passwordHash: hash, permissions: { jobs: 'edit_own', createJobs: true } });
  createContact(db, acme.id, { companyId: company, email: PHOTO_CONTACTS.viewer, name: 'Photo Viewer', passwordHash: hash, permissions: { jobs: 'view_all' } });
  const uploader = createContact(db, acme.id, { companyId: company, email: PHOTO_CONTACTS.upload, name: 'Photo Uploader', passwordHash: hash, permissions: { jobs: 'edit_own', createJobs: true } });
  const portalJob = (title: string, by: number) => insertJob(db, acme.id, { companyId: company, title, source: 'portal', createdByContactId: by, status: 'scheduled' });
  const gallery = portalJob(PHOTO_JOBS.gallery, owner);
  portalJob(PHOTO_JOBS.empty, uploader);
  const office = insertJob(db, acme.id, { companyId: company, title: PHOTO_JOBS.office, source: 'office', contactId: owner, status: 'scheduled' });
  const add = async (job: number, bytes: Buffer, name: string, caption: string, who: 'office' | 'customer', viewable: boolean) =>
    files.intake(bytesBody(bytes), {
      job: { providerId: acme.id, companyId: company, id: job },
      name,
      caption,
      addedBy: who,
      contactId: who === 'customer' ? owner : null,
      viewable,
      documents: true,
    });
  await add(gallery, await demoPhoto('Drip', { width: 640 }), 'drip.jpg', GALLERY[0].caption, 'customer', true);
  await add(gallery, await demoPhoto(HIDDEN_CAPTION, { width: 320, hue: 10 }), 'hidden.jpg', HIDDEN_CAPTION, 'office', false);
  await add(gallery, await demoPhoto('Soaked', { width: 600, hue: 120 }), 'soaked.jpg', GALLERY[1].caption, 'customer', true);
  await add(gallery, demoPdf('Quote'), 'Quote.pdf', '', 'office', true);
  await add(office, await demoPhoto('Office', { width: 400, hue: 300 }), 'office.jpg', 'Meter', 'office', true);
}
