//! Rules that span fields of a page (review dates, unique ids, training prerequisites) and the
//! governance warnings. Rules that span files (URLs, links) live in `site`, where every page
//! is known.

use std::collections::{HashMap, HashSet};

use crate::content::model::{DtacStatus, EsfTier, IsoDate, PlaybookMeta, RiskKind, Status};
use crate::content::yaml::{path_to_string, Node, PathStep};
use crate::content::{FieldLink, PageMeta, RenameAt, Spot};
use crate::diagnostics::Diagnostic;
use crate::source::{Files, SourceText};

/// A page's text with its YAML tree, to point a diagnostic at any field by its path.
pub struct Located<'a> {
    files: Files<'a>,
    root: &'a Node,
}

/// Builds a path from keys and indexes: `path!("checklists", 0, "items")`.
macro_rules! path {
    ($($step:expr),* $(,)?) => { vec![$(PathStep::from($step)),*] };
}

impl From<&str> for PathStep {
    fn from(key: &str) -> Self {
        PathStep::Key(key.to_string().into())
    }
}

impl From<usize> for PathStep {
    fn from(index: usize) -> Self {
        PathStep::Index(index)
    }
}

/// Severity of a rule's finding.
#[derive(Clone, Copy)]
enum Level {
    Error,
    Warning,
}

impl<'a> Located<'a> {
    /// Pairs a page's text with its parsed front matter.
    pub fn new(text: &'a SourceText, root: &'a Node) -> Self {
        Self::merged(Files::one(text), root)
    }

    /// Pairs a tree merged from several files (a local version and its base) with them.
    pub fn merged(files: Files<'a>, root: &'a Node) -> Self {
        Self { files, root }
    }

    fn report(
        &self,
        level: Level,
        path: Vec<PathStep>,
        message: String,
        help: String,
    ) -> Diagnostic {
        let node = self.root.at(&path);
        let (line, column, width, file) = node
            .map(|n| (n.line, n.column, n.width, n.file))
            .unwrap_or((1, 1, 3, crate::content::yaml::OWN_FILE));
        let text = self.files.of(file);
        let diagnostic = match level {
            Level::Error => text.error(line, column, width, message),
            Level::Warning => text.warning(line, column, width, message),
        };
        diagnostic.with_help(help).with_field(path_to_string(&path))
    }

    /// Each checklist item's `evidence` that is a site path, with its position.
    pub fn evidence_links(&self, meta: &PlaybookMeta) -> Vec<FieldLink> {
        let mut links = Vec::new();
        for (c, checklist) in meta.checklists.iter().enumerate() {
            for (i, item) in checklist.items.iter().enumerate() {
                if let Some(target) = item.evidence.as_deref().filter(|e| e.starts_with('/')) {
                    let path = path!("checklists", c, "items", i, "evidence");
                    let node = self.root.at(&path);
                    let (line, column, file) = node
                        .map(|n| (n.line, n.column, n.file))
                        .unwrap_or((1, 1, crate::content::yaml::OWN_FILE));
                    let text = self.files.of(file);
                    links.push(FieldLink {
                        target: target.to_string(),
                        line,
                        column,
                        line_text: text.line_text(line).to_string(),
                        file: (file != crate::content::yaml::OWN_FILE)
                            .then(|| text.rel_path.clone()),
                    });
                }
            }
        }
        links
    }
}

