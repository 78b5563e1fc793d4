/**
 * The permission matrix of the customer file routes: listing a job's files and adding a photo,
 * for every jobs permission level against every kind of job (own portal job, office job naming
 * the contact, a colleague's portal job, an office job naming nobody, another company's,
 * another provider's, a missing id); deleting, for one's own upload and a colleague's. Refusals
 * write nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RecordAccess } from '../../server/contract.js';
import { expectError, json } from './helpers.js';
import { counts, makeFilesWorld, photo, upload, type FilesWorld } from './files-helpers.js';
import { RECORD_CONTACTS, TARGETS, assertUnchanged, call, levelOf, snapshot, targetId } from './portal-world.js';

type Outcome = 200 | 201 | 403 | 404;
//                                        own  named colleague unnamed A2   B1   missing
const LIST: Record<RecordAccess, Outcome[]> = {
  none:     [403, 403,  403,      403,    403, 403, 403],
  view_own: [200, 200,  404,      404,    404, 404, 404],
  view_all: [200, 200,  200,      200,    404, 404, 404],
  edit_own: [200, 200,  404,      404,    404, 404, 404],
  edit_all: [200, 200,  200,      200,    404, 404, 404],
};
/** Only portal jobs ("named" and "unnamed" are the office's), only with edit access to the job. */
const UPLOAD: Record<RecordAccess, Outcome[]> = {
  none:     [403, 403,  403,      403,    403, 403, 403],
  view_own: [403, 403,  404,      404,    404, 404, 404],
  view_all: [403, 403,  403,      403,    404, 404, 404],
  edit_own: [201, 403,  404,      404,    404, 404, 404],
  edit_all: [201, 403,  201,      403,    404, 404, 404],
};

let shared: FilesWorld;
let bytes: Buffer;
before(async () => {
  shared = await makeFilesWorld();
  bytes = await photo({ width: 120, height: 90 });
});

describe('job files by permission level', () => {
  for (const who of RECORD_CONTACTS) {
    TARGETS.forEach((target, i) => {
      const listed = LIST[levelOf(who)][i]!;
      const uploaded = UPLOAD[levelOf(who)][i]!;
      test(`GET /jobs/:id/files (${target}) as ${who} → ${listed}; POST → ${uploaded}`, async () => {
        const w = uploaded === 201 ? await makeFilesWorld() : shared;
        const id = targetId(w.jobs, who, target);
        const list = await call(w, who, 'GET', `jobs/${id}/files`);
        if (listed === 200) {
          assert.equal(list.status, 200);
          assert.equal((await json(list)).canUpload, uploaded === 201, 'canUpload agrees with the upload matrix');
        } else await expectError(list, listed, listed === 403 ? 'forbidden' : 'not_found');

        const before = snapshot(w.db);
        const files = counts(w);
        const res = await upload(w.app, w.slug[who], w.token[who], id, new Uint8Array(bytes));
        assert.equal(res.status, uploaded);
        if (uploaded !== 201) {
          assertUnchanged(w.db, before, 'refused upload');
          assert.deepEqual(counts(w), files, 'no file row, no stored object');
          return;
        }
        const file = await json(res);
        const row = w.db.prepare('SELECT provider_id, company_id, job_id, contact_id, added_by, viewable FROM job_files WHERE id = ?').get(file.id);
        assert.deepEqual(row, { provider_id: w.acme.id, company_id: w.company.a1, job_id: id, contact_id: w.contact[who], added_by: 'customer', viewable: 1 });
      });
    });
  }

  test('delete: one\'s own upload only; a colleague\'s, or through another company or provider, is 404 and nothing changes', async () => {
    const w = await makeFilesWorld();
    const job = w.jobs.colleague;
    const theirs = await json(await upload(w.app, 'acme', w.token.colleague, job, new Uint8Array(bytes)));
    const before = snapshot(w.db);
    for (const who of [...RECORD_CONTACTS, 'otherCompany', 'otherProvider'] as const) {
      const res = await call(w, who, 'DELETE', `jobs/${job}/files/${theirs.id}`);
      // No jobs access at all is refused as such; everyone else is told it does not exist.
      const none = who !== 'otherCompany' && who !== 'otherProvider' && levelOf(who) === 'none';
      await expectError(res, none ? 403 : 404, none ? 'forbidden' : 'not_found');
    }
    assertUnchanged(w.db, before, 'refused deletes');
    assert.equal((w.db.prepare('SELECT deleted_at FROM job_files WHERE id = ?').get(theirs.id) as { deleted_at: null }).deleted_at, null);
    assert.equal((await call(w, 'colleague', 'DELETE', `jobs/${job}/files/${theirs.id}`)).status, 204);
  });
});
