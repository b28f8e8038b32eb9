//! The pipeline end to end, as a flat list of stages:
//!
//! ```text
//! load (site.toml, the content folder, the templates)
//!   ─▶ parse and validate each page (content)
//!   ─▶ assemble the Site: URLs, Markdown, links and anchors (site)
//!   ─▶ render every file (render) ─▶ write it into a staging folder as it comes (output)
//!   ─▶ the files made from the whole site: sitemap, feed, JSON, search index (output)
//!   ─▶ swap the staging folder in
//! ```
//!
//! `build` and `check` call [`run`]. `serve` composes the same stage functions with its cache
//! (`serve::rebuild`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use walkdir::WalkDir;

use crate::config::{self, SiteConfig};
use crate::content::model::IsoDate;
use crate::content::{self, PageMeta, ParsedPage};
use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::{self, MarkdownInput, Rendered, Resolution};
use crate::output::{self, search, Staging};
use crate::render::body::BodyHtml;
use crate::render::{self, theme, OutputFile, RenderOptions, RenderRequest, Templates};
use crate::site::{self, AssembleOptions, Site};
use crate::source::PackBudget;

/// What to do.
#[derive(Debug, Clone)]
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
    /// Write URLs for a site at `/` whatever the path of `base_url` (serve, which previews at
    /// its root).
    pub at_root: bool,
    /// A progress bar to move through the stages (`build` on a terminal); `None` shows nothing.
    pub progress: Option<ProgressBar>,
    /// The date review checks use: read once by the command line (`PLAYBOOK_TODAY`, else the
    /// clock), so a whole run, and every rebuild of `serve`, judges against one date.
    pub today: IsoDate,
    /// How many bytes of page bodies (and again of their HTML) wait as they are before the
    /// rest are packed (see [`PackBudget`]): [`crate::source::UNPACKED_BYTES`], or
    /// `PLAYBOOK_UNPACKED_BYTES` when set (0 packs everything, as the tests of packing do).
    pub unpacked_bytes: usize,
}

