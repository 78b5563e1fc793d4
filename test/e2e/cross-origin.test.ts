/**
 * The portal on a provider's website calls the API on another origin; only the origins the
 * provider registered may do so.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Request } from 'playwright-core';
import { getProviderBySlug, setAllowedOrigins } from '../../server/providers/data.js';
import {
  ACME,
  ALEX,
  demoUrl,
  expectSignedIn,
  expectSignedOut,
  loginError,
  newPage,
  sessionCount,
  startE2E,
  submitLogin,
  type E2E,
} from './helpers.js';

let e2e: E2E;
let third: Server;
let thirdUrl: string;

/** A provider site on an origin nobody registered, embedding the widget from the portal server. */
function thirdPartyPage(api: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Unregistered site</title>
    <link rel="icon" href="data:," />
    <script type="module" src="${api}/widget/portal.js"></script>
  </head>
  <body>
    <main>
      <h1>Not a registered origin</h1>
      <portal-root provider="acme-plumbing" api="${api}">
        <portal-login></portal-login>
      </portal-root>
    </main>
  </body>
</html>`;
}

before(async () => {
  e2e = await startE2E();
  third = createServer((req, res) => {
    if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(thirdPartyPage(e2e.server.url));
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((ok) => third.listen(0, '127.0.0.1', ok));
  thirdUrl = `http://127.0.0.1:${(third.address() as AddressInfo).port}`;
});

after(async () => {
  await e2e?.close();
  await new Promise<void>((ok) => (third ? third.close(() => ok()) : ok()));
});

