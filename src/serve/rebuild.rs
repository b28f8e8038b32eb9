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
use crate::site::{self, Site};

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
    /// A rebuild that failed with `report`: no site to serve.
    pub(super) fn failed(report: BuildReport) -> Self {
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
    for n in 0..cache.edition_count() {
        drop(cache.edition(n).take_built());
    }
    cache.keep_served(None);
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

    let parsed = cache.parse_all(&discovery, &config, options.today);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(discovery.diagnostics.iter().cloned());
    diagnostics.extend(config.warnings.iter().cloned());
    let (editions, found) =
        site::languages::editions(&config, parsed.pages, parsed.sections, options.drafts);
    diagnostics.extend(found);
    clock.lap("parse and validate");

    let static_files = build::collect_static(&options.root, &config);
    let progress = content::progress::discover(&options.root);
    let mut assemble_options = build::assemble_options(options, &static_files, &progress);
    let (team_files, found) = build::read_progress(options, &config, progress);
    diagnostics.extend(found);
    let count = editions.len();
    cache.keep_editions(count);
    let mut sites: Vec<Site> = Vec::with_capacity(count);
    let mut links = Vec::with_capacity(count);
    for (n, edition) in editions.into_iter().enumerate() {
        if let [default] = sites.as_slice() {
            assemble_options.default_edition = site::languages::default_edition(default);
        }
        let edition_cache = cache.edition(n);
        if n > 0 {
            let key = build::settings_key(options, &edition.config);
            edition_cache.settle(&options.root, &edition.config, key);
        }
        let parsed = content::Parsed {
            pages: edition.pages,
            sections: edition.sections,
            diagnostics: Vec::new(),
        };
        let assembled =
            edition_cache.assemble(edition.config, &discovery, parsed, &assemble_options);
        diagnostics.extend(assembled.diagnostics);
        let mut site = assembled.site;
        diagnostics.extend(build::check_teams(
            &mut site,
            &assembled.links.targets,
            &team_files,
        ));
        sites.push(site);
        links.push(assembled.links);
    }
    site::languages::link(&mut sites);
    let mut diagnostics = build::unique(diagnostics);
    clock.lap("assemble (markdown, links), team records");

    if diagnostics.iter().any(Diagnostic::is_error) {
        return Rebuilt::failed(build::finish(options, diagnostics, None, started));
    }
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let mut files: HashMap<String, Arc<[u8]>> = HashMap::new();
    let mut rendered = Vec::new();
    let mut html_pages = 0;
    let mut page_paths: Vec<Vec<String>> = Vec::with_capacity(count);
    // Each edition's own files (its pages and search index), for its quick rebuilds.
    let mut own_files: Vec<HashMap<String, Arc<[u8]>>> = Vec::with_capacity(count);
    for (n, site) in sites.iter().enumerate() {
        let render = match cache
            .edition(n)
            .render(&options.root, site, &render_options)
        {
            Ok(render) => render,
            Err(problems) => {
                diagnostics.extend(problems);
                return Rebuilt::failed(build::finish(options, diagnostics, None, started));
            }
        };
        let mut edition_files: HashMap<String, Arc<[u8]>> = render.files.into_iter().collect();
        html_pages += edition_files
            .keys()
            .filter(|p| p.ends_with(".html"))
            .count();
        page_paths.push(edition_files.keys().cloned().collect());
        rendered.extend(
            render
                .rendered
                .iter()
                .map(|p| output::edition_path(site, p)),
        );
        for (path, source) in build::content_assets(site) {
            if let Some(bytes) = read_copy(cache, options, source, &mut diagnostics) {
                files.insert(path, bytes);
            }
        }
        let index = cache.edition(n).index_site(site, &edition_files);
        edition_files.extend(
            index
                .into_iter()
                .map(|f| (f.path, Arc::<[u8]>::from(f.contents))),
        );
        let mut feed = output::feeds::atom_feed(site);
        feed.path = output::edition_path(site, &feed.path);
        files.insert(feed.path, feed.contents.into());
        for (path, bytes) in &edition_files {
            files.insert(output::edition_path(site, path), Arc::clone(bytes));
        }
        own_files.push(edition_files);
    }
    diagnostics.extend(cache.theme_warnings().iter().cloned());
    clock.lap("render");
    for (path, source) in static_files.into_iter().map(build::minify_theme_asset) {
        if let Some(bytes) = read_copy(cache, options, source, &mut diagnostics) {
            files.insert(path, bytes);
        }
    }
    let listed: Vec<(&Site, &[String])> = sites
        .iter()
        .zip(&page_paths)
        .map(|(site, paths)| (site, paths.as_slice()))
        .collect();
    let sitemap = output::feeds::sitemap(&listed);
    files.insert(sitemap.path, sitemap.contents.into());
    let schema = output::json::schema_file(&sites[0]);
    files.insert(schema.path, schema.contents.into());
    clock.lap("search index, sitemap, feed");
    let output_dir = build::output_dir_of(options, &config);
    let summary = build::summarize_editions(&sites, html_pages, &diagnostics, &output_dir);
    let report = build::finish(options, diagnostics, Some(summary), started);
    let Some(summary) = report.summary.clone() else {
        return Rebuilt::failed(report);
    };
    let files = Arc::new(files);
    // Kept for the quick rebuild of body edits: the site, or each edition with its own files
    // and, beside them, everything served.
    if count == 1 {
        let (site, links) = (sites.swap_remove(0), links.swap_remove(0));
        cache.keep_built(Box::new(BuiltSite::new(
            site,
            LinkIndex::new(links),
            report.diagnostics.clone(),
            summary,
            Arc::clone(&files),
        )));
    } else {
        let editions = sites.into_iter().zip(links).zip(own_files).enumerate();
        for (n, ((site, links), own)) in editions {
            cache.edition(n).keep_built(Box::new(BuiltSite::new(
                site,
                LinkIndex::new(links),
                Vec::new(),
                summary.clone(),
                Arc::new(own),
            )));
        }
        cache.keep_served(Some((Arc::clone(&files), report.diagnostics.clone())));
    }
    Rebuilt {
        report,
        files: Some(files),
        rendered,
    }
}

/// The bytes of a static file or content asset (read through the cache when on disk); a file
/// that cannot be read is a diagnostic.
fn read_copy(
    cache: &mut BuildCache,
    options: &BuildOptions,
    source: StaticSource,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Arc<[u8]>> {
    match source {
        StaticSource::Embedded(bytes) => Some(Arc::from(bytes)),
        StaticSource::Generated(bytes) => Some(Arc::from(bytes)),
        StaticSource::Disk(source) => match cache.read_file(&source) {
            Ok(bytes) => Some(bytes),
            Err(err) => {
                let rel = content::load::rel_string(&options.root, &source);
                diagnostics.push(
                    Diagnostic::error(rel, 1, 1, format!("cannot read the file: {err}"))
                        .with_help("check that the file exists and is readable"),
                );
                None
            }
        },
    }
}
