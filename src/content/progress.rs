//! Team progress files: `progress/<team-id>.yaml` at the site root, one per team, recording
//! which checklist items a team has done and the go/no-go decisions it has taken.
//!
//! This module reads one file on its own: its YAML (with positions), its shape against the
//! tables below (unknown keys, dates, roles, enums), and the rules that need only the file
//! (no date in the future, no item recorded twice, conditions for `go-with-conditions`).
//! What needs the whole site (does the playbook, checklist or item exist, is an evidence path
//! a page, are the gates done) is checked in `site::progress`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::model::{IsoDate, Phase};
use super::schema::{Checker, Field, Object, Shape};
use super::yaml::{self, path_to_string, Node, NodeKind, PathStep};
use crate::config::{is_valid_id, SiteConfig};
use crate::diagnostics::Diagnostic;
use crate::source::{decode_utf8, SourceText};
use crate::vocabulary::Vocabulary;

/// The folder at the site root that holds the team progress files.
pub const PROGRESS_DIR: &str = "progress";

const ROLE: Shape = Shape::Vocab(Vocabulary::Roles);

/// The top level of a progress file.
pub static PROGRESS_FILE: Object = Object {
    name: "team progress file",
    fields: &[
        Field {
            name: "team",
            shape: Shape::Text,
            required: true,
            doc: "The team's name as the site shows it",
        },
        Field {
            name: "organisation",
            shape: Shape::Text,
            required: false,
            doc: "The organisation the team belongs to",
        },
        Field {
            name: "playbooks",
            shape: Shape::Any,
            required: false,
            doc: "Progress per playbook, keyed by the playbook's site path (e.g. playbooks/remote-monitoring)",
        },
    ],
};

/// The progress recorded on one playbook.
pub static PLAYBOOK_PROGRESS: Object = Object {
    name: "playbook progress",
    fields: &[
        Field {
            name: "done",
            shape: Shape::List {
                item: &Shape::Object(&DONE_ITEM),
                min: 0,
            },
            required: false,
            doc: "Checklist items done",
        },
        Field {
            name: "decisions",
            shape: Shape::List {
                item: &Shape::Object(&DECISION),
                min: 0,
            },
            required: false,
            doc: "Go/no-go decisions, one per phase decided",
        },
    ],
};

static PLAYBOOK_PROGRESS_SHAPE: Shape = Shape::Object(&PLAYBOOK_PROGRESS);
static DONE_SHAPE: Shape = Shape::Object(&DONE_ITEM);
static DECISION_SHAPE: Shape = Shape::Object(&DECISION);

/// An entry of `done:`.
pub static DONE_ITEM: Object = Object {
    name: "done item",
    fields: &[
        Field {
            name: "item",
            shape: Shape::Text,
            required: true,
            doc: "checklist-id/item-id",
        },
        Field {
            name: "date",
            shape: Shape::Date,
            required: true,
            doc: "When it was done (not in the future)",
        },
        Field {
            name: "by",
            shape: ROLE,
            required: true,
            doc: "The role that did it",
        },
        Field {
            name: "evidence",
            shape: Shape::Text,
            required: false,
            doc: "A full https:// address or a path on this site",
        },
        Field {
            name: "note",
            shape: Shape::Text,
            required: false,
            doc: "A short note (inline Markdown)",
        },
    ],
};

/// An entry of `decisions:`.
pub static DECISION: Object = Object {
    name: "decision",
    fields: &[
        Field {
            name: "phase",
            shape: Shape::Enum(Phase::ALL),
            required: true,
            doc: "The checklist phase decided on",
        },
        Field {
            name: "decision",
            shape: Shape::Enum(DecisionKind::ALL),
            required: true,
            doc: "go, go-with-conditions, no-go or paused",
        },
        Field {
            name: "date",
            shape: Shape::Date,
            required: true,
            doc: "When it was decided (not in the future)",
        },
        Field {
            name: "by",
            shape: Shape::List {
                item: &ROLE,
                min: 1,
            },
            required: true,
            doc: "The roles that decided",
        },
        Field {
            name: "conditions",
            shape: Shape::Text,
            required: false,
            doc: "Required for go-with-conditions",
        },
        Field {
            name: "evidence",
            shape: Shape::Text,
            required: false,
            doc: "A full https:// address or a path on this site",
        },
    ],
};