describe('across origins', () => {
  test('the demo page on a second origin logs in through the API on the first', async () => {
    const site = demoUrl(e2e.server);
    const apiOrigin = new URL(e2e.server.url).origin;
    assert.notEqual(new URL(site).origin, apiOrigin, 'the demo site really is on another origin');

    const context = await e2e.browser.newContext();
    try {
      const { page, errors } = await newPage(context);
      const apiRequests: Request[] = [];
      page.on('request', (r) => {
        if (new URL(r.url()).pathname.startsWith('/api/')) apiRequests.push(r);
      });
      await page.goto(site + ACME);
      const login = await submitLogin(page, ALEX);
      await expectSignedIn(page, ALEX);

      assert.equal(new URL(login.url()).origin, apiOrigin, 'the login request went to the API origin');
      assert.equal(login.url(), `${apiOrigin}/api/portal/acme-plumbing/session`);
      assert.equal(login.failure(), null);
      const response = await login.response();
      assert.equal(response?.status(), 201);
      assert.equal(response?.headers()['access-control-allow-origin'], new URL(site).origin);
      assert.equal((await response?.json()).me.contact.name, ALEX.name);

      // Every API call of the page (config, login) went across to the API origin and succeeded.
      assert.ok(apiRequests.length >= 2, `config and login requests, saw ${apiRequests.map((r) => r.url()).join(', ')}`);
      for (const r of apiRequests) {
        assert.equal(new URL(r.url()).origin, apiOrigin, r.url());
        assert.equal(r.failure(), null, `${r.method()} ${r.url()} failed`);
      }

      // The session survives a reload on the provider's origin too.
      await page.reload();
      await expectSignedIn(page, ALEX);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a page on an origin the provider did not register cannot log in', async () => {
    const context = await e2e.browser.newContext();
    const before = sessionCount(e2e.server);
    try {
      const { page } = await newPage(context);
      await page.goto(thirdUrl + '/');
      // The widget loads from the portal server and shows the form…
      await expectSignedOut(page);
      // …but the API refuses this origin, so the login cannot go through.
      const login = await submitLogin(page, ALEX);
      assert.notEqual(login.failure(), null, 'the browser blocked the login request');
      assert.equal(await login.response(), null);
      assert.ok((await loginError(page)).length > 0, 'a visible error');
      await expectSignedOut(page);
      assert.equal(sessionCount(e2e.server), before, 'no session was created');
    } finally {
      await context.close();
    }
  });

  test('the same page logs in once the provider registers its origin', async () => {
    // The control for the test above: it failed because of the origin, not because the page is broken.
    await withThirdOriginRegistered(async () => {
      const context = await e2e.browser.newContext();
      const before = sessionCount(e2e.server);
      try {
        const { page } = await newPage(context);
        await page.goto(thirdUrl + '/');
        const login = await submitLogin(page, ALEX);
        assert.equal((await login.response())?.status(), 201);
        await expectSignedIn(page, ALEX);
        assert.equal(sessionCount(e2e.server), before + 1);
      } finally {
        await context.close();
      }
    });
  });

  test("the provider's logo from its server-side theme shows on the provider's own site", async () => {
    // The theme's logo URL is relative to the portal server, not to the page that embeds the widget.
    await withThirdOriginRegistered(async () => {
      const context = await e2e.browser.newContext();
      try {
        const { page, errors } = await newPage(context);
        await page.goto(thirdUrl + '/');
        await expectSignedOut(page);
        const logo = page.locator('portal-login').getByRole('img', { name: 'Acme Plumbing logo' });
        await logo.waitFor({ state: 'visible' });
        await page.waitForFunction(() => {
          const img = document.querySelector('portal-login')?.shadowRoot?.querySelector('img');
          return !!img && img.complete;
        });
        const { src, width } = await logo.evaluate((img: HTMLImageElement) => ({ src: img.currentSrc, width: img.naturalWidth }));
        assert.ok(width > 0, `the logo loads (${src})`);
        assert.equal(new URL(src).origin, new URL(e2e.server.url).origin);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
});

async function withThirdOriginRegistered(body: () => Promise<void>): Promise<void> {
  const acme = getProviderBySlug(e2e.server.db, 'acme-plumbing')!;
  setAllowedOrigins(e2e.server.db, acme.id, [...acme.allowedOrigins, thirdUrl]);
  try {
    await body();
  } finally {
    setAllowedOrigins(e2e.server.db, acme.id, acme.allowedOrigins);
  }
}

test("job photos show on the provider's own site: signed URLs of the API origin, loaded by plain <img>", async () => {
  const site = demoUrl(e2e.server);
  const apiOrigin = new URL(e2e.server.url).origin;
  // A Harbour View job (Alex's company) with photos Alex may see, from the demo data.
  const job = e2e.server.db
    .prepare(
      `SELECT f.job_id AS id, count(*) AS n FROM job_files f JOIN contacts c ON c.company_id = f.company_id
        WHERE c.email = 'alex@example.com' AND f.viewable = 1 AND f.kind = 'photo' AND f.deleted_at IS NULL GROUP BY f.job_id ORDER BY n DESC LIMIT 1`,
    )
    .get() as { id: number; n: number };
  assert.ok(job, 'the demo data has photos on a job of Alex');
  const context = await e2e.browser.newContext();
  try {
    const { page, errors } = await newPage(context);
    await page.goto(site + ACME);
    await submitLogin(page, ALEX);
    await expectSignedIn(page, ALEX);
    await page.evaluate((id) => {
      const photos = document.createElement('job-photos');
      photos.setAttribute('job-id', String(id));
      document.querySelector('portal-root')!.append(photos);
    }, job.id);
    // Thumbnails load lazily: bring them into view as a user scrolling down would.
    await page.locator('job-photos').scrollIntoViewIfNeeded();
    const state = () =>
      page.evaluate(() => [...(document.querySelector('job-photos')?.shadowRoot?.querySelectorAll('img') ?? [])].map((i) => ({ complete: i.complete, width: i.naturalWidth, src: i.currentSrc })));
    await page
      .waitForFunction(
        (n) => {
          const imgs = [...(document.querySelector('job-photos')?.shadowRoot?.querySelectorAll('img') ?? [])];
          return imgs.length === n && imgs.every((i) => i.complete && i.naturalWidth > 0);
        },
        job.n,
      )
      .catch(async (e: Error) => {
        throw new Error(`${e.message}; the thumbnails: ${JSON.stringify(await state())}; errors: ${errors.join('; ')}`);
      });
    const srcs = await page.evaluate(() => [...document.querySelector('job-photos')!.shadowRoot!.querySelectorAll('img')].map((i) => i.currentSrc));
    for (const src of srcs) {
      assert.equal(new URL(src).origin, apiOrigin, 'served by the API origin');
      assert.match(src, /\/files\/\d+\/thumb\?c=\d+&e=\d+&s=/, 'a signed URL, no token in it');
    }
    assert.notEqual(new URL(site).origin, apiOrigin);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
