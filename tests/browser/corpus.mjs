// Writes a large synthetic site for measuring what one search downloads: N playbooks whose
// words follow a Zipf distribution over a 30,000-word lexicon (so, as in real text, a few
// words are on every page and most on few), with the bundled site's stages, settings and
// roles. Deterministic: the same N gives the same site.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers.mjs';

/** A small seeded generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vo', 'zi', 'pa', 'do', 'fe',
  'gu', 'hi', 'ja', 'ko', 'li', 'mo', 'nu', 'pe', 'ri', 'so', 'tu', 'va', 'we', 'xo', 'ya',
  'ze', 'bra', 'cle', 'dro', 'fli', 'gra', 'pla', 'tri', 'sto'];

/** The ids of the bundled site's vocabularies, read from its site.toml. */
function vocabulary() {
  const toml = readFileSync(join(repoRoot, 'site.toml'), 'utf8');
  const stages = [...toml.matchAll(/^id = "([a-z0-9-]+)"/gm)].map((m) => m[1]);
  const table = (name) => {
    const body = toml.split(`[${name}]`)[1]?.split(/^\[/m)[0] ?? '';
    return [...body.matchAll(/^([a-z0-9-]+) = /gm)].map((m) => m[1]);
  };
  // The corpus is a site of its own: no mounted folders of the bundled site.
  const own = toml.replace(/^\[\[mounts\]\][\s\S]*?(?=^\[|(?![\s\S]))/gm, '');
  return { toml: own, stages, settings: table('settings'), roles: table('roles') };
}

/** Writes the site into `dir` and returns the words a test may search for. */
export function writeCorpus(dir, pages, seed = 42) {
  const rand = random(seed);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const some = (list, n) => [...new Set(Array.from({ length: n }, () => pick(list)))];
  const lexicon = new Set();
  while (lexicon.size < 30000) {
    const n = 2 + Math.floor(rand() * 3);
    lexicon.add(Array.from({ length: n }, () => pick(SYLLABLES)).join(''));
  }
  const words = [...lexicon];
  // Zipf(1): the k-th word is drawn with probability proportional to 1/k.
  const cumulative = [];
  let total = 0;
  for (let k = 1; k <= words.length; k++) { total += 1 / k; cumulative.push(total); }
  const zipf = () => {
    const x = rand() * total;
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cumulative[mid] < x) lo = mid + 1; else hi = mid; }
    return words[lo];
  };
  const sentence = (n) => {
    const s = Array.from({ length: n }, zipf).join(' ');
    return s[0].toUpperCase() + s.slice(1) + '.';
  };
  const vocab = vocabulary();
  const kinds = ['digital-therapy', 'remote-monitoring', 'ai-diagnostic', 'decision-support',
    'virtual-consultation', 'patient-portal', 'other'];
  mkdirSync(join(dir, 'content', 'playbooks'), { recursive: true });
  writeFileSync(join(dir, 'site.toml'), vocab.toml);
  writeFileSync(join(dir, 'content', 'playbooks', '_index.md'), '---\ntitle: "Playbooks"\n---\n');
  for (let i = 1; i <= pages; i++) {
    const id = String(i).padStart(5, '0');
    const audiences = some(vocab.roles, 3);
    const body = Array.from({ length: 6 }, (_, p) =>
      `## ${sentence(3).slice(0, -1)}\n\n${Array.from({ length: 4 }, () => sentence(12 + Math.floor(rand() * 10))).join(' ')}`,
    ).join('\n\n');
    writeFileSync(join(dir, 'content', 'playbooks', `p${id}.md`), `---
title: "Playbook ${id}: ${sentence(4).slice(0, -1)}"
summary: "${sentence(20)}"
technology:
  name: "Product ${id}"
  kind: ${pick(kinds)}
owners:
  - name: "Owner ${id}"
    role: ${audiences[0]}
last_reviewed: 2026-10-01
next_review_due: 2027-04-01
pathway:
  name: "Pathway ${id}"
  settings: [${some(vocab.settings, 2).join(', ')}]
  stages: [${some(vocab.stages, 3).join(', ')}]
audiences: [${audiences.join(', ')}]
---

${body}
`);
  }
  return { common: words[0], rare: words[20000], middle: words[500], stage: vocab.stages[4] };
}