/// A go/no-go decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
pub enum DecisionKind {
    /// Go ahead.
    #[serde(rename = "go")]
    Go,
    /// Go ahead, with conditions.
    #[serde(rename = "go-with-conditions")]
    GoWithConditions,
    /// Do not go ahead.
    #[serde(rename = "no-go")]
    NoGo,
    /// Paused.
    #[serde(rename = "paused")]
    Paused,
}

impl DecisionKind {
    /// Every valid spelling.
    pub const ALL: &'static [&'static str] = &["go", "go-with-conditions", "no-go", "paused"];

    /// The spelling in files.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Go => "go",
            DecisionKind::GoWithConditions => "go-with-conditions",
            DecisionKind::NoGo => "no-go",
            DecisionKind::Paused => "paused",
        }
    }

    /// What readers see.
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Go => "Go",
            DecisionKind::GoWithConditions => "Go, with conditions",
            DecisionKind::NoGo => "No go",
            DecisionKind::Paused => "Paused",
        }
    }

    /// Go ahead (with or without conditions): these need the gates done.
    pub fn goes_ahead(self) -> bool {
        matches!(self, DecisionKind::Go | DecisionKind::GoWithConditions)
    }
}

/// Where a value stands in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct At {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Characters to underline.
    pub width: usize,
}

impl At {
    fn of(node: &Node) -> Self {
        At {
            line: node.line,
            column: node.column,
            width: node.width,
        }
    }
}

/// A progress file found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressSource {
    /// `progress/<team-id>.yaml`.
    pub rel_path: String,
    /// Where to read it.
    pub abs_path: PathBuf,
    /// The file's name without `.yaml`.
    pub team_id: String,
}

/// One team's progress file, read and checked on its own.
#[derive(Debug, Clone)]
pub struct ProgressFile {
    /// The file's text, to quote lines in later diagnostics.
    pub text: SourceText,
    /// From the file name.
    pub team_id: String,
    /// `team:`.
    pub team: String,
    /// `organisation:`.
    pub organisation: Option<String>,
    /// In file order.
    pub playbooks: Vec<PlaybookRecord>,
}

/// What a team recorded on one playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookRecord {
    /// The site path as written, e.g. `playbooks/remote-monitoring`.
    pub path: String,
    /// The key's position.
    pub at: At,
    /// In file order.
    pub done: Vec<DoneEntry>,
    /// In file order.
    pub decisions: Vec<DecisionEntry>,
}

/// An item done.
#[derive(Debug, Clone, PartialEq)]
pub struct DoneEntry {
    /// `checklist-id/item-id` as written.
    pub item: String,
    /// The value's position.
    pub item_at: At,
    /// When.
    pub date: IsoDate,
    /// The role that did it.
    pub by: String,
    /// URL or site path.
    pub evidence: Option<String>,
    /// Its position.
    pub evidence_at: At,
    /// Inline Markdown.
    pub note: Option<String>,
}

/// A decision taken.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionEntry {
    /// The phase decided on.
    pub phase: Phase,
    /// What was decided.
    pub decision: DecisionKind,
    /// The `decision:` value's position.
    pub decision_at: At,
    /// When.
    pub date: IsoDate,
    /// The roles that decided.
    pub by: Vec<String>,
    /// Required for `go-with-conditions`.
    pub conditions: Option<String>,
    /// URL or site path.
    pub evidence: Option<String>,
    /// Its position.
    pub evidence_at: At,
}

