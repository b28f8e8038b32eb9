//! The pipeline end to end: load → parse → validate → render → write. `build` and `check` call
//! `run`; `serve` calls `rebuild` on every change, with a cache of what it may reuse.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use walkdir::WalkDir;

use crate::cache::{BuildCache, FreshMarkdown};
use crate::config::{self, SiteConfig};
use crate::content::model::IsoDate;
use crate::content::{self, PageMeta};
use crate::diagnostics::Diagnostic;
use crate::output::{self, OutputFile, Staging};
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
    /// A progress bar to move through the stages (`build` on a terminal); `None` shows nothing.
    pub progress: Option<ProgressBar>,
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
                // Only `build` writes; saying the output was kept after `check` would mislead.
                let kept = if wrote {
                    "; the previous output was left as it was"
                } else {
                    ""
                };
                format!("Failed: {errors} errors, {warnings} warnings in {secs:.2} s{kept}")
            }
        }
    }
}

/// Runs the whole pipeline. Never panics on bad input: every problem is a diagnostic.
pub fn run(options: &BuildOptions) -> BuildReport {
    run_stages(options, None).report
}

/// Every file of a site in memory, by its path relative to the output folder
/// (`playbooks/x/index.html`).
pub type SiteFiles = Arc<HashMap<String, Arc<[u8]>>>;

/// A rebuild for `serve`: the report, and the whole site in memory when it succeeded.
pub struct Rebuilt {
    /// Every diagnostic, the summary and the time, as `run` gives them.
    pub report: BuildReport,
    /// Every file of the site; `None` when the build failed.
    pub files: Option<SiteFiles>,
    /// The output files that went through the templates this time (the others were reused).
    pub rendered: Vec<String>,
}

/// Runs the pipeline for `serve`: the same stages and checks as `run`, reusing what `cache` kept
/// from the last rebuild (see `cache`), and keeping the site in memory instead of writing it.
/// When only page bodies changed since the last site that built, only those pages are done
/// again (see `quick`). `options.write` is ignored: nothing is written.
pub fn rebuild(options: &BuildOptions, cache: &mut BuildCache) -> Rebuilt {
    if let Some(rebuilt) = crate::quick::rebuild(options, cache) {
        return rebuilt;
    }
    // The kept site is made anew (or not at all): let it go before the stages hold another.
    cache.built = None;
    let stages = run_stages(options, Some(cache));
    let kept = stages.kept;
    let Some(RenderedFiles::Shared(render)) = stages.rendered else {
        return Rebuilt {
            report: stages.report,
            files: None,
            rendered: Vec::new(),
        };
    };
    let mut report = stages.report;
    let mut files: HashMap<String, Arc<[u8]>> = render.files.into_iter().collect();
    let copies = stages
        .copies
        .into_iter()
        .map(|(path, source)| match source {
            StaticSource::Embedded(bytes) => Ok((path, Arc::from(bytes))),
            StaticSource::Generated(bytes) => Ok((path, Arc::from(bytes))),
            StaticSource::Disk(source) => cache
                .read_file(&source)
                .map(|bytes| (path, bytes))
                .map_err(|err| (source, err)),
        })
        .collect::<Vec<_>>();
    for copy in copies {
        match copy {
            Ok((path, bytes)) => {
                files.insert(path, bytes);
            }
            Err((source, err)) => {
                let rel = content::load::rel_string(&options.root, &source);
                report.diagnostics.push(
                    Diagnostic::error(rel, 1, 1, format!("cannot read the file: {err}"))
                        .with_help("check that the file exists and is readable"),
                );
                report.summary = None;
            }
        }
    }
    if let Some(kept) = &kept {
        // Each playbook's checklists.csv (a build writes them as it renders; serve keeps them
        // here, so the page's download link works while previewing).
        use rayon::prelude::*;
        let csv: Vec<_> = kept.site.pages.par_iter().filter_map(served_csv).collect();
        files.extend(csv);
    }
    report.elapsed = stages.started.elapsed();
    let files = report.summary.is_some().then(|| Arc::new(files));
    if let (Some(files), Some(summary), Some(kept)) = (&files, &report.summary, kept) {
        cache.built = Some(Box::new(crate::quick::BuiltSite::new(
            kept.site,
            kept.links,
            report.diagnostics.clone(),
            summary.clone(),
            Arc::clone(files),
        )));
    }
    Rebuilt {
        report,
        files,
        rendered: render.rendered,
    }
}

/// A playbook's `checklists.csv` as serve holds files (`None` for a guide).
pub(crate) fn served_csv(page: &site::SitePage) -> Option<(String, Arc<[u8]>)> {
    output::checklists_csv::checklists_csv(page).map(|file| (file.path, Arc::from(file.contents)))
}

