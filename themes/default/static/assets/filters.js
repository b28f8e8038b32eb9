// Narrows a section's list of playbooks by stage, setting, role and technology without leaving
// the page. Without JavaScript the same block is a set of links to each value's list page;
// with it, those links give way to the form the page already holds, and cards that do not
// match are hidden. The choice is kept in the address (?stage=…), so it can be shared.
(function () {
  'use strict';

  var box = document.querySelector('[data-filters]');
  var form = box && box.querySelector('[data-filter-form]');
  var listEl = document.querySelector('[data-filter-list]');
  if (!form || !listEl || !window.URLSearchParams || !window.history) return;

  var links = box.querySelector('[data-filter-links]');
  var status = box.querySelector('[data-filter-status]');
  var cards = Array.prototype.slice.call(listEl.children);
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'));

  function values(card, facet) {
    var text = card.getAttribute('data-filter-' + facet);
    return text === null ? null : text.split(' ').filter(Boolean);
  }

  function apply(announce) {
    var chosen = selects.filter(function (s) { return s.value; });
    var shown = 0;
    cards.forEach(function (card) {
      var match = chosen.every(function (s) {
        var have = values(card, s.name);
        return have !== null && have.indexOf(s.value) >= 0;
      });
      card.hidden = !match;
      if (match) shown++;
    });
    var params = new URLSearchParams(location.search);
    selects.forEach(function (s) {
      if (s.value) params.set(s.name, s.value); else params.delete(s.name);
    });
    var search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : '') + location.hash);
    if (announce) {
      status.textContent = chosen.length
        ? 'Showing ' + shown + ' of ' + cards.length + ' pages.'
        : 'Showing all ' + cards.length + ' pages.';
    }
  }

  var params = new URLSearchParams(location.search);
  selects.forEach(function (s) {
    var wanted = params.get(s.name);
    if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) {
      s.value = wanted;
    }
    s.addEventListener('change', function () { apply(true); });
  });
  form.addEventListener('reset', function () {
    // The form's values change only after the reset event.
    setTimeout(function () { apply(true); }, 0);
  });
  form.addEventListener('submit', function (event) { event.preventDefault(); });

  if (links) links.hidden = true;
  form.hidden = false;
  apply(selects.some(function (s) { return s.value; }));
})();
