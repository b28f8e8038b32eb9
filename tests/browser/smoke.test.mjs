// The bundled site opens in real Chromium without script errors and shows its playbooks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveStatic, launchBrowser } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await serveStatic(buildSite());
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('home page lists the bundled playbooks and has one h1', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/`);
  assert.equal(await page.locator('h1').count(), 1);
  assert.ok(await page.locator('a[href="/playbooks/remote-monitoring-virtual-ward/"]').count() > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a playbook page has checkboxes keyed by playbook, checklist and item', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/playbooks/remote-monitoring-virtual-ward/`);
  const article = page.locator('[data-playbook="/playbooks/remote-monitoring-virtual-ward/"]');
  assert.equal(await article.count(), 1);
  const boxes = article.locator('[data-checklist] input[type="checkbox"][data-item]');
  assert.ok(await boxes.count() > 5);
  await page.close();
});