/// What the templates produced: every file (build), or what the render cache kept (serve).
enum RenderedFiles {
    Shared(render::IncrementalRender),
    /// Written into `staging` as they were rendered (`build`; `None` for `check`).
    Streamed(Box<Streamed>),
}

/// What a streamed render leaves behind: counts, and what the generated files need.
struct Streamed {
    html_pages: usize,
    staging: Option<Staging>,
    /// Every rendered file's path, for the sitemap.
    paths: Vec<String>,
    /// Each indexed page's words by URL, for the search index...
    texts: HashMap<String, output::search::PageText>,
    /// ...as ids of these words.
    lexicon: output::search::Lexicon,
}

/// The outcome of the stages, before anything is written.
struct Stages {
    report: BuildReport,
    /// `Some` when the build succeeded and nothing was written yet.
    rendered: Option<RenderedFiles>,
    /// Files copied as they are: content assets and static files, by output path.
    copies: Vec<(String, StaticSource)>,
    started: Instant,
    /// The site and its links as assembled (serve, when the build succeeded).
    kept: Option<Kept>,
}

/// What a successful rebuild keeps for the next one.
struct Kept {
    site: Site,
    links: site::LinkIndex,
}

/// Prints how long each stage took to stderr when `PLAYBOOK_TIMINGS` is set (for profiling a
/// slow build; the benchmark's numbers come from whole-process wall time).
pub(crate) struct StageClock {
    enabled: bool,
    last: Instant,
    last_cpu: Duration,
}

impl StageClock {
    /// Starts the first stage now.
    pub(crate) fn new() -> Self {
        StageClock {
            enabled: std::env::var_os("PLAYBOOK_TIMINGS").is_some(),
            last: Instant::now(),
            last_cpu: cpu_time(),
        }
    }

