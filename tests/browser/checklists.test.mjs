// Checklists in real Chromium: ticks saved and restored, progress, filters, reset, export and
// import, role views sharing ticks with playbook pages, the page without JavaScript, print, and
// axe-core. Runs on tests/fixtures/checklists (built with the real binary) and the bundled site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { buildSite, serveStatic, launchBrowser, repoRoot } from './helpers.mjs';

const ALPHA = '/playbooks/alpha/';
const KEY = `playbook:v1:${ALPHA}`;
const ALL_ITEMS = ['read-the-guide', 'book-a-room', 'nested-step', 'print-the-posters', 'dpia', 'train-nurses',
  'wifi', 'pilot-patients', 'switch-on', 'first-referrals', 'second-site', 'audit'];

let fixture, bundled, browser;
before(async () => {
  fixture = await serveStatic(buildSite(join(repoRoot, 'tests', 'fixtures', 'checklists')));
  bundled = await serveStatic(buildSite());
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fixture?.close();
  await bundled?.close();
});

/** A fresh browser profile (its own localStorage) and a page on `path`; script errors fail the test. */
async function open(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(fixture.url + path);
  return { context, page };
}

const box = (page, checklist, item) =>
  page.locator(`[data-checklist="${checklist}"] input[data-item="${item}"]`);
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);
const visibleItems = (page) => page.$$eval('[data-checklist] input[data-item]',
  (boxes) => boxes.filter((b) => b.checkVisibility()).map((b) => b.dataset.item));
const progressText = (page, checklist) =>
  page.locator(`[data-checklist="${checklist}"] .pb-progress__text`).textContent();

test('a tick is saved in localStorage and is still there after a reload', async () => {
  const { context, page } = await open(ALPHA);
  await box(page, 'prepare-the-practice', 'dpia').check();
  await box(page, 'before-you-start', 'read-the-guide').check();
  await box(page, 'before-you-start', 'book-a-room').uncheck(); // written `- [x]`
  assert.deepEqual(await stored(page), {
    'prepare-the-practice': { dpia: true },
    'before-you-start': { 'read-the-guide': true, 'book-a-room': false },
  });
  await page.reload();
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), true);
  assert.equal(await box(page, 'before-you-start', 'read-the-guide').isChecked(), true);
  assert.equal(await box(page, 'before-you-start', 'book-a-room').isChecked(), false);
  assert.equal(await box(page, 'prepare-the-practice', 'wifi').isChecked(), false);
  // Unticking forgets the item (a box written ticked keeps an explicit false instead)...
  await box(page, 'prepare-the-practice', 'dpia').uncheck();
  await box(page, 'before-you-start', 'read-the-guide').uncheck();
  assert.deepEqual(await stored(page), { 'before-you-start': { 'book-a-room': false } });
  // ...and a playbook with nothing to remember leaves nothing behind.
  page.once('dialog', (d) => d.accept());
  await page.locator('[data-checklist="before-you-start"] button').click();
  assert.equal(await stored(page), null);
  assert.equal(await box(page, 'before-you-start', 'book-a-room').isChecked(), true, 'reset gives back the written ticks');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('ticks work from the keyboard', async () => {
  const { context, page } = await open(ALPHA);
  await box(page, 'go-live-day', 'switch-on').focus();
  await page.keyboard.press('Space');
  assert.equal(await box(page, 'go-live-day', 'switch-on').isChecked(), true);
  await page.keyboard.press('Tab'); // the owner link
  await page.keyboard.press('Tab'); // the next box
  await page.keyboard.press('Space');
  assert.deepEqual(await stored(page), { 'go-live-day': { 'switch-on': true, 'first-referrals': true } });
  await context.close();
});

