// Search on /search/, run in the browser over the index the build wrote to /search/index/
// (src/output/search/mod.rs describes the files). A search fetches the small manifest, the
// chunk of the sorted word list that holds each query word, the lists of the filters it uses,
// and the files holding the records of the results shown (consecutive pages share one file,
// as many as the manifest says): never the whole index. No framework, and page data
// only ever reaches the page through textContent and attributes. Its messages are in the page's
// language when the page holds them (JSON in #pb-strings).
(function () {
  'use strict';

  const form = document.querySelector('[data-search-form]');
  if (!form || !window.fetch || !window.Map || !window.history) return;

  // The path the site is published under ('' at a domain's root): the page says it on <html>.
  const BASE = document.documentElement.getAttribute('data-base') || '';
  // A further language's edition has its own index (/search/index/cy/), named on <html>.
  const INDEX = document.documentElement.getAttribute('data-search-index') || BASE + '/search/index/';
  const PER_PAGE = 10;
  // Shorter words match whole words only.
  const MIN_PREFIX = 3;
  // Neighbouring chunks read for a prefix beyond its own.
  const MAX_PREFIX_CHUNKS = 2;
  const MAX_WORDS = 10;
  const MAX_WORD_CHARS = 40;
  const FACETS = ['stage', 'setting', 'role', 'kind'];

  const input = form.querySelector('[name="q"]');
  const status = document.querySelector('[data-search-status]');
  const results = document.querySelector('[data-search-results]');
  const list = document.querySelector('[data-search-list]');
  const more = document.querySelector('[data-search-more]');
  const noScript = document.querySelector('[data-search-nojs]');
  if (noScript) noScript.hidden = true;
  // The messages in English, each replaced by the page's own when it holds them.
  const WORDS = {
    search_type: 'Type a word to search for.',
    searching: 'Searching…',
    search_failed: 'Search is not available at the moment. Try again later.',
    search_for: 'for “{query}”',
    search_none: 'No results {what}. Check the spelling, use fewer words or clear a filter.',
    search_results_one: '{count} result {what}.',
    search_results_other: '{count} results {what}.',
  };
  try {
    Object.assign(WORDS, JSON.parse(document.getElementById('pb-strings').textContent));
  } catch {
    // The page holds no messages of its own: English it is.
  }
  const PLACEHOLDER = /\{(\w+)\}/g;

  // A message in the page's language, each {name} in it filled in from values.
  function say(key, values) {
    return WORDS[key].replace(PLACEHOLDER, (all, name) => (values && name in values ? values[name] : all));
  }

  let manifest = null;
  // Index files by path: each a promise of its JSON.
  const cache = new Map();
  // Counts searches: a search whose number is no longer the latest drops its answers.
  let sequence = 0;
  // The search shown: { ids, shown, query }.
  let current = null;

  // Words folded as the build folds them (src/output/search/text.rs): lowercase, NFD without
  // combining marks, runs of letters and digits.
  function words(text) {
    const found = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
      .match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    const unique = [];
    for (const word of found) {
      if (Array.from(word).length <= MAX_WORD_CHARS && !unique.includes(word)) unique.push(word);
    }
    return unique.slice(0, MAX_WORDS);
  }

  // Code point order, the order the build sorted the words in.
  function compare(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a.codePointAt(i);
      const y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    if (i < a.length) return 1;
    if (j < b.length) return -1;
    return 0;
  }

  // Fetches one index file, once; a failed request is tried again once, then forgotten so a
  // later search can try it afresh.
  function getJSON(path) {
    if (!cache.has(path)) {
      const url = INDEX + path + (manifest ? '?v=' + encodeURIComponent(manifest.build) : '');
      const options = manifest ? {} : { cache: 'no-cache' };
      const load = () => fetch(url, options).then((response) => {
        if (!response.ok) throw new Error(response.status + ' ' + url);
        return response.json();
      });
      const promise = load().catch(load);
      promise.catch(() => cache.delete(path));
      cache.set(path, promise);
    }
    return cache.get(path);
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return getJSON('manifest.json').then((loaded) => {
      manifest = loaded;
      return loaded;
    });
  }

  // The chunk that holds a word (the last whose first word is not after it).
  function chunkOf(word) {
    const chunks = manifest.chunks;
    let low = 0;
    let high = chunks.length - 1;
    let found = 0;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (compare(chunks[middle], word) <= 0) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  // Pages matching one query word: Map page id → score. Whole-word matches count fully, longer
  // words that start with it (for "monitor": "monitoring") count a little less.
  function matchWord(word) {
    if (!manifest.chunks.length) return Promise.resolve(new Map());
    const prefix = Array.from(word).length >= MIN_PREFIX;
    const first = chunkOf(word);
    const chunks = [first];
    for (let n = first + 1; prefix && n < manifest.chunks.length && chunks.length <= MAX_PREFIX_CHUNKS; n++) {
      if (!manifest.chunks[n].startsWith(word)) break;
      chunks.push(n);
    }
    // The word's own chunk must load; a neighbour holding only longer words may fail.
    const parts = chunks.map((n, i) => {
      const part = getJSON('terms/' + n + '.json');
      return i === 0 ? part : part.catch(() => ({}));
    });
    return Promise.all(parts).then((loaded) => {
      const scores = new Map();
      for (const terms of loaded) {
        for (const term of Object.keys(terms)) {
          const exact = term === word;
          if (!exact && !(prefix && term.startsWith(word))) continue;
          // Postings: pairs of (page id minus the previous one, weight).
          const postings = terms[term];
          const idf = Math.log(1 + manifest.pages / Math.max(1, postings.length / 2));
          const factor = exact ? 1 : 0.6;
          let id = 0;
          for (let i = 0; i + 1 < postings.length; i += 2) {
            id += postings[i];
            const score = postings[i + 1] * idf * factor;
            if (!(scores.get(id) >= score)) scores.set(id, score);
          }
        }
      }
      return scores;
    });
  }

  // The record of one result (title, URL, summary, labels), from the file under pages/ that
  // holds it with its neighbours; null when it cannot be had.
  function record(id) {
    const size = manifest.pages_per_file || 1;
    return getJSON('pages/' + Math.floor(id / size) + '.json')
      .then((records) => records[id % size] || null)
      .catch(() => null);
  }

  // The ids of the pages one filter value keeps, as a Set.
  function filterIds(facet, value) {
    const known = manifest.facets.some((f) =>
      f.id === facet && f.values.some((v) => v.id === value && v.count > 0));
    // A value no indexed page has has no file: nothing matches it.
    const load = known ? getJSON('filters/' + facet + '/' + encodeURIComponent(value) + '.json') : Promise.resolve([]);
    return load.then((deltas) => {
      const ids = new Set();
      let id = 0;
      for (const delta of deltas) {
        id += delta;
        ids.add(id);
      }
      return ids;
    });
  }

  function readForm() {
    const query = { q: input.value.trim(), filters: [] };
    for (const facet of FACETS) {
      const field = form.elements[facet];
      if (field && field.value) {
        const option = field.options[field.selectedIndex];
        query.filters.push({ facet, value: field.value, label: option ? option.text : field.value });
      }
    }
    return query;
  }

  function writeUrl(query) {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    for (const filter of query.filters) params.set(filter.facet, filter.value);
    const search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  // Page ids by score, highest first, of the pages that hold every word (all pages when no word).
  function rank(perWord) {
    if (!perWord.length) return Array.from({ length: manifest.pages }, (_, i) => i);
    const totals = new Map();
    perWord[0].forEach((score, id) => {
      let total = score;
      for (const scores of perWord.slice(1)) {
        if (!scores.has(id)) return;
        total += scores.get(id);
      }
      totals.set(id, total);
    });
    return Array.from(totals.keys()).sort((a, b) => totals.get(b) - totals.get(a) || a - b);
  }

  function run() {
    const query = readForm();
    const mine = ++sequence;
    writeUrl(query);
    const queryWords = words(query.q);
    if (!queryWords.length && !query.filters.length) {
      current = null;
      list.replaceChildren();
      results.hidden = true;
      more.hidden = true;
      status.textContent = query.q ? say('search_type') : '';
      return;
    }
    status.textContent = say('searching');
    loadManifest().then(() => {
      // Words on most pages barely narrow the results: leave them out when others remain.
      const telling = queryWords.filter((word) => !manifest.common.includes(word));
      return Promise.all([
        Promise.all((telling.length ? telling : queryWords).map(matchWord)),
        Promise.all(query.filters.map((filter) => filterIds(filter.facet, filter.value))),
      ]);
    }).then(([perWord, perFilter]) => {
      if (mine !== sequence) return;
      const ids = rank(perWord).filter((id) => perFilter.every((kept) => kept.has(id)));
      current = { ids, shown: 0, query };
      list.replaceChildren();
      results.hidden = false;
      // The count is announced once the first results are in the list, so both agree.
      return showMore(mine).then(() => {
        if (mine === sequence) announce();
      });
    }).catch(() => {
      if (mine !== sequence) return;
      status.textContent = say('search_failed');
    });
  }

  // What was searched for, in words: for “word”, Pilot, Hospital.
  function describe(query) {
    const parts = [];
    if (query.q) parts.push(say('search_for', { query: query.q }));
    for (const filter of query.filters) parts.push(filter.label);
    return parts.join(', ');
  }

  function announce() {
    const count = current.ids.length;
    const what = describe(current.query);
    const key = count === 1 ? 'search_results_one' : 'search_results_other';
    status.textContent = say(count === 0 ? 'search_none' : key, { count, what });
  }

  // Adds the next page of results to the list; resolves to the first item added.
  function showMore(mine) {
    const batch = current.ids.slice(current.shown, current.shown + PER_PAGE);
    current.shown += batch.length;
    more.hidden = true;
    const fragments = batch.map(record);
    return Promise.all(fragments).then((loaded) => {
      if (mine !== sequence) return;
      let firstNew = null;
      for (const fragment of loaded) {
        if (!fragment) continue;
        const item = resultItem(fragment);
        firstNew = firstNew || item;
        list.appendChild(item);
      }
      more.hidden = current.shown >= current.ids.length;
      return firstNew;
    });
  }

  // A new element with an optional class and text (set as text, never as HTML).
  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  function resultItem(fragment) {
    const item = element('li', 'pb-search-result');
    const heading = element('h2', 'pb-search-result__title');
    const link = element('a', null, fragment.title);
    // Always a site path the build wrote, so under the site's base path.
    link.href = BASE + fragment.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (fragment.labels && fragment.labels.length) {
      item.appendChild(element('p', 'pb-search-result__meta', fragment.labels.join(' · ')));
    }
    if (fragment.summary) item.appendChild(element('p', 'pb-search-result__summary', fragment.summary));
    return item;
  }

  let timer = null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  for (const facet of FACETS) {
    const field = form.elements[facet];
    if (field) field.addEventListener('change', run);
  }
  more.addEventListener('click', () => {
    if (!current) return;
    showMore(sequence).then((firstNew) => {
      const link = firstNew && firstNew.querySelector('a');
      if (link) link.focus();
    });
  });

  // A search in the address (from a link, the home page's search box or a reload) runs at once.
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  for (const facet of FACETS) {
    const field = form.elements[facet];
    if (field && params.get(facet)) field.value = params.get(facet);
  }
  if (input.value || FACETS.some((facet) => params.get(facet))) run();
})();
