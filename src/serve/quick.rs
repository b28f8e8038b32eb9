//! `serve`'s quick rebuild: when the only files that changed since the last site that built are
//! built pages whose front matter is as it was, redo just those pages against the site kept
//! from then, instead of assembling all of it again.
//!
//! ```text
//! changed pages ──parse──▶ same front matter? ──no──▶ (full rebuild)
//!                                │ yes
//!                                ▼
//!            render their bodies, check their links and the anchors linked to them
//!                                │
//!               errors? ──yes──▶ report them; the kept site stays as it was
//!                                │ no
//!                                ▼
//!            swap them into the kept site, render their pages, update their search
//!            records (only the index files that change), patch the files
//! ```
//!
//! What the front matter decides (URLs, sections and their order, list entries, taxonomies,
//! role views, which links resolve) cannot change this way, so the rest of the site is what a
//! full rebuild would make. A file under content/ that came and went between two rebuilds is
//! no change. Anything else (a new, removed or renamed file, a section index, a static file,
//! a template, site.toml, the date) goes the full way.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::cache::{BuildCache, FreshMarkdown};
use super::link_index::{BodyEdit, LinkIndex};
use super::rebuild::{Rebuilt, SiteFiles};
use crate::build::{self, BuildOptions, BuildReport, StageClock, Summary};
use crate::content::{self, ParsedPage};
use crate::diagnostics::Diagnostic;
use crate::output::search::IndexChanges;
use crate::render::RenderOptions;
use crate::site::Site;

/// The last site that built, as `serve`'s quick rebuild needs it.
pub struct BuiltSite {
    site: Site,
    links: LinkIndex,
    /// Every diagnostic of that build (warnings only, since it built).
    diagnostics: Vec<Diagnostic>,
    summary: Summary,
    files: SiteFiles,
    /// Pages edited since, whose edits failed: they are read again on the next quick rebuild.
    pending: Vec<PathBuf>,
}

impl BuiltSite {
    /// Keeps a site that built: its pages, its links, what it reported and its files.
    pub(crate) fn new(
        site: Site,
        links: LinkIndex,
        diagnostics: Vec<Diagnostic>,
        summary: Summary,
        files: SiteFiles,
    ) -> Self {
        BuiltSite {
            site,
            links,
            diagnostics,
            summary,
            files,
            pending: Vec::new(),
        }
    }
}

/// A changed page, parsed again.
struct Reparsed {
    /// Index into `Site::pages`.
    index: usize,
    page: Arc<ParsedPage>,
    diagnostics: Vec<Diagnostic>,
}

/// Rebuilds after body-only edits; `None` (having changed nothing) when the changes need the
/// full rebuild.
pub(crate) fn rebuild(options: &BuildOptions, cache: &mut BuildCache) -> Option<Rebuilt> {
    if cache.edition_count() > 1 {
        return rebuild_editions(options, cache);
    }
    let started = Instant::now();
    let mut clock = StageClock::new();
    let reparsed = reparse(options, cache)?;
    clock.lap("quick: parse");
    cache.take_dirty();
    for r in &reparsed {
        cache.keep_parsed(&r.page, r.diagnostics.clone());
    }
    let mut built = cache.take_built()?;
    let (edits, diagnostics) = check_edits(&built, &reparsed, cache);
    if changes_recorded_items(&built, &edits) {
        // The full way checks team records against the new items (the parse cache already
        // holds these pages, so it reads nothing again).
        return None;
    }
    clock.lap("quick: markdown and links");
    let failed = |diagnostics| failed_quickly(diagnostics, started);
    if diagnostics.iter().any(Diagnostic::is_error) {
        // The kept site stays the last good one; these pages are read again next time.
        built.pending = reparsed
            .iter()
            .map(|r| r.page.source.abs_path.clone())
            .collect();
        cache.keep_built(built);
        return Some(failed(diagnostics));
    }
    built.apply(&edits);
    let indexes: Vec<usize> = edits.iter().map(|e| e.page).collect();
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let rendered = match cache.render_pages(&built.site, &render_options, &indexes) {
        Some(rendered) => rendered,
        // Cannot happen while list entries follow the front matter; render what changed, then.
        None => cache
            .render(&options.root, &built.site, &render_options)
            .map(|render| render.files),
    };
    let rendered = match rendered {
        Ok(rendered) => rendered,
        // The site now holds pages that did not render: it is not kept.
        Err(mut found) => {
            let mut diagnostics = diagnostics;
            diagnostics.append(&mut found);
            return Some(failed(diagnostics));
        }
    };
    clock.lap("quick: render pages");
    let index = update_index(cache, &built, &rendered, &indexes);
    clock.lap("quick: search index");
    let paths = built.patch(rendered, index, diagnostics.clone());
    clock.lap("quick: patch files");
    let rebuilt = Rebuilt {
        report: BuildReport {
            diagnostics,
            summary: Some(built.summary.clone()),
            elapsed: started.elapsed(),
        },
        files: Some(Arc::clone(&built.files)),
        rendered: paths,
    };
    cache.keep_built(built);
    Some(rebuilt)
}

