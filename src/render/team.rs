//! What the team pages show: `/teams/` (every team), `/teams/<id>/` (one team's record, by
//! playbook) and `/teams/<id>/progress.json`, and the team records a playbook page and a role
//! page show. Flat data → view mappings from `site.teams`.

use serde::Serialize;
use serde_json::{json, Value};

use crate::content::model::Phase;
use crate::site::progress::{
    items_of, missing_gates, site_path_of, team_url, DecisionRecord, Evidence, ItemInfo, Team,
    TeamPlaybook,
};
use crate::site::Site;

use super::i18n::Strings;

/// A team in the list of teams.
#[derive(Debug, Serialize)]
pub struct TeamCard {
    /// `/teams/<id>/`.
    pub url: String,
    /// The team's name.
    pub name: String,
    /// Its organisation.
    pub organisation: Option<String>,
    /// Each playbook it works through.
    pub playbooks: Vec<PlaybookSummary>,
}

/// One playbook of a team, in the list of teams.
#[derive(Debug, Serialize)]
pub struct PlaybookSummary {
    /// The playbook's title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Items done.
    pub done: usize,
    /// Items in all.
    pub total: usize,
    /// The newest decision, e.g. "Go, with conditions (Go-live), 20 November 2026".
    pub latest: Option<DecisionView>,
}

/// A decision as the pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    /// `go`, `go-with-conditions`, `no-go`, `paused`.
    pub decision: &'static str,
    /// "Go, with conditions", in the page's language.
    pub label: String,
    /// The phase's name.
    pub phase: String,
    /// ISO date.
    pub date: String,
    /// The date for people.
    pub date_human: String,
    /// Role names.
    pub by: Vec<String>,
    /// HTML made by this build.
    pub conditions_html: Option<String>,
    /// Where the record is.
    pub evidence: Option<EvidenceView>,
}

/// An evidence link.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// Where it goes.
    pub href: String,
    /// As written.
    pub text: String,
}

/// A team's page, per playbook.
#[derive(Debug, Serialize)]
pub struct TeamPlaybookView {
    /// The playbook's title.
    pub title: String,
    /// Its page.
    pub url: String,
    /// Anchor on the team page.
    pub anchor: String,
    /// Done of total per phase (phases with items only; task lists in the body last, as
    /// "Other checklists").
    pub phases: Vec<PhaseProgress>,
    /// Items done, in the order of the playbook.
    pub done: Vec<DoneView>,
    /// Gate items still open, whatever the decisions.
    pub open_gates: Vec<OpenGate>,
    /// Newest first.
    pub decisions: Vec<DecisionView>,
}

/// Done of total in one phase.
#[derive(Debug, Serialize)]
pub struct PhaseProgress {
    /// The phase's name.
    pub label: String,
    /// Items done.
    pub done: usize,
    /// Items in the phase.
    pub total: usize,
    /// Whole percent done, for the bar.
    pub percent: usize,
}

/// An item done, as the team page shows it.
#[derive(Debug, Serialize)]
pub struct DoneView {
    /// `checklist-id/item-id`.
    pub key: String,
    /// The item's text (HTML made by this build).
    pub text_html: String,
    /// Its checklist's title.
    pub checklist: String,
    /// ISO date.
    pub date: String,
    /// The date for people.
    pub date_human: String,
    /// The role's name.
    pub by: String,
    /// Where the evidence is.
    pub evidence: Option<EvidenceView>,
    /// HTML made by this build.
    pub note_html: Option<String>,
}

/// A gate item still open.
#[derive(Debug, Serialize)]
pub struct OpenGate {
    /// `checklist-id/item-id`.
    pub key: String,
    /// The item's text (HTML made by this build).
    pub text_html: String,
    /// Its checklist's title.
    pub checklist: String,
    /// The phase's name.
    pub phase: String,
    /// The owner's role name.
    pub owner: Option<String>,
}

