// Checklist progress on playbook pages and role views, kept in this browser only. One
// localStorage entry per playbook: "playbook:v1:<playbook URL>" -> {"<checklist id>": {"<item id>": true}}
// (false for a box written ticked that the reader unticked).
// Progressive enhancement: without this script the boxes still tick and print. Page text is only
// ever set with textContent, never parsed as HTML.
(function () {
  'use strict';

  // The start of every storage key, before the playbook's URL.
  const PREFIX = 'playbook:v1:';
  const BOXES = '[data-checklist] input[type=checkbox][data-item]';
  // The phases in the order a playbook goes through them; "none" is a task list in the text.
  const PHASES = ['prepare', 'pilot', 'go-live', 'scale', 'sustain', 'none'];

  const allBoxes = [...document.querySelectorAll('[data-playbook] ' + BOXES)];
  if (!allBoxes.length) return;
  const storage = openStorage();

  // localStorage, or null when this browser does not let the page keep anything.
  function openStorage() {
    try {
      window.localStorage.getItem(PREFIX);
      return window.localStorage;
    } catch (error) {
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

  // "1 item", "2 items".
  function plural(count, one, many) {
    return count + ' ' + (count === 1 ? one : many);
  }

  // The ticks saved for one playbook, {} when there are none or they cannot be read.
  function readSaved(url) {
    try {
      const saved = JSON.parse(storage.getItem(PREFIX + url));
      return saved && typeof saved === 'object' ? saved : {};
    } catch (error) {
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
    try {
      if (Object.keys(saved).length) storage.setItem(PREFIX + url, JSON.stringify(saved));
      else storage.removeItem(PREFIX + url);
    } catch (error) {
      showMessage('This browser could not save your ticks.');
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

  function addMeter(scope, className, prefix) {
    const meter = element('div', 'pb-progress ' + className);
    const text = element('p', 'pb-progress__text');
    const bar = element('progress', 'pb-progress__bar');
    bar.setAttribute('aria-hidden', 'true');
    meter.append(text, bar);
    meters.set(scope, (done, total) => {
      text.textContent = prefix + done + ' of ' + total + ' done';
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
    list.insertBefore(addMeter(list, 'pb-progress--checklist', ''), list.querySelector('ul,ol'));
    const reset = button('Reset this checklist', () => resetList(list));
    reset.classList.add('pb-checklist__reset');
    reset.setAttribute('aria-label', 'Reset this checklist: ' + titleOf(list));
    list.append(reset);
  }
  // Each playbook's total takes the place the page keeps for it.
  for (const playbook of document.querySelectorAll('[data-playbook]')) {
    const slot = playbook.querySelector('[data-progress-total]');
    if (slot && boxesIn(playbook).length) slot.replaceWith(addMeter(playbook, 'pb-progress--total', 'In total: '));
  }

  // Unticks a checklist back to how the page was written, once the reader confirms.
  function resetList(list) {
    if (!window.confirm('Untick every item in "' + titleOf(list) + '"? This cannot be undone.')) return;
    for (const box of boxesIn(list)) {
      box.checked = box.defaultChecked;
      saveBox(box);
    }
    updateMeters();
    showMessage(titleOf(list) + ' has been reset.');
  }

  // Filters: by owner role and by phase (task lists in the text have neither: "none").
  // An item's owner is the role its owner line links to (the line the box is described by).
  function ownerLinkOf(box) {
    const ownerLine = document.getElementById(box.getAttribute('aria-describedby'));
    return ownerLine && ownerLine.querySelector('a[href^="/roles/"]');
  }

  function ownerOf(box) {
    const link = ownerLinkOf(box);
    return link ? link.getAttribute('href').split('/')[2] : 'none';
  }

  function phaseOf(box) {
    return listOf(box).dataset.phase || 'none';
  }

  const owners = new Map();
  const phases = new Map();
  for (const box of allBoxes) {
    const link = ownerLinkOf(box);
    owners.set(ownerOf(box), link ? link.textContent : 'No owner named');
    phases.set(phaseOf(box), listOf(box).dataset.phaseName || 'No phase (checklists in the text)');
  }
  const filters = element('div', 'pb-checklist-tools__filters');
  // Owners by name, with no owner last; phases in the order a playbook goes through them.
  const ownerSelect = addFilter('Owner', 'owner', 'Every owner', [...owners].sort(([id, name], [otherId, otherName]) =>
    (id === 'none') - (otherId === 'none') || name.localeCompare(otherName)));
  const phaseSelect = addFilter('Phase', 'phase', 'Every phase', [...phases].sort(([id], [otherId]) =>
    PHASES.indexOf(id) - PHASES.indexOf(otherId)));

  // A labelled select for one filter, or null when there is nothing to choose between.
  function addFilter(label, name, anyText, options) {
    if (options.length < 2) return null;
    const group = element('div', 'pb-filter');
    const labelElement = element('label', 'pb-filter__label', label);
    const select = element('select', 'pb-select');
    labelElement.htmlFor = select.id = 'pb-filter-' + name;
    select.append(new Option(anyText, ''));
    for (const [value, text] of options) select.append(new Option(text, value));
    select.addEventListener('change', applyFilters);
    group.append(labelElement, select);
    filters.append(group);
    return select;
  }

  // Hides the items, checklists and phase headings that the chosen owner and phase leave out.
  function applyFilters() {
    const owner = ownerSelect ? ownerSelect.value : '';
    const phase = phaseSelect ? phaseSelect.value : '';
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
    const items = plural(allBoxes.length, 'item', 'items');
    showMessage(owner || phase ? 'Showing ' + shown + ' of ' + items + '.' : 'Showing all ' + items + '.');
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
    const pageName = location.pathname.split('/').filter(Boolean).join('-') || 'playbook';
    link.download = pageName + '-progress-' + progress.exported.slice(0, 10) + '.json';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10000);
    showMessage('Your progress was saved to the file ' + link.download + '.');
  }

  // Import: ticks the boxes a progress file names; items not on this page are counted and ignored.
  function importProgress(text) {
    const progress = JSON.parse(text);
    if (!progress || progress.format !== 'playbook-progress' || !progress.playbooks || typeof progress.playbooks !== 'object') {
      throw new Error('not a progress file');
    }
    const keys = allBoxes.map((box) => keyOf(box).join('\n'));
    let imported = 0;
    let ignored = 0;
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
    let outcome = 'Imported ' + plural(imported, 'item', 'items') + '.';
    if (ignored) {
      outcome += ' ' + plural(ignored, 'item in the file is', 'items in the file are') + ' not on this page and ' + (ignored === 1 ? 'was' : 'were') + ' ignored.';
    }
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
      .catch(() => showMessage('That file could not be imported: choose a progress file exported from this site.'))
      .finally(() => {
        picker.value = '';
      });
  });
  const actions = element('div', 'pb-checklist-tools__actions');
  actions.append(button('Export progress', exportProgress), button('Import progress', () => picker.click()), picker);

  tools.append(filters, actions, message, liveRegion);
  if (!storage) showMessage('This browser is not keeping your ticks: they will be lost when you leave the page.');

  // A box ticked or unticked: save it, update the meters and read out its checklist's progress.
  document.addEventListener('change', (event) => {
    const box = event.target;
    if (!allBoxes.includes(box)) return;
    saveBox(box);
    updateMeters();
    const list = listOf(box);
    const boxes = boxesIn(list);
    liveRegion.textContent = titleOf(list) + ': ' + countTicked(boxes) + ' of ' + boxes.length + ' done.';
  });
  // Another tab changed the saved ticks (or the reader cleared them): show them here too.
  window.addEventListener('storage', (event) => {
    if (!event.key || event.key.startsWith(PREFIX)) restoreSaved();
  });
  restoreSaved();
})();