impl BuildOptions {
    /// Checks the site at `root` against `today`, writing nothing; set the other fields to
    /// build, serve or be strict.
    pub fn new(root: impl Into<PathBuf>, today: IsoDate) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            strict: false,
            base_url: None,
            write: false,
            live_reload: false,
            at_root: false,
            progress: None,
            today,
            unpacked_bytes: std::env::var("PLAYBOOK_UNPACKED_BYTES")
                .ok()
                .and_then(|bytes| bytes.trim().parse().ok())
                .unwrap_or(crate::source::UNPACKED_BYTES),
        }
    }
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
                "Built {} ({}, {}), {} in {secs:.2} s → {}",
                plural(s.pages, "page"),
                plural(s.playbooks, "playbook"),
                plural(s.checklists, "checklist"),
                plural(s.warnings, "warning"),
                s.output.display()
            ),
            Some(s) => format!(
                "Checked {} ({}, {}): no errors, {} in {secs:.2} s",
                plural(s.pages, "page"),
                plural(s.playbooks, "playbook"),
                plural(s.checklists, "checklist"),
                plural(s.warnings, "warning")
            ),
            None => {
                let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
                let warnings = self.diagnostics.len() - errors;
                let (errors, warnings) = (plural(errors, "error"), plural(warnings, "warning"));
                // Only `build` writes; saying the output was kept after `check` would mislead.
                let kept = if wrote {
                    "; the previous output was left as it was"
                } else {
                    ""
                };
                format!("Failed: {errors}, {warnings} in {secs:.2} s{kept}")
            }
        }
    }
}

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Runs the whole pipeline, stage after stage. Never panics on bad input: every problem is a
/// diagnostic, and a build that fails leaves the previous output as it was.
pub fn run(options: &BuildOptions) -> BuildReport {
    let started = Instant::now();
    let mut clock = StageClock::new();
    let config = match load_config(options) {
        Ok(config) => config,
        Err(diagnostics) => return finish(options, diagnostics, None, started),
    };
    // The templates compile beside the walk of the content folder: neither needs the other,
    // and each is a few milliseconds that would otherwise leave a core idle.
    let (discovery, templates) = rayon::join(
        || content::discover(&options.root, &config),
        || render::load_templates(&options.root, &config.theme),
    );
    clock.lap("load (config, discover)");
    if let Some(bar) = &options.progress {
        let message = format!("Reading and checking {} pages", discovery.pages.len());
        show_phase(bar, message, false);
    }

    let parsed = content::parse_all(
        &discovery,
        &config,
        options.today,
        &PackBudget::new(options.unpacked_bytes),
    );
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(discovery.diagnostics.iter().cloned());
    diagnostics.extend(config.warnings.iter().cloned());
    let (editions, found) =
        site::languages::editions(&config, parsed.pages, parsed.sections, options.drafts);
    diagnostics.extend(found);
    clock.lap("parse and validate");

    // Each language is an edition: a whole site of its own, assembled one after the other.
    let static_files = collect_static(&options.root, &config);
    let progress = content::progress::discover(&options.root);
    let mut assemble_options = assemble_options(options, &static_files, &progress);
    let (team_files, found) = read_progress(options, &config, progress);
    diagnostics.extend(found);
    let mut sites: Vec<Site> = Vec::with_capacity(editions.len());
    // Each edition's bodies, packed as they are rendered (URLs are the edition's own).
    let mut packed: Vec<PackedBodies> = Vec::with_capacity(editions.len());
    for edition in editions {
        let bodies = PackedBodies::new(options.unpacked_bytes);
        let render_body =
            |_: &Arc<ParsedPage>, input: &MarkdownInput, resolve: &dyn Fn(&str) -> Resolution| {
                bodies.render(input, resolve)
            };
        if let [default] = sites.as_slice() {
            assemble_options.default_edition = site::languages::default_edition(default);
        }
        let assembled = site::assemble(
            edition.config,
            &discovery,
            edition.pages,
            edition.sections,
            &assemble_options,
            &render_body,
        );
        diagnostics.extend(assembled.diagnostics);
        packed.push(bodies);
        let mut site = assembled.site;
        diagnostics.extend(check_teams(
            &mut site,
            &assembled.links.targets,
            &team_files,
        ));
        sites.push(site);
    }
    site::languages::link(&mut sites);
    // A page shown in two editions (the original with a notice) is checked in both.
    let mut diagnostics = unique(diagnostics);
    clock.lap("assemble (markdown, links), team records");

    let mut templates = match templates {
        Ok(templates) => templates,
        Err(problems) => {
            diagnostics.extend(problems);
            return finish(options, diagnostics, None, started);
        }
    };
    // The theme's strings (themes/*/i18n/, the site's i18n/) in each edition's language.
    let (translations, problems) =
        render::i18n::load(&options.root, &config.theme, &config.language_codes());
    diagnostics.extend(problems);
    templates.set_translations(translations);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return finish(options, diagnostics, None, started);
    }
    let output_dir = output_dir_of(options, &config);
    let strict_failure = options.strict && diagnostics.iter().any(|d| !d.is_error());
    let staging = if options.write && !strict_failure {
        match Staging::create(&output_dir) {
            Ok(staging) => Some(staging),
            Err(err) => {
                diagnostics.push(cannot_write(&output_dir, &err));
                return finish(options, diagnostics, None, started);
            }
        }
    } else {
        None
    };
    let mut rendered = Vec::with_capacity(sites.len());
    let times = clock.enabled().then(render::times::RenderTimes::default);
    for (site, packed) in sites.iter_mut().zip(&packed) {
        match render_pages(
            options,
            site,
            packed,
            &mut templates,
            staging.as_ref(),
            times.as_ref(),
        ) {
            Ok(pages) => rendered.push(pages),
            Err(problems) => {
                diagnostics.extend(problems);
                return finish(options, diagnostics, None, started);
            }
        }
    }
    clock.lap("render and write pages");
    if let Some(times) = &times {
        for line in times.report() {
            eprintln!(
                "timing:   {:<26} {:>8.1} ms  over {} file(s), summed over threads",
                line.kind,
                line.took.as_secs_f64() * 1e3,
                line.files
            );
        }
    }

    let html_pages = rendered.iter().map(|r| r.html_pages).sum();
    let summary = summarize_editions(&sites, html_pages, &diagnostics, &output_dir);
    if let Some(staging) = staging {
        let written = write_site_files(&sites, rendered, static_files, &staging, &templates)
            .and_then(|()| staging.commit());
        if let Err(err) = written {
            diagnostics.push(cannot_write(&output_dir, &err));
            return finish(options, diagnostics, None, started);
        }
        clock.lap("generated files, static files, swap in");
    }
    for site in sites {
        drop_in_parallel(site);
    }
    clock.lap("free memory");
    finish(options, diagnostics, Some(summary), started)
}

