//! Team records checked against the whole site: each progress file's playbooks, checklist
//! items, evidence paths and gates, resolved into the `Team`s the render stage shows.
//!
//! The file's own rules (shape, dates, duplicates) are in `content::progress`.

use std::collections::HashMap;

use crate::content::model::{IsoDate, Phase, PlaybookMeta};
use crate::content::progress::{At, DecisionKind, ProgressFile};
use crate::content::PageMeta;
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::markdown::{is_dangerous_url, render_inline, Resolution};
use crate::source::SourceText;

use super::links::LinkTargets;
use super::{Site, SitePage};

/// The address of the list of teams.
pub const TEAMS_URL: &str = "/teams/";

/// A team's page.
pub fn team_url(id: &str) -> String {
    format!("{TEAMS_URL}{id}/")
}

/// One team's record, checked and ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// From the file name; the page is `/teams/<id>/`.
    pub id: String,
    /// `progress/<id>.yaml`.
    pub file: String,
    /// `team:`.
    pub name: String,
    /// `organisation:`.
    pub organisation: Option<String>,
    /// The playbooks it records, in file order.
    pub playbooks: Vec<TeamPlaybook>,
}

/// What a team recorded on one playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamPlaybook {
    /// Index into `Site::pages`.
    pub page: usize,
    /// Items done, in file order, with the ids the playbook has now.
    pub done: Vec<DoneRecord>,
    /// Decisions, in file order.
    pub decisions: Vec<DecisionRecord>,
}

/// An item done.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneRecord {
    /// `checklist-id/item-id` (after any rename).
    pub key: String,
    /// When.
    pub date: IsoDate,
    /// Role id.
    pub by: String,
    /// Where the evidence is.
    pub evidence: Option<Evidence>,
    /// The note as HTML (inline Markdown, raw HTML shown as text).
    pub note_html: Option<String>,
}

/// A decision.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionRecord {
    /// The phase decided on.
    pub phase: Phase,
    /// What was decided.
    pub decision: DecisionKind,
    /// When.
    pub date: IsoDate,
    /// Role ids.
    pub by: Vec<String>,
    /// The conditions as HTML (inline Markdown).
    pub conditions_html: Option<String>,
    /// Where the record is.
    pub evidence: Option<Evidence>,
}

/// An evidence link: where it goes and what was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The resolved address.
    pub href: String,
    /// As written.
    pub text: String,
}

/// One checklist item of a playbook, as team records see it.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemInfo {
    /// `checklist-id/item-id`.
    pub key: String,
    /// The checklist's title.
    pub checklist_title: String,
    /// The item's text as HTML.
    pub text_html: String,
    /// The checklist's phase (`None` for a task list in the body).
    pub phase: Option<Phase>,
    /// Marked `gate: true`.
    pub gate: bool,
    /// The owner's role id.
    pub owner: Option<String>,
}

/// Every checklist item of a playbook page: front matter checklists, then task lists in the
/// body.
pub fn items_of(page: &SitePage, base_path: &str) -> Vec<ItemInfo> {
    let mut items = Vec::new();
    if let PageMeta::Playbook(meta) = page.meta() {
        for checklist in &meta.checklists {
            for item in &checklist.items {
                items.push(ItemInfo {
                    key: format!("{}/{}", checklist.id, item.id),
                    checklist_title: checklist.title.clone(),
                    text_html: render_inline(&item.text, base_path),
                    phase: Some(checklist.phase),
                    gate: item.gate,
                    owner: item.owner.as_deref().map(str::to_string),
                });
            }
        }
    }
    for checklist in &page.rendered.checklists {
        for item in &checklist.items {
            items.push(ItemInfo {
                key: format!("{}/{}", checklist.id, item.id),
                checklist_title: checklist.title.clone(),
                text_html: html_escape(&item.text),
                phase: None,
                gate: false,
                owner: None,
            });
        }
    }
    items
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The site path of a page, as progress files name it: its path under content/ without `.md`
/// (a bundle's folder for its `index.md`).
pub fn site_path_of(page: &SitePage) -> String {
    // A translation is its original's playbook: a team's record names the original, and
    // holds in every language (the items keep their ids).
    let rel = page.parsed.original_rel_path();
    let under = rel.strip_prefix("content/").unwrap_or(rel);
    let stem = under.strip_suffix(".md").unwrap_or(under);
    stem.strip_suffix("/index").unwrap_or(stem).to_string()
}

/// Item ids renamed by the playbook's change history (`changes[].renamed`, old → new, both
/// `checklist-id/item-id`), followed to the end when an id was renamed again later.
pub fn renamed_ids(meta: &PlaybookMeta) -> HashMap<String, String> {
    let mut renamed: HashMap<String, String> = HashMap::new();
    // Oldest change first, so a later rename of the new id carries earlier ones along.
    for change in meta.changes.iter().rev() {
        for (old, new) in &change.renamed {
            for target in renamed.values_mut() {
                if target == old {
                    *target = new.clone();
                }
            }
            renamed.insert(old.clone(), new.clone());
        }
    }
    renamed
}

/// A gate item not done by a decision's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGate {
    /// `checklist-id/item-id`.
    pub key: String,
    /// When it was done, if it was (after the decision).
    pub done_on: Option<IsoDate>,
}