impl Located<'_> {
    /// Where `node` is, with its line's text.
    fn spot(&self, node: Option<&Node>) -> Spot {
        let (line, column, width) = node.map_or((1, 1, 3), |n| (n.line, n.column, n.width));
        let text = self.files.of(node.map_or(0, |n| n.file));
        Spot {
            line,
            column,
            width,
            line_text: text.line_text(line).to_string(),
        }
    }

    /// Every `changes[].renamed` entry with where its old and new ids are written.
    pub fn renames(&self, meta: &PlaybookMeta) -> Vec<RenameAt> {
        let mut out = Vec::new();
        for (c, change) in meta.changes.iter().enumerate() {
            let path = path!("changes", c, "renamed");
            let map = self.root.at(&path);
            for (old, new) in &change.renamed {
                out.push(RenameAt {
                    change: c,
                    old: old.clone(),
                    new: new.clone(),
                    old_at: self.spot(map.and_then(|m| m.key(old))),
                    new_at: self.spot(map.and_then(|m| m.get(old))),
                });
            }
        }
        out
    }
}

/// Every rule of one page that needs only that page.
pub fn check_page(meta: &PageMeta, at: &Located, today: IsoDate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    match meta {
        PageMeta::Playbook(p) => {
            check_review_dates(
                Some(p.last_reviewed),
                Some(p.next_review_due),
                p.status,
                at,
                today,
                &mut out,
            );
            check_playbook(p, at, &mut out);
            check_changes(p, at, today, &mut out);
        }
        PageMeta::Guide(g) => check_review_dates(
            g.last_reviewed,
            g.next_review_due,
            g.status,
            at,
            today,
            &mut out,
        ),
    }
    out
}

fn check_review_dates(
    last: Option<IsoDate>,
    next: Option<IsoDate>,
    status: Status,
    at: &Located,
    today: IsoDate,
    out: &mut Vec<Diagnostic>,
) {
    let Some(next) = next else { return };
    if let Some(last) = last {
        if next <= last {
            out.push(at.report(
                Level::Error,
                path!("next_review_due"),
                format!("`next_review_due` ({}) is not after `last_reviewed` ({})", next.iso(), last.iso()),
                "set the next review to a date after the last review, e.g. 6 or 12 months later".into(),
            ));
            return;
        }
    }
    if next < today && status != Status::Retired {
        out.push(at.report(
            Level::Warning,
            path!("next_review_due"),
            format!("the review was due on {} and has passed", next.human()),
            "review the page, then update `last_reviewed` and `next_review_due`".into(),
        ));
    }
}

fn check_playbook(p: &PlaybookMeta, at: &Located, out: &mut Vec<Diagnostic>) {
    // Unique ids.
    duplicate_ids(
        p.training.iter().map(|m| m.id.as_str()),
        |i| path!("training", i, "id"),
        "training module",
        at,
        out,
    );
    duplicate_ids(
        p.checklists.iter().map(|c| c.id.as_str()),
        |i| path!("checklists", i, "id"),
        "checklist",
        at,
        out,
    );
    for (c, checklist) in p.checklists.iter().enumerate() {
        duplicate_ids(
            checklist.items.iter().map(|item| item.id.as_str()),
            |i| path!("checklists", c, "items", i, "id"),
            "item",
            at,
            out,
        );
    }
    check_requires(p, at, out);
    check_script_urls(p, at, out);

    // Governance warnings.
    let assurance = p.assurance.clone().unwrap_or_default();
    if p.status == Status::Published
        && assurance.nice_esf_tier == Some(EsfTier::C)
        && assurance.dtac != Some(DtacStatus::Passed)
    {
        out.push(at.report(
            Level::Warning,
            path!("assurance", "nice_esf_tier"),
            "a published tier C technology has not passed DTAC".into(),
            "set `assurance.dtac: passed` once the assessment is complete, or keep the playbook as a draft".into(),
        ));
    }
    if p.pathway
        .alternative
        .as_deref()
        .is_none_or(|a| a.trim().is_empty())
    {
        if let Some(r) = p.risks.iter().position(|r| r.kind == RiskKind::Equity) {
            out.push(at.report(
                Level::Warning,
                path!("risks", r, "kind"),
                "an equity risk is named but the pathway has no non-digital alternative".into(),
                "add `pathway.alternative:` describing the route for people who cannot or will not use it".into(),
            ));
        }
    }
    let audiences: HashSet<&str> = p.audiences.iter().map(String::as_str).collect();
    for (m, module) in p.training.iter().enumerate() {
        for (r, role) in module.roles.iter().enumerate() {
            if !audiences.contains(role.as_str()) {
                out.push(at.report(
                    Level::Warning,
                    path!("training", m, "roles", r),
                    format!("training module `{}` is for `{role}`, who is not among the playbook's audiences", module.id),
                    format!("add `{role}` to `audiences`, or take it off the module"),
                ));
            }
        }
    }
    for (c, checklist) in p.checklists.iter().enumerate() {
        for (i, item) in checklist.items.iter().enumerate() {
            if let Some(owner) = &item.owner {
                if !audiences.contains(owner.as_str()) {
                    out.push(at.report(
                        Level::Warning,
                        path!("checklists", c, "items", i, "owner"),
                        format!("item `{}` is owned by `{owner}`, who is not among the playbook's audiences", item.id),
                        format!("add `{owner}` to `audiences`, or give the item another owner"),
                    ));
                }
            }
        }
    }
}