/// `diagnostics` with each repeated one left out (same file, place and message), in order.
pub fn unique(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| {
            seen.insert(format!(
                "{}\0{}\0{}\0{}\0{:?}",
                d.file, d.line, d.column, d.message, d.severity
            ))
        })
        .collect()
}

/// The report of a run: under `--strict` any warning fails it, and then says it is an error.
pub fn finish(
    options: &BuildOptions,
    mut diagnostics: Vec<Diagnostic>,
    summary: Option<Summary>,
    started: Instant,
) -> BuildReport {
    let errors = diagnostics.iter().any(Diagnostic::is_error);
    let warnings = diagnostics.iter().any(|d| !d.is_error());
    let summary = summary.filter(|_| !(errors || options.strict && warnings));
    if options.strict && warnings && !errors {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    BuildReport {
        diagnostics,
        summary,
        elapsed: started.elapsed(),
    }
}

/// site.toml, with `--base-url` applied (and no base path when `at_root`: serve).
pub fn load_config(options: &BuildOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.set_base_url(base_url);
    }
    if options.at_root {
        config.base_path.clear();
    }
    Ok(config)
}

/// The team records stage: reads every file `content::progress::discover` found in
/// `progress/`, checks it against the assembled site and keeps the teams in `site.teams`.
pub fn check_progress(
    options: &BuildOptions,
    site: &mut Site,
    targets: &site::links::LinkTargets,
    progress: (Vec<content::progress::ProgressSource>, Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    let (files, mut diagnostics) = read_progress(options, &site.config, progress);
    diagnostics.extend(check_teams(site, targets, &files));
    diagnostics
}

/// The first half of the team records stage: reads and checks every file
/// `content::progress::discover` found, on its own (once per build, whatever the languages).
pub fn read_progress(
    options: &BuildOptions,
    config: &SiteConfig,
    (sources, mut diagnostics): (Vec<content::progress::ProgressSource>, Vec<Diagnostic>),
) -> (Vec<content::progress::ProgressFile>, Vec<Diagnostic>) {
    let (files, found) = content::progress::parse_all(&sources, config, options.today);
    diagnostics.extend(found);
    (files, diagnostics)
}

/// The second half: checks the team records against one assembled site (a language edition)
/// and keeps the teams in `site.teams`.
pub fn check_teams(
    site: &mut Site,
    targets: &site::links::LinkTargets,
    files: &[content::progress::ProgressFile],
) -> Vec<Diagnostic> {
    let (teams, found) = site::progress::check_teams(site, targets, files);
    site.teams = teams;
    found
}

/// What `assemble` needs from the command line, and the static files links may point at.
pub fn assemble_options(
    options: &BuildOptions,
    static_files: &[(String, StaticSource)],
    progress: &(Vec<content::progress::ProgressSource>, Vec<Diagnostic>),
) -> AssembleOptions {
    AssembleOptions {
        team_ids: progress.0.iter().map(|s| s.team_id.clone()).collect(),
        drafts: options.drafts,
        static_paths: static_files
            .iter()
            .map(|(path, _)| format!("/{path}"))
            .collect::<HashSet<_>>(),
        today: options.today,
        default_edition: Default::default(),
    }
}

/// Everything besides the sources that a rebuild's output depends on: when it changes, `serve`
/// reuses nothing.
pub fn settings_key(options: &BuildOptions, config: &SiteConfig) -> String {
    format!(
        "{config:?}|{:?}|{}|{}",
        options.today, options.drafts, options.live_reload
    )
}

/// The counts of the summary line.
pub fn summarize(
    site: &Site,
    html_pages: usize,
    diagnostics: &[Diagnostic],
    output: &Path,
) -> Summary {
    Summary {
        pages: html_pages,
        playbooks: site
            .pages
            .iter()
            .filter(|p| p.meta().playbook().is_some())
            .count(),
        checklists: count_checklists(site),
        warnings: diagnostics.iter().filter(|d| !d.is_error()).count(),
        output: output.to_path_buf(),
    }
}

/// The counts of the summary line for every language edition together: every HTML page, and
/// the playbooks and checklists of the default language (each language has the same ones).
pub fn summarize_editions(
    sites: &[Site],
    html_pages: usize,
    diagnostics: &[Diagnostic],
    output: &Path,
) -> Summary {
    let mut summary = Summary {
        pages: html_pages,
        warnings: diagnostics.iter().filter(|d| !d.is_error()).count(),
        output: output.to_path_buf(),
        ..Summary::default()
    };
    // Playbooks and checklists are counted once, in the default language's edition.
    if let Some(default) = sites.first() {
        let one = summarize(default, 0, &[], output);
        summary.playbooks = one.playbooks;
        summary.checklists = one.checklists;
    }
    summary
}

/// Checklists in front matter and bodies, for the summary.
pub fn count_checklists(site: &Site) -> usize {
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

/// What the render stage left for the write stage, for one edition.
struct RenderedPages {
    /// HTML pages made.
    html_pages: usize,
    /// What the files made from the whole site need of them.
    pages: PageTexts,
}

/// The rendered pages as the sitemap and search index need them.
struct PageTexts {
    /// Every rendered file's path, for the sitemap.
    paths: Vec<String>,
    /// Each indexed page's words by URL, for the search index...
    texts: HashMap<String, search::PageText>,
    /// ...as ids of these words.
    lexicon: search::Lexicon,
}

/// The render stage for `build` and `check`, for one language edition: renders every file
/// through the templates and, when `build` writes (`staging`), writes each into the staging
/// folder as soon as it is made (under the edition's language folder), reading the text of
/// each page the search index holds on the way, so the whole site is never held in memory.
/// The staging folder takes the output's place only at the end (dropped, it removes itself).
fn render_pages(
    options: &BuildOptions,
    site: &mut Site,
    packed: &PackedBodies,
    templates: &mut Templates,
    staging: Option<&Staging>,
    times: Option<&render::times::RenderTimes>,
) -> Result<RenderedPages, Vec<Diagnostic>> {
    if let Some(bar) = &options.progress {
        show_phase(bar, "Writing".to_string(), true);
    }
    let bodies = packed.take(site);
    let site = &*site;
    let html_pages = AtomicUsize::new(0);
    let indexed = search::indexed_urls(site);
    let lexicon = search::Lexicon::default();
    let paths = Mutex::new(Vec::new());
    let texts = Mutex::new(HashMap::new());
    let write = |_job: usize, file: OutputFile| {
        if file.path.ends_with(".html") {
            html_pages.fetch_add(1, Ordering::Relaxed);
        }
        let Some(staging) = staging else {
            return Ok(());
        };
        let started = times.map(|_| Instant::now());
        if let Some(text) = search_text(&file, &indexed, &lexicon) {
            lock(&texts).insert(text.0, text.1);
            if let (Some(times), Some(started)) = (times, started) {
                times.read_words(started.elapsed());
            }
        }
        let started = times.map(|_| Instant::now());
        staging.write(&output::edition_path(site, &file.path), &file.contents)?;
        if let (Some(times), Some(started)) = (times, started) {
            times.wrote(started.elapsed());
        }
        lock(&paths).push(file.path);
        Ok(())
    };
    // Term pages and role views go straight into their files (see `RenderRequest::stream_to`).
    let stream_to = staging.map(|staging| {
        |path: &str| {
            let file = staging.create_file(&output::edition_path(site, path))?;
            if path.ends_with(".html") {
                html_pages.fetch_add(1, Ordering::Relaxed);
            }
            lock(&paths).push(path.to_string());
            Ok(file)
        }
    });
    let jobs = render::jobs(site);
    let request = RenderRequest {
        jobs: &jobs,
        bodies,
        progress: options.progress.as_ref(),
        times,
        stream_to: stream_to.as_ref().map(|open| open as &render::StreamTo),
    };
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    render::render_site(site, templates, &render_options, request, &write)?;
    Ok(RenderedPages {
        html_pages: html_pages.into_inner(),
        pages: PageTexts {
            paths: into_inner(paths),
            texts: into_inner(texts),
            lexicon,
        },
    })
}

/// The words of a page the search index holds, read from its HTML, with its URL. Only those
/// pages are read: list pages and role views of a large site are big, and would only repeat
/// what the pages say.
fn search_text(
    file: &OutputFile,
    indexed: &HashSet<&str>,
    lexicon: &search::Lexicon,
) -> Option<(String, search::PageText)> {
    let dir = file.path.strip_suffix("index.html")?;
    let url = format!("/{dir}");
    if !indexed.contains(url.as_str()) {
        return None;
    }
    // The templates made it from strings, so it is UTF-8: checking is all it costs
    // (`from_utf8_lossy` walked it in chunks, 4% of a 50,000-playbook build).
    let html = std::str::from_utf8(&file.contents)
        .map(std::borrow::Cow::Borrowed)
        .unwrap_or_else(|_| String::from_utf8_lossy(&file.contents));
    let text = search::PageText::from_html(&html, lexicon);
    Some((url, text))
}

/// The write stage's second half: sitemap, feeds, JSON, schema and search indexes, made from
/// the rendered pages of every edition and written as they are made, while the other core
/// minifies and copies the static files and content assets.
fn write_site_files(
    sites: &[Site],
    rendered: Vec<RenderedPages>,
    static_files: Vec<(String, StaticSource)>,
    staging: &Staging,
    templates: &Templates,
) -> std::io::Result<()> {
    let mut copies: Vec<(String, StaticSource)> = sites.iter().flat_map(content_assets).collect();
    copies.extend(static_files);
    let editions: Vec<output::EditionPages> = sites
        .iter()
        .zip(rendered)
        .map(|(site, r)| output::EditionPages {
            site,
            paths: r.pages.paths,
            texts: r.pages.texts,
            lexicon: r.pages.lexicon,
            strings: templates.translations().strings(&site.config.language),
        })
        .collect();
    let (generated, copied) = rayon::join(
        || {
            output::generated_files_streamed(editions, staging)
                .and_then(|generated| write_files(&generated, staging))
        },
        || write_copies(copies, staging),
    );
    generated.and(copied)
}

/// Content files copied as they are (images, PDFs), by output path (each language edition
/// has its own copy of a bundle's files, beside its pages).
pub fn content_assets(site: &Site) -> Vec<(String, StaticSource)> {
    site.assets
        .iter()
        .map(|a| {
            let path = output::edition_path(site, &a.output_path);
            (path, StaticSource::Disk(a.source.clone()))
        })
        .collect()
}

/// A mutex's value, even when a thread panicked while holding it (the value is still whole:
/// every writer here only pushes or inserts).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn into_inner<T>(mutex: Mutex<T>) -> T {
    mutex
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Where the site goes: `--output`, else `build.output_dir` under the root.
pub fn output_dir_of(options: &BuildOptions, config: &SiteConfig) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&config.output_dir))
}

