// Team records in real Chromium: a reader ticks items on a playbook page and exports them;
// `playbook progress import` merges that very file into the team's progress file; `check`
// passes and the team page shows the items. Then the "Show the record of" control marks a
// team's done items without touching the reader's ticks. Runs on tests/fixtures/team-progress.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSite, serveStatic, launchBrowser, repoRoot, binary, tempDir } from './helpers.mjs';

const env = { ...process.env, PLAYBOOK_TODAY: '2026-11-22', NO_COLOR: '1' };
let site, served, browser;
before(async () => {
  site = tempDir('teams-');
  cpSync(join(repoRoot, 'tests', 'fixtures', 'team-progress'), site, { recursive: true });
  served = await serveStatic(buildSite(site));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await served?.close();
});

test('an export made in the browser imports into the team record, which check accepts and the team page shows', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(served.url + '/playbooks/ward/');
  await page.locator('[data-checklist="safe-to-start"] input[data-item="kit"]').check();
  await page.locator('[data-checklist="pilot"] input[data-item="huddle"]').check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress' }).click(),
  ]);
  const exportFile = join(site, 'export.json');
  await download.saveAs(exportFile);
  await context.close();

  const imported = execFileSync(binary, ['progress', 'import', exportFile, '--team', 'good-team', '--by', 'gp',
    '--date', '2026-11-21', '--root', site], { env, encoding: 'utf8' });
  assert.match(imported, /added 2 item\(s\):\n  \+ playbooks\/ward: safe-to-start\/kit\n  \+ playbooks\/ward: pilot\/huddle\n/);
  const record = readFileSync(join(site, 'progress', 'good-team.yaml'), 'utf8');
  assert.match(record, /- item: pilot\/huddle\n        date: 2026-11-21\n        by: gp\n/);
  execFileSync(binary, ['check', '--strict', '--root', site], { env, stdio: 'pipe' });

  const rebuilt = await serveStatic(buildSite(site));
  const teamContext = await browser.newContext();
  const team = await teamContext.newPage();
  await team.goto(rebuilt.url + '/teams/good-team/');
  const done = await team.locator('.pb-team-done').textContent();
  assert.match(done, /Order the kit/);
  assert.match(done, /Hold a daily huddle/);
  assert.match(await team.locator('.pb-team-phases').textContent(), /Prepare: 3 of 3 done/);
  await teamContext.close();
  await rebuilt.close();
});

test('"Show the record of" marks a team\'s done items, read-only, apart from the reader\'s ticks', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(served.url + '/playbooks/ward/');
  const kit = page.locator('[data-checklist="safe-to-start"] input[data-item="kit"]');
  await kit.check();
  await page.getByLabel('Show the record of:').selectOption({ label: 'Good team' });
  const marked = page.locator('li.pb-team-ticked');
  assert.equal(await marked.count(), 3);
  assert.equal(await page.locator('[data-checklist="safe-to-start"] input[data-item="safety-case"]').isChecked(), false);
  assert.equal(await kit.isChecked(), true);
  assert.match(await page.locator('.pb-team-records__status').textContent(), /Good team: 3 items done in the team record/);
  await page.getByLabel('Show the record of:').selectOption('');
  assert.equal(await marked.count(), 0);
  await context.close();
});

test('without JavaScript the team records stay a list of links', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(served.url + '/playbooks/ward/');
  assert.equal(await page.locator('#team-records ~ ul a[href="/teams/good-team/"]').textContent(), 'Good team');
  assert.equal(await page.getByLabel('Show the record of:').count(), 0);
  await context.close();
});
