// Format 1.1's change history in real Chromium: a tick saved before an item is renamed is on
// the new item after the rebuild (on the playbook page and on the role page), and the old key
// is gone from localStorage; the "What has changed" panel folds older changes on screen, prints
// them unfolded, and passes axe, as does the role page's retraining notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { binary, serveStatic, launchBrowser, repoRoot, tempDir } from './helpers.mjs';

const PLAYBOOK = '/playbooks/no-changes/';
const KEY = `playbook:v1:${PLAYBOOK}`;
const FILE = join('content', 'playbooks', 'no-changes.md');

let site, out, server, browser;

/** Builds `site` into `out` (the same folder each time, so the browser keeps its storage). */
function build() {
  execFileSync(binary, ['build', '--root', site, '--output', out], {
    env: { ...process.env, PLAYBOOK_TODAY: '2026-11-22', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

before(async () => {
  site = tempDir('changes-site-');
  cpSync(join(repoRoot, 'tests', 'fixtures', 'changes'), site, { recursive: true });
  out = join(tempDir('changes-out-'), 'public');
  build();
  server = await serveStatic(out);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Renames the item `order-oximeters` to `order-devices` in a new version 1.1 that says so. */
function renameTheItem() {
  const path = join(site, FILE);
  const text = readFileSync(path, 'utf8')
    .replace('- id: order-oximeters', '- id: order-devices')
    .replace('version: "1.0"\n', [
      'version: "1.1"',
      'changes:',
      '  - version: "1.1"',
      '    date: 2026-10-01',
      '    summary: "Devices ordered through the trust, not the practice."',
      '    renamed:',
      '      before-go-live/order-oximeters: before-go-live/order-devices',
      '',
    ].join('\n'));
  writeFileSync(path, text);
  build();
}

const box = (page, item) => page.locator(`[data-checklist="before-go-live"] input[data-item="${item}"]`);
const stored = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);

test('a tick moves from a renamed item to its new id, on the playbook and on the role page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + PLAYBOOK);
  await box(page, 'order-oximeters').check();
  assert.deepEqual(await stored(page), { 'before-go-live': { 'order-oximeters': true } });
  // A second reader's browser, which next opens the role page rather than the playbook.
  const other = await browser.newContext();
  const rolePage = await other.newPage();
  rolePage.on('pageerror', (e) => errors.push(e.message));
  await rolePage.goto(server.url + PLAYBOOK);
  await box(rolePage, 'order-oximeters').check();

  renameTheItem();

  await page.reload();
  assert.equal(await box(page, 'order-oximeters').count(), 0, 'the old id is gone from the page');
  assert.equal(await box(page, 'order-devices').isChecked(), true, 'the tick is on the new id');
  assert.equal(await box(page, 'book-training').isChecked(), false);
  assert.deepEqual(await stored(page), { 'before-go-live': { 'order-devices': true } });
  // Reloading again changes nothing: the move happens once.
  await page.reload();
  assert.deepEqual(await stored(page), { 'before-go-live': { 'order-devices': true } });

  await rolePage.goto(server.url + '/roles/practice-nurse/');
  const roleBox = rolePage.locator(`[data-playbook="${PLAYBOOK}"] [data-checklist="before-go-live"] input[data-item="order-devices"]`);
  assert.equal(await roleBox.isChecked(), true, 'the role page moves the tick too');
  assert.deepEqual(await stored(rolePage), { 'before-go-live': { 'order-devices': true } });
  assert.deepEqual(errors, []);
  await context.close();
  await other.close();
});

test('older changes are folded on screen, unfolded in print, and the panel passes axe', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + '/playbooks/home-oximetry/');
  const latest = page.locator('.pb-change--latest');
  const older = page.getByText('Training moved into the go-live checklist.');
  assert.equal(await latest.isVisible(), true);
  assert.equal(await older.isVisible(), false, 'folded on screen');
  await page.getByText('Earlier changes (2)').click();
  assert.equal(await older.isVisible(), true, 'unfolds when asked');
  await page.reload();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await latest.isVisible(), true);
  assert.equal(await older.isVisible(), true, 'printed unfolded');
  await page.emulateMedia({ media: 'screen' });
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
  for (const path of ['/playbooks/home-oximetry/', '/roles/practice-nurse/']) {
    await page.goto(server.url + path);
    const { violations } = await new AxeBuilder({ page }).withTags(tags).analyze();
    assert.deepEqual(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`), [], path);
  }
  await context.close();
});