/// `MAJOR.MINOR` as two numbers, so `1.10` comes after `1.9`.
pub fn version_key(version: &str) -> Option<(u64, u64)> {
    let (major, minor) = version.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The change history (1.1): newest first, the first entry at the playbook's `version`, versions
/// strictly falling and dates never rising down the list, no date after `last_reviewed` or
/// today. Renamed items are checked once the body's checklists are known (`site::links`).
fn check_changes(p: &PlaybookMeta, at: &Located, today: IsoDate, out: &mut Vec<Diagnostic>) {
    let Some(first) = p.changes.first() else {
        return;
    };
    match &p.version {
        None => out.push(at.report(
            Level::Error,
            path!("changes", 0, "version"),
            format!("`changes[0].version` is {}, but the playbook has no `version`", first.version),
            format!("add `version: \"{}\"`: the newest change's version is the playbook's", first.version),
        )),
        Some(version) if version_key(version) != version_key(&first.version) => out.push(at.report(
            Level::Error,
            path!("changes", 0, "version"),
            format!("`changes[0].version` is {}, but the playbook's `version` is {version}", first.version),
            "the newest change comes first, at the playbook's version: bump `version` with each change".into(),
        )),
        Some(_) => {}
    }
    for (i, change) in p.changes.iter().enumerate() {
        if change.date > today {
            out.push(at.report(
                Level::Error,
                path!("changes", i, "date"),
                format!(
                    "`changes[{i}].date` ({}) is in the future (today is {})",
                    change.date.iso(),
                    today.iso()
                ),
                "write the date the change was made, once it has been".into(),
            ));
        } else if change.date > p.last_reviewed {
            out.push(at.report(
                Level::Error,
                path!("changes", i, "date"),
                format!("`changes[{i}].date` ({}) is after `last_reviewed` ({})", change.date.iso(), p.last_reviewed.iso()),
                "a change is reviewed when it is made: set `last_reviewed` to the newest change's date or later".into(),
            ));
        }
        let Some(above) = i.checked_sub(1).and_then(|a| p.changes.get(a)) else {
            continue;
        };
        if version_key(&change.version) >= version_key(&above.version) {
            out.push(at.report(
                Level::Error,
                path!("changes", i, "version"),
                format!(
                    "`changes[{i}].version` ({}) is not lower than the version above it ({})",
                    change.version, above.version
                ),
                "list changes newest first, each with a lower version than the one above it".into(),
            ));
        }
        if change.date > above.date {
            out.push(at.report(
                Level::Error,
                path!("changes", i, "date"),
                format!(
                    "`changes[{i}].date` ({}) is later than the date above it ({})",
                    change.date.iso(),
                    above.date.iso()
                ),
                "list changes newest first: the latest date at the top".into(),
            ));
        }
    }
}

/// A `link` or `evidence` that would run a script in a reader's browser (`javascript:`,
/// `vbscript:`, `data:`) is left off the page; say so where it is written.
fn check_script_urls(p: &PlaybookMeta, at: &Located, out: &mut Vec<Diagnostic>) {
    let mut urls: Vec<(Vec<PathStep>, &str)> = Vec::new();
    for (m, module) in p.training.iter().enumerate() {
        if let Some(link) = &module.link {
            urls.push((path!("training", m, "link"), link));
        }
    }
    for (c, checklist) in p.checklists.iter().enumerate() {
        for (i, item) in checklist.items.iter().enumerate() {
            if let Some(evidence) = &item.evidence {
                urls.push((path!("checklists", c, "items", i, "evidence"), evidence));
            }
        }
    }
    for (path, url) in urls {
        if crate::markdown::is_dangerous_url(url) {
            out.push(at.report(
                Level::Warning,
                path,
                "this URL runs a script; it is left off the page".into(),
                "link to a page of this site or to a full https:// address".into(),
            ));
        }
    }
}

fn duplicate_ids<'a>(
    ids: impl Iterator<Item = &'a str>,
    path_of: impl Fn(usize) -> Vec<PathStep>,
    what: &str,
    at: &Located,
    out: &mut Vec<Diagnostic>,
) {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(&first) = first_seen.get(id) {
            let first_line = at.root.at(&path_of(first)).map(|n| n.line).unwrap_or(1);
            out.push(at.report(
                Level::Error,
                path_of(i),
                format!("duplicate {what} id `{id}` (first used on line {first_line})"),
                format!("give each {what} its own id; readers' saved progress is keyed on it"),
            ));
        } else {
            first_seen.insert(id, i);
        }
    }
}

