// What one search downloads, measured in real Chromium on a generated site (corpus.mjs).
// Pagefind's bar is under 300 KB for a search; a single-file index (mdBook's) grows with the
// site instead. The suite runs 1,000 pages; SEARCH_CORPUS_PAGES=10000 measures the issue's
// 10,000-page site (the build takes a few minutes in debug; PLAYBOOK_BIN can point at a release
// binary). Prints one line per query; asserts bytes, never time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { buildSite, serveStatic, launchBrowser, tempDir } from './helpers.mjs';
import { writeCorpus } from './corpus.mjs';

const PAGES = Number(process.env.SEARCH_CORPUS_PAGES ?? 1000);
const BUDGET = 300 * 1024;

let server, browser, words;
before(async () => {
  const root = tempDir('corpus-');
  words = writeCorpus(root, PAGES);
  server = await serveStatic(buildSite(root));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens /search/ in a fresh context (empty cache), runs one search, sums what it fetched. */
async function measure(query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('response', (response) => {
    if (response.url().includes('/search/index/')) fetched.push(response.body());
  });
  await page.goto(`${server.url}/search/?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => /result/.test(document.querySelector('[data-search-status]').textContent));
  const results = await page.locator('[data-search-list] li').count();
  const status = await page.textContent('[data-search-status]');
  const bodies = await Promise.all(fetched);
  await context.close();
  const bytes = bodies.reduce((sum, b) => sum + b.length, 0);
  const gzip = bodies.reduce((sum, b) => sum + gzipSync(b).length, 0);
  return { bytes, gzip, requests: bodies.length, results, status };
}

test(`one search on a ${PAGES}-page site downloads less than 300 KB`, async () => {
  const prefix = words.middle.slice(0, 4);
  const queries = {
    'a rare word': { q: words.rare },
    'the most common word': { q: words.common },
    'two words': { q: `${words.common} ${words.middle}` },
    'a word and a stage': { q: words.middle, stage: words.stage },
    [`a prefix (${prefix}…)`]: { q: prefix },
    'a stage only': { stage: words.stage },
  };
  for (const [name, query] of Object.entries(queries)) {
    const m = await measure(query);
    console.log(`${PAGES} pages, ${name}: ${m.results} shown, ${m.requests} requests, ` +
      `${(m.bytes / 1024).toFixed(1)} KB (${(m.gzip / 1024).toFixed(1)} KB gzipped)`);
    assert.ok(m.results > 0, `${name} found nothing: ${m.status}`);
    assert.ok(m.bytes < BUDGET, `${name} downloaded ${m.bytes} bytes`);
  }
});