fn role_name(site: &Site, id: &str) -> String {
    site.config
        .roles
        .iter()
        .find(|r| r.id == id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

fn evidence_view(e: &Evidence) -> EvidenceView {
    EvidenceView {
        href: e.href.clone(),
        text: e.text.clone(),
    }
}

/// A phase's name in the language of `strings` ("" for none: a task list in the body).
fn phase_name(phase: Option<Phase>, strings: &Strings) -> String {
    phase.map_or_else(String::new, |p| {
        strings.label("phase", p.as_str(), p.label()).to_string()
    })
}

fn decision_view(site: &Site, d: &DecisionRecord, strings: &Strings) -> DecisionView {
    DecisionView {
        decision: d.decision.as_str(),
        label: strings
            .label("decision", d.decision.as_str(), d.decision.label())
            .to_string(),
        phase: phase_name(Some(d.phase), strings),
        date: d.date.iso(),
        date_human: strings.date(d.date),
        by: d.by.iter().map(|r| role_name(site, r)).collect(),
        conditions_html: d.conditions_html.clone(),
        evidence: d.evidence.as_ref().map(evidence_view),
    }
}

/// The newest decision of a record (the latest date; the later in the file on a tie).
fn newest_first(record: &TeamPlaybook) -> Vec<&DecisionRecord> {
    let mut decisions: Vec<(usize, &DecisionRecord)> =
        record.decisions.iter().enumerate().collect();
    decisions.sort_by_key(|d| std::cmp::Reverse((d.1.date, d.0)));
    decisions.into_iter().map(|(_, d)| d).collect()
}

/// Items done of the playbook's items (ids the playbook no longer has are not counted).
fn done_count(items: &[ItemInfo], record: &TeamPlaybook) -> usize {
    items
        .iter()
        .filter(|i| record.done.iter().any(|d| d.key == i.key))
        .count()
}

/// Gate items not done at all.
pub fn open_gates(items: &[ItemInfo], record: &TeamPlaybook) -> Vec<ItemInfo> {
    items
        .iter()
        .filter(|i| i.gate && !record.done.iter().any(|d| d.key == i.key))
        .cloned()
        .collect()
}

/// `/teams/`: every team, in the order of their file names.
pub fn teams_view(site: &Site, strings: &Strings) -> Vec<TeamCard> {
    site.teams
        .iter()
        .map(|team| TeamCard {
            url: team_url(&team.id),
            name: team.name.clone(),
            organisation: team.organisation.clone(),
            playbooks: team
                .playbooks
                .iter()
                .map(|record| {
                    let page = &site.pages[record.page];
                    let items = items_of(page, &site.config.base_path);
                    PlaybookSummary {
                        title: page.meta().title().to_string(),
                        url: page.url.clone(),
                        done: done_count(&items, record),
                        total: items.len(),
                        latest: newest_first(record)
                            .first()
                            .map(|d| decision_view(site, d, strings)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// One team's page, playbook by playbook.
pub fn team_view(site: &Site, team: &Team, strings: &Strings) -> Vec<TeamPlaybookView> {
    team.playbooks
        .iter()
        .map(|record| {
            let page = &site.pages[record.page];
            let items = items_of(page, &site.config.base_path);
            let phase_slots: Vec<Option<Phase>> = Phase::VALUES
                .iter()
                .map(|p| Some(*p))
                .chain([None])
                .collect();
            let phases = phase_slots
                .into_iter()
                .filter_map(|phase| {
                    let in_phase: Vec<&ItemInfo> =
                        items.iter().filter(|i| i.phase == phase).collect();
                    if in_phase.is_empty() {
                        return None;
                    }
                    let done = in_phase
                        .iter()
                        .filter(|i| record.done.iter().any(|d| d.key == i.key))
                        .count();
                    Some(PhaseProgress {
                        label: match phase {
                            Some(_) => phase_name(phase, strings),
                            None => strings.text("team.other_checklists").to_string(),
                        },
                        done,
                        total: in_phase.len(),
                        percent: done * 100 / in_phase.len(),
                    })
                })
                .collect();
            let done = items
                .iter()
                .filter_map(|item| {
                    let d = record.done.iter().find(|d| d.key == item.key)?;
                    Some(DoneView {
                        key: item.key.clone(),
                        text_html: item.text_html.clone(),
                        checklist: item.checklist_title.clone(),
                        date: d.date.iso(),
                        date_human: strings.date(d.date),
                        by: role_name(site, &d.by),
                        evidence: d.evidence.as_ref().map(evidence_view),
                        note_html: d.note_html.clone(),
                    })
                })
                .collect();
            let open_gates = open_gates(&items, record)
                .into_iter()
                .map(|i| OpenGate {
                    key: i.key,
                    text_html: i.text_html,
                    checklist: i.checklist_title,
                    phase: phase_name(i.phase, strings),
                    owner: i.owner.as_deref().map(|o| role_name(site, o)),
                })
                .collect();
            TeamPlaybookView {
                title: page.meta().title().to_string(),
                url: page.url.clone(),
                anchor: format!("playbook-{}", site_path_of(page).replace('/', "-")),
                phases,
                done,
                open_gates,
                decisions: newest_first(record)
                    .into_iter()
                    .map(|d| decision_view(site, d, strings))
                    .collect(),
            }
        })
        .collect()
}

/// `/teams/<id>/progress.json`: the team's record as data (its shape is in the README).
pub fn team_json(site: &Site, team: &Team) -> Value {
    let playbooks: Vec<Value> = team
        .playbooks
        .iter()
        .map(|record| {
            let page = &site.pages[record.page];
            let items = items_of(page, &site.config.base_path);
            let gates: Vec<String> = open_gates(&items, record)
                .into_iter()
                .map(|i| i.key)
                .collect();
            json!({
                "path": site_path_of(page),
                "url": page.url,
                "title": page.meta().title(),
                "items_done": done_count(&items, record),
                "items_total": items.len(),
                "done": record.done.iter().map(|d| json!({
                    "item": d.key,
                    "date": d.date.iso(),
                    "by": d.by,
                    "evidence": d.evidence.as_ref().map(|e| e.href.clone()),
                    "note_html": d.note_html,
                })).collect::<Vec<_>>(),
                "open_gates": gates,
                "decisions": newest_first(record).iter().map(|d| json!({
                    "phase": d.phase.as_str(),
                    "decision": d.decision.as_str(),
                    "date": d.date.iso(),
                    "by": d.by,
                    "conditions_html": d.conditions_html,
                    "evidence": d.evidence.as_ref().map(|e| e.href.clone()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "team": {
            "id": team.id,
            "name": team.name,
            "organisation": team.organisation,
            "url": team_url(&team.id),
        },
        "playbooks": playbooks,
    })
}

/// A team that records progress on a playbook, as the playbook's page lists it.
#[derive(Debug, Serialize)]
pub struct TeamRecordLink {
    /// The team's name.
    pub name: String,
    /// Its page.
    pub url: String,
    /// Its items done on this playbook, `checklist-id/item-id` separated by spaces (for the
    /// "Show the record of" control).
    pub done: String,
}

/// The teams recording progress on the page at `page`.
pub fn team_records_of(site: &Site, page: usize) -> Vec<TeamRecordLink> {
    site.teams
        .iter()
        .filter_map(|team| {
            let record = team.playbooks.iter().find(|r| r.page == page)?;
            Some(TeamRecordLink {
                name: team.name.clone(),
                url: team_url(&team.id),
                done: record
                    .done
                    .iter()
                    .map(|d| d.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })
        .collect()
}

/// A gate item a role owns that a team has not done.
#[derive(Debug, Serialize)]
pub struct RoleGate {
    /// The team's name.
    pub team: String,
    /// Its page.
    pub team_url: String,
    /// The playbook's title.
    pub playbook: String,
    /// The playbook's page.
    pub playbook_url: String,
    /// The item's text (HTML made by this build).
    pub text_html: String,
    /// The phase's name.
    pub phase: String,
}

/// Every gate item owned by `role` that a team recording its playbook has not done.
pub fn open_gates_of_role(site: &Site, role: &str, strings: &Strings) -> Vec<RoleGate> {
    let mut gates = Vec::new();
    // Only playbooks with a gate item the role owns (read from the front matter, without
    // rendering every item's text) can have one open.
    let owns_a_gate = |page: &crate::site::SitePage| {
        page.meta().playbook().is_some_and(|meta| {
            meta.checklists
                .iter()
                .flat_map(|c| &c.items)
                .any(|i| i.gate && i.owner.as_deref() == Some(role))
        })
    };
    for team in &site.teams {
        for record in &team.playbooks {
            let page = &site.pages[record.page];
            if !owns_a_gate(page) {
                continue;
            }
            for item in open_gates(&items_of(page, &site.config.base_path), record) {
                if item.owner.as_deref() == Some(role) {
                    gates.push(RoleGate {
                        team: team.name.clone(),
                        team_url: team_url(&team.id),
                        playbook: page.meta().title().to_string(),
                        playbook_url: page.url.clone(),
                        text_html: item.text_html,
                        phase: phase_name(item.phase, strings),
                    });
                }
            }
        }
    }
    gates
}

/// Whether a recorded go-ahead decision of `record` breaks a gate (for `progress status`).
pub fn breaks_a_gate(site: &Site, record: &TeamPlaybook) -> bool {
    let items = items_of(&site.pages[record.page], &site.config.base_path);
    record
        .decisions
        .iter()
        .filter(|d| d.decision.goes_ahead())
        .any(|d| !missing_gates(&items, &record.done, d.phase, d.date).is_empty())
}
