// `playbook serve` in a real browser: the page follows edits with no action from the reader.
// Runs the debug binary (cargo test builds it; PLAYBOOK_BIN overrides) on a copy of the bundled
// site, and Debian's Chromium through playwright-core.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = process.env.PLAYBOOK_BIN || path.join(repo, "target/debug/playbook");
const PAGE = "content/playbooks/covid-oximetry-at-home.md";
const PAGE_URL = "/playbooks/covid-oximetry-at-home/";
const PATIENCE = 60_000;

let site;
let server;
let baseUrl;
let browser;

function atomicSave(file, text) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), "playbook-serve-browser-"));
  fs.copyFileSync(path.join(repo, "site.toml"), path.join(site, "site.toml"));
  fs.cpSync(path.join(repo, "content"), path.join(site, "content"), { recursive: true });
  fs.cpSync(path.join(repo, "themes"), path.join(site, "themes"), { recursive: true });
  // The bundled site mounts national/ and keeps team records in progress/.
  fs.cpSync(path.join(repo, "national"), path.join(site, "national"), { recursive: true });
  fs.cpSync(path.join(repo, "progress"), path.join(site, "progress"), { recursive: true });
  server = spawn(binary, ["serve", "--port", "0", "--root", site], {
    env: { ...process.env, PLAYBOOK_TODAY: "2026-11-22", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "ignore"],
  });
  baseUrl = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = out.match(/http:\/\/127\.0\.0\.1:\d+/);
      if (match) resolve(match[0]);
    });
    server.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

/** Opens a page and waits until it follows the server's events. */
async function openFollowing(url) {
  const page = await browser.newPage();
  await page.goto(baseUrl + url);
  await page.waitForFunction(() => window.__playbookServe && window.__playbookServe.readyState === 1,
    null, { timeout: PATIENCE });
  return page;
}

test("the page shows an edit by itself", async () => {
  const page = await openFollowing(PAGE_URL);
  const file = path.join(site, PAGE);
  const text = fs.readFileSync(file, "utf8");
  atomicSave(file, text.replace("## ", "Edited while the browser watched.\n\n## "));
  await page.waitForFunction(
    () => document.body.textContent.includes("Edited while the browser watched."),
    null, { timeout: PATIENCE });
  await page.close();
});

test("a broken edit shows the overlay over the last good page, and fixing it clears it", async () => {
  const page = await openFollowing(PAGE_URL);
  const file = path.join(site, PAGE);
  const good = fs.readFileSync(file, "utf8");
  atomicSave(file, good.replace("status: retired", "statuz: retired"));
  const overlay = await page.waitForSelector("#playbook-serve-overlay", { timeout: PATIENCE });
  assert.match(await overlay.textContent(), /covid-oximetry-at-home\.md:\d+:\d+/);
  assert.match(await page.title(), /COVID-19 pulse oximetry at home/);
  atomicSave(file, good);
  await page.waitForSelector("#playbook-serve-overlay", { state: "detached", timeout: PATIENCE });
  await page.close();
});

test("a stylesheet change is applied without reloading the page", async () => {
  const page = await openFollowing("/");
  await page.evaluate(() => { window.__notReloaded = true; });
  const css = path.join(site, "themes/default/static/assets/playbook.css");
  const text = fs.readFileSync(css, "utf8");
  atomicSave(css, `${text}\nbody { outline: 3px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).outlineColor === "rgb(1, 2, 3)",
    null, { timeout: PATIENCE });
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was reloaded");
  await page.close();
});

test("the search page finds a word added while serving", async () => {
  const listed = "content/playbooks/online-record-access.md";
  const url = "/playbooks/online-record-access/";
  const search = await browser.newPage();
  await search.goto(baseUrl + "/search/?q=coercion");
  await search.waitForFunction(
    () => /1 result/.test(document.querySelector("[data-search-status]").textContent),
    null, { timeout: PATIENCE });
  assert.deepEqual(
    await search.locator("[data-search-list] a").evaluateAll((links) => links.map((a) => a.getAttribute("href"))),
    [url]);
  await search.close();

  const page = await openFollowing(url);
  const file = path.join(site, listed);
  const text = fs.readFileSync(file, "utf8");
  atomicSave(file, text.replace("## ", "Pangolinoscopy is new here.\n\n## "));
  await page.waitForFunction(() => document.body.textContent.includes("Pangolinoscopy"),
    null, { timeout: PATIENCE });
  await page.close();

  const found = await browser.newPage();
  await found.goto(baseUrl + "/search/?q=pangolinoscopy");
  await found.waitForFunction(
    () => /result/.test(document.querySelector("[data-search-status]").textContent),
    null, { timeout: PATIENCE });
  assert.match(await found.textContent("[data-search-status]"), /^1 result for “pangolinoscopy”/);
  assert.deepEqual(
    await found.locator("[data-search-list] a").evaluateAll((links) => links.map((a) => a.getAttribute("href"))),
    [url]);
  await found.close();
});
