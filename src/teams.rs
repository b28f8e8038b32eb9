//! `playbook progress import` and `playbook progress status`: moving a browser export of
//! checklist ticks into a team's progress file, and reporting each team's progress.
//!
//! Import edits the file as text (it appends lines where they belong) rather than writing the
//! YAML out again, so the team's comments, order and spacing stay as they were.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::build::{self, BuildOptions};
use crate::content::model::IsoDate;
use crate::content::progress::{self, ProgressSource, PROGRESS_DIR};
use crate::content::yaml::{self, Node, NodeKind};
use crate::content::{self};
use crate::diagnostics::Diagnostic;
use crate::render::team::{breaks_a_gate, open_gates};
use crate::site::progress::{items_of, missing_gates, site_path_of};
use crate::site::{self, Site};
use crate::source::SourceText;

/// A failed command: what to print, and the exit code.
#[derive(Debug)]
pub struct Failure {
    /// The message (and any diagnostics, rendered by the caller).
    pub message: String,
    /// Diagnostics to show with it.
    pub diagnostics: Vec<Diagnostic>,
    /// 1 for problems with the site or the files, 2 for a command used wrongly.
    pub code: u8,
}

fn fail(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        diagnostics: Vec::new(),
        code: 1,
    }
}

/// The site as `check` sees it, up to and with the team records stage (nothing rendered).
pub fn load_site(options: &BuildOptions) -> Result<(Site, Vec<Diagnostic>), Failure> {
    let config = build::load_config(options).map_err(|diagnostics| Failure {
        message: "site.toml has errors".into(),
        diagnostics,
        code: 1,
    })?;
    let discovery = content::discover(&options.root, &config);
    let parsed = content::parse_all(
        &discovery,
        &config,
        options.today,
        &crate::source::PackBudget::new(options.unpacked_bytes),
    );
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(discovery.diagnostics.iter().cloned());
    let static_files = build::collect_static(&options.root, &config);
    let found = progress::discover(&options.root);
    let assembled = site::assemble(
        config,
        &discovery,
        parsed.pages,
        parsed.sections,
        &build::assemble_options(options, &static_files, &found),
        &site::render_body,
    );
    diagnostics.extend(assembled.diagnostics);
    let mut site = assembled.site;
    diagnostics.extend(build::check_progress(
        options,
        &mut site,
        &assembled.links.targets,
        found,
    ));
    Ok((site, diagnostics))
}

/// What `progress import` did.
#[derive(Debug, Default)]
pub struct Imported {
    /// The file written, relative to the root.
    pub file: String,
    /// Whether it was created.
    pub created: bool,
    /// `(playbook path, item)` added.
    pub added: Vec<(String, String)>,
    /// Ticked items already recorded (their first date kept).
    pub already: usize,
    /// `(playbook path, item)` recorded as done in the file but not ticked in the export:
    /// left in the file.
    pub unticked_recorded: Vec<(String, String)>,
    /// Items not ticked in the export and not recorded.
    pub unticked_open: usize,
}

