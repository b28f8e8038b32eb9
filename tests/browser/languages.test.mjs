// The Welsh edition in real Chromium, on the bundled site: the language switcher goes to the
// same page in the other language, an untranslated page says so in Welsh, the Welsh search
// page searches the Welsh index in Welsh, a tick made on the Welsh page is there on the English
// one, and with `missing = "omit"` the switcher of an untranslated page goes to the Welsh home.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serveStatic, launchBrowser, repoRoot, tempDir } from './helpers.mjs';

const ENGLISH = '/playbooks/online-record-access/';
const WELSH = '/cy/playbooks/online-record-access/';
const UNTRANSLATED = '/cy/playbooks/remote-monitoring-virtual-ward/';

let server, omitted, browser;
before(async () => {
  server = await serveStatic(buildSite());
  // The bilingual fixture with `missing = "omit"`.
  const copy = tempDir('omit-');
  cpSync(join(repoRoot, 'tests', 'fixtures', 'bilingual'), copy, { recursive: true });
  const toml = join(copy, 'site.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('missing = "notice"', 'missing = "omit"'));
  omitted = await serveStatic(buildSite(copy));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await omitted?.close();
});

/** A fresh profile and a page on `path` of `site`; script errors are collected. */
async function open(path, site = server, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.url + path);
  return { context, page, errors };
}

test('the switcher goes to the same page in Welsh and back, each link named in its language', async () => {
  const { context, page, errors } = await open(ENGLISH);
  assert.equal(await page.getAttribute('html', 'lang'), 'en-GB');
  const welsh = page.locator('.pb-language a[hreflang="cy"]');
  assert.equal(await welsh.textContent(), 'Cymraeg');
  assert.equal(await welsh.getAttribute('lang'), 'cy');
  await welsh.click();
  await page.waitForURL(`**${WELSH}`);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  assert.match(await page.textContent('h1'), /Mynediad ar-lein/);
  // The theme's own words are Welsh too.
  assert.equal(await page.textContent('.pb-skip-link'), "Neidio i'r prif gynnwys");
  const english = page.locator('.pb-language a[hreflang="en-GB"]');
  assert.equal(await english.textContent(), 'English');
  await english.click();
  await page.waitForURL(`**${ENGLISH}`);
  // hreflang alternates in the head, with x-default.
  const alternates = await page.locator('link[rel="alternate"][hreflang]').evaluateAll((links) =>
    links.map((l) => `${l.hreflang} ${new URL(l.href).pathname}`));
  assert.deepEqual(alternates.sort(), [`cy ${WELSH}`, `en-GB ${ENGLISH}`, `x-default ${ENGLISH}`]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an untranslated page shows the notice in Welsh over the English text', async () => {
  const { context, page, errors } = await open(UNTRANSLATED);
  assert.equal(await page.getAttribute('html', 'lang'), 'cy');
  const notice = page.locator('.pb-not-translated');
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /heb ei chyfieithu|wedi'i chyfieithu/);
  // The English text under it is marked as English.
  assert.equal(await page.locator('main [lang="en-GB"] h1').count(), 1);
  assert.equal(await page.getAttribute('.pb-language a', 'href'), '/playbooks/remote-monitoring-virtual-ward/');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Welsh search page searches the Welsh pages, and says so in Welsh', async () => {
  const { context, page, errors } = await open('/cy/search/');
  // "gorfodi" (coerce) is in the Welsh online record access playbook only.
  await page.fill('#search-q', 'gorfodi');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /canlyniad/.test(document.querySelector('[data-search-status]').textContent));
  assert.match(await page.textContent('[data-search-status]'), /^1 canlyniad/);
  const links = await page.locator('[data-search-list] .pb-search-result a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, [WELSH]);
  // An English word of an untranslated page finds nothing in Welsh.
  await page.fill('#search-q', 'oximetry');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /Dim canlyniadau/.test(document.querySelector('[data-search-status]').textContent));
  // The circumflex folds: "ŵyl" and "wyl" are one word, as "hŷn" and "hyn" are.
  await page.fill('#search-q', 'hŷn');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => /canlyniad/.test(document.querySelector('[data-search-status]').textContent)
    && !/Yn chwilio/.test(document.querySelector('[data-search-status]').textContent));
  const withAccent = await page.textContent('[data-search-status]');
  await page.fill('#search-q', 'hyn');
  await page.press('#search-q', 'Enter');
  await page.waitForFunction((before) => document.querySelector('[data-search-status]').textContent !== before, withAccent);
  const plain = await page.textContent('[data-search-status]');
  assert.equal(plain.split(' ')[0], withAccent.split(' ')[0], `${withAccent} / ${plain}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tick on the Welsh page is there on the English page (one storage key)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + WELSH);
  const welshKey = await page.getAttribute('[data-playbook]', 'data-playbook');
  assert.equal(welshKey, ENGLISH);
  const front = page.locator('[data-checklist] input[type="checkbox"]').first();
  const item = await front.getAttribute('data-item');
  await front.check();
  await page.goto(server.url + ENGLISH);
  assert.equal(await page.getAttribute('[data-playbook]', 'data-playbook'), ENGLISH);
  assert.equal(await page.locator(`[data-checklist] input[data-item="${item}"]`).first().isChecked(), true,
    'the tick made in Welsh shows in English');
  // And the other way, for a body checklist of the bundle translated into Welsh.
  await page.goto(`${server.url}/playbooks/diabetes-self-management/`);
  const body = page.locator('.pb-body [data-checklist] input[type="checkbox"]').first();
  const bodyItem = await body.getAttribute('data-item');
  await body.check();
  await page.goto(`${server.url}/cy/playbooks/diabetes-self-management/`);
  assert.equal(await page.locator(`.pb-body [data-checklist] input[data-item="${bodyItem}"]`).first().isChecked(), true);
  // The checklist script speaks Welsh.
  assert.match(await page.locator('.pb-progress, [data-progress]').first().textContent(), /o \d+ wedi'u gwneud/);
  await context.close();
});

test('with missing = "omit" an untranslated page has no Welsh address and its switcher goes to the Welsh home', async () => {
  const { context, page, errors } = await open('/playbooks/untranslated/', omitted);
  assert.equal(await page.getAttribute('.pb-language a[hreflang="cy"]', 'href'), '/cy/');
  const missing = await page.request.get(`${omitted.url}/cy/playbooks/untranslated/`);
  assert.equal(missing.status(), 404);
  // A Welsh page's link to it goes to the English page.
  await page.goto(`${omitted.url}/cy/playbooks/monitro-o-bell/`);
  assert.equal(await page.locator('main a', { hasText: 'dudalen arall' }).getAttribute('href'), '/playbooks/untranslated/');
  assert.deepEqual(errors, []);
  await context.close();
});