/// The quick rebuild of a site in more than one language: each edition's kept site takes the
/// edits to its own pages (a translation's in its language, an original's in the default
/// language and wherever it is shown untranslated), and the files served are patched with what
/// each edition changed. `None` (having changed nothing) when any edition needs the full way, or
/// when an original that has translations changes its body checklists (its translations take
/// their items' ids from it).
fn rebuild_editions(options: &BuildOptions, cache: &mut BuildCache) -> Option<Rebuilt> {
    let started = Instant::now();
    let mut clock = StageClock::new();
    let count = cache.edition_count();
    let (served, served_diagnostics) = cache.served()?.clone();
    // Which editions have each changed page; a page of none goes the full way in `reparse_in`.
    let is_page_of = |n: usize, rel: &str| {
        cache
            .edition_ref(n)
            .and_then(BuildCache::built)
            .is_some_and(|b| b.links.built_page(rel).is_some())
    };
    let mut plans = Vec::with_capacity(count);
    for n in 0..count {
        let edition = cache.edition_ref(n)?;
        let elsewhere = |rel: &str| (0..count).any(|m| m != n && is_page_of(m, rel));
        plans.push(reparse_in(options, cache, edition, &elsewhere)?);
    }
    if plans.iter().all(Vec::is_empty) {
        return None;
    }
    clock.lap("quick (editions): parse");
    // Every edition's edits rendered and checked before any is applied.
    let mut touched: HashSet<String> = HashSet::new();
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut staged = Vec::new();
    for (n, reparsed) in plans.into_iter().enumerate() {
        if reparsed.is_empty() {
            continue;
        }
        let edition = cache.edition(n);
        let built = edition.built()?;
        let fresh = FreshMarkdown::default();
        let edits = render_edits(built, &reparsed, edition, &fresh);
        // An original's translations take their items' ids from it: a change of them goes the
        // full way, which renders the translations again.
        if (n == 0 && changes_item_ids(built, &edits)) || changes_recorded_items(built, &edits) {
            return None;
        }
        for (file, mut more) in built.links.check_edits(&edits) {
            touched.insert(file);
            found.append(&mut more);
        }
        edition.add_markdown(fresh.into_inner().unwrap_or_default());
        staged.push((n, reparsed, edits));
    }
    clock.lap("quick (editions): markdown and links");
    for (_, reparsed, _) in &staged {
        for r in reparsed {
            cache.keep_parsed(&r.page, r.diagnostics.clone());
        }
    }
    for n in 0..count {
        cache.edition(n).take_dirty();
    }
    let mut diagnostics: Vec<Diagnostic> = served_diagnostics
        .iter()
        .filter(|d| !touched.contains(&d.file))
        .cloned()
        .collect();
    for file in &touched {
        diagnostics.extend(cache.parse_diagnostics(file).iter().cloned());
    }
    diagnostics.append(&mut found);
    let diagnostics = build::unique(diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        // The kept sites stay the last good ones; these pages are read again next time.
        for (n, reparsed, _) in &staged {
            if let Some(mut built) = cache.edition(*n).take_built() {
                built.pending = reparsed
                    .iter()
                    .map(|r| r.page.source.abs_path.clone())
                    .collect();
                cache.edition(*n).keep_built(built);
            }
        }
        return Some(failed_quickly(diagnostics, started));
    }
    let render_options = RenderOptions {
        live_reload: options.live_reload,
    };
    let mut files = (*served).clone();
    clock.lap("quick (editions): copy the files served");
    let mut rendered_paths = Vec::new();
    for (n, _, edits) in staged {
        let edition = cache.edition(n);
        let mut built = edition.take_built()?;
        built.apply(&edits);
        let indexes: Vec<usize> = edits.iter().map(|e| e.page).collect();
        let rendered = match edition.render_pages(&built.site, &render_options, &indexes) {
            Some(Ok(rendered)) => rendered,
            _ => return None,
        };
        let index = update_index(edition, &built, &rendered, &indexes);
        let site = &built.site;
        for file in &index.written {
            files.insert(
                crate::output::edition_path(site, &file.path),
                file.contents.clone().into(),
            );
        }
        for path in &index.removed {
            files.remove(&crate::output::edition_path(site, path));
        }
        let paths = built.patch(rendered, index, Vec::new());
        for path in paths {
            if let Some(bytes) = built.files.get(&path) {
                let served_path = crate::output::edition_path(&built.site, &path);
                files.insert(served_path.clone(), Arc::clone(bytes));
                rendered_paths.push(served_path);
            }
        }
        edition.keep_built(built);
    }
    clock.lap("quick (editions): render, index, patch");
    let files: SiteFiles = Arc::new(files);
    cache.keep_served(Some((Arc::clone(&files), diagnostics.clone())));
    let mut summary = cache.built()?.summary.clone();
    summary.warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
    rendered_paths.sort();
    Some(Rebuilt {
        report: BuildReport {
            diagnostics,
            summary: Some(summary),
            elapsed: started.elapsed(),
        },
        files: Some(files),
        rendered: rendered_paths,
    })
}