test('progress text, bar, total and live region follow the ticks', async () => {
  const { context, page } = await open(ALPHA);
  assert.equal(await progressText(page, 'prepare-the-practice'), '0 of 3 done');
  assert.equal(await page.locator('.pb-progress--total .pb-progress__text').textContent(), 'In total: 1 of 12 done');
  await box(page, 'prepare-the-practice', 'dpia').check();
  await box(page, 'prepare-the-practice', 'wifi').check();
  assert.equal(await progressText(page, 'prepare-the-practice'), '2 of 3 done');
  const bar = page.locator('[data-checklist="prepare-the-practice"] progress');
  assert.equal(await bar.evaluate((b) => [b.value, b.max].join('/')), '2/3');
  assert.equal(await page.locator('.pb-progress--total .pb-progress__text').textContent(), 'In total: 3 of 12 done');
  assert.equal(await page.locator('[aria-live="polite"]').textContent(), 'Prepare the practice: 2 of 3 done.');
  assert.equal(await progressText(page, 'before-you-start'), '1 of 3 done');
  await context.close();
});

test('filters by owner and by phase hide exactly the other items', async () => {
  const { context, page } = await open(ALPHA);
  assert.deepEqual(await visibleItems(page), ALL_ITEMS);
  const owner = page.getByLabel('Owner', { exact: true });
  const phase = page.getByLabel('Phase', { exact: true });

  await owner.selectOption('practice-nurse');
  assert.deepEqual(await visibleItems(page), ['train-nurses', 'pilot-patients', 'first-referrals']);
  const headings = await page.$$eval('[data-phase-heading]',
    (hs) => hs.filter((h) => h.checkVisibility()).map((h) => h.dataset.phaseHeading));
  assert.deepEqual(headings, ['prepare', 'pilot', 'go-live']);
  assert.equal(await page.locator('[data-checklist="scale-up"]').isVisible(), false);
  assert.match(await page.locator('.pb-checklist-tools__message').textContent(), /Showing 3 of 12 items/);

  await owner.selectOption('none'); // items without an owner, body task lists included
  assert.deepEqual(await visibleItems(page), ['read-the-guide', 'book-a-room', 'nested-step', 'print-the-posters', 'wifi']);

  await owner.selectOption('');
  await phase.selectOption('none'); // body task lists have no phase
  assert.deepEqual(await visibleItems(page), ['read-the-guide', 'book-a-room', 'nested-step', 'print-the-posters']);

  await phase.selectOption('go-live');
  await owner.selectOption('gp');
  assert.deepEqual(await visibleItems(page), ['switch-on']);

  await phase.selectOption('');
  await owner.selectOption('');
  assert.deepEqual(await visibleItems(page), ALL_ITEMS);
  const options = await phase.locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', 'prepare', 'pilot', 'go-live', 'scale', 'sustain', 'none']);
  // Owners by name (each the text of the item's link to the role), "no owner" last.
  const owners = await owner.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  assert.deepEqual(owners.slice(1).map(([value]) => value).at(-1), 'none');
  assert.deepEqual(Object.fromEntries(owners), {
    '': 'Every owner', gp: 'GP', 'practice-nurse': 'Practice nurse', 'ig-lead': 'Information governance lead',
    'digital-lead': 'Digital lead', none: 'No owner named',
  });
  await context.close();
});

