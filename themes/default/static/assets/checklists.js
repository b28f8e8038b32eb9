// Checklist progress on playbook pages and role views, kept in this browser only. One
// localStorage entry per playbook: "playbook:v1:<playbook URL>" -> {"<checklist id>": {"<item id>": true}}
// (false for a box written ticked that the reader unticked).
// Progressive enhancement: without this script the boxes still tick and print. Page text is only
// ever set with textContent, never parsed as HTML.
(() => {
  'use strict';
  const d = document, P = 'playbook:v1:', SEL = '[data-checklist] input[type=checkbox][data-item]';
  const ORDER = ['prepare', 'pilot', 'go-live', 'scale', 'sustain', 'none'];
  const all = [...d.querySelectorAll('[data-playbook] ' + SEL)];
  if (!all.length) return;
  let store = null;
  try { store = window.localStorage; store.getItem(P); } catch (e) { store = null; }

  const el = (tag, cls, text) => {
    const e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const boxes = (scope) => [...scope.querySelectorAll(SEL)];
  const done = (list) => list.filter((b) => b.checked).length;
  const key = (box) => {
    const list = box.closest('[data-checklist]');
    return { url: box.closest('[data-playbook]').dataset.playbook, list, c: list.dataset.checklist, i: box.dataset.item };
  };
  const title = (list) => list.getAttribute('aria-label') || (list.querySelector('h2,h3,h4,h5,h6') || list).textContent.trim();
  const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
  const byKey = {};
  all.forEach((b) => { const k = key(b); (byKey[k.url + '\n' + k.c + '\n' + k.i] ||= []).push(b); });

  const read = (url) => {
    try { const v = JSON.parse(store.getItem(P + url)); return v && typeof v === 'object' ? v : {}; } catch (e) { return {}; }
  };
  const remember = (box) => {
    if (!store) return;
    const k = key(box), data = read(k.url);
    if (!data[k.c] || typeof data[k.c] !== 'object') data[k.c] = {};
    const c = data[k.c];
    if (box.checked === box.defaultChecked) delete c[k.i]; else c[k.i] = box.checked;
    if (!Object.keys(c).length) delete data[k.c];
    try {
      if (Object.keys(data).length) store.setItem(P + k.url, JSON.stringify(data)); else store.removeItem(P + k.url);
    } catch (e) { tell('This browser could not save your ticks.'); }
  };

  // Controls exist only when the script runs, so the page without it stays a plain checklist.
  let tools = d.querySelector('[data-checklist-tools]');
  if (!tools) {
    const first = all[0].closest('[data-checklist]');
    tools = first.parentNode.insertBefore(el('div', 'pb-checklist-tools'), first);
  }
  const live = el('div', 'pb-visually-hidden');
  live.setAttribute('aria-live', 'polite');
  const message = el('p', 'pb-checklist-tools__message');
  message.setAttribute('role', 'status');
  const say = (text) => { live.textContent = text; };
  const tell = (text) => { message.textContent = text; };

  const meter = (cls) => {
    const box = el('div', 'pb-progress ' + cls), text = el('p', 'pb-progress__text'), bar = el('progress', 'pb-progress__bar');
    bar.setAttribute('aria-hidden', 'true');
    box.append(text, bar);
    box.set = (n, m, prefix) => { text.textContent = prefix + n + ' of ' + m + ' done'; bar.max = m || 1; bar.value = n; };
    return box;
  };
  const lists = [...new Set(all.map((b) => b.closest('[data-checklist]')))];
  lists.forEach((list) => {
    list.pbMeter = meter('pb-progress--checklist');
    list.insertBefore(list.pbMeter, list.querySelector('ul,ol'));
    const reset = el('button', 'pb-button pb-button--secondary pb-checklist__reset', 'Reset this checklist');
    reset.type = 'button';
    reset.setAttribute('aria-label', 'Reset this checklist: ' + title(list));
    reset.addEventListener('click', () => {
      if (!window.confirm('Untick every item in "' + title(list) + '"? This cannot be undone.')) return;
      boxes(list).forEach((b) => { b.checked = b.defaultChecked; remember(b); });
      update();
      tell(title(list) + ' has been reset.');
    });
    list.append(reset);
  });
  const roots = [...d.querySelectorAll('[data-playbook]')].filter((r) => boxes(r).length);
  roots.forEach((root) => {
    const slot = root.querySelector('[data-progress-total]');
    if (!slot) return;
    root.pbMeter = meter('pb-progress--total');
    slot.replaceWith(root.pbMeter);
  });

  const update = () => {
    lists.concat(roots).forEach((scope) => {
      if (!scope.pbMeter) return;
      const b = boxes(scope);
      scope.pbMeter.set(done(b), b.length, lists.includes(scope) ? '' : 'In total: ');
    });
  };
  const restore = () => {
    const cache = {};
    all.forEach((b) => {
      const k = key(b), c = (cache[k.url] ||= read(k.url))[k.c];
      b.checked = c && typeof c[k.i] === 'boolean' ? c[k.i] : b.defaultChecked;
    });
    update();
  };

  // Filters: by owner role and by phase (task lists in the text have neither: "none").
  const choice = (label, name, options) => {
    if (options.length < 2) return null;
    const wrap = el('div', 'pb-filter'), l = el('label', 'pb-filter__label', label), s = el('select', 'pb-select');
    l.htmlFor = s.id = 'pb-filter-' + name;
    s.append(new Option(name === 'owner' ? 'Every owner' : 'Every phase', ''));
    options.forEach(([value, text]) => s.append(new Option(text, value)));
    s.addEventListener('change', filter);
    wrap.append(l, s);
    filters.append(wrap);
    return s;
  };
  // An item's owner is the role its owner line links to (the line the box is described by).
  const ownerLink = (b) => { const m = d.getElementById(b.getAttribute('aria-describedby')); return m && m.querySelector('a[href^="/roles/"]'); };
  const ownerOf = (b) => { const a = ownerLink(b); return a ? a.getAttribute('href').split('/')[2] : 'none'; };
  const phaseOf = (b) => key(b).list.dataset.phase || 'none';
  const owners = new Map(), phases = new Map();
  all.forEach((b) => {
    const a = ownerLink(b), list = key(b).list;
    owners.set(ownerOf(b), a ? a.textContent : 'No owner named');
    phases.set(phaseOf(b), list.dataset.phaseName || 'No phase (checklists in the text)');
  });
  const filters = el('div', 'pb-checklist-tools__filters');
  const ownerSelect = choice('Owner', 'owner', [...owners].sort((a, b) => (a[0] === 'none') - (b[0] === 'none') || a[1].localeCompare(b[1])));
  const phaseSelect = choice('Phase', 'phase', [...phases].sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0])));
  function filter() {
    const o = ownerSelect ? ownerSelect.value : '', p = phaseSelect ? phaseSelect.value : '';
    let shown = 0;
    all.forEach((b) => {
      const ok = (!o || ownerOf(b) === o) && (!p || phaseOf(b) === p);
      b.closest('li').hidden = !ok;
      shown += ok;
    });
    lists.forEach((list) => { list.hidden = !boxes(list).some((b) => !b.closest('li').hidden); });
    d.querySelectorAll('[data-phase-heading]').forEach((h) => {
      h.hidden = ![...h.parentNode.querySelectorAll('[data-checklist]')]
        .some((l) => !l.hidden && (l.dataset.phase || 'none') === h.dataset.phaseHeading);
    });
    tell(o || p ? 'Showing ' + shown + ' of ' + plural(all.length, 'item', 'items') + '.' : 'Showing all ' + plural(all.length, 'item', 'items') + '.');
  }

  // Export and import: a JSON file holding every item on this page, ticked or not.
  const button = (text, action) => {
    const b = el('button', 'pb-button pb-button--secondary', text);
    b.type = 'button';
    b.addEventListener('click', action);
    actions.append(b);
    return b;
  };
  const actions = el('div', 'pb-checklist-tools__actions');
  button('Export progress', () => {
    const out = { format: 'playbook-progress', version: 1, exported: new Date().toISOString(), playbooks: {} };
    all.forEach((b) => {
      const k = key(b), pb = (out.playbooks[k.url] ||= {});
      (pb[k.c] ||= {})[k.i] = b.checked;
    });
    const a = el('a'), href = URL.createObjectURL(new Blob([JSON.stringify(out, null, 2)], { type: 'application/json' }));
    a.href = href;
    a.download = (location.pathname.split('/').filter(Boolean).join('-') || 'playbook') + '-progress-' + out.exported.slice(0, 10) + '.json';
    d.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
    tell('Your progress was saved to the file ' + a.download + '.');
  });
  const file = el('input');
  file.type = 'file';
  file.accept = '.json,application/json';
  file.hidden = true;
  file.setAttribute('data-checklist-import', '');
  button('Import progress', () => file.click());
  file.addEventListener('change', () => {
    const f = file.files[0];
    if (!f) return;
    f.text().then((text) => {
      const data = JSON.parse(text);
      if (!data || data.format !== 'playbook-progress' || !data.playbooks || typeof data.playbooks !== 'object') throw new Error();
      let n = 0, gone = 0;
      Object.entries(data.playbooks).forEach(([url, pb]) => Object.entries(Object(pb)).forEach(([c, items]) =>
        Object.entries(Object(items)).forEach(([i, v]) => {
          if (typeof v !== 'boolean') return;
          const found = byKey[url + '\n' + c + '\n' + i];
          if (!found) { gone++; return; }
          found.forEach((b) => { b.checked = v; remember(b); });
          n++;
        })));
      update();
      tell('Imported ' + plural(n, 'item', 'items') + '.' + (gone ? ' ' + plural(gone, 'item in the file is', 'items in the file are') + ' not on this page and ' + (gone === 1 ? 'was' : 'were') + ' ignored.' : ''));
    }).catch(() => tell('That file could not be imported: choose a progress file exported from this site.'))
      .finally(() => { file.value = ''; });
  });
  actions.append(file);

  tools.append(filters, actions, message, live);
  if (!store) tell('This browser is not keeping your ticks: they will be lost when you leave the page.');
  d.addEventListener('change', (e) => {
    if (!all.includes(e.target)) return;
    remember(e.target);
    update();
    const list = key(e.target).list, b = boxes(list);
    say(title(list) + ': ' + done(b) + ' of ' + b.length + ' done.');
  });
  window.addEventListener('storage', (e) => { if (!e.key || e.key.startsWith(P)) restore(); });
  restore();
})();
