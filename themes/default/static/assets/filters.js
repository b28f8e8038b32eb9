// Narrows a section's list of playbooks by stage, setting, role and technology without leaving
// the page. Without JavaScript the same block is a set of links to each value's list page;
// with it, those links give way to the form the page already holds, and cards that do not
// match are hidden. The choice is kept in the address (?stage=…), so it can be shared. Its
// messages are in the page's language when the page holds them (JSON in #pb-strings).
(function () {
  'use strict';

  const box = document.querySelector('[data-filters]');
  const form = box && box.querySelector('[data-filter-form]');
  const cardList = document.querySelector('[data-filter-list]');
  if (!form || !cardList || !window.URLSearchParams || !window.history) return;

  const links = box.querySelector('[data-filter-links]');
  const status = box.querySelector('[data-filter-status]');
  const cards = [...cardList.children];
  const selects = [...form.querySelectorAll('select')];
  // The messages in English, each replaced by the page's own when it holds them.
  const WORDS = {
    filter_showing: 'Showing {shown} of {total} pages.',
    filter_showing_all: 'Showing all {total} pages.',
  };
  try {
    Object.assign(WORDS, JSON.parse(document.getElementById('pb-strings').textContent));
  } catch {
    // The page holds no messages of its own: English it is.
  }
  const PLACEHOLDER = /\{(\w+)\}/g;

  // A message in the page's language, each {name} in it filled in from values.
  function say(key, values) {
    return WORDS[key].replace(PLACEHOLDER, (all, name) => (name in values ? values[name] : all));
  }

  // A card's values for one filter: data-filter-stage="pilot scale " gives ['pilot', 'scale'];
  // null when the card has no such attribute.
  function valuesOf(card, filter) {
    const text = card.dataset['filter' + filter[0].toUpperCase() + filter.slice(1)];
    return text === undefined ? null : text.split(' ').filter(Boolean);
  }

  // Shows the cards that match every chosen value, hides the others and keeps the choice in the address.
  function apply(announce) {
    const chosen = selects.filter((select) => select.value);
    let shown = 0;
    for (const card of cards) {
      const matches = chosen.every((select) => {
        const values = valuesOf(card, select.name);
        return values !== null && values.includes(select.value);
      });
      card.hidden = !matches;
      if (matches) shown++;
    }
    const params = new URLSearchParams(location.search);
    for (const select of selects) {
      if (select.value) params.set(select.name, select.value);
      else params.delete(select.name);
    }
    const query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash);
    if (announce) {
      const total = cards.length;
      status.textContent = chosen.length
        ? say('filter_showing', { shown, total })
        : say('filter_showing_all', { total });
    }
  }

  // A choice in the address (a shared link or a reload) is applied at once, when the form offers it.
  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && [...select.options].some((option) => option.value === wanted)) select.value = wanted;
    select.addEventListener('change', () => apply(true));
  }
  form.addEventListener('reset', () => {
    // The form's values change only after the reset event.
    setTimeout(() => apply(true), 0);
  });
  form.addEventListener('submit', (event) => event.preventDefault());

  if (links) links.hidden = true;
  form.hidden = false;
  apply(selects.some((select) => select.value));
})();
