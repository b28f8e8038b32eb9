// Checklist progress on playbook pages and role views, kept in this browser only. One
// localStorage entry per playbook: "playbook:v1:<playbook URL>" -> {"<checklist id>": {"<item id>": true}}
// (false for a box written ticked that the reader unticked). The playbook URL is its site path
// (data-playbook), without the path the site is published under, so ticks keep their meaning
// wherever the site is hosted.
// Progressive enhancement: without this script the boxes still tick and print. Page text is only
// ever set with textContent, never parsed as HTML. Messages are in the page's language: the page
// may hold them as JSON in #pb-strings; the English ones below are used otherwise.
(function () {
  'use strict';

  // The start of every storage key, before the playbook's URL.
  const PREFIX = 'playbook:v1:';
  const BOXES = '[data-checklist] input[data-item]';
  // The phases in the order a playbook goes through them; "none" is a task list in the text.
  const PHASES = ['prepare', 'pilot', 'go-live', 'scale', 'sustain', 'none'];
  // The path the site is published under ('' at a domain's root): the page says it on <html>.
  const BASE = document.documentElement.getAttribute('data-base') || '';
  const ROLES = BASE + '/roles/';

  const allBoxes = [...document.querySelectorAll('[data-playbook] ' + BOXES)];
  if (!allBoxes.length) return;
  const storage = openStorage();
  // The messages in English, each replaced by the page's own when it holds them (JSON in
  // #pb-strings, in the page's language). {name} is filled in when a message is shown.
  const WORDS = {
    save_failed: 'This browser could not save your ticks.',
    not_kept: 'This browser is not keeping your ticks: they will be lost when you leave the page.',
    reset: 'Reset this checklist',
    reset_label: 'Reset this checklist: {title}',
    reset_confirm: 'Untick every item in "{title}"? This cannot be undone.',
    reset_done: '{title} has been reset.',
    progress: '{done} of {total} done',
    progress_total: 'In total: {done} of {total} done',
    announce: '{title}: {done} of {total} done.',
    owner: 'Owner',
    every_owner: 'Every owner',
    no_owner: 'No owner named',
    phase: 'Phase',
    every_phase: 'Every phase',
    no_phase: 'No phase (checklists in the text)',
    items_one: '{count} item',
    items_other: '{count} items',
    showing: 'Showing {shown} of {items}.',
    showing_all: 'Showing all {items}.',
    export: 'Export progress',
    import: 'Import progress',
    exported: 'Your progress was saved to the file {file}.',
    imported: 'Imported {items}.',
    ignored_one: '{count} item in the file is not on this page and was ignored.',
    ignored_other: '{count} items in the file are not on this page and were ignored.',
    import_failed: 'That file could not be imported: choose a progress file exported from this site.',
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

  // "1 item", "2 items": the message key_one for 1, key_other for any other count.
  function counted(key, count) {
    return say(key + (count === 1 ? '_one' : '_other'), { count });
  }

  // localStorage, or null when this browser does not let the page keep anything.
  function openStorage() {
    try {
      localStorage.getItem(PREFIX);
      return localStorage;
    } catch {
      return null;
    }
  }

  // A new element with an optional class and text (set as text, never as HTML).
  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  // A secondary button (type=button: it never submits a form) that runs the action when clicked.
  function button(text, action) {
    const made = element('button', 'pb-button pb-button--secondary', text);
    made.type = 'button';
    made.addEventListener('click', action);
    return made;
  }

  // The tickable boxes inside a checklist or a whole playbook.
  function boxesIn(scope) {
    return [...scope.querySelectorAll(BOXES)];
  }

  function countTicked(boxes) {
    return boxes.filter((box) => box.checked).length;
  }

  // The checklist a box is in: its [data-checklist] element, called a list below.
  function listOf(box) {
    return box.closest('[data-checklist]');
  }

  // Where a box's tick is kept: [its playbook's URL, its checklist's id, its item's id].
  function keyOf(box) {
    return [box.closest('[data-playbook]').dataset.playbook, listOf(box).dataset.checklist, box.dataset.item];
  }

  // A checklist's name: its aria-label, else the text of its heading.
  function titleOf(list) {
    const heading = list.querySelector('h2,h3,h4,h5,h6') || list;
    return list.getAttribute('aria-label') || heading.textContent.trim();
  }

  // The ticks saved for one playbook, {} when there are none or they cannot be read.
  function readSaved(url) {
    try {
      const saved = JSON.parse(storage.getItem(PREFIX + url));
      return saved && typeof saved === 'object' ? saved : {};
    } catch {
      return {};
    }
  }

  // Saves one box: only a box that differs from how the page was written is kept.
  function saveBox(box) {
    if (!storage) return;
    const [url, listId, itemId] = keyOf(box);
    const saved = readSaved(url);
    if (!saved[listId] || typeof saved[listId] !== 'object') saved[listId] = {};
    const ticks = saved[listId];
    if (box.checked === box.defaultChecked) delete ticks[itemId];
    else ticks[itemId] = box.checked;
    if (!Object.keys(ticks).length) delete saved[listId];
    writeSaved(url, saved);
  }

  // Keeps one playbook's ticks (or forgets them when there are none left).
  function writeSaved(url, saved) {
    try {
      if (Object.keys(saved).length) storage.setItem(PREFIX + url, JSON.stringify(saved));
      else storage.removeItem(PREFIX + url);
    } catch {
      showMessage(say('save_failed'));
    }
  }

  // Renamed items (format 1.1): each [data-renamed] holds its playbook's renames, oldest first,
  // as [["old-list/old-item", "new-list/new-item"], ...]. A tick saved under an old id moves to
  // the new one; a tick already saved under the new id wins.
  function moveRenamedTicks() {
    if (!storage) return;
    for (const holder of document.querySelectorAll('[data-renamed]')) {
      const playbook = holder.closest('[data-playbook]');
      if (!playbook) continue;
      const url = playbook.dataset.playbook;
      const saved = readSaved(url);
      try {
        for (const [from, to] of JSON.parse(holder.dataset.renamed)) {
          const [oldList, oldItem] = from.split('/');
          const [newList, newItem] = to.split('/');
          const ticks = saved[oldList];
          if (!ticks || !Object.hasOwn(ticks, oldItem)) continue;
          const tick = ticks[oldItem];
          delete ticks[oldItem];
          if (!Object.keys(ticks).length) delete saved[oldList];
          saved[newList] = { [newItem]: tick, ...saved[newList] };
        }
      } catch {
        continue;
      }
      writeSaved(url, saved);
    }
  }

  // Ticks every box as saved in this browser (or as the page was written) and updates the meters.
  function restoreSaved() {
    const savedByUrl = {};
    for (const box of allBoxes) {
      const [url, listId, itemId] = keyOf(box);
      const ticks = (savedByUrl[url] ||= readSaved(url))[listId];
      box.checked = ticks && typeof ticks[itemId] === 'boolean' ? ticks[itemId] : box.defaultChecked;
    }
    updateMeters();
  }

  // The controls exist only when the script runs, so the page without it stays a plain checklist.
  const tools = document.querySelector('[data-checklist-tools]') || insertTools();
  // Read out to screen reader users: the progress of the checklist they just ticked in.
  const liveRegion = element('div', 'pb-visually-hidden');
  liveRegion.setAttribute('aria-live', 'polite');
  const message = element('p', 'pb-checklist-tools__message');
  message.setAttribute('role', 'status');

  // A place for the controls before the first checklist, on a page that keeps none.
  function insertTools() {
    const first = listOf(allBoxes[0]);
    return first.parentNode.insertBefore(element('div', 'pb-checklist-tools'), first);
  }

  // Shown under the controls (and read out, as a status): what an action did.
  function showMessage(text) {
    message.textContent = text;
  }

  // Progress meters: "3 of 10 done" and a bar, for each checklist and each playbook's total.
  const meters = new Map();

  function addMeter(scope, className, key) {
    const meter = element('div', 'pb-progress ' + className);
    const text = element('p', 'pb-progress__text');
    const bar = element('progress', 'pb-progress__bar');
    bar.setAttribute('aria-hidden', 'true');
    meter.append(text, bar);
    meters.set(scope, (done, total) => {
      text.textContent = say(key, { done, total });
      bar.max = total || 1;
      bar.value = done;
    });
    return meter;
  }

  function updateMeters() {
    meters.forEach((show, scope) => {
      const boxes = boxesIn(scope);
      show(countTicked(boxes), boxes.length);
    });
  }

  // Each list gets a meter before its items and a reset button after them.
  const lists = [...new Set(allBoxes.map(listOf))];
  for (const list of lists) {
    list.insertBefore(addMeter(list, 'pb-progress--checklist', 'progress'), list.querySelector('ul,ol'));
    const reset = button(say('reset'), () => resetList(list));
    reset.classList.add('pb-checklist__reset');
    reset.setAttribute('aria-label', say('reset_label', { title: titleOf(list) }));
    list.append(reset);
  }
  // Each playbook's total takes the place the page keeps for it.
  for (const playbook of document.querySelectorAll('[data-playbook]')) {
    const slot = playbook.querySelector('[data-progress-total]');
    if (slot && boxesIn(playbook).length) slot.replaceWith(addMeter(playbook, 'pb-progress--total', 'progress_total'));
  }

  // Unticks a checklist back to how the page was written, once the reader confirms.
  function resetList(list) {
    if (!confirm(say('reset_confirm', { title: titleOf(list) }))) return;
    for (const box of boxesIn(list)) {
      box.checked = box.defaultChecked;
      saveBox(box);
    }
    updateMeters();
    showMessage(say('reset_done', { title: titleOf(list) }));
  }

  // Filters: by owner role and by phase (task lists in the text have neither: "none").
  // An item's owner is the role its owner line links to (the line the box is described by).
  function ownerLinkOf(box) {
    const ownerLine = document.getElementById(box.getAttribute('aria-describedby'));
    return ownerLine && ownerLine.querySelector('a[href^="' + ROLES + '"]');
  }

  function ownerOf(box) {
    const link = ownerLinkOf(box);
    return link ? link.getAttribute('href').slice(ROLES.length).split('/')[0] : 'none';
  }

  function phaseOf(box) {
    return listOf(box).dataset.phase || 'none';
  }

  const owners = new Map();
  const phases = new Map();
  for (const box of allBoxes) {
    const link = ownerLinkOf(box);
    owners.set(ownerOf(box), link ? link.textContent : say('no_owner'));
    phases.set(phaseOf(box), listOf(box).dataset.phaseName || say('no_phase'));
  }
  const filters = element('div', 'pb-checklist-tools__filters');
  // Owners by name, with no owner last; phases in the order a playbook goes through them.
  const ownerSelect = addFilter(say('owner'), 'owner', say('every_owner'), [...owners].sort(([id, name], [otherId, otherName]) =>
    (id === 'none') - (otherId === 'none') || name.localeCompare(otherName)));
  const phaseSelect = addFilter(say('phase'), 'phase', say('every_phase'), [...phases].sort(([id], [otherId]) =>
    PHASES.indexOf(id) - PHASES.indexOf(otherId)));

  // A labelled select for one filter, or null when there is nothing to choose between.
  function addFilter(label, name, anyText, options) {
    if (options.length < 2) return null;
    const group = element('div', 'pb-filter');
    const caption = element('label', 'pb-filter__label', label);
    const select = element('select', 'pb-select');
    caption.htmlFor = select.id = 'pb-filter-' + name;
    select.append(new Option(anyText, ''));
    for (const [value, text] of options) select.append(new Option(text, value));
    select.addEventListener('change', applyFilters);
    group.append(caption, select);
    filters.append(group);
    return select;
  }

  // Hides the items, checklists and phase headings that the chosen owner and phase leave out.
  function applyFilters() {
    const owner = ownerSelect?.value || '';
    const phase = phaseSelect?.value || '';
    let shown = 0;
    for (const box of allBoxes) {
      const matches = (!owner || ownerOf(box) === owner) && (!phase || phaseOf(box) === phase);
      box.closest('li').hidden = !matches;
      if (matches) shown++;
    }
    for (const list of lists) {
      list.hidden = !boxesIn(list).some((box) => !box.closest('li').hidden);
    }
    for (const heading of document.querySelectorAll('[data-phase-heading]')) {
      const below = [...heading.parentNode.querySelectorAll('[data-checklist]')];
      heading.hidden = !below.some((list) =>
        !list.hidden && (list.dataset.phase || 'none') === heading.dataset.phaseHeading);
    }
    const items = counted('items', allBoxes.length);
    showMessage(owner || phase ? say('showing', { shown, items }) : say('showing_all', { items }));
  }

  // Export: a JSON file holding every item on this page, ticked or not.
  function exportProgress() {
    const progress = { format: 'playbook-progress', version: 1, exported: new Date().toISOString(), playbooks: {} };
    for (const box of allBoxes) {
      const [url, listId, itemId] = keyOf(box);
      const playbook = (progress.playbooks[url] ||= {});
      (playbook[listId] ||= {})[itemId] = box.checked;
    }
    const href = URL.createObjectURL(new Blob([JSON.stringify(progress, null, 2)], { type: 'application/json' }));
    const link = element('a');
    link.href = href;
    const pageName = location.pathname.slice(BASE.length).split('/').filter(Boolean).join('-') || 'playbook';
    link.download = pageName + '-progress-' + progress.exported.slice(0, 10) + '.json';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
    showMessage(say('exported', { file: link.download }));
  }

  // Import: ticks the boxes a progress file names; items not on this page are counted and ignored.
  function importProgress(text) {
    const progress = JSON.parse(text);
    if (!progress || progress.format !== 'playbook-progress' || !progress.playbooks || typeof progress.playbooks !== 'object') {
      throw new Error('not a progress file');
    }
    const keys = allBoxes.map((box) => keyOf(box).join('\n'));
    let imported = 0, ignored = 0;
    for (const [url, playbook] of Object.entries(progress.playbooks)) {
      for (const [listId, ticks] of Object.entries(Object(playbook))) {
        for (const [itemId, ticked] of Object.entries(Object(ticks))) {
          if (typeof ticked !== 'boolean') continue;
          const key = [url, listId, itemId].join('\n');
          const boxes = allBoxes.filter((box, index) => keys[index] === key);
          if (!boxes.length) {
            ignored++;
            continue;
          }
          for (const box of boxes) {
            box.checked = ticked;
            saveBox(box);
          }
          imported++;
        }
      }
    }
    updateMeters();
    let outcome = say('imported', { items: counted('items', imported) });
    if (ignored) outcome += ' ' + counted('ignored', ignored);
    showMessage(outcome);
  }

  const picker = element('input');
  picker.type = 'file';
  picker.accept = '.json,application/json';
  picker.hidden = true;
  picker.setAttribute('data-checklist-import', '');
  picker.addEventListener('change', () => {
    const file = picker.files[0];
    if (!file) return;
    file.text()
      .then(importProgress)
      .catch(() => showMessage(say('import_failed')))
      .finally(() => {
        picker.value = '';
      });
  });
  const actions = element('div', 'pb-checklist-tools__actions');
  actions.append(button(say('export'), exportProgress), button(say('import'), () => picker.click()), picker);

  tools.append(filters, actions, message, liveRegion);
  if (!storage) showMessage(say('not_kept'));

  // A box ticked or unticked: save it, update the meters and read out its checklist's progress.
  document.addEventListener('change', (event) => {
    const box = event.target;
    if (!allBoxes.includes(box)) return;
    saveBox(box);
    updateMeters();
    const list = listOf(box);
    const boxes = boxesIn(list);
    liveRegion.textContent = say('announce', { title: titleOf(list), done: countTicked(boxes), total: boxes.length });
  });
  // Another tab changed the saved ticks (or the reader cleared them): show them here too.
  addEventListener('storage', (event) => {
    if (!event.key || event.key.startsWith(PREFIX)) restoreSaved();
  });
  moveRenamedTicks();
  restoreSaved();
})();