fn check_requires(p: &PlaybookMeta, at: &Located, out: &mut Vec<Diagnostic>) {
    let index: HashMap<&str, usize> = p
        .training
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    for (m, module) in p.training.iter().enumerate() {
        for (r, required) in module.requires.iter().enumerate() {
            if !index.contains_key(required.as_str()) {
                let ids: Vec<&str> = p.training.iter().map(|m| m.id.as_str()).collect();
                out.push(at.report(
                    Level::Error,
                    path!("training", m, "requires", r),
                    format!("training module `{}` requires `{required}`, which is not a module of this playbook", module.id),
                    crate::diagnostics::suggestion_help(required, &ids),
                ));
            }
        }
    }
    // Depth-first search for loops; each loop is reported once, at its first module.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; p.training.len()];
    fn visit(
        i: usize,
        p: &PlaybookMeta,
        index: &HashMap<&str, usize>,
        marks: &mut [Mark],
        stack: &mut Vec<usize>,
        loops: &mut Vec<Vec<usize>>,
    ) {
        marks[i] = Mark::Open;
        stack.push(i);
        for required in &p.training[i].requires {
            let Some(&j) = index.get(required.as_str()) else {
                continue;
            };
            match marks[j] {
                Mark::New => visit(j, p, index, marks, stack, loops),
                Mark::Open => {
                    let start = stack.iter().position(|&s| s == j).unwrap_or(0);
                    loops.push(stack[start..].to_vec());
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks[i] = Mark::Done;
    }
    let mut loops = Vec::new();
    for i in 0..p.training.len() {
        if marks[i] == Mark::New {
            visit(i, p, &index, &mut marks, &mut Vec::new(), &mut loops);
        }
    }
    for cycle in loops {
        let names: Vec<&str> = cycle.iter().map(|&i| p.training[i].id.as_str()).collect();
        let first = cycle.first().copied().unwrap_or(0);
        out.push(at.report(
            Level::Error,
            path!("training", first, "requires"),
            format!(
                "training prerequisites form a loop: {} → {}",
                names.join(" → "),
                names[0]
            ),
            "remove one `requires` entry so the modules can be taken in order".into(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{SiteConfig, Term};
    use crate::content::{load::PageSource, parse_page_text};

    fn config() -> SiteConfig {
        let mut c = SiteConfig::minimal("T");
        let term = |id: &str| Term {
            id: id.into(),
            name: id.into(),
        };
        c.roles = vec![term("gp"), term("nurse")];
        c.stages = vec![term("treatment")];
        c.settings = vec![term("primary-care")];
        c
    }

    fn diagnostics(extra: &str) -> Vec<Diagnostic> {
        let text = format!(
            "---\ntitle: T\nsummary: S\ntechnology:\n  name: N\n  kind: other\nowners:\n  - name: A\n    role: gp\nlast_reviewed: 2026-01-01\nnext_review_due: 2026-06-01\npathway:\n  name: P\n  settings: [primary-care]\n  stages: [treatment]\naudiences: [gp]\n{extra}---\nBody\n"
        );
        let source = PageSource {
            rel_path: "content/p.md".into(),
            abs_path: "content/p.md".into(),
            section: String::new(),
            url_segments: vec!["p".into()],
            is_bundle: false,
            content_path: "p.md".into(),
            listed: true,
            language: None,
        };
        let today = IsoDate::parse("2026-03-01").unwrap();
        parse_page_text(
            source,
            SourceText::new("content/p.md", text),
            &config(),
            today,
            &crate::content::Bases::none(),
        )
        .diagnostics
    }

    #[test]
    fn valid_playbook_has_no_findings() {
        assert_eq!(diagnostics(""), vec![]);
    }

    #[test]
    fn requires_loop_and_unknown_are_errors_with_lines() {
        let d = diagnostics(
            "training:\n  - id: a\n    title: A\n    roles: [gp]\n    format: video\n    duration_minutes: 5\n    requires: [b]\n  - id: b\n    title: B\n    roles: [gp]\n    format: video\n    duration_minutes: 5\n    requires: [a, zz]\n",
        );
        assert_eq!(d.len(), 2, "{d:#?}");
        assert!(d.iter().any(|d| d.message.contains("loop") && d.line == 23));
        assert!(d.iter().any(|d| d.message.contains("`zz`") && d.line == 29));
    }

    #[test]
    fn governance_warnings() {
        let d = diagnostics(
            "assurance:\n  nice_esf_tier: C\nrisks:\n  - risk: r\n    mitigation: m\n    kind: equity\ntraining:\n  - id: a\n    title: A\n    roles: [nurse]\n    format: video\n    duration_minutes: 5\n",
        );
        let warnings: Vec<_> = d.iter().filter(|d| !d.is_error()).map(|d| d.line).collect();
        assert_eq!(warnings, vec![18, 22, 26], "{d:#?}");
    }

    #[test]
    fn review_order_and_duplicates() {
        let d = diagnostics(
            "checklists:\n  - id: c\n    title: C\n    phase: prepare\n    items:\n      - id: x\n        text: X\n      - id: x\n        text: Y\n",
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("duplicate item id `x`"));
        assert_eq!(d[0].line, 24);
    }

    #[test]
    fn urls_that_run_scripts_are_named() {
        let d = diagnostics(
            "training:\n  - id: a\n    title: A\n    roles: [gp]\n    format: video\n    duration_minutes: 5\n    link: \" JavaScript:alert(1)\"\nchecklists:\n  - id: c\n    title: C\n    phase: prepare\n    items:\n      - id: x\n        text: X\n        evidence: \"data:text/html,x\"\n      - id: y\n        text: Y\n        evidence: \"https://example.org/\"\n",
        );
        let lines: Vec<_> = d
            .iter()
            .filter(|d| d.message.contains("runs a script"))
            .map(|d| (d.line, d.field.clone()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (23, Some("training[0].link".to_string())),
                (31, Some("checklists[0].items[0].evidence".to_string()))
            ],
            "{d:#?}"
        );
    }
}