/// The gate items that a go-ahead decision on `phase` at `date` needs and does not have.
pub fn missing_gates(
    items: &[ItemInfo],
    done: &[DoneRecord],
    phase: Phase,
    date: IsoDate,
) -> Vec<MissingGate> {
    items
        .iter()
        .filter(|item| item.gate && item.phase.is_some_and(|p| p <= phase))
        .filter_map(|item| {
            let done_on = done.iter().find(|d| d.key == item.key).map(|d| d.date);
            match done_on {
                Some(day) if day <= date => None,
                _ => Some(MissingGate {
                    key: item.key.clone(),
                    done_on,
                }),
            }
        })
        .collect()
}

/// Checks each progress file against the site and resolves it into a `Team`. A file with
/// errors still yields its team with what could be resolved, so one run reports everything.
pub fn check_teams(
    site: &Site,
    targets: &LinkTargets,
    files: &[ProgressFile],
) -> (Vec<Team>, Vec<Diagnostic>) {
    let by_path: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.meta().playbook().is_some())
        .map(|(i, p)| (site_path_of(p), i))
        .collect();
    let mut diagnostics = Vec::new();
    let mut teams = Vec::with_capacity(files.len());
    for file in files {
        let mut team = Team {
            id: file.team_id.clone(),
            file: file.text.rel_path.clone(),
            name: file.team.clone(),
            organisation: file.organisation.clone(),
            playbooks: Vec::new(),
        };
        for record in &file.playbooks {
            let Some(&page) = by_path.get(&record.path) else {
                let near = did_you_mean(&record.path, by_path.keys().map(String::as_str))
                    .map(|n| format!("did you mean `{n}`? "))
                    .unwrap_or_default();
                diagnostics.push(
                    error(&file.text, record.at, format!("unknown playbook `{}`", record.path))
                        .with_help(format!("{near}name a playbook by its path under content/ without `.md`, e.g. `playbooks/remote-monitoring`")),
                );
                continue;
            };
            let checker = RecordChecker {
                site,
                targets,
                text: &file.text,
                page,
                items: items_of(&site.pages[page], &site.config.base_path),
            };
            let (resolved, found) = checker.check(record);
            diagnostics.extend(found);
            team.playbooks.push(resolved);
        }
        teams.push(team);
    }
    (teams, diagnostics)
}

fn error(text: &SourceText, at: At, message: String) -> Diagnostic {
    text.error(at.line, at.column, at.width, message)
}

/// Checks one playbook's record against the playbook.
struct RecordChecker<'a> {
    site: &'a Site,
    targets: &'a LinkTargets,
    text: &'a SourceText,
    page: usize,
    items: Vec<ItemInfo>,
}

