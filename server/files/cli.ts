/** `npm run admin -- files …`: a job's files from the command line (the office without an office system). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { idOption, need, providerOf, UsageError, type CliContext } from '../cli-provider.js';
import { jobRow } from '../jobs/provider-data.js';
import type { Settings } from '../settings.js';
import { markDeleted } from './data.js';
import { listFilesForProvider, providerFileRow, updateFileForProvider } from './provider-data.js';
import { ProviderUploadQuery } from './schemas.js';
import { Files } from './service.js';

export const FILES_USAGE = `  files list --provider <slug> --job <id>
      A job's files with their visibility (hidden ones too).
  files add --provider <slug> --job <id> --file <path> [--name <name>] [--caption <text>] [--viewable]
      Add a photo (JPEG, PNG, WebP, HEIC; re-encoded, metadata removed) or PDF; hidden unless --viewable.
  files show --provider <slug> --id <file id>      Make a file viewable in the customer portal.
  files hide --provider <slug> --id <file id>      Hide it from the portal again.
  files remove --provider <slug> --id <file id>    Delete it (its bytes go when nothing else uses them).
  files sweep      Remove temporary files of unfinished uploads and stored bytes no file refers to
                   (the server also does this when it starts).`;

type Ctx = CliContext & { settings: Settings };

const options = { provider: { type: 'string' }, job: { type: 'string' }, id: { type: 'string' }, file: { type: 'string' }, name: { type: 'string' }, caption: { type: 'string' }, viewable: { type: 'boolean' } } as const;
const parse = (args: string[]) => parseArgs({ args, options }).values;

function line(ctx: Ctx, f: ReturnType<typeof listFilesForProvider>[number]): void {
  ctx.out(`${f.id}\t${f.viewable ? 'viewable' : 'hidden'}\t${f.kind}\t${f.added_by}\t${f.size} bytes\t${f.original_name}${f.caption ? `\t${f.caption}` : ''}`);
}

async function add(ctx: Ctx, args: string[]): Promise<void> {
  const v = parse(args);
  const provider = providerOf(ctx.db, need(v, 'provider'));
  const job = jobRow(ctx.db, provider.id, idOption(v, 'job', 'a job'));
  const path = need(v, 'file');
  const size = await stat(path).then((s) => (s.isFile() ? s.size : -1), () => -1);
  if (size < 0) throw new UsageError(`--file: no file at ${path}.`);
  const q = ProviderUploadQuery.safeParse({ name: v.name ?? basename(path), caption: v.caption ?? '', viewable: v.viewable ? 'true' : 'false' });
  if (!q.success) throw new UsageError(`--${String(q.error.issues[0]!.path[0])}: ${q.error.issues[0]!.message}`);
  const files = new Files(ctx.db, ctx.settings);
  const { row, created } = await files.intake(Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>, {
    job: { providerId: provider.id, companyId: job.company_id, id: job.id },
    ...q.data,
    addedBy: 'office',
    contactId: null,
    documents: true,
  });
  ctx.out(created ? `Added file ${row.id} to job ${job.number}:` : `Job ${job.number} already has these bytes as file ${row.id}:`);
  line(ctx, row);
}

function visibility(viewable: boolean) {
  return (ctx: Ctx, args: string[]): void => {
    const v = parse(args);
    const provider = providerOf(ctx.db, need(v, 'provider'));
    const { row } = updateFileForProvider(ctx.db, provider.id, idOption(v, 'id', 'a file'), { viewable });
    line(ctx, row);
  };
}

export const fileCommands: Record<string, (ctx: Ctx, args: string[]) => Promise<void> | void> = {
  'files list': (ctx, args) => {
    const v = parse(args);
    const provider = providerOf(ctx.db, need(v, 'provider'));
    const rows = listFilesForProvider(ctx.db, provider.id, idOption(v, 'job', 'a job'));
    if (!rows.length) ctx.out('This job has no files.');
    for (const r of rows) line(ctx, r);
  },
  'files add': add,
  'files show': visibility(true),
  'files hide': visibility(false),
  'files remove': async (ctx, args) => {
    const v = parse(args);
    const provider = providerOf(ctx.db, need(v, 'provider'));
    const row = providerFileRow(ctx.db, provider.id, idOption(v, 'id', 'a file'));
    markDeleted(ctx.db, provider.id, row.id);
    await new Files(ctx.db, ctx.settings).release([row.sha256, row.thumb_sha256]);
    ctx.out(`Removed file ${row.id} (${row.original_name}).`);
  },
  'files sweep': async (ctx) => {
    const removed = await new Files(ctx.db, ctx.settings).sweep();
    ctx.out(`Removed ${removed} stored object(s) no file refers to, and any unfinished uploads.`);
  },
};