/// Prints how long each stage took to stderr when `PLAYBOOK_TIMINGS` is set (for profiling a
/// slow build; the benchmark's numbers come from whole-process wall time).
pub struct StageClock {
    enabled: bool,
    last: Instant,
    last_cpu: Duration,
}

impl Default for StageClock {
    fn default() -> Self {
        Self::new()
    }
}

impl StageClock {
    /// Starts the first stage now.
    pub fn new() -> Self {
        StageClock {
            enabled: std::env::var_os("PLAYBOOK_TIMINGS").is_some(),
            last: Instant::now(),
            last_cpu: cpu_time(),
        }
    }

    /// Whether the stages are being timed (`PLAYBOOK_TIMINGS` is set).
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Ends the stage named `stage`: its wall and CPU time (their ratio is how many cores it
    /// kept busy), and the memory in use.
    pub fn lap(&mut self, stage: &str) {
        if self.enabled {
            let now = Instant::now();
            let cpu = cpu_time();
            let wall = (now - self.last).as_secs_f64() * 1e3;
            let used = cpu.saturating_sub(self.last_cpu).as_secs_f64() * 1e3;
            eprintln!(
                "timing: {stage:<28} {wall:>8.1} ms  cpu {used:>7.1} ms ({:.1} cores){}",
                used / wall.max(0.001),
                memory_now()
            );
            self.last = now;
            self.last_cpu = cpu;
        }
    }
}

/// User and system CPU time of this process so far, every thread's (zero where the system
/// cannot say).
fn cpu_time() -> Duration {
    #[cfg(unix)]
    {
        // SAFETY: getrusage only writes the struct it is given, which is plain data.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } == 0 {
            let micros = |t: libc::timeval| {
                Duration::from_secs(t.tv_sec.max(0) as u64)
                    + Duration::from_micros(t.tv_usec.max(0) as u64)
            };
            return micros(usage.ru_utime) + micros(usage.ru_stime);
        }
    }
    Duration::ZERO
}