/// Merges a browser export into `progress/<team>.yaml`: ticked items not yet recorded are
/// added with `date` and `by`; nothing else in the file changes. Refused, leaving the file as
/// it was, when the export is not one, is from another site or names items the site lacks.
pub fn import(
    options: &BuildOptions,
    export: &Path,
    team: &str,
    by: &str,
    date: IsoDate,
) -> Result<Imported, Failure> {
    if !crate::config::is_valid_id(team) {
        return Err(Failure {
            message: format!(
                "`{team}` is not a valid team id: use lowercase letters a-z, digits 0-9 and `-`"
            ),
            diagnostics: Vec::new(),
            code: 2,
        });
    }
    if date > options.today {
        return Err(fail(format!(
            "--date {} is in the future (today is {})",
            date.iso(),
            options.today.iso()
        )));
    }
    let ticks = read_export(export)?;
    let (site, _) = load_site(options)?;
    if !site.config.roles.iter().any(|r| r.id == by) {
        let ids: Vec<&str> = site.config.roles.iter().map(|r| r.id.as_str()).collect();
        let near = crate::diagnostics::did_you_mean(by, ids.iter().copied())
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(fail(format!(
            "--by `{by}` is not a role in site.toml{near}; roles: {}",
            ids.join(", ")
        )));
    }
    let matched = match_export(&site, &ticks, export)?;

    let rel = format!("{PROGRESS_DIR}/{team}.yaml");
    let path = options.root.join(&rel);
    let created = !path.exists();
    let text = if created {
        format!("# Progress of this team, kept in git (see the README: team records).\nteam: {team}  # the team's name as the site shows it: edit it\nplaybooks:\n")
    } else {
        std::fs::read_to_string(&path).map_err(|err| fail(format!("cannot read {rel}: {err}")))?
    };
    let source = SourceText::new(rel.clone(), text.clone());
    let (file, problems) = progress::parse_text(source, team, &site.config, options.today);
    let file = match file {
        Some(file) if !problems.iter().any(Diagnostic::is_error) => file,
        _ => {
            return Err(Failure {
                message: format!("{rel} has errors: fix them first, then import again"),
                diagnostics: problems,
                code: 1,
            })
        }
    };
    let mut result = Imported {
        file: rel.clone(),
        created,
        ..Imported::default()
    };
    let mut editor = Editor::new(&text)?;
    for (site_path, items) in &matched {
        let recorded: Vec<&str> = file
            .playbooks
            .iter()
            .find(|p| &p.path == site_path)
            .map(|p| p.done.iter().map(|d| d.item.as_str()).collect())
            .unwrap_or_default();
        let mut new_items = Vec::new();
        for (item, ticked) in items {
            match (*ticked, recorded.contains(&item.as_str())) {
                (true, true) => result.already += 1,
                (true, false) => new_items.push(item.clone()),
                (false, true) => result
                    .unticked_recorded
                    .push((site_path.clone(), item.clone())),
                (false, false) => result.unticked_open += 1,
            }
        }
        if new_items.is_empty() {
            continue;
        }
        editor.add_done(site_path, &new_items, date, by)?;
        result
            .added
            .extend(new_items.into_iter().map(|i| (site_path.clone(), i)));
    }
    if result.added.is_empty() {
        return Ok(result);
    }
    let new_text = editor.text;
    let check = SourceText::new(rel.clone(), new_text.clone());
    let (_, problems) = progress::parse_text(check, team, &site.config, options.today);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Failure {
            message: format!("the merged {rel} would not be valid, so it was left as it was (its layout may be one this command cannot add to: write `done:` as a block list)"),
            diagnostics: problems,
            code: 1,
        });
    }
    write_atomically(&options.root.join(PROGRESS_DIR), &path, &new_text)
        .map_err(|err| fail(format!("cannot write {rel}: {err}")))?;
    Ok(result)
}

/// The ticks of an export: per playbook (its URL, or its site path once matched), each
/// `checklist-id/item-id` and whether it is ticked.
type Ticks = Vec<(String, Vec<(String, bool)>)>;

fn read_export(export: &Path) -> Result<Ticks, Failure> {
    let shown = export.display();
    let text = std::fs::read_to_string(export)
        .map_err(|err| fail(format!("cannot read {shown}: {err}")))?;
    let value: Value = serde_json::from_str(&text).map_err(|err| {
        fail(format!(
            "{shown} is not a progress export: it is not valid JSON ({err})"
        ))
    })?;
    let not_export = || {
        fail(format!(
            "{shown} is not a progress export: make one with the \"Export progress\" button under a playbook's checklists"
        ))
    };
    if value.get("format").and_then(Value::as_str) != Some("playbook-progress") {
        return Err(not_export());
    }
    let Some(playbooks) = value.get("playbooks").and_then(Value::as_object) else {
        return Err(not_export());
    };
    let mut ticks = Vec::new();
    for (url, lists) in playbooks {
        let mut items = Vec::new();
        for (list, boxes) in lists.as_object().into_iter().flatten() {
            for (item, ticked) in boxes.as_object().into_iter().flatten() {
                if let Some(ticked) = ticked.as_bool() {
                    items.push((format!("{list}/{item}"), ticked));
                }
            }
        }
        ticks.push((url.clone(), items));
    }
    Ok(ticks)
}

/// The export's playbooks as site paths of this site's playbooks, each with its items.
fn match_export(site: &Site, ticks: &Ticks, export: &Path) -> Result<Ticks, Failure> {
    let by_url: HashMap<&str, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.meta().playbook().is_some())
        .map(|(i, p)| (p.url.as_str(), i))
        .collect();
    let unknown: Vec<&str> = ticks
        .iter()
        .map(|(url, _)| url.as_str())
        .filter(|url| !by_url.contains_key(url))
        .collect();
    if !ticks.is_empty() && unknown.len() == ticks.len() {
        return Err(fail(format!(
            "{} is from another site: none of its playbooks ({}) is a playbook of this site; nothing was imported",
            export.display(),
            unknown.join(", ")
        )));
    }
    let mut problems = Vec::new();
    if !unknown.is_empty() {
        problems.push(format!(
            "playbooks this site does not have: {}",
            unknown.join(", ")
        ));
    }
    let mut matched = Vec::new();
    for (url, items) in ticks {
        let Some(&page) = by_url.get(url.as_str()) else {
            continue;
        };
        let known = items_of(&site.pages[page], &site.config.base_path);
        let missing: Vec<&str> = items
            .iter()
            .filter(|(key, _)| !known.iter().any(|k| &k.key == key))
            .map(|(key, _)| key.as_str())
            .collect();
        if !missing.is_empty() {
            problems.push(format!("items {url} does not have: {}", missing.join(", ")));
        }
        matched.push((site_path_of(&site.pages[page]), items.clone()));
    }
    if !problems.is_empty() {
        return Err(fail(format!(
            "{} names things this site does not have, so nothing was imported: {}",
            export.display(),
            problems.join("; ")
        )));
    }
    Ok(matched)
}