    /// Ends the stage named `stage`: its wall and CPU time (their ratio is how many cores it
    /// kept busy), and the memory in use.
    pub(crate) fn lap(&mut self, stage: &str) {
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

/// The stages in order. With a cache (serve), parsing, Markdown and templates reuse what it kept
/// and nothing is written; without one (build, check), everything is done and written as asked.
fn run_stages(options: &BuildOptions, mut cache: Option<&mut BuildCache>) -> Stages {
    let started = Instant::now();
    let mut clock = StageClock::new();
    let finish = |diagnostics: Vec<Diagnostic>, summary: Option<Summary>| BuildReport {
        diagnostics,
        summary,
        elapsed: started.elapsed(),
    };
    let failed = |diagnostics: Vec<Diagnostic>| Stages {
        report: finish(diagnostics, None),
        rendered: None,
        copies: Vec::new(),
        started,
        kept: None,
    };
    let config = match load_config(options) {
        Ok(config) => config,
        Err(diagnostics) => return failed(diagnostics),
    };
    let today = validate::today();
    if let Some(cache) = cache.as_deref_mut() {
        cache.settle(&options.root, settings_key(options, &config, today));
    }
    // A one-off build compiles the templates beside the walk of the content folder: neither
    // needs the other, and each is a few milliseconds that would otherwise leave a core idle.
    let (discovery, mut preloaded_templates) = match cache.as_deref_mut() {
        Some(cache) => (cache.discover(&options.root), None),
        None => {
            let (discovery, templates) = rayon::join(
                || content::discover(&options.root),
                || render::load_templates(&options.root, &config.theme),
            );
            (Arc::new(discovery), Some(templates))
        }
    };
    clock.lap("load (config, discover)");
    if let Some(bar) = &options.progress {
        show_phase(
            bar,
            format!("Reading and checking {} pages", discovery.pages.len()),
            false,
        );
    }
    let (parsed, section_indexes, mut diagnostics) = match cache.as_deref_mut() {
        Some(cache) => cache.parse_all(&discovery, &config, today),
        None => {
            let (parsed, indexes, diagnostics) = site::parse_all(&discovery, &config, today);
            let parsed = parsed.into_iter().map(Arc::new).collect();
            (parsed, indexes, diagnostics)
        }
    };
    diagnostics.extend(discovery.diagnostics.iter().cloned());
    clock.lap("parse and validate");

    let static_files = collect_static(&options.root, &config);
    let assemble_options = AssembleOptions {
        drafts: options.drafts,
        static_paths: static_files
            .iter()
            .map(|(path, _)| format!("/{path}"))
            .collect::<HashSet<_>>(),
    };
    let mut links = None;
    let (mut site, mut more) = match cache.as_deref_mut() {
        Some(cache) => {
            cache.note_link_targets(&parsed, &assemble_options.static_paths);
            let fresh = FreshMarkdown::default();
            let reader: &BuildCache = cache;
            let (site, diagnostics, index) = site::assemble_indexed(
                config,
                &discovery,
                parsed,
                section_indexes,
                &assemble_options,
                today,
                &|page, input, resolve| reader.render_body(&fresh, page, input, resolve),
            );
            let fresh = fresh.into_inner().unwrap_or_default();
            cache.keep_markdown(fresh, &discovery);
            links = Some(index);
            (site, diagnostics)
        }
        None => site::assemble_with(
            config,
            &discovery,
            parsed,
            section_indexes,
            &assemble_options,
            today,
            &site::render_body,
        ),
    };
    diagnostics.append(&mut more);
    clock.lap("assemble (markdown, links)");

    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let rendered = match cache {
        Some(cache) => {
            if cache.templates.is_none() {
                match render::load_templates(&options.root, &site.config.theme) {
                    Ok(templates) => {
                        cache.templates = Some(templates);
                        cache.templates_generation += 1;
                    }
                    Err(mut d) => diagnostics.append(&mut d),
                }
            }
            let has_errors = diagnostics.iter().any(Diagnostic::is_error);
            match (&mut cache.templates, has_errors) {
                (Some(templates), false) => match render::render_site_incremental(
                    &site,
                    templates,
                    cache.templates_generation,
                    &render_options,
                    &mut cache.render,
                ) {
                    Ok(render) => Some(RenderedFiles::Shared(render)),
                    Err(mut d) => {
                        diagnostics.append(&mut d);
                        None
                    }
                },
                _ => None,
            }
        }
        None => {
            let loaded = preloaded_templates
                .take()
                .unwrap_or_else(|| render::load_templates(&options.root, &site.config.theme));
            let mut templates = match loaded {
                Ok(t) => Some(t),
                Err(mut d) => {
                    diagnostics.append(&mut d);
                    None
                }
            };
            let has_errors = diagnostics.iter().any(Diagnostic::is_error);
            match (&mut templates, has_errors) {
                (Some(templates), false) => {
                    let bodies = take_body_html(&mut site);
                    match render_streamed(
                        options,
                        &site,
                        bodies,
                        templates,
                        &render_options,
                        &diagnostics,
                    ) {
                        Ok(streamed) => Some(RenderedFiles::Streamed(Box::new(streamed))),
                        Err(mut d) => {
                            diagnostics.append(&mut d);
                            None
                        }
                    }
                }
                _ => None,
            }
        }
    };
    clock.lap("render and write pages");
    let warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    let failed_run =
        diagnostics.iter().any(Diagnostic::is_error) || (options.strict && warnings > 0);
    let Some(rendered) = rendered.filter(|_| !failed_run) else {
        if options.strict && warnings > 0 && !diagnostics.iter().any(Diagnostic::is_error) {
            // Under --strict, warnings are errors: say so in each.
            for d in &mut diagnostics {
                d.severity = crate::diagnostics::Severity::Error;
            }
        }
        return failed(diagnostics);
    };
    let output_dir = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir));
    let pages = match &rendered {
        RenderedFiles::Streamed(streamed) => streamed.html_pages,
        RenderedFiles::Shared(render) => render
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .count(),
    };
    let summary = Summary {
        pages,
        playbooks: site
            .pages
            .iter()
            .filter(|p| p.meta().playbook().is_some())
            .count(),
        checklists: count_checklists(&site),
        warnings,
        output: output_dir.clone(),
    };
    let mut copies: Vec<(String, StaticSource)> = site
        .assets
        .iter()
        .map(|a| (a.output_path.clone(), StaticSource::Disk(a.source.clone())))
        .collect();
    copies.extend(static_files);
    let streamed = match rendered {
        RenderedFiles::Streamed(streamed) => streamed,
        // serve: the render cache holds the files; nothing is written.
        other => {
            return Stages {
                report: finish(diagnostics, Some(summary)),
                rendered: Some(other),
                copies: copies.into_iter().map(minify_theme_asset).collect(),
                started,
                kept: links.map(|links| Kept { site, links }),
            }
        }
    };
    let Streamed {
        staging,
        paths,
        texts,
        lexicon,
        ..
    } = *streamed;
    if let Some(staging) = staging {
        // Sitemap, feed, JSON, schema and search index are made from the rendered pages and
        // written as they are made; static files are minified and copied by whichever core is
        // free meanwhile (the search index leaves one idle at times).
        let (generated, copied) = rayon::join(
            || {
                output::generated_files_streamed(&site, &paths, texts, lexicon, &staging)
                    .and_then(|generated| write_files(&generated, &staging))
            },
            || write_copies(copies, &staging),
        );
        if let Err(err) = generated.and(copied).and_then(|()| staging.commit()) {
            diagnostics.push(cannot_write(&output_dir, &err));
            return failed(diagnostics);
        }
        clock.lap("generated files, static files, swap in");
    }
    drop_in_parallel(site);
    clock.lap("free memory");
    Stages {
        report: finish(diagnostics, Some(summary)),
        rendered: None,
        copies: Vec::new(),
        started,
        kept: None,
    }
}