impl RecordChecker<'_> {
    fn check(
        &self,
        record: &crate::content::progress::PlaybookRecord,
    ) -> (TeamPlaybook, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let page = &self.site.pages[self.page];
        let renamed = page.meta().playbook().map(renamed_ids).unwrap_or_default();
        let mut done = Vec::new();
        for entry in &record.done {
            let mut key = entry.item.clone();
            if let Some(new) = renamed.get(&key) {
                diagnostics.push(
                    self.text
                        .warning(
                            entry.item_at.line,
                            entry.item_at.column,
                            entry.item_at.width,
                            format!("`{key}` was renamed `{new}` in the playbook"),
                        )
                        .with_help(format!("write `item: {new}`")),
                );
                key = new.clone();
            }
            if !self.items.iter().any(|i| i.key == key) {
                diagnostics.push(self.unknown_item(&key, entry.item_at, &record.path));
                continue;
            }
            let evidence = self.evidence(
                entry.evidence.as_deref(),
                entry.evidence_at,
                &mut diagnostics,
            );
            done.push(DoneRecord {
                key,
                date: entry.date,
                by: entry.by.clone(),
                evidence,
                note_html: entry
                    .note
                    .as_deref()
                    .map(|n| render_inline(n, &self.site.config.base_path)),
            });
        }
        let mut decisions = Vec::new();
        for entry in &record.decisions {
            if entry.decision.goes_ahead() {
                let missing = missing_gates(&self.items, &done, entry.phase, entry.date);
                if !missing.is_empty() {
                    diagnostics.push(self.gate_error(entry, &missing));
                }
            }
            let evidence = self.evidence(
                entry.evidence.as_deref(),
                entry.evidence_at,
                &mut diagnostics,
            );
            decisions.push(DecisionRecord {
                phase: entry.phase,
                decision: entry.decision,
                date: entry.date,
                by: entry.by.clone(),
                conditions_html: entry
                    .conditions
                    .as_deref()
                    .map(|c| render_inline(c, &self.site.config.base_path)),
                evidence,
            });
        }
        let resolved = TeamPlaybook {
            page: self.page,
            done,
            decisions,
        };
        (resolved, diagnostics)
    }

    fn unknown_item(&self, key: &str, at: At, playbook: &str) -> Diagnostic {
        let (checklist, _) = key.split_once('/').unwrap_or((key, ""));
        let checklists: Vec<&str> = self
            .items
            .iter()
            .filter_map(|i| i.key.split_once('/').map(|(c, _)| c))
            .collect();
        let (message, near) = if checklists.contains(&checklist) {
            let keys = self.items.iter().map(|i| i.key.as_str());
            (
                format!("`{playbook}` has no item `{key}`"),
                did_you_mean(key, keys),
            )
        } else {
            (
                format!("`{playbook}` has no checklist `{checklist}`"),
                did_you_mean(checklist, checklists.iter().copied()),
            )
        };
        let help = match near {
            Some(near) => format!("did you mean `{near}`?"),
            None => "name an item as `checklist-id/item-id`, as the playbook's front matter or task list headings give them".into(),
        };
        error(self.text, at, message).with_help(help)
    }

    fn gate_error(
        &self,
        entry: &crate::content::progress::DecisionEntry,
        missing: &[MissingGate],
    ) -> Diagnostic {
        let list = missing
            .iter()
            .map(|m| match m.done_on {
                Some(day) => format!("`{}` (done {}, after the decision)", m.key, day.iso()),
                None => format!("`{}` (not done)", m.key),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let count = if missing.len() == 1 {
            "a gate item is".to_string()
        } else {
            format!("{} gate items are", missing.len())
        };
        error(
            self.text,
            entry.decision_at,
            format!(
                "`{}` for the {} phase on {} breaks a gate: {count} not done by then: {list}",
                entry.decision.as_str(),
                entry.phase.as_str(),
                entry.date.iso()
            ),
        )
        .with_help("record each gate item in `done` with a date on or before the decision, or record `no-go` or `paused` instead")
    }

    /// The evidence link: kept when it is an address, resolved when it is a site path.
    fn evidence(
        &self,
        written: Option<&str>,
        at: At,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Evidence> {
        let written = written?.trim();
        if is_dangerous_url(written) {
            diagnostics.push(
                error(self.text, at, format!("evidence `{written}` would run a script"))
                    .with_help("point `evidence` at a page or file of this site, or at a full https:// address"),
            );
            return None;
        }
        match self.targets.context(true).resolve("", written) {
            Resolution::Keep => Some(Evidence {
                href: written.to_string(),
                text: written.to_string(),
            }),
            Resolution::Url { url, .. } => Some(Evidence {
                href: url,
                text: written.to_string(),
            }),
            Resolution::Broken(message) => {
                diagnostics.push(
                    error(self.text, at, format!("evidence {message}"))
                        .with_help("point `evidence` at a page or file of this site, or at a full https:// address"),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, phase: Phase, gate: bool) -> ItemInfo {
        ItemInfo {
            key: key.into(),
            checklist_title: String::new(),
            text_html: String::new(),
            phase: Some(phase),
            gate,
            owner: None,
        }
    }

    fn day(text: &str) -> IsoDate {
        IsoDate::parse(text).expect("date")
    }

    #[test]
    fn gates_of_the_phase_and_earlier_must_be_done_by_the_date() {
        let items = [
            item("a/early", Phase::Prepare, true),
            item("a/late", Phase::Scale, true),
            item("a/plain", Phase::Prepare, false),
            item("a/after", Phase::Pilot, true),
        ];
        let done = [DoneRecord {
            key: "a/after".into(),
            date: day("2026-05-02"),
            by: "x".into(),
            evidence: None,
            note_html: None,
        }];
        let missing = missing_gates(&items, &done, Phase::GoLive, day("2026-05-01"));
        assert_eq!(
            missing,
            [
                MissingGate {
                    key: "a/early".into(),
                    done_on: None
                },
                MissingGate {
                    key: "a/after".into(),
                    done_on: Some(day("2026-05-02"))
                }
            ]
        );
        assert!(missing_gates(&items, &done, Phase::Prepare, day("2026-05-01")).len() == 1);
    }
}
