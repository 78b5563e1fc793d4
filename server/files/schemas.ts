/** Job files: request and response schemas of the customer and provider routes. */
import { z } from 'zod';

export const FILE_KINDS = ['photo', 'document'] as const;
export const FILE_VARIANTS = ['full', 'thumb'] as const;
export type FileVariant = (typeof FILE_VARIANTS)[number];

// Control characters would break the Content-Disposition header and logs; the name is only a label.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** The uploaded file's name as the sender called it; any folder part is dropped. */
const FileName = z
  .string({ error: 'is required' })
  .refine((s) => !CONTROL.test(s), 'must not contain control characters')
  .transform((s) => s.split(/[\\/]/).pop()!.trim())
  .pipe(z.string().min(1, 'is required').max(200, 'must be at most 200 characters'));
const Caption = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .refine((s) => !CONTROL.test(s.replaceAll('\n', ' ')), 'must not contain control characters');

/** Query of a customer upload: the body is the file's bytes. */
export const PortalUploadQuery = z.strictObject({
  name: FileName,
  caption: Caption.default(''),
});

export const ProviderUploadQuery = z.strictObject({
  name: FileName,
  caption: Caption.default(''),
  viewable: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false').transform((v) => v === 'true'),
});

export const FileUpdateBody = z
  .strictObject({ viewable: z.boolean({ error: 'must be true or false' }).optional(), caption: Caption.optional() })
  .refine((b) => b.viewable !== undefined || b.caption !== undefined, { message: 'give viewable or caption', path: ['body'] });

// Digits only, as idParam: Number() would also read 1e3 or 0x10.
const PathId = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, 'must be a positive whole number')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

export const JobFileParams = z.object({ id: PathId, fileId: PathId });
export const FileVariantParams = z.object({ id: PathId, variant: z.enum(FILE_VARIANTS, { error: 'must be full or thumb' }) });

/** The signature part of a file URL (see signing.ts). */
export const SignedQuery = z.object({
  c: PathId,
  e: PathId,
  s: z.string().regex(/^[\w-]{43}$/, 'is not a signature'),
  download: z.literal('1').optional(),
});

const Common = {
  id: z.number().int(),
  jobId: z.number().int(),
  kind: z.enum(FILE_KINDS),
  /** The name it was uploaded with. */
  name: z.string(),
  /** What is served: photos are re-encoded to JPEG. */
  contentType: z.string(),
  size: z.number().int(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  /** Caption, also the photo's alt text. */
  caption: z.string(),
  addedBy: z.enum(['office', 'customer']),
  createdAt: z.string(),
};

export const JobFile = z
  .object({
    ...Common,
    /** Added by this contact. */
    mine: z.boolean(),
    canDelete: z.boolean(),
    /** Signed, short-lived URLs an <img> or link can use without the session token. */
    url: z.string(),
    thumbUrl: z.string().nullable(),
    downloadUrl: z.string(),
    urlExpiresAt: z.string(),
  })
  .meta({ id: 'JobFile' });

export const JobFileList = z
  .object({
    items: z.array(JobFile),
    /** Whether this contact may add photos to this job. */
    canUpload: z.boolean(),
    maxFileBytes: z.number().int(),
  })
  .meta({ id: 'JobFileList' });

export const ProviderFile = z
  .object({
    ...Common,
    companyId: z.number().int(),
    contactId: z.number().int().nullable(),
    /** What the uploaded bytes were, from their magic bytes. */
    uploadedType: z.string(),
    sha256: z.string(),
    viewable: z.boolean(),
    updatedAt: z.string(),
    /** Provider API paths of the bytes (same API key). */
    contentUrl: z.string(),
    thumbnailUrl: z.string().nullable(),
  })
  .meta({ id: 'ProviderFile' });

export const ProviderFileList = z.object({ items: z.array(ProviderFile) }).meta({ id: 'ProviderFileList' });

export type JobFile = z.output<typeof JobFile>;
export type JobFileList = z.output<typeof JobFileList>;
export type ProviderFile = z.output<typeof ProviderFile>;
export type FileUpdate = z.output<typeof FileUpdateBody>;
