// Search on /search/, run in the browser over the index the build wrote to /search/index/
// (src/output/search/mod.rs describes the files). A search fetches the small manifest, the
// chunk of the sorted word list that holds each query word, the lists of the filters it uses,
// and one small fragment per result shown: never the whole index. No framework, and page data
// only ever reaches the page through textContent and attributes.
(function () {
  'use strict';

  var form = document.querySelector('[data-search-form]');
  if (!form || !window.fetch || !window.Map || !window.history) return;

  var INDEX = '/search/index/';
  var PER_PAGE = 10;
  var MIN_PREFIX = 3; // shorter words match whole words only
  var MAX_PREFIX_CHUNKS = 2; // neighbouring chunks read for a prefix beyond its own
  var MAX_WORDS = 10;
  var MAX_WORD_CHARS = 40;
  var FACETS = ['stage', 'setting', 'role', 'kind'];

  var input = form.querySelector('[name="q"]');
  var status = document.querySelector('[data-search-status]');
  var results = document.querySelector('[data-search-results]');
  var list = document.querySelector('[data-search-list]');
  var more = document.querySelector('[data-search-more]');
  var noScript = document.querySelector('[data-search-nojs]');
  if (noScript) noScript.hidden = true;

  var manifest = null;
  var cache = new Map();
  var sequence = 0;
  var current = null; // { ids, shown }

  // Words folded as the build folds them (src/output/search/text.rs): lowercase, NFD without
  // combining marks, runs of letters and digits.
  function words(text) {
    var found = text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')
      .match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    var out = [];
    found.forEach(function (w) {
      if (Array.from(w).length <= MAX_WORD_CHARS && out.indexOf(w) < 0) out.push(w);
    });
    return out.slice(0, MAX_WORDS);
  }

  // Code point order, the order the build sorted the words in.
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
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
      var url = INDEX + path + (manifest ? '?v=' + encodeURIComponent(manifest.build) : '');
      var options = manifest ? {} : { cache: 'no-cache' };
      var load = function () {
        return fetch(url, options).then(function (r) {
          if (!r.ok) throw new Error(r.status + ' ' + url);
          return r.json();
        });
      };
      var promise = load().catch(load);
      promise.catch(function () { cache.delete(path); });
      cache.set(path, promise);
    }
    return cache.get(path);
  }

  function loadManifest() {
    if (manifest) return Promise.resolve(manifest);
    return getJSON('manifest.json').then(function (m) {
      manifest = m;
      return m;
    });
  }

  // The chunk that holds `word` (the last whose first word is not after it).
  function chunkOf(word) {
    var chunks = manifest.chunks, lo = 0, hi = chunks.length - 1, found = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (compare(chunks[mid], word) <= 0) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  // Pages matching one query word: Map page id → score. Whole-word matches count fully, longer
  // words that start with it (for "monitor": "monitoring") count a little less.
  function matchWord(word) {
    if (!manifest.chunks.length) return Promise.resolve(new Map());
    var prefix = Array.from(word).length >= MIN_PREFIX;
    var first = chunkOf(word), chunks = [first];
    for (var n = first + 1; prefix && n < manifest.chunks.length && chunks.length <= MAX_PREFIX_CHUNKS; n++) {
      if (manifest.chunks[n].indexOf(word) !== 0) break;
      chunks.push(n);
    }
    return Promise.all(chunks.map(function (n, i) {
      // The word's own chunk must load; a neighbour holding only longer words may fail.
      var part = getJSON('terms/' + n + '.json');
      return i === 0 ? part : part.catch(function () { return {}; });
    })).then(function (parts) {
      var scores = new Map();
      parts.forEach(function (terms) {
        Object.keys(terms).forEach(function (term) {
          var exact = term === word;
          if (!exact && !(prefix && term.indexOf(word) === 0)) return;
          var postings = terms[term];
          var idf = Math.log(1 + manifest.pages / Math.max(1, postings.length / 2));
          var factor = exact ? 1 : 0.6;
          for (var i = 0, id = 0; i + 1 < postings.length; i += 2) {
            id += postings[i];
            var score = postings[i + 1] * idf * factor;
            if (!(scores.get(id) >= score)) scores.set(id, score);
          }
        });
      });
      return scores;
    });
  }

  function filterIds(facet, value) {
    var known = manifest.facets.some(function (f) {
      return f.id === facet && f.values.some(function (v) { return v.id === value && v.count > 0; });
    });
    // A value no indexed page has has no file: nothing matches it.
    var load = known ? getJSON('filters/' + facet + '/' + encodeURIComponent(value) + '.json') : Promise.resolve([]);
    return load.then(function (deltas) {
      var ids = new Set(), id = 0;
      deltas.forEach(function (d) { id += d; ids.add(id); });
      return ids;
    });
  }

  function readForm() {
    var query = { q: input.value.trim(), filters: [] };
    FACETS.forEach(function (facet) {
      var field = form.elements[facet];
      if (field && field.value) {
        var option = field.options[field.selectedIndex];
        query.filters.push({ facet: facet, value: field.value, label: option ? option.text : field.value });
      }
    });
    return query;
  }

  function writeUrl(query) {
    var params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    query.filters.forEach(function (f) { params.set(f.facet, f.value); });
    var search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  function run() {
    var query = readForm();
    var mine = ++sequence;
    writeUrl(query);
    var queryWords = words(query.q);
    if (!queryWords.length && !query.filters.length) {
      current = null;
      list.replaceChildren();
      results.hidden = true;
      more.hidden = true;
      status.textContent = query.q ? 'Type a word to search for.' : '';
      return;
    }
    status.textContent = 'Searching…';
    loadManifest().then(function () {
      // Words on most pages barely narrow the results: leave them out when others remain.
      var telling = queryWords.filter(function (w) { return manifest.common.indexOf(w) < 0; });
      return Promise.all([
        Promise.all((telling.length ? telling : queryWords).map(matchWord)),
        Promise.all(query.filters.map(function (f) { return filterIds(f.facet, f.value); })),
      ]);
    }).then(function (found) {
      if (mine !== sequence) return;
      var perWord = found[0], perFilter = found[1];
      var ranked;
      if (perWord.length) {
        var totals = new Map();
        perWord[0].forEach(function (score, id) {
          var total = score;
          for (var w = 1; w < perWord.length; w++) {
            var s = perWord[w].get(id);
            if (s === undefined) return;
            total += s;
          }
          totals.set(id, total);
        });
        ranked = Array.from(totals.keys()).sort(function (a, b) {
          return totals.get(b) - totals.get(a) || a - b;
        });
      } else {
        ranked = Array.from({ length: manifest.pages }, function (_, i) { return i; });
      }
      ranked = ranked.filter(function (id) {
        return perFilter.every(function (ids) { return ids.has(id); });
      });
      current = { ids: ranked, shown: 0, query: query };
      list.replaceChildren();
      results.hidden = false;
      // The count is announced once the first results are in the list, so both agree.
      return showMore(mine).then(function () {
        if (mine === sequence) announce();
      });
    }).catch(function () {
      if (mine !== sequence) return;
      status.textContent = 'Search is not available at the moment. Try again later.';
    });
  }

  function describe(query) {
    var parts = [];
    if (query.q) parts.push('for “' + query.q + '”');
    query.filters.forEach(function (f) { parts.push(f.label); });
    return parts.join(', ');
  }

  function announce() {
    var n = current.ids.length;
    var what = describe(current.query);
    status.textContent = n === 0
      ? 'No results ' + what + '. Check the spelling, use fewer words or clear a filter.'
      : (n === 1 ? '1 result ' : n + ' results ') + what + '.';
  }

  function showMore(mine) {
    var batch = current.ids.slice(current.shown, current.shown + PER_PAGE);
    current.shown += batch.length;
    more.hidden = true;
    return Promise.all(batch.map(function (id) {
      return getJSON('pages/' + id + '.json').catch(function () { return null; });
    })).then(function (fragments) {
      if (mine !== sequence) return;
      var firstNew = null;
      fragments.forEach(function (f) {
        if (!f) return;
        var item = result(f);
        firstNew = firstNew || item;
        list.appendChild(item);
      });
      more.hidden = current.shown >= current.ids.length;
      return firstNew;
    });
  }

  function element(name, className, text) {
    var el = document.createElement(name);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  function result(fragment) {
    var item = element('li', 'pb-search-result');
    var heading = element('h2', 'pb-search-result__title');
    var link = element('a', null, fragment.title);
    link.href = fragment.url; // always a site path the build wrote
    heading.appendChild(link);
    item.appendChild(heading);
    if (fragment.labels && fragment.labels.length) {
      item.appendChild(element('p', 'pb-search-result__meta', fragment.labels.join(' · ')));
    }
    if (fragment.summary) item.appendChild(element('p', 'pb-search-result__summary', fragment.summary));
    return item;
  }

  var timer = null;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  FACETS.forEach(function (facet) {
    var field = form.elements[facet];
    if (field) field.addEventListener('change', run);
  });
  more.addEventListener('click', function () {
    if (!current) return;
    var mine = sequence;
    showMore(mine).then(function (firstNew) {
      var link = firstNew && firstNew.querySelector('a');
      if (link) link.focus();
    });
  });

  // A search in the address (from a link, the home page's search box or a reload) runs at once.
  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  FACETS.forEach(function (facet) {
    var field = form.elements[facet];
    if (field && params.get(facet)) field.value = params.get(facet);
  });
  if (input.value || FACETS.some(function (f) { return params.get(f); })) run();
})();