/// The search index's changes for the re-rendered `pages` (indexes into the kept site), read
/// from their new HTML in `rendered`.
fn update_index(
    cache: &mut BuildCache,
    built: &BuiltSite,
    rendered: &[super::render_cache::RenderedFile],
    pages: &[usize],
) -> IndexChanges {
    let html_of = |path: &str| {
        let fresh = rendered.iter().find(|(p, _)| p == path);
        fresh
            .map(|(_, bytes)| Arc::clone(bytes))
            .or_else(|| built.files.get(path).cloned())
    };
    cache
        .update_index(&built.site, pages, &html_of)
        .unwrap_or_default()
}

/// True when an edit changes the ids of a page's body checklist items.
fn changes_item_ids(built: &BuiltSite, edits: &[BodyEdit]) -> bool {
    let ids = |r: &crate::markdown::Rendered| -> Vec<Vec<String>> {
        r.checklists
            .iter()
            .map(|c| c.items.iter().map(|i| i.id.clone()).collect())
            .collect()
    };
    edits.iter().any(|e| {
        built
            .site
            .pages
            .get(e.page)
            .is_some_and(|old| ids(&old.rendered) != ids(&e.rendered))
    })
}

/// Renders the edited pages' bodies through `cache`'s Markdown cache (the new renderings wait
/// in `fresh`, so a full rebuild later reuses them).
fn render_edits(
    built: &BuiltSite,
    reparsed: &[Reparsed],
    cache: &BuildCache,
    fresh: &FreshMarkdown,
) -> Vec<BodyEdit> {
    let raw_html = built.site.config.raw_html;
    reparsed
        .iter()
        .map(|r| BodyEdit {
            page: r.index,
            parsed: Arc::clone(&r.page),
            rendered: built.links.render_body(
                raw_html,
                &r.page,
                &built.site.pages[r.index].url,
                &|page, input, resolve| cache.render_body(fresh, page, input, resolve),
            ),
        })
        .collect()
}