fn write_atomically(dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(
        ".{}.importing",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("progress")
    ));
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// Adds lines to a progress file's text where they belong.
struct Editor {
    text: String,
}

impl Editor {
    fn new(text: &str) -> Result<Self, Failure> {
        let mut text = text.to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        Ok(Editor { text })
    }

    fn root(&self) -> Result<Node, Failure> {
        yaml::parse(&self.text, 1).map_err(|err| fail(err.message))
    }

    /// Inserts `lines` before line `line` (1-based; past the end appends).
    fn insert_at(&mut self, line: usize, lines: &str) {
        let mut offset = 0;
        for (n, l) in self.text.split_inclusive('\n').enumerate() {
            if n + 1 == line {
                break;
            }
            offset += l.len();
        }
        self.text.insert_str(offset.min(self.text.len()), lines);
    }

    /// The first line after the block that starts at `start_line` and whose lines are indented
    /// to (1-based) `column` or deeper: the next line indented less (or the end of the file),
    /// before any blank and comment lines that close the block.
    fn block_end(&self, start_line: usize, column: usize) -> usize {
        let mut end = self.text.lines().count() + 1;
        for (n, line) in self.text.lines().enumerate().skip(start_line) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent + 1 < column {
                end = n + 1;
                break;
            }
        }
        // Leave blank and comment lines that close the block where they are.
        let lines: Vec<&str> = self.text.lines().collect();
        while end > start_line + 1 {
            let previous = lines.get(end - 2).map(|l| l.trim()).unwrap_or("");
            if previous.is_empty() || previous.starts_with('#') {
                end -= 1;
            } else {
                break;
            }
        }
        end
    }

    fn add_done(
        &mut self,
        site_path: &str,
        items: &[String],
        date: IsoDate,
        by: &str,
    ) -> Result<(), Failure> {
        let entries = |indent: usize| {
            let pad = " ".repeat(indent);
            items
                .iter()
                .map(|item| {
                    format!(
                        "{pad}- item: {item}\n{pad}  date: {}\n{pad}  by: {by}\n",
                        date.iso()
                    )
                })
                .collect::<String>()
        };
        let root = self.root()?;
        let Some(playbooks) = root.get("playbooks").filter(|n| n.kind != NodeKind::Null) else {
            // No `playbooks:` (or an empty one): add it at the end.
            let has_key = root.key("playbooks").is_some();
            let mut block = String::new();
            if !has_key {
                block.push_str("playbooks:\n");
            }
            block.push_str(&format!("  {site_path}:\n    done:\n{}", entries(6)));
            if has_key {
                let line = root.key("playbooks").map_or(1, |k| k.line);
                self.insert_at(line + 1, &block);
            } else {
                let end = self.text.lines().count() + 1;
                self.insert_at(end, &block);
            }
            return Ok(());
        };
        let NodeKind::Map(entries_of_playbooks) = &playbooks.kind else {
            return Err(fail("`playbooks:` is not a mapping"));
        };
        let key_column = entries_of_playbooks.first().map_or(3, |(k, _)| k.column);
        let Some((key, record)) = entries_of_playbooks
            .iter()
            .find(|(k, _)| k.as_str() == Some(site_path))
        else {
            let end = self.block_end(playbooks.line, key_column);
            let pad = " ".repeat(key_column - 1);
            let block = format!(
                "{pad}{site_path}:\n{pad}  done:\n{}",
                entries(key_column + 3)
            );
            self.insert_at(end, &block);
            return Ok(());
        };
        match record.get("done") {
            Some(Node {
                kind: NodeKind::Seq(list),
                line,
                column,
                ..
            }) if !list.is_empty() => {
                let flow = self
                    .text
                    .lines()
                    .nth(line - 1)
                    .is_some_and(|l| l.chars().nth(column - 1) == Some('['));
                if flow {
                    return Err(fail(format!("`done:` of {site_path} is written as a `[...]` list: write it one item per line, then import again")));
                }
                let dash = list[0].column.saturating_sub(2).max(1);
                let end = self.block_end(list[0].line, dash);
                self.insert_at(end, &entries(dash - 1));
            }
            _ => {
                let done_key = record.key("done");
                let column = match &record.kind {
                    NodeKind::Map(e) => e.first().map_or(key.column + 2, |(k, _)| k.column),
                    _ => key.column + 2,
                };
                let pad = " ".repeat(column - 1);
                let mut block = String::new();
                let at = match done_key {
                    // `done:` or `done: []`: replace its line.
                    Some(k) => {
                        self.remove_line(k.line);
                        k.line
                    }
                    None => key.line + 1,
                };
                block.push_str(&format!("{pad}done:\n{}", entries(column + 1)));
                self.insert_at(at, &block);
            }
        }
        Ok(())
    }

    fn remove_line(&mut self, line: usize) {
        let mut offset = 0;
        for (n, l) in self.text.clone().split_inclusive('\n').enumerate() {
            if n + 1 == line {
                self.text.replace_range(offset..offset + l.len(), "");
                return;
            }
            offset += l.len();
        }
    }
}