#[derive(Deserialize)]
struct RawDone {
    item: String,
    date: String,
    by: String,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
struct RawDecision {
    phase: Phase,
    decision: DecisionKind,
    date: String,
    by: Vec<String>,
    #[serde(default)]
    conditions: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
}

/// Every `*.yaml` file in `progress/` (sorted by name), and a problem for each other file there
/// that looks meant to be one (`.yml`, or a name that is not an id). A site without the folder
/// has no team records.
pub fn discover(root: &Path) -> (Vec<ProgressSource>, Vec<Diagnostic>) {
    let dir = root.join(PROGRESS_DIR);
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (sources, diagnostics);
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if super::load::is_ignored_name(name) || !path.is_file() {
            continue;
        }
        let rel_path = format!("{PROGRESS_DIR}/{name}");
        let Some(team_id) = name.strip_suffix(".yaml") else {
            if name.ends_with(".yml") || name.ends_with(".YAML") {
                diagnostics.push(
                    Diagnostic::error(&rel_path, 1, 1, "a team progress file must end in `.yaml`")
                        .with_help(format!(
                            "rename it to `{}.yaml`",
                            name.rsplit_once('.').map_or(name, |(stem, _)| stem)
                        )),
                );
            }
            // Other files (a README) are left alone.
            continue;
        };
        if !is_valid_id(team_id) {
            diagnostics.push(
                Diagnostic::error(
                    &rel_path,
                    1,
                    1,
                    format!("`{team_id}` is not a valid team id: the file name makes the team's address"),
                )
                .with_help("name the file with lowercase letters a-z, digits 0-9 and `-`, e.g. `northshire-virtual-ward.yaml`"),
            );
            continue;
        }
        sources.push(ProgressSource {
            rel_path,
            abs_path: path.clone(),
            team_id: team_id.to_string(),
        });
    }
    (sources, diagnostics)
}

/// Reads and checks every progress file. A file whose shape could be read is kept even with
/// errors (the entries with errors are left out of it), so the checks against the site report
/// its other problems in the same run.
pub fn parse_all(
    sources: &[ProgressSource],
    config: &SiteConfig,
    today: IsoDate,
) -> (Vec<ProgressFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for source in sources {
        let text = match std::fs::read(&source.abs_path)
            .map_err(|err| {
                Diagnostic::error(
                    &source.rel_path,
                    1,
                    1,
                    format!("cannot read the file: {err}"),
                )
            })
            .and_then(|bytes| decode_utf8(&source.rel_path, bytes))
        {
            Ok(text) => text,
            Err(d) => {
                diagnostics.push(d);
                continue;
            }
        };
        let (file, found) = parse_text(
            SourceText::new(source.rel_path.clone(), text),
            &source.team_id,
            config,
            today,
        );
        diagnostics.extend(found);
        files.extend(file);
    }
    (files, diagnostics)
}

/// Reads one progress file from its text: the file (when its shape could be read) and every
/// problem found in it.
pub fn parse_text(
    text: SourceText,
    team_id: &str,
    config: &SiteConfig,
    today: IsoDate,
) -> (Option<ProgressFile>, Vec<Diagnostic>) {
    let body = text.as_str().trim_start_matches('\u{feff}');
    let root = match yaml::parse(body, 1) {
        Ok(root) => root,
        Err(err) => {
            let message = err.message.replace(
                "the front matter is not valid YAML",
                "the file is not valid YAML",
            );
            let d = text
                .error(err.line, err.column, 1, message)
                .with_help(err.help);
            return (None, vec![d]);
        }
    };
    let mut reader = Reader {
        checker: Checker::new(&text, config, 1),
        text: &text,
        today,
    };
    if !matches!(root.kind, NodeKind::Map(_) | NodeKind::Null) {
        let d = text
            .error(
                root.line,
                root.column,
                root.width,
                format!(
                    "a team progress file should be a mapping of keys, found {}",
                    root.describe()
                ),
            )
            .with_help("start with `team: <the team's name>`, then `playbooks:`");
        return (None, vec![d]);
    }
    let top = reader.checker.check_root(&root, &PROGRESS_FILE);
    let team = top
        .get("team")
        .and_then(|v| v.as_str())
        .unwrap_or(team_id)
        .to_string();
    let organisation = top
        .get("organisation")
        .and_then(|v| v.as_str())
        .map(String::from);
    let playbooks = root
        .get("playbooks")
        .map(|node| reader.playbooks(node))
        .unwrap_or_default();
    let Reader { checker, .. } = reader;
    let file = ProgressFile {
        text: text.clone(),
        team_id: team_id.to_string(),
        team,
        organisation,
        playbooks,
    };
    (Some(file), checker.diagnostics)
}

/// Walks a progress file's `playbooks:` by hand (its keys are site paths), checking each part
/// against the tables above.
struct Reader<'a> {
    checker: Checker<'a>,
    text: &'a SourceText,
    today: IsoDate,
}