test('export, reset and import give back the same ticks', async () => {
  const { context, page } = await open(ALPHA);
  for (const [c, i] of [['prepare-the-practice', 'dpia'], ['prepare-the-practice', 'wifi'], ['go-live-day', 'switch-on']]) {
    await box(page, c, i).check();
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^playbooks-alpha-progress-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.format, 'playbook-progress');
  assert.equal(exported.playbooks[ALPHA]['prepare-the-practice'].dpia, true);
  assert.equal(exported.playbooks[ALPHA]['prepare-the-practice']['train-nurses'], false);
  assert.equal(Object.values(exported.playbooks[ALPHA]).flatMap(Object.keys).length, 12);

  // Reset asks first: saying no changes nothing.
  const reset = page.locator('[data-checklist="prepare-the-practice"] button');
  assert.equal(await reset.getAttribute('aria-label'), 'Reset this checklist: Prepare the practice');
  page.once('dialog', (d) => d.dismiss());
  await reset.click();
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), true);
  page.once('dialog', (d) => { assert.match(d.message(), /Prepare the practice/); d.accept(); });
  await reset.click();
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), false);
  assert.equal(await box(page, 'prepare-the-practice', 'wifi').isChecked(), false);
  assert.equal(await box(page, 'go-live-day', 'switch-on').isChecked(), true, 'other checklists keep their ticks');
  assert.deepEqual(await stored(page), { 'go-live-day': { 'switch-on': true } });
  assert.equal(await progressText(page, 'prepare-the-practice'), '0 of 3 done');

  // Import the file, with an item and a checklist the playbook no longer has.
  exported.playbooks[ALPHA]['prepare-the-practice']['renamed-item'] = true;
  exported.playbooks[ALPHA]['removed-checklist'] = { x: true };
  await box(page, 'go-live-day', 'switch-on').uncheck();
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import progress' }).click(),
  ]);
  await chooser.setFiles({ name: 'progress.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  const message = page.locator('.pb-checklist-tools__message');
  await message.filter({ hasText: 'Imported' }).waitFor();
  assert.equal(await message.textContent(), 'Imported 12 items. 2 items in the file are not on this page and were ignored.');
  await page.reload();
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), true);
  assert.equal(await box(page, 'prepare-the-practice', 'wifi').isChecked(), true);
  assert.equal(await box(page, 'go-live-day', 'switch-on').isChecked(), true);
  assert.equal(await box(page, 'prepare-the-practice', 'train-nurses').isChecked(), false);

  // A file that is not a progress file changes nothing and says so.
  const [again] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Import progress' }).click(),
  ]);
  await again.setFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
  await message.filter({ hasText: 'could not be imported' }).waitFor();
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a tick on a role view is the same tick as on the playbook page, both ways', async () => {
  const { context, page } = await open('/roles/gp/');
  assert.deepEqual(await visibleItems(page), ['switch-on', 'audit', 'agree-pathway']);
  await page.locator(`[data-playbook="${ALPHA}"] [data-checklist="go-live-day"] input[data-item="switch-on"]`).check();
  assert.match(await page.locator(`[data-playbook="${ALPHA}"] .pb-progress--total`).textContent(), /1 of 2 done/);

  const playbook = await context.newPage();
  await playbook.goto(fixture.url + ALPHA);
  assert.equal(await box(playbook, 'go-live-day', 'switch-on').isChecked(), true);
  await box(playbook, 'keep-going', 'audit').check();
  await box(playbook, 'prepare-the-practice', 'dpia').check(); // not the GP's

  await page.reload();
  assert.equal(await page.locator('[data-checklist="keep-going"] input[data-item="audit"]').isChecked(), true);
  await page.locator('[data-checklist="go-live-day"] input[data-item="switch-on"]').uncheck();
  await playbook.reload();
  assert.equal(await box(playbook, 'go-live-day', 'switch-on').isChecked(), false);
  assert.equal(await box(playbook, 'prepare-the-practice', 'dpia').isChecked(), true, 'the role view leaves other items alone');
  assert.deepEqual([...page.errors, ...(playbook.errors ?? [])], []);
  await context.close();
});