/// `progress status`: per team and playbook, done of total per phase and the open gate
/// items. Returns the report, and whether a recorded decision breaks a gate.
pub fn status(options: &BuildOptions, team: Option<&str>) -> Result<(String, bool), Failure> {
    let (site, diagnostics) = load_site(options)?;
    let progress_problems: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| d.file.starts_with(&format!("{PROGRESS_DIR}/")))
        .collect();
    let mut out = String::new();
    let mut broken = false;
    let teams: Vec<_> = site
        .teams
        .iter()
        .filter(|t| team.is_none_or(|id| id == t.id))
        .collect();
    if let Some(id) = team {
        if teams.is_empty() {
            let (sources, _) = progress::discover(&options.root);
            let known: Vec<String> = sources
                .iter()
                .map(|s: &ProgressSource| s.team_id.clone())
                .collect();
            return Err(fail(format!(
                "no team `{id}`: there is no progress/{id}.yaml (teams: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )));
        }
    }
    for t in teams {
        out.push_str(&format!("{} ({})\n", t.name, t.file));
        for record in &t.playbooks {
            let page = &site.pages[record.page];
            let items = items_of(page, &site.config.base_path);
            out.push_str(&format!(
                "  {} ({})\n",
                page.meta().title(),
                site_path_of(page)
            ));
            for phase in crate::content::model::Phase::VALUES
                .iter()
                .map(|p| Some(*p))
                .chain([None])
            {
                let in_phase: Vec<_> = items.iter().filter(|i| i.phase == phase).collect();
                if in_phase.is_empty() {
                    continue;
                }
                let done = in_phase
                    .iter()
                    .filter(|i| record.done.iter().any(|d| d.key == i.key))
                    .count();
                let label = phase.map_or("Other checklists", |p| p.label());
                out.push_str(&format!("    {label}: {done} of {} done\n", in_phase.len()));
            }
            let open = open_gates(&items, record);
            if open.is_empty() {
                out.push_str("    Open gate items: none\n");
            } else {
                out.push_str("    Open gate items:\n");
                for item in open {
                    out.push_str(&format!("      - {}\n", item.key));
                }
            }
            for d in &record.decisions {
                let missing = if d.decision.goes_ahead() {
                    missing_gates(&items, &record.done, d.phase, d.date)
                } else {
                    Vec::new()
                };
                let note = if missing.is_empty() {
                    String::new()
                } else {
                    let keys: Vec<&str> = missing.iter().map(|m| m.key.as_str()).collect();
                    format!(" BREAKS A GATE: not done by then: {}", keys.join(", "))
                };
                out.push_str(&format!(
                    "    Decision: {} for {} on {}{note}\n",
                    d.decision.as_str(),
                    d.phase.as_str(),
                    d.date.iso()
                ));
            }
            broken |= breaks_a_gate(&site, record);
        }
    }
    if site.teams.is_empty() && progress_problems.is_empty() {
        out.push_str(
            "No team records: add progress/<team-id>.yaml, or run `playbook progress import`.\n",
        );
    }
    if progress_problems.iter().any(Diagnostic::is_error) && !broken {
        return Err(Failure {
            message: "the team progress files have errors".into(),
            diagnostics: progress_problems,
            code: 1,
        });
    }
    Ok((out, broken))
}
