/**
 * Demo photos and documents, drawn at seed time (no binaries in the repository): simple
 * before/after scenes rendered from SVG by sharp, and a one-page PDF service report. Some are
 * viewable in the portal and some hidden, so a new user sees the office's rule at work.
 */
import sharp from 'sharp';
import { findContactByEmail } from '../server/companies/data.js';
import { listProviderJobs } from '../server/jobs/provider-data.js';
import { getProviderBySlug } from '../server/providers/data.js';
import type { Db } from '../server/db/index.js';
import type { Files, Intake } from '../server/files/service.js';
import { SyncQuery } from '../server/http/fields.js';
import { DEMO_PROVIDERS } from './seed.js';

const escape = (s: string): string => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A 1200×900 JPEG scene: a wall, a pipe run, and water (before) or a new fitting (after). */
export async function demoPhoto(label: string, o: { hue?: number; after?: boolean; width?: number; height?: number } = {}): Promise<Buffer> {
  const hue = o.hue ?? 205;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <defs><linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue},30%,82%)"/><stop offset="1" stop-color="hsl(${hue},25%,62%)"/></linearGradient></defs>
    <rect width="1200" height="900" fill="url(#wall)"/>
    <rect y="700" width="1200" height="200" fill="hsl(${(hue + 160) % 360},20%,38%)"/>
    <rect x="150" y="250" width="900" height="48" rx="24" fill="#9aa3ad" stroke="#5c636b" stroke-width="6"/>
    <rect x="560" y="230" width="80" height="88" rx="10" fill="${o.after ? '#c9a227' : '#7b828a'}" stroke="#4a4f55" stroke-width="6"/>
    ${o.after
      ? '<path d="M560 610 l60 60 l120 -140" fill="none" stroke="#1f9d55" stroke-width="36" stroke-linecap="round"/>'
      : '<path d="M600 320 q-40 120 0 200 q40 -80 0 -200z" fill="hsl(200,80%,55%)" opacity="0.85"/><ellipse cx="600" cy="740" rx="260" ry="40" fill="hsl(200,70%,50%)" opacity="0.6"/>'}
    <text x="60" y="110" font-family="DejaVu Sans, sans-serif" font-size="64" font-weight="bold" fill="#1c2530">${escape(label)}</text>
  </svg>`;
  let img = sharp(Buffer.from(svg));
  if (o.width) img = img.resize(o.width, o.height ?? Math.round((o.width * 3) / 4));
  return img.jpeg({ quality: 85 }).toBuffer();
}

/** A tiny, valid one-page PDF with a line of text. */
export function demoPdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, '');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${44 + text.length} >>\nstream\nBT /F1 24 Tf 72 760 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export const bytesBody = (bytes: Buffer): ReadableStream<Uint8Array> => new Blob([new Uint8Array(bytes)]).stream();

type Job = ReturnType<typeof listProviderJobs>['items'][number];

async function add(files: Files, job: Job, providerId: number, bytes: Buffer, f: Omit<Intake, 'job' | 'documents' | 'caption'> & { caption?: string }): Promise<void> {
  await files.intake(bytesBody(bytes), { ...f, caption: f.caption ?? '', job: { providerId, companyId: job.companyId, id: job.id }, documents: true });
}

/**
 * Per demo provider: a customer's own photos on a job they requested in the portal, and on an
 * office job a viewable "before" photo, a viewable PDF report and a photo the office keeps hidden.
 */
export async function seedDemoFiles(db: Db, files: Files): Promise<void> {
  for (const [n, slug] of DEMO_PROVIDERS.entries()) {
    const provider = getProviderBySlug(db, slug);
    if (!provider) continue;
    // On the jobs of the company of the README's first login of each provider (alex, sam).
    const login = findContactByEmail(db, provider.id, n === 0 ? 'alex@example.com' : 'sam@example.com');
    const jobs = listProviderJobs(db, provider.id, SyncQuery.parse({ limit: 500 })).items.filter((j) => j.companyId === login?.company_id);
    const hue = n === 0 ? 205 : 35;
    const portalJob = jobs.find((j) => j.source === 'portal' && j.createdByContactId !== null && !['completed', 'cancelled'].includes(j.status));
    if (portalJob) {
      for (const [i, label] of ['Leak under the sink', 'Water on the floor'].entries()) {
        await add(files, portalJob, provider.id, await demoPhoto(label, { hue: hue + i * 20 }), {
          name: `IMG_20${41 + i}.jpg`,
          caption: label,
          addedBy: 'customer',
          contactId: portalJob.createdByContactId,
          viewable: true,
        });
      }
    }
    const providerJob = jobs.find((j) => j.source === 'office' && j.id !== portalJob?.id);
    if (providerJob) {
      await add(files, providerJob, provider.id, await demoPhoto('Before: corroded valve', { hue }), { name: 'before.jpg', caption: 'Before: the corroded valve', addedBy: 'office', contactId: null, viewable: true });
      await add(files, providerJob, provider.id, demoPdf(`${providerJob.number} service report`), { name: `${providerJob.number} service report.pdf`, caption: 'Service report', addedBy: 'office', contactId: null, viewable: true });
      // The office's own record: stays out of the portal until someone marks it viewable.
      await add(files, providerJob, provider.id, await demoPhoto('Office only: meter reading', { hue: hue + 90 }), { name: 'meter.jpg', caption: 'Meter reading (internal)', addedBy: 'office', contactId: null, viewable: false });
    }
  }
}