impl Reader<'_> {
    fn error(&mut self, at: At, path: &[PathStep], message: String, help: &str) {
        let d = self
            .text
            .error(at.line, at.column, at.width, message)
            .with_help(help)
            .with_field(path_to_string(path));
        self.checker.diagnostics.push(d);
    }

    fn playbooks(&mut self, node: &Node) -> Vec<PlaybookRecord> {
        let NodeKind::Map(entries) = &node.kind else {
            if node.kind != NodeKind::Null {
                self.error(
                    At::of(node),
                    &[PathStep::Key("playbooks".into())],
                    format!(
                        "`playbooks` should be a mapping of keys, found {}",
                        node.describe()
                    ),
                    "write each playbook's site path as a key, e.g. `playbooks/remote-monitoring:`",
                );
            }
            return Vec::new();
        };
        let mut records: Vec<PlaybookRecord> = Vec::new();
        for (key, value) in entries {
            let Some(site_path) = key.as_str() else {
                self.error(
                    At::of(key),
                    &[PathStep::Key("playbooks".into())],
                    "a playbook key must be a site path".into(),
                    "write the playbook's path under content/ without `.md`, e.g. `playbooks/remote-monitoring:`",
                );
                continue;
            };
            let mut path = vec![
                PathStep::Key("playbooks".into()),
                PathStep::Key(site_path.to_string().into()),
            ];
            if records.iter().any(|r| r.path == site_path) {
                self.error(
                    At::of(key),
                    &path,
                    format!("the playbook `{site_path}` is given twice"),
                    "keep one entry per playbook and put all its items and decisions there",
                );
                continue;
            }
            let mut record = PlaybookRecord {
                path: site_path.to_string(),
                at: At::of(key),
                done: Vec::new(),
                decisions: Vec::new(),
            };
            if value.kind != NodeKind::Null {
                self.record(value, &mut path, &mut record);
            }
            records.push(record);
        }
        records
    }

    /// One playbook's `done` and `decisions`.
    fn record(&mut self, node: &Node, path: &mut Vec<PathStep>, record: &mut PlaybookRecord) {
        let cleaned = self
            .checker
            .check_node(node, &PLAYBOOK_PROGRESS_SHAPE, path);
        if cleaned.is_none() {
            return;
        }
        // The lists were checked item by item; read back each item that passed.
        for (i, item) in list_items(node.get("done")).iter().enumerate() {
            let Ok(raw) = self.item_value::<RawDone>(item, &DONE_SHAPE) else {
                continue;
            };
            path.extend([PathStep::Key("done".into()), PathStep::Index(i)]);
            self.done(item, raw, path, record);
            path.truncate(path.len() - 2);
        }
        for (i, item) in list_items(node.get("decisions")).iter().enumerate() {
            let Ok(raw) = self.item_value::<RawDecision>(item, &DECISION_SHAPE) else {
                continue;
            };
            path.extend([PathStep::Key("decisions".into()), PathStep::Index(i)]);
            self.decision(item, raw, path, record);
            path.truncate(path.len() - 2);
        }
    }

    /// An item the checker passed, as its type; `Err` for one it reported (checked again
    /// quietly, so nothing is reported twice).
    fn item_value<T: serde::de::DeserializeOwned>(
        &self,
        node: &Node,
        shape: &'static Shape,
    ) -> Result<T, ()> {
        let config = self.checker_config();
        let mut quiet = Checker::new(self.text, config, 1);
        let value = quiet.check_node(node, shape, &mut Vec::new()).ok_or(())?;
        if quiet.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(());
        }
        value.into_typed().map_err(|_| ())
    }

    fn checker_config(&self) -> &SiteConfig {
        self.checker.config()
    }

    fn done(
        &mut self,
        node: &Node,
        raw: RawDone,
        path: &mut Vec<PathStep>,
        record: &mut PlaybookRecord,
    ) {
        let at = |key: &str| node.get(key).map(At::of).unwrap_or_default();
        let Some(date) = IsoDate::parse(&raw.date) else {
            return;
        };
        self.not_in_future(date, at("date"), path);
        let item_at = at("item");
        if !raw.item.contains('/') {
            path.push(PathStep::Key("item".into()));
            self.error(
                item_at,
                path,
                format!("`{}` should name a checklist and an item: `checklist-id/item-id`", raw.item),
                "write the checklist's id, a `/`, then the item's id, e.g. `safe-to-start/dpia-signed`",
            );
            path.pop();
            return;
        }
        if let Some(first) = record.done.iter().find(|d| d.item == raw.item) {
            path.push(PathStep::Key("item".into()));
            self.error(
                item_at,
                path,
                format!(
                    "`{}` is recorded twice (first on line {})",
                    raw.item, first.item_at.line
                ),
                "keep one entry per item: the date it was first done",
            );
            path.pop();
            return;
        }
        record.done.push(DoneEntry {
            item: raw.item,
            item_at,
            date,
            by: raw.by,
            evidence: raw.evidence,
            evidence_at: at("evidence"),
            note: raw.note,
        });
    }

    fn decision(
        &mut self,
        node: &Node,
        raw: RawDecision,
        path: &mut Vec<PathStep>,
        record: &mut PlaybookRecord,
    ) {
        let at = |key: &str| node.get(key).map(At::of).unwrap_or_default();
        let Some(date) = IsoDate::parse(&raw.date) else {
            return;
        };
        self.not_in_future(date, at("date"), path);
        let conditions = raw.conditions.filter(|c| !c.trim().is_empty());
        if raw.decision == DecisionKind::GoWithConditions && conditions.is_none() {
            path.push(PathStep::Key("decision".into()));
            self.error(
                at("decision"),
                path,
                "a `go-with-conditions` decision needs its `conditions`".into(),
                "add `conditions:` saying what must hold, e.g. a weekly review for the first month",
            );
            path.pop();
        }
        record.decisions.push(DecisionEntry {
            phase: raw.phase,
            decision: raw.decision,
            decision_at: at("decision"),
            date,
            by: raw.by,
            conditions,
            evidence: raw.evidence,
            evidence_at: at("evidence"),
        });
    }

    fn not_in_future(&mut self, date: IsoDate, at: At, path: &mut Vec<PathStep>) {
        if date > self.today {
            path.push(PathStep::Key("date".into()));
            self.error(
                at,
                path,
                format!(
                    "`{}` is in the future (today is {})",
                    date.iso(),
                    self.today.iso()
                ),
                "record what has happened: use the date it was done, today or earlier",
            );
            path.pop();
        }
    }
}