test('a guide\'s task list is saved too, with its controls just before it', async () => {
  const { context, page } = await open('/guides/how/');
  const tools = page.locator('.pb-checklist-tools');
  assert.equal(await tools.evaluate((t) => t.nextElementSibling.dataset.checklist), 'before-you-sign');
  assert.equal(await page.locator('.pb-checklist-tools select').count(), 0, 'one owner and one phase: nothing to filter');
  await page.locator('input[data-item="read-the-assessment"]').check();
  await page.reload();
  assert.equal(await page.locator('input[data-item="read-the-assessment"]').isChecked(), true);
  assert.deepEqual(await page.evaluate(() => JSON.parse(localStorage.getItem('playbook:v1:/guides/how/'))),
    { 'before-you-sign': { 'read-the-assessment': true } });
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('without JavaScript the boxes still tick and there are no dead controls', async () => {
  const { context, page } = await open(ALPHA, { javaScriptEnabled: false });
  assert.equal(await page.locator('button, select, progress').count(), 0);
  assert.equal(await page.locator('.pb-checklist-tools').isVisible(), false);
  const wifi = await box(page, 'prepare-the-practice', 'wifi').getAttribute('id');
  await page.locator(`label[for="${wifi}"]`).click();
  assert.equal(await box(page, 'prepare-the-practice', 'wifi').isChecked(), true);
  await box(page, 'before-you-start', 'read-the-guide').check();
  assert.equal(await box(page, 'before-you-start', 'read-the-guide').isChecked(), true);
  assert.equal(await page.locator('.pb-print-meta').first().isVisible(), false, 'print-only text stays off screen');
  await context.close();
});

test('printed, the page is a clean paper checklist', async () => {
  const { context, page } = await open(ALPHA);
  await box(page, 'prepare-the-practice', 'dpia').check();
  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.pb-header__nav', '.pb-breadcrumb', '.pb-contents', '.pb-checklist-tools', '.pb-checklist__reset', '.pb-skip-link']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is printed`);
  }
  const meta = page.locator('.pb-checklists .pb-print-meta');
  assert.equal(await meta.isVisible(), true);
  assert.match(await meta.textContent(), /https:\/\/playbooks\.example\.nhs\.uk\/playbooks\/alpha\/ · version 2\.3 · page last reviewed 1 October 2026 · next review due 1 April 2027/);
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isVisible(), true);
  assert.equal(await box(page, 'prepare-the-practice', 'dpia').isChecked(), true);
  const dpia = page.locator('li:has(> input[data-item="dpia"])');
  assert.equal(await dpia.locator('ul li', { hasText: /^Owner: / }).isVisible(), true);
  assert.equal(await dpia.locator('ul li', { hasText: /^Due: / }).isVisible(), true);
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000);
  await context.close();
});

async function axeViolations(page, include = []) {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']);
  for (const selector of include) builder = builder.include(selector);
  const results = await builder.analyze();
  return results.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// The page chrome (header, navigation, contents) is styled by playbook.css, which another change
// owns; until it has rules, its bare links fail WCAG 2.2 target size. The whole-page check is then
// reported as "todo" rather than passed, and enforced as soon as playbook.css has content.
const chromeStyled = statSync(join(repoRoot, 'themes', 'default', 'static', 'assets', 'playbook.css')).size > 0;

for (const [site, path, parts] of [
  ['fixture', ALPHA, ['.pb-checklists', '.pb-checklist--body']],
  ['fixture', '/roles/gp/', ['.pb-checklists']],
  ['bundled', '/playbooks/remote-monitoring-virtual-ward/', ['.pb-checklists', '.pb-checklist--body']],
  ['bundled', '/roles/practice-nurse/', ['.pb-checklists']],
]) {
  const load = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto((site === 'fixture' ? fixture.url : bundled.url) + path);
    await page.locator('.pb-checklist-tools button').first().waitFor();
    await page.locator('[data-checklist] input[data-item]').first().check();
    return { context, page };
  };
  test(`axe-core finds no violations in the checklists of ${path} (${site} site)`, async () => {
    const { context, page } = await load();
    assert.deepEqual(await axeViolations(page, parts), []);
    await context.close();
  });
  test(`axe-core finds no violations on the whole of ${path} (${site} site)`,
    { todo: !chromeStyled && 'page chrome is unstyled until playbook.css lands' }, async () => {
      const { context, page } = await load();
      assert.deepEqual(await axeViolations(page), []);
      await context.close();
    });
}