/// Renders the edited pages' bodies (`render_edits`) and checks their links and the anchors
/// linked to them. Returns the edits and every diagnostic as a full rebuild would report it:
/// the touched files' anew, the others' as they were.
fn check_edits(
    built: &BuiltSite,
    reparsed: &[Reparsed],
    cache: &mut BuildCache,
) -> (Vec<BodyEdit>, Vec<Diagnostic>) {
    let fresh = FreshMarkdown::default();
    let edits = render_edits(built, reparsed, cache, &fresh);
    let checks = built.links.check_edits(&edits);
    let touched: HashSet<&str> = checks.iter().map(|(file, _)| file.as_str()).collect();
    let mut diagnostics: Vec<Diagnostic> = built
        .diagnostics
        .iter()
        .filter(|d| !touched.contains(d.file.as_str()))
        .cloned()
        .collect();
    for (file, mut found) in checks {
        diagnostics.extend(cache.parse_diagnostics(&file).iter().cloned());
        diagnostics.append(&mut found);
    }
    cache.add_markdown(fresh.into_inner().unwrap_or_default());
    (edits, diagnostics)
}

impl BuiltSite {
    /// Takes the edited pages in: their renderings, anchors and links.
    fn apply(&mut self, edits: &[BodyEdit]) {
        self.links.apply_edits(edits);
        for edit in edits {
            if let Some(page) = self.site.pages.get_mut(edit.page) {
                page.parsed = Arc::clone(&edit.parsed);
                page.rendered = Arc::clone(&edit.rendered);
            }
        }
        self.pending.clear();
    }

    /// Puts the files rendered again and the search index's changed files into the site's
    /// files, and the diagnostics and counts into its summary; returns the paths rendered,
    /// sorted.
    fn patch(
        &mut self,
        rendered: Vec<super::render_cache::RenderedFile>,
        index: IndexChanges,
        diagnostics: Vec<Diagnostic>,
    ) -> Vec<String> {
        let mut files = (*self.files).clone();
        let mut paths = Vec::with_capacity(rendered.len());
        for (path, bytes) in rendered {
            paths.push(path.clone());
            files.insert(path, bytes);
        }
        for path in &index.removed {
            files.remove(path);
        }
        for file in index.written {
            files.insert(file.path, file.contents.into());
        }
        paths.sort();
        self.files = Arc::new(files);
        self.summary.checklists = build::count_checklists(&self.site);
        self.summary.warnings = diagnostics.iter().filter(|d| !d.is_error()).count();
        self.diagnostics = diagnostics;
        paths
    }
}

/// Parses the changed pages (and those whose last edit failed) again, or `None` when they are
/// not all built pages of the kept site with their front matter unchanged and free of errors.
fn reparse(options: &BuildOptions, cache: &BuildCache) -> Option<Vec<Reparsed>> {
    reparse_in(options, cache, cache, &|_| false)
}

