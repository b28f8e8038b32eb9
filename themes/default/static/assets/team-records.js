// "Show the record of: <team>" on a playbook page: marks the items a team's record in the site
// says are done, read-only and apart from the reader's own ticks, which it never changes.
// Without this script the page keeps its list of links to the team pages.
(function () {
  'use strict';

  const section = document.querySelector('[data-team-records]');
  if (!section) return;
  const teams = [...section.querySelectorAll('[data-team-done]')];
  const boxes = [...document.querySelectorAll('[data-playbook] [data-checklist] input[type=checkbox][data-item]')];

  // A new element with an optional class and text (set as text, never as HTML).
  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  // Marks (or, with no team, unmarks) each item the team has done and says how many.
  function markTeamItems(team, status) {
    const done = team ? team.dataset.teamDone.split(' ') : [];
    let marked = 0;
    for (const box of boxes) {
      const key = box.closest('[data-checklist]').dataset.checklist + '/' + box.dataset.item;
      const isDone = done.includes(key);
      box.closest('li').classList.toggle('pb-team-ticked', isDone);
      if (isDone) marked++;
    }
    status.textContent = team
      ? team.dataset.teamName + ': ' + marked + (marked === 1 ? ' item' : ' items') +
        ' done in the team record, marked below. Your own ticks are unchanged.'
      : '';
  }

  const label = element('label', 'pb-label', 'Show the record of:');
  const select = element('select', 'pb-select');
  select.id = 'pb-team-record';
  label.htmlFor = select.id;
  select.append(new Option('No team (only my ticks)', ''));
  teams.forEach((team, index) => select.append(new Option(team.dataset.teamName, String(index))));
  const status = element('p', 'pb-team-records__status');
  status.setAttribute('role', 'status');
  select.addEventListener('change', () => markTeamItems(select.value === '' ? null : teams[Number(select.value)], status));
  const control = element('div', 'pb-team-records__control');
  control.append(label, select, status);
  section.append(control);
})();
