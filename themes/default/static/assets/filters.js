// Narrows a section's list of playbooks by stage, setting, role and technology without leaving
// the page. Without JavaScript the same block is a set of links to each value's list page;
// with it, those links give way to the form the page already holds, and cards that do not
// match are hidden. The choice is kept in the address (?stage=…), so it can be shared.
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
      status.textContent = chosen.length
        ? 'Showing ' + shown + ' of ' + cards.length + ' pages.'
        : 'Showing all ' + cards.length + ' pages.';
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