/// [`reparse`] for one edition of a site in more than one language: `main` is the default
/// language's cache (it holds the walk of content/), `edition` the edition's; a changed file
/// that is a page of another edition only (`elsewhere`) is no change here.
fn reparse_in(
    options: &BuildOptions,
    main: &BuildCache,
    cache: &BuildCache,
    elsewhere: &dyn Fn(&str) -> bool,
) -> Option<Vec<Reparsed>> {
    if options.strict {
        return None;
    }
    let built = cache.built()?;
    if !cache.has_templates() {
        return None;
    }
    let dirty = main.dirty_paths()?;
    if dirty.is_empty() {
        return None;
    }
    let config = build::load_config(options).ok()?;
    if !main.settings_are(&build::settings_key(options, &config)) {
        return None;
    }
    let mut paths: Vec<&PathBuf> = dirty.iter().chain(&built.pending).collect();
    paths.sort();
    paths.dedup();
    let mut reparsed = Vec::with_capacity(paths.len());
    let content_dir = options.root.join("content");
    for path in paths {
        let rel = content::load::rel_string(&options.root, path);
        let found = std::fs::symlink_metadata(path);
        let Some(index) = built.links.built_page(&rel) else {
            if elsewhere(&rel) {
                continue;
            }
            // A file that came and went between two rebuilds (an editor's probe or backup
            // file, like vim's `4913` and `page.md~`) changes nothing.
            let gone = found.is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
            if gone && path.starts_with(&content_dir) && !main.was_found(&options.root, path) {
                continue;
            }
            return None;
        };
        // Still a regular file (not removed, nor swapped for a folder or a link).
        if !found.is_ok_and(|m| m.is_file()) {
            return None;
        }
        reparsed.push(reparse_page(built, main, (&config, options.today), index)?);
        // A base's body is shown in each of its local versions: they are read again with it.
        let local_versions = built.site.pages.iter().enumerate().filter(|(_, p)| {
            p.parsed
                .adaptation
                .as_ref()
                .is_some_and(|a| a.base_source.rel_path == rel)
        });
        for (local, _) in local_versions {
            reparsed.push(reparse_page(built, main, (&config, options.today), local)?);
        }
    }
    reparsed.sort_by_key(|r| r.index);
    reparsed.dedup_by_key(|r| r.index);
    Some(reparsed)
}

/// Parses page `index` of the kept site again (a local version with its base, a translation
/// with its original), or `None` when its front matter changed or has errors: then only the
/// full rebuild will do.
fn reparse_page(
    built: &BuiltSite,
    main: &BuildCache,
    (config, today): (&crate::config::SiteConfig, crate::content::model::IsoDate),
    index: usize,
) -> Option<Reparsed> {
    let old = built.site.pages.get(index)?;
    let needed = match (&old.parsed.adaptation, &old.parsed.translation) {
        (Some(adaptation), _) => Some(adaptation.base_source.clone()),
        (None, Some(translation)) => main.page_source(&translation.original_rel_path),
        (None, None) => None,
    };
    let bases = match &needed {
        Some(source) => content::Bases::only(source),
        None => content::Bases::none(),
    };
    let parse = content::parse_page(&old.parsed.source, config, today, &bases);
    let page = parse.page?;
    let same = page.front_matter_ok
        && page.meta == old.parsed.meta
        && !parse.diagnostics.iter().any(Diagnostic::is_error);
    same.then(|| Reparsed {
        index,
        page: Arc::new(page),
        diagnostics: parse.diagnostics,
    })
}

/// True when an edit changes the body checklist item ids of a page that teams record progress
/// on: their records are checked against the items, which only the full rebuild does.
fn changes_recorded_items(built: &BuiltSite, edits: &[BodyEdit]) -> bool {
    let recorded: Vec<BodyEdit> = edits
        .iter()
        .filter(|e| {
            built
                .site
                .teams
                .iter()
                .any(|t| t.playbooks.iter().any(|p| p.page == e.page))
        })
        .cloned()
        .collect();
    changes_item_ids(built, &recorded)
}

/// The quick path's failed rebuild: its diagnostics, no site to serve.
fn failed_quickly(diagnostics: Vec<Diagnostic>, started: Instant) -> Rebuilt {
    Rebuilt::failed(BuildReport {
        diagnostics,
        summary: None,
        elapsed: started.elapsed(),
    })
}