/// Resident and peak memory of this process, from /proc (Linux; empty elsewhere).
fn memory_now() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!("   rss {rss:>5} MB  peak {peak:>5} MB"),
        _ => String::new(),
    }
}

/// The diagnostic of an output folder that cannot be written.
fn cannot_write(output_dir: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        output_dir.display().to_string(),
        1,
        1,
        format!("cannot write the site: {err}"),
    )
    .with_help("check that the output folder's parent exists and is writable")
}

/// Shows a stage of the build on the progress bar: a spinner while pages are read and checked,
/// a bar with counts while files are rendered and written.
fn show_phase(bar: &ProgressBar, message: String, counted: bool) {
    let template = if counted {
        "{spinner} {msg} [{bar:30}] {pos}/{len} files"
    } else {
        "{spinner} {msg}…"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message);
}

/// Writes `files` into the staging folder.
fn write_files(files: &[OutputFile], staging: &Staging) -> std::io::Result<()> {
    use rayon::prelude::*;
    files
        .par_iter()
        .try_for_each(|file| staging.write(&file.path, &file.contents))
}

/// Copies the content files and static files into the staging folder, minifying the theme's
/// stylesheets and scripts.
fn write_copies(copies: Vec<(String, StaticSource)>, staging: &Staging) -> std::io::Result<()> {
    use rayon::prelude::*;
    copies
        .into_par_iter()
        .map(minify_theme_asset)
        .try_for_each(|(path, source)| match source {
            StaticSource::Disk(source) => staging.copy(&path, &source),
            StaticSource::Embedded(bytes) => staging.write(&path, bytes),
            StaticSource::Generated(contents) => staging.write(&path, &contents),
        })
}