/// The items of a list node; none for anything else.
fn list_items(node: Option<&Node>) -> &[Node] {
    match node.map(|n| &n.kind) {
        Some(NodeKind::Seq(items)) => items,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SiteConfig {
        crate::config::parse(&SourceText::new(
            "site.toml",
            "title = \"T\"\n[roles]\nclinical-lead = \"Clinical lead\"\ndigital-lead = \"Digital lead\"\n"
                .to_string(),
        ))
        .expect("config")
    }

    fn parse(yaml: &str) -> (Option<ProgressFile>, Vec<Diagnostic>) {
        let today = IsoDate::parse("2026-11-22").expect("date");
        parse_text(
            SourceText::new("progress/t.yaml", yaml.to_string()),
            "t",
            &config(),
            today,
        )
    }

    #[test]
    fn a_good_file_reads_in_order() {
        let (file, problems) = parse(
            "team: T\nplaybooks:\n  playbooks/a:\n    done:\n      - item: c/one\n        date: 2026-11-01\n        by: clinical-lead\n    decisions:\n      - phase: pilot\n        decision: go-with-conditions\n        date: 2026-11-02\n        by: [clinical-lead, digital-lead]\n        conditions: Weekly review\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let file = file.expect("file");
        assert_eq!(file.playbooks[0].path, "playbooks/a");
        assert_eq!(file.playbooks[0].done[0].item, "c/one");
        assert_eq!(file.playbooks[0].done[0].item_at.line, 5);
        assert_eq!(
            file.playbooks[0].decisions[0].decision,
            DecisionKind::GoWithConditions
        );
    }

    #[test]
    fn each_problem_is_reported_once_with_its_place() {
        let (_, problems) = parse(
            "team: T\nplaybooks:\n  playbooks/a:\n    done:\n      - item: c/one\n        date: 2027-01-01\n        by: clinical-leed\n        notes: x\n",
        );
        let found: Vec<(usize, usize, &str)> = problems
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    7,
                    13,
                    "unknown role `clinical-leed` in `playbooks.playbooks/a.done[0].by`"
                ),
                (8, 9, "unknown field `notes`"),
            ]
        );
    }
}
