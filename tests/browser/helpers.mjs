// Shared helpers for browser tests: build a site with the real binary, serve it on 127.0.0.1,
// and drive Debian's Chromium with playwright-core (never a downloaded browser).
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize, extname, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const binary = process.env.PLAYBOOK_BIN ?? join(repoRoot, 'target', 'debug', 'playbook');

/** This test file's temporary folders all live in one, removed when the process exits. */
let tempRoot;

/**
 * A fresh, empty temporary folder whose name starts with `prefix`. It is removed with the rest
 * of this test file's folders when the process exits, pass or fail, so a run of the browser
 * tests leaves nothing behind in the system's temporary folder.
 */
export function tempDir(prefix) {
  if (!tempRoot) {
    tempRoot = mkdtempSync(join(tmpdir(), 'playbook-browser-'));
    process.on('exit', () => rmSync(tempRoot, { recursive: true, force: true }));
  }
  return mkdtempSync(join(tempRoot, prefix));
}

/** Builds the site at `root` (default: the bundled site) into a fresh temporary folder. */
export function buildSite(root = repoRoot, extraArgs = []) {
  const out = tempDir('site-');
  execFileSync(binary, ['build', '--root', root, '--output', out, ...extraArgs], {
    env: { ...process.env, PLAYBOOK_TODAY: '2026-11-22', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out;
}

/**
 * Builds the site at `root` for hosting under `base` (a path such as '/trust/adoption'), into
 * the folder `base` names inside a fresh temporary folder, as a web server's document root would
 * hold it. Resolves to { host, out }: the document root, and the site's folder inside it.
 */
export function buildSiteUnder(base, root = repoRoot, extraArgs = []) {
  const host = tempDir('host-');
  const out = join(host, ...base.split('/').filter(Boolean));
  mkdirSync(join(out, '..'), { recursive: true });
  execFileSync(binary, ['build', '--root', root, '--output', out,
    '--base-url', `https://nhs-org.github.io${base}/`, ...extraArgs], {
    env: { ...process.env, PLAYBOOK_TODAY: '2026-11-22', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { host, out };
}

const types = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain',
};

/**
 * Serves `dir` on 127.0.0.1 and a free port. Resolves to { url, close }. With `base` (a path such
 * as '/trust/adoption') it serves `dir` only under that path, as GitHub Pages serves a project
 * site: anything outside it answers a bare 404, the path without its slash redirects to it, and
 * a missing file under it answers the site's own 404 page.
 */
export function serveStatic(dir, { base = '' } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (base && path === base) { res.writeHead(301, { location: `${base}/` }).end(); return; }
    if (base && !path.startsWith(`${base}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not under ${base}/`);
      return;
    }
    path = path.slice(base.length);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) { res.writeHead(400).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': types['.html'] }).end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    // close() alone waits for every open connection to end, and a browser may hold one open
    // (keep-alive, or a socket it opened ahead of a request) for minutes: end them all now.
    ok({
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise((done) => { server.close(done); server.closeAllConnections(); }),
    });
  }));
}

/** Launches headless Chromium with the flags verified on these machines. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