/// One edition's page bodies, by the page's URL in the edition: `build`'s body renderer.
/// Beyond the first few megabytes (see [`PackBudget`]) each is packed as soon as its Markdown
/// is rendered, so the bodies of a large site are never all held as HTML (see
/// `render::body`). A page whose body is not here (a local version, whose body is put
/// together after rendering) keeps its HTML in its `Rendered`.
struct PackedBodies {
    bodies: Mutex<HashMap<String, BodyHtml>>,
    budget: PackBudget,
}

impl PackedBodies {
    /// No bodies yet; the first `unpacked_bytes` of HTML will not be packed.
    fn new(unpacked_bytes: usize) -> Self {
        PackedBodies {
            bodies: Mutex::default(),
            budget: PackBudget::new(unpacked_bytes),
        }
    }

    /// Renders one body (as `site::render_body` does) and keeps its HTML, packed unless the
    /// budget keeps it as it is.
    fn render(&self, input: &MarkdownInput, resolve: &dyn Fn(&str) -> Resolution) -> Arc<Rendered> {
        let mut rendered = markdown::render(input, resolve);
        let html = std::mem::take(&mut rendered.html);
        let body = if self.budget.should_pack(html.len()) {
            BodyHtml::pack(&html)
        } else {
            BodyHtml::Plain(html)
        };
        lock(&self.bodies).insert(input.page_url.to_string(), body);
        Arc::new(rendered)
    }

