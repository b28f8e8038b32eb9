//! The pipeline end to end: load → parse → validate → render → write. `build` and `check` call
//! `run`; `serve` will call it again on every change.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use walkdir::WalkDir;

use crate::config::{self, SiteConfig};
use crate::content::{self, PageMeta};
use crate::diagnostics::Diagnostic;
use crate::output::{self, CopiedFile, OutputFile};
use crate::render::{self, theme, RenderOptions};
use crate::site::{self, AssembleOptions, Site};
use crate::validate;

/// What to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding site.toml.
    pub root: PathBuf,
    /// Overrides `build.output_dir`.
    pub output: Option<PathBuf>,
    /// Build drafts too.
    pub drafts: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Write the output (false for `check`).
    pub write: bool,
    /// Add the live-reload script (serve).
    pub live_reload: bool,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// HTML pages written.
    pub pages: usize,
    /// Playbooks built.
    pub playbooks: usize,
    /// Checklists (front matter and body).
    pub checklists: usize,
    /// Warnings found.
    pub warnings: usize,
    /// Where the site went.
    pub output: PathBuf,
}

/// The result of a run: every diagnostic, and whether it succeeded.
#[derive(Debug)]
pub struct BuildReport {
    /// Errors and warnings, all of them.
    pub diagnostics: Vec<Diagnostic>,
    /// `Some` when the build succeeded.
    pub summary: Option<Summary>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildReport {
    /// True when the run failed (errors, or warnings under `--strict`).
    pub fn failed(&self) -> bool {
        self.summary.is_none()
    }

    /// The one-line summary, e.g. "Built 42 pages (9 playbooks, 27 checklists), 0 warnings in 0.31 s → public".
    pub fn summary_line(&self, wrote: bool) -> String {
        let secs = self.elapsed.as_secs_f64();
        match &self.summary {
            Some(s) if wrote => format!(
                "Built {} pages ({} playbooks, {} checklists), {} warnings in {secs:.2} s → {}",
                s.pages,
                s.playbooks,
                s.checklists,
                s.warnings,
                s.output.display()
            ),
            Some(s) => format!(
                "Checked {} pages ({} playbooks, {} checklists): no errors, {} warnings in {secs:.2} s",
                s.pages, s.playbooks, s.checklists, s.warnings
            ),
            None => {
                let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = self.diagnostics.len() - errors;
                format!("Failed: {errors} errors, {warnings} warnings in {secs:.2} s; the previous output was left as it was")
            }
        }
    }
}

/// Runs the whole pipeline. Never panics on bad input: every problem is a diagnostic.
pub fn run(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let finish = |diagnostics: Vec<Diagnostic>, summary: Option<Summary>| BuildReport {
        diagnostics,
        summary,
        elapsed: started.elapsed(),
    };
    let mut config = match config::load(&options.root) {
        Ok(config) => config,
        Err(diagnostics) => return finish(diagnostics, None),
    };
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    let today = validate::today();
    let discovery = content::discover(&options.root);
    let (parsed, section_indexes, mut diagnostics) = site::parse_all(&discovery, &config, today);
    diagnostics.extend(discovery.diagnostics.iter().cloned());

    let static_files = collect_static(&options.root, &config);
    let assemble_options = AssembleOptions {
        drafts: options.drafts,
        static_paths: static_files
            .iter()
            .map(|(path, _)| format!("/{path}"))
            .collect::<HashSet<_>>(),
    };
    let (site, mut more) = site::assemble(
        config,
        &discovery,
        parsed,
        section_indexes,
        &assemble_options,
        today,
    );
    diagnostics.append(&mut more);

    let mut templates = match render::load_templates(&options.root, &site.config.theme) {
        Ok(t) => Some(t),
        Err(mut d) => {
            diagnostics.append(&mut d);
            None
        }
    };
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    let files = match (&mut templates, has_errors) {
        (Some(templates), false) => {
            match render::render_site(
                &site,
                templates,
                &RenderOptions {
                    live_reload: options.live_reload,
                },
            ) {
                Ok(files) => files,
                Err(mut d) => {
                    diagnostics.append(&mut d);
                    Vec::new()
                }
            }
        }
        _ => Vec::new(),
    };
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    let failed = diagnostics.iter().any(Diagnostic::is_error) || (options.strict && warnings > 0);
    if failed {
        if options.strict && warnings > 0 && !diagnostics.iter().any(Diagnostic::is_error) {
            // Under --strict, warnings are errors: say so in each.
            for d in &mut diagnostics {
                d.severity = crate::diagnostics::Severity::Error;
            }
        }
        return finish(diagnostics, None);
    }
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let summary = Summary {
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        playbooks: site
            .pages
            .iter()
            .filter(|p| p.meta().playbook().is_some())
            .count(),
        checklists: count_checklists(&site),
        warnings,
        output: output_dir.clone(),
    };
    if options.write {
        let mut files = files;
        let generated = output::generated_files(&site, &files);
        files.extend(generated);
        if let Err(err) = write(&site, files, static_files, &output_dir) {
            diagnostics.push(
                Diagnostic::error(
                    output_dir.display().to_string(),
                    1,
                    1,
                    format!("cannot write the site: {err}"),
                )
                .with_help("check that the output folder's parent exists and is writable"),
            );
            return finish(diagnostics, None);
        }
    }
    finish(diagnostics, Some(summary))
}

fn count_checklists(site: &Site) -> usize {
    site.pages
        .iter()
        .map(|p| {
            let front = match p.meta() {
                PageMeta::Playbook(pb) => pb.checklists.len(),
                PageMeta::Guide(_) => 0,
            };
            front + p.rendered.checklists.len()
        })
        .sum()
}

fn write(
    site: &Site,
    files: Vec<OutputFile>,
    static_files: Vec<(String, StaticSource)>,
    output_dir: &Path,
) -> std::io::Result<()> {
    let mut in_memory = files;
    let mut copies: Vec<CopiedFile> = site
        .assets
        .iter()
        .map(|a| CopiedFile {
            path: a.output_path.clone(),
            source: a.source.clone(),
        })
        .collect();
    for (path, source) in static_files {
        match source {
            StaticSource::Disk(source) => copies.push(CopiedFile { path, source }),
            StaticSource::Embedded(bytes) => in_memory.push(OutputFile {
                path,
                contents: bytes.to_vec(),
            }),
        }
    }
    output::write_site(output_dir, &in_memory, &copies)
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// A file on disk.
    Disk(PathBuf),
    /// The built-in default theme.
    Embedded(&'static [u8]),
}

/// Static files by output path: built-in default theme, then the site's default theme folder,
/// then the selected theme, then the site's `static/` (each later one wins).
pub fn collect_static(root: &Path, config: &SiteConfig) -> Vec<(String, StaticSource)> {
    let mut files: BTreeMap<String, StaticSource> = BTreeMap::new();
    for (path, bytes) in theme::DEFAULT_STATIC {
        files.insert(path.to_string(), StaticSource::Embedded(bytes));
    }
    let mut dirs = vec![root.join("themes/default/static")];
    if config.theme != "default" {
        dirs.push(root.join("themes").join(&config.theme).join("static"));
    }
    dirs.push(root.join("static"));
    for dir in dirs {
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !e.file_name().to_str().is_some_and(|n| n.starts_with('.')))
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(&dir) {
                if let Some(rel) = rel.to_str() {
                    files.insert(
                        rel.replace('\\', "/"),
                        StaticSource::Disk(entry.path().to_path_buf()),
                    );
                }
            }
        }
    }
    files.into_iter().collect()
}