/// site.toml, with `--base-url` applied.
pub(crate) fn load_config(options: &BuildOptions) -> Result<SiteConfig, Vec<Diagnostic>> {
    let mut config = config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    Ok(config)
}

/// Everything besides the sources that a rebuild's output depends on: when it changes, `serve`
/// reuses nothing.
pub(crate) fn settings_key(options: &BuildOptions, config: &SiteConfig, today: IsoDate) -> String {
    format!(
        "{config:?}|{today:?}|{}|{}",
        options.drafts, options.live_reload
    )
}

/// Checklists in front matter and bodies, for the summary.
pub(crate) fn count_checklists(site: &Site) -> usize {
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

/// Renders every file through the templates, writing each into a staging folder as soon as it
/// is made (when `build` writes, and nothing failed before), so the whole site is never held in
/// memory; the staging folder takes the output's place only when everything succeeded (dropped,
/// it removes itself).
fn render_streamed(
    options: &BuildOptions,
    site: &Site,
    bodies: Vec<String>,
    templates: &mut render::Templates,
    render_options: &RenderOptions,
    diagnostics: &[Diagnostic],
) -> Result<Streamed, Vec<Diagnostic>> {
    let strict_failure = options.strict && diagnostics.iter().any(|d| !d.is_error());
    let output_dir = output_dir_of(options, site);
    let staging = if options.write && !strict_failure {
        Some(Staging::create(&output_dir).map_err(|err| vec![cannot_write(&output_dir, &err)])?)
    } else {
        None
    };
    if let Some(bar) = &options.progress {
        show_phase(bar, "Writing".to_string(), true);
    }
    let html_pages = AtomicUsize::new(0);
    let indexed = output::search::indexed_urls(site);
    let lexicon = output::search::Lexicon::default();
    let paths = Mutex::new(Vec::new());
    let texts = Mutex::new(HashMap::new());
    let sink = |file: OutputFile| {
        if file.path.ends_with(".html") {
            html_pages.fetch_add(1, Ordering::Relaxed);
        }
        let Some(staging) = &staging else {
            return Ok(());
        };
        if let Some(dir) = file.path.strip_suffix("index.html") {
            // Only pages the search index holds are read for their text: list pages and role
            // views of a large site are big, and would only repeat what the pages say.
            let url = format!("/{dir}");
            if indexed.contains(url.as_str()) {
                // The templates made it from strings, so it is UTF-8: checking is all it costs
                // (`from_utf8_lossy` walked it in chunks, 4% of a 50,000-playbook build).
                let html = std::str::from_utf8(&file.contents)
                    .map(std::borrow::Cow::Borrowed)
                    .unwrap_or_else(|_| String::from_utf8_lossy(&file.contents));
                let text = output::search::PageText::from_html(&html, &lexicon);
                texts
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .insert(url, text);
            }
        }
        staging.write(&file.path, &file.contents)?;
        paths
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(file.path);
        Ok(())
    };
    render::render_site_to(
        site,
        templates,
        render_options,
        options.progress.as_ref(),
        bodies,
        &sink,
    )?;
    Ok(Streamed {
        html_pages: html_pages.into_inner(),
        staging,
        paths: paths
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
        texts: texts
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner()),
        lexicon,
    })
}

/// Where the site goes: `--output`, else `build.output_dir` under the root.
fn output_dir_of(options: &BuildOptions, site: &Site) -> PathBuf {
    options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(&site.config.output_dir))
}

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

/// Moves each page's body HTML out of the site, in page order, for `render_site_to` to hand
/// to the page's job, which lets it go once the page is made.
fn take_body_html(site: &mut Site) -> Vec<String> {
    use rayon::prelude::*;
    site.pages
        .par_iter_mut()
        .map(|page| match Arc::get_mut(&mut page.rendered) {
            Some(rendered) => std::mem::take(&mut rendered.html),
            None => page.rendered.html.clone(),
        })
        .collect()
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
fn minify_theme_asset((path, source): (String, StaticSource)) -> (String, StaticSource) {
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