    /// Moves each page's body out of the site, in page order, for the render stage to hand to
    /// the page's job, which lets it go once the page is made.
    fn take(&self, site: &mut Site) -> Vec<BodyHtml> {
        let mut packed = lock(&self.bodies);
        site.pages
            .iter_mut()
            .map(|page| match packed.remove(&page.url) {
                Some(body) => body,
                None => BodyHtml::Plain(match Arc::get_mut(&mut page.rendered) {
                    Some(rendered) => std::mem::take(&mut rendered.html),
                    None => page.rendered.html.clone(),
                }),
            })
            .collect()
    }
}

/// Frees the pages on every core: with thousands of pages, freeing them one by one is a
/// noticeable single-threaded tail at the end of a build.
fn drop_in_parallel(site: Site) {
    use rayon::prelude::*;
    let Site { pages, .. } = site;
    pages.into_par_iter().for_each(drop);
}

/// A stylesheet or script from a theme (built in, or under `themes/<name>/static/`) becomes its
/// minified text; any other file, the site's own `static/` files, and what the minifier declines (or
/// cannot read: the copy then reports it) stay as they are.
pub fn minify_theme_asset((path, source): (String, StaticSource)) -> (String, StaticSource) {
    match minified_theme_asset(&path, &source) {
        Some(bytes) => (path, StaticSource::Generated(bytes)),
        None => (path, source),
    }
}

fn minified_theme_asset(path: &str, source: &StaticSource) -> Option<Vec<u8>> {
    let minify: fn(&str) -> Option<String> = if path.ends_with(".css") {
        theme::minify_css
    } else if path.ends_with(".js") {
        theme::minify_js
    } else {
        return None;
    };
    let text = match source {
        StaticSource::Generated(_) => return None,
        StaticSource::Embedded(bytes) => std::str::from_utf8(bytes).ok()?.to_string(),
        StaticSource::Disk(file) => {
            let parts: Vec<_> = file.components().map(|c| c.as_os_str()).collect();
            let from_theme = parts
                .windows(3)
                .any(|w| w[0] == "themes" && w[2] == "static");
            if !from_theme {
                return None;
            }
            std::fs::read_to_string(file).ok()?
        }
    };
    minify(&text).map(String::into_bytes)
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// A file on disk.
    Disk(PathBuf),
    /// The built-in default theme.
    Embedded(&'static [u8]),
    /// Made by the build from a theme's file (a minified stylesheet).
    Generated(Vec<u8>),
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
