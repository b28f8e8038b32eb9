//! `serve`'s rebuild: the same stage functions as `build::run`, composed with the cache of what
//! the last rebuild made, keeping the site in memory instead of writing it.
//!
//! ```text
//! body-only edits ──▶ quick::rebuild (just those pages, against the site kept)
//! anything else   ──▶ load ─▶ parse (cache) ─▶ assemble (Markdown cache) ─▶ render (render cache)
//!                     ─▶ static files (read cache) ─▶ search index (text cache), sitemap, feed
//!                     ─▶ keep the site for the next quick rebuild
//! ```
//!
//! `playbooks.json` is the one file of `build` that `serve` does not make: it holds every
//! playbook's front matter (130 MB at 10,000 playbooks), too much to make again on each change.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use super::cache::BuildCache;
use super::link_index::LinkIndex;
use super::quick::{self, BuiltSite};
use crate::build::{self, BuildOptions, BuildReport, StageClock, StaticSource};
use crate::content::{self};
use crate::diagnostics::Diagnostic;
use crate::output;
use crate::render::RenderOptions;

/// Every file of a site in memory, by its path relative to the output folder
/// (`playbooks/x/index.html`).
pub type SiteFiles = Arc<HashMap<String, Arc<[u8]>>>;

/// A rebuild for `serve`: the report, and the whole site in memory when it succeeded.
pub struct Rebuilt {
    /// Every diagnostic, the summary and the time, as `build::run` gives them.
    pub report: BuildReport,
    /// Every file of the site; `None` when the build failed.
    pub files: Option<SiteFiles>,
    /// The output files that went through the render stage this time (the others were reused).
    pub rendered: Vec<String>,
}

impl Rebuilt {
    fn failed(report: BuildReport) -> Self {
        Rebuilt {
            report,
            files: None,
            rendered: Vec::new(),
        }
    }
}

/// Rebuilds the site for `serve`: the same stages and checks as `build::run`, reusing what
/// `cache` kept from the last rebuild. When only page bodies changed since the last site that
/// built, only those pages are done again (see `quick`). `options.write` is ignored: nothing
/// is written.
pub fn rebuild(options: &BuildOptions, cache: &mut BuildCache) -> Rebuilt {
    if let Some(rebuilt) = quick::rebuild(options, cache) {
        return rebuilt;
    }
    let started = Instant::now();
    let mut clock = StageClock::new();
    // The kept site is made anew (or not at all): let it go before the stages hold another.
    drop(cache.take_built());
    let config = match build::load_config(options) {
        Ok(config) => config,
        Err(diagnostics) => {
            return Rebuilt::failed(build::finish(options, diagnostics, None, started))
        }
    };
    cache.settle(
        &options.root,
        &config,
        build::settings_key(options, &config),
    );
    let discovery = cache.discover(&options.root, &config);
    clock.lap("load (config, discover)");

    let mut parsed = cache.parse_all(&discovery, &config, options.today);
    let mut diagnostics = std::mem::take(&mut parsed.diagnostics);
    diagnostics.extend(discovery.diagnostics.iter().cloned());
    clock.lap("parse and validate");

    let static_files = build::collect_static(&options.root, &config);
    let progress = content::progress::discover(&options.root);
    let assemble_options = build::assemble_options(options, &static_files, &progress);
    let assembled = cache.assemble(config, &discovery, parsed, &assemble_options);
    diagnostics.extend(assembled.diagnostics);
    let mut site = assembled.site;
    clock.lap("assemble (markdown, links)");
    diagnostics.extend(build::check_progress(
        options,
        &mut site,
        &assembled.links.targets,
        progress,
    ));
    clock.lap("team records");

    if diagnostics.iter().any(Diagnostic::is_error) {
        return Rebuilt::failed(build::finish(options, diagnostics, None, started));
    }
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let render = match cache.render(&options.root, &site, &render_options) {
        Ok(render) => render,
        Err(problems) => {
            diagnostics.extend(problems);
            return Rebuilt::failed(build::finish(options, diagnostics, None, started));
        }
    };
    clock.lap("render");

    let page_paths: Vec<String> = render.files.iter().map(|(path, _)| path.clone()).collect();
    let mut files: HashMap<String, Arc<[u8]>> = render.files.into_iter().collect();
    let html_pages = files.keys().filter(|path| path.ends_with(".html")).count();
    let mut copies = build::content_assets(&site);
    copies.extend(static_files);
    for (path, source) in copies.into_iter().map(build::minify_theme_asset) {
        let bytes = match source {
            StaticSource::Embedded(bytes) => Arc::from(bytes),
            StaticSource::Generated(bytes) => Arc::from(bytes),
            StaticSource::Disk(source) => match cache.read_file(&source) {
                Ok(bytes) => bytes,
                Err(err) => {
                    let rel = content::load::rel_string(&options.root, &source);
                    diagnostics.push(
                        Diagnostic::error(rel, 1, 1, format!("cannot read the file: {err}"))
                            .with_help("check that the file exists and is readable"),
                    );
                    continue;
                }
            },
        };
        files.insert(path, bytes);
    }
    let mut generated = cache.index_site(&site, &files);
    generated.push(output::feeds::sitemap(&[(&site, &page_paths)]));
    generated.push(output::feeds::atom_feed(&site));
    generated.push(output::json::schema_file(&site));
    for file in generated {
        files.insert(file.path, file.contents.into());
    }
    clock.lap("search index, sitemap, feed");
    let output_dir = build::output_dir_of(options, &site.config);
    let summary = build::summarize(&site, html_pages, &diagnostics, &output_dir);
    let report = build::finish(options, diagnostics, Some(summary), started);
    let Some(summary) = report.summary.clone() else {
        return Rebuilt::failed(report);
    };
    let files = Arc::new(files);
    cache.keep_built(Box::new(BuiltSite::new(
        site,
        LinkIndex::new(assembled.links),
        report.diagnostics.clone(),
        summary,
        Arc::clone(&files),
    )));
    Rebuilt {
        report,
        files: Some(files),
        rendered: render.rendered,
    }
}
