// "Show the record of: <team>" on a playbook page: marks the items a team's record in the site
// says are done, read-only and apart from the reader's own ticks, which it never changes.
// Without this script the page keeps its list of links to the team pages. Its words are in the
// page's language when the page holds them (JSON in #pb-strings).
(function () {
  'use strict';

  const section = document.querySelector('[data-team-records]');
  if (!section) return;
  const teams = [...section.querySelectorAll('[data-team-done]')];
  const boxes = [...document.querySelectorAll('[data-playbook] [data-checklist] input[type=checkbox][data-item]')];
  // The words in English, each replaced by the page's own when it holds them.
  const WORDS = {
    team_show: 'Show the record of:',
    team_none: 'No team (only my ticks)',
    team_marked_one: '{team}: {count} item done in the team record, marked below. Your own ticks are unchanged.',
    team_marked_other: '{team}: {count} items done in the team record, marked below. Your own ticks are unchanged.',
  };
  try {
    Object.assign(WORDS, JSON.parse(document.getElementById('pb-strings').textContent));
  } catch {
    // The page holds no words of its own: English it is.
  }
  const PLACEHOLDER = /\{(\w+)\}/g;

  // A message in the page's language, each {name} in it filled in from values.
  function say(key, values) {
    return WORDS[key].replace(PLACEHOLDER, (all, name) => (values && name in values ? values[name] : all));
  }

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
    const key = marked === 1 ? 'team_marked_one' : 'team_marked_other';
    status.textContent = team ? say(key, { team: team.dataset.teamName, count: marked }) : '';
  }

  const label = element('label', 'pb-label', say('team_show'));
  const select = element('select', 'pb-select');
  select.id = 'pb-team-record';
  label.htmlFor = select.id;
  select.append(new Option(say('team_none'), ''));
  teams.forEach((team, index) => select.append(new Option(team.dataset.teamName, String(index))));
  const status = element('p', 'pb-team-records__status');
  status.setAttribute('role', 'status');
  select.addEventListener('change', () => markTeamItems(select.value === '' ? null : teams[Number(select.value)], status));
  const control = element('div', 'pb-team-records__control');
  control.append(label, select, status);
  section.append(control);
})();
