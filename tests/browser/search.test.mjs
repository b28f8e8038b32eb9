// Search and list filters in real Chromium, on the bundled site: a word from a playbook's body
// finds it, a stage narrows the results, the section list narrows without leaving the page,
// and without JavaScript both pages still offer a way on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serveStatic, launchBrowser } from './helpers.mjs';

let server, browser, playbooks;
before(async () => {
  const out = buildSite();
  playbooks = JSON.parse(readFileSync(join(out, 'playbooks.json'), 'utf8')).playbooks
    .filter((p) => p.status === 'published');
  server = await serveStatic(out);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}${path}`);
  return { page, errors, close: () => context.close() };
}

const resultUrls = (page) =>
  page.locator('[data-search-list] .pb-search-result a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));

test('search finds a playbook by a word from its body', async () => {
  const { page, errors, close } = await openPage('/search/');
  // "coercion" appears only in the body of the online record access playbook.
  await page.fill('#search-q', 'coercion');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /result/.test(document.querySelector('[data-search-status]').textContent));
  assert.match(await page.textContent('[data-search-status]'), /^1 result for “coercion”/);
  assert.deepEqual(await resultUrls(page), ['/playbooks/online-record-access/']);
  assert.match(page.url(), /\?q=coercion$/);
  assert.deepEqual(errors, []);
  await close();
});

test('a stage narrows the results to playbooks at that stage', async () => {
  const { page, errors, close } = await openPage('/search/?q=patients');
  await page.waitForFunction(() => /results/.test(document.querySelector('[data-search-status]').textContent));
  while (await page.isVisible('[data-search-more]')) await page.click('[data-search-more]');
  const all = await resultUrls(page);
  const atStage = new Set(playbooks.filter((p) => p.front_matter.pathway.stages.includes('self-management')).map((p) => p.url));
  assert.ok(all.length > atStage.size, `${all.length} results before narrowing`);

  await page.selectOption('#search-stage', 'self-management');
  await page.waitForFunction(() => /Self-management/.test(document.querySelector('[data-search-status]').textContent));
  const narrowed = await resultUrls(page);
  assert.ok(narrowed.length > 0 && narrowed.length < all.length, `${narrowed.length} of ${all.length}`);
  for (const url of narrowed) assert.ok(atStage.has(url), `${url} is not at the self-management stage`);
  assert.match(page.url(), /stage=self-management/);
  assert.deepEqual(errors, []);
  await close();
});

test('a search that matches nothing says so', async () => {
  const { page, close } = await openPage('/search/?q=zzqqxx');
  await page.waitForFunction(() => /No results/.test(document.querySelector('[data-search-status]').textContent));
  assert.equal(await page.locator('[data-search-list] li').count(), 0);
  await close();
});

test('a section list narrows by stage in the page and keeps the choice in the address', async () => {
  const { page, errors, close } = await openPage('/playbooks/');
  assert.equal(await page.isVisible('[data-filter-links]'), false);
  assert.equal(await page.isVisible('[data-filter-form]'), true);
  const cards = page.locator('[data-filter-list] > li');
  const total = await cards.count();
  await page.selectOption('#filter-stage', 'triage');
  const visible = page.locator('[data-filter-list] > li:not([hidden])');
  const shown = await visible.count();
  const expected = playbooks.filter((p) => p.front_matter.pathway.stages.includes('triage')).length;
  assert.equal(shown, expected);
  assert.ok(shown < total);
  assert.equal(await page.textContent('[data-filter-status]'), `Showing ${shown} of ${total} pages.`);
  assert.match(page.url(), /\?stage=triage$/);
  await page.click('[data-filter-form] button[type="reset"]');
  await page.waitForFunction(() => !document.querySelector('[data-filter-list] > li[hidden]'));
  assert.deepEqual(errors, []);
  await close();
});

test('without JavaScript the list offers links and search says how to browse', async () => {
  const list = await openPage('/playbooks/', { javaScriptEnabled: false });
  assert.equal(await list.page.isVisible('[data-filter-links]'), true);
  assert.equal(await list.page.isVisible('[data-filter-form]'), false);
  assert.ok(await list.page.locator('[data-filter-links] a[href="/stages/triage/"]').count() === 1);
  await list.close();
  const search = await openPage('/search/', { javaScriptEnabled: false });
  assert.equal(await search.page.isVisible('[data-search-nojs]'), true);
  await search.close();
});
