//! What `serve` keeps between rebuilds, so an edit redoes only the work it touches.
//!
//! `serve::rebuild` runs the same stages as `build::run`; at three of them it asks this cache
//! first. Parsing a page (reading it, splitting and checking its front matter) is kept per file
//! until the watcher says the file changed. Rendering a page's Markdown is kept per page while its
//! parsed text, its URL and every link it resolved stay the same. The templates render only the
//! pages whose inputs changed (`render::RenderCache`). Everything else (URLs, sections, link and
//! anchor checks) is recomputed on every run, so a rebuild reports exactly what `build` would;
//! except when only page bodies changed since the last site that built: then `quick` redoes
//! just those pages against the site it kept.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::SystemTime;

use rayon::prelude::*;

use super::quick::BuiltSite;
use super::rebuild::SiteFiles;
use super::render_cache::{self, IncrementalRender, RenderCache, RenderedFile};
use crate::config::{RawHtml, SiteConfig};
use crate::content::model::IsoDate;
use crate::content::{self, Discovery, PageMeta, PageSource, Parsed, ParsedPage};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, MarkdownInput, Rendered, Resolution};
use crate::output::search::{self, IndexChanges, Lexicon, PageText, SearchIndex};
use crate::render::{self, OutputFile, RenderOptions, Templates};
use crate::site::{self, AssembleOptions, Assembled, Site};

/// Everything a rebuild may reuse. Create one per `serve` session with [`BuildCache::default`],
/// tell it what changed with [`BuildCache::changed`], and pass it to `serve::rebuild`. Its
/// fields change only through its methods, which keep each kept thing in step with what it
/// was made from.
#[derive(Default)]
pub struct BuildCache {
    /// Paths the watcher reported since the last rebuild.
    dirty: Vec<PathBuf>,
    /// Forget everything on the next rebuild (the watcher lost track of events).
    dirty_all: bool,
    /// site.toml as parsed, the date and the flags: when any of them changes, nothing is reused.
    settings_key: Option<String>,
    /// The last walk of content/, reused while only known files changed.
    discovery: Option<Arc<Discovery>>,
    /// Counts walks of content/.
    discovery_generation: u64,
    /// A hash of everything a link may resolve to (see [`BuildCache::note_link_targets`]).
    links_key: u64,
    /// Parsed pages by path relative to the root.
    pages: HashMap<String, ParsedEntry>,
    /// Rendered Markdown by the page's path relative to the root.
    markdown: RwLock<HashMap<String, MarkdownEntry>>,
    /// Static files and content assets, read into memory, by absolute path.
    files: HashMap<PathBuf, FileEntry>,
    /// Compiled templates, reloaded when a file under themes/ or site.toml changes.
    templates: Option<Templates>,
    /// Bumped whenever the templates are reloaded, so every page renders again.
    templates_generation: u64,
    /// Rendered output files and what they were rendered from.
    render: RenderCache,
    /// The last site that built, for edits that change only page bodies (see `quick`).
    built: Option<Box<BuiltSite>>,
    /// The search index of the last site that built, and the pages' texts it was made from.
    search: SearchCache,
    /// Warnings about the theme's strings (a key missing in a language), found when the
    /// templates were loaded.
    theme_warnings: Vec<Diagnostic>,
    /// On a site in more than one language, every file served and every diagnostic of the
    /// last good rebuild (see [`BuildCache::served`]).
    served: Option<(SiteFiles, Vec<Diagnostic>)>,
    /// On a site in more than one language, the caches of its further editions (the default
    /// language's is this one): each edition renders its own bodies, files and index.
    further: Vec<BuildCache>,
}

/// What `serve` keeps of the search index: the index itself, which a body edit updates page by
/// page, and each indexed page's text with the HTML it was read from, so that a full rebuild
/// reads again only the pages whose HTML changed. Every text's words are ids in the index's
/// lexicon, which passes from one index to the next.
#[derive(Default)]
struct SearchCache {
    index: Option<SearchIndex>,
    /// By URL: the page's HTML (the very bytes served) and its text.
    texts: HashMap<String, (Arc<[u8]>, PageText)>,
}

/// Where the HTML of the page at `url` is in the site's files (`/a/b/` → `a/b/index.html`).
fn html_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

struct ParsedEntry {
    source: PageSource,
    page: Option<Arc<ParsedPage>>,
    diagnostics: Vec<Diagnostic>,
    /// The base file a local version read (even when it failed), so it is parsed again when
    /// that file changes.
    base_rel_path: Option<String>,
}

/// content/ and every mounted folder, absolute: the folders whose files are pages.
pub(crate) fn content_folders(root: &Path, config: &SiteConfig) -> Vec<PathBuf> {
    std::iter::once(root.join("content"))
        .chain(config.mounts.iter().map(|m| root.join(&m.source)))
        .collect()
}

/// A page body's rendering, reused while the page is the same parse (`Arc::ptr_eq` on
/// `parsed`: the parse cache hands back the same `Arc` until the file changes) at the same
/// URL, and every link it resolved still resolves the same way.
pub(crate) struct MarkdownEntry {
    /// Held, not only compared: while the entry lives, no new page can get this address.
    parsed: Arc<ParsedPage>,
    url: String,
    raw_html: RawHtml,
    /// A translation's original's body checklist item ids, which its items take.
    item_ids: Vec<Vec<String>>,
    /// `BuildCache::links_key` when it was rendered: while it holds, every link still resolves
    /// as it did, and `links` need not be checked one by one.
    links_key: u64,
    /// Every link destination the body resolved, and what it resolved to.
    links: Vec<(String, Resolution)>,
    rendered: Arc<Rendered>,
}

struct FileEntry {
    modified: Option<SystemTime>,
    len: u64,
    bytes: Arc<[u8]>,
}

impl BuildCache {
    /// Records that `paths` changed on disk (created, written, removed or renamed).
    pub fn changed<P: AsRef<Path>>(&mut self, paths: impl IntoIterator<Item = P>) {
        let paths: Vec<PathBuf> = paths
            .into_iter()
            .map(|p| p.as_ref().to_path_buf())
            .collect();
        for further in &mut self.further {
            further.changed(&paths);
        }
        self.dirty.extend(paths);
    }

    /// Forgets everything, e.g. when the watcher reports that it missed events.
    pub fn changed_everything(&mut self) {
        for further in &mut self.further {
            further.changed_everything();
        }
        self.dirty_all = true;
    }

    /// The cache of further edition `n` (1 for the first further language), made when first
    /// asked for; a site back to one language lets them go (`keep_editions`).
    pub(crate) fn edition(&mut self, n: usize) -> &mut BuildCache {
        if n == 0 {
            return self;
        }
        while self.further.len() < n {
            self.further.push(BuildCache::default());
        }
        &mut self.further[n - 1]
    }

    /// How many language editions the last full rebuild made (1 for a site in one language).
    pub(crate) fn edition_count(&self) -> usize {
        1 + self.further.len()
    }

    /// The cache of edition `n`, to read (see [`BuildCache::edition`]).
    pub(crate) fn edition_ref(&self, n: usize) -> Option<&BuildCache> {
        match n {
            0 => Some(self),
            n => self.further.get(n - 1),
        }
    }

    /// The source of the page at `rel_path` in the last walk of content/.
    pub(crate) fn page_source(&self, rel_path: &str) -> Option<PageSource> {
        self.discovery
            .as_ref()?
            .pages
            .iter()
            .find(|p| p.rel_path == rel_path)
            .cloned()
    }

    /// Every file served, on a site in more than one language (each edition's kept site holds
    /// its own files; this is all of them with the shared ones), for the quick rebuild to patch.
    pub(crate) fn served(&self) -> Option<&(SiteFiles, Vec<Diagnostic>)> {
        self.served.as_ref()
    }

    /// Keeps every file served and every diagnostic reported (see [`BuildCache::served`]);
    /// `None` forgets them.
    pub(crate) fn keep_served(&mut self, served: Option<(SiteFiles, Vec<Diagnostic>)>) {
        self.served = served;
    }

    /// Keeps the caches of the first `count - 1` further editions only.
    pub(crate) fn keep_editions(&mut self, count: usize) {
        self.further.truncate(count.saturating_sub(1));
    }

    /// Applies the recorded changes before a rebuild: drops what they make stale.
    pub(crate) fn settle(&mut self, root: &Path, config: &SiteConfig, settings_key: String) {
        let dirty = std::mem::take(&mut self.dirty);
        if std::mem::take(&mut self.dirty_all) || self.settings_key.as_ref() != Some(&settings_key)
        {
            self.clear();
            self.settings_key = Some(settings_key);
            return;
        }
        let content_folders = content_folders(root, config);
        let themes = root.join("themes");
        let strings = root.join("i18n");
        let mut rediscover = false;
        for path in &dirty {
            if path.starts_with(&themes) || path.starts_with(&strings) {
                self.templates = None;
            }
            let is_content = content_folders.iter().any(|f| path.starts_with(f));
            if is_content && !(self.is_known(path) && path.is_file()) {
                // A file came, went or was renamed, or a folder changed: walk content/ again.
                rediscover = true;
            }
        }
        for path in &dirty {
            let rel = content::load::rel_string(root, path);
            self.pages.remove(&rel);
            self.files.remove(path);
            // A local version is read with its base: it is parsed again when the base changes.
            self.pages
                .retain(|_, entry| entry.base_rel_path.as_deref() != Some(rel.as_str()));
        }
        if rediscover {
            self.discovery = None;
        }
    }

    /// Whether the last walk of content/ found this file (a few changed paths are checked per
    /// rebuild, so a scan beats building a set of every path).
    fn is_known(&self, path: &Path) -> bool {
        let Some(discovery) = &self.discovery else {
            return false;
        };
        discovery.pages.iter().any(|p| p.abs_path == path)
            || discovery.assets.iter().any(|a| a.abs_path == path)
            || discovery
                .sections
                .iter()
                .any(|s| s.index_file.as_ref().is_some_and(|(_, abs)| abs == path))
    }

    fn clear(&mut self) {
        self.discovery = None;
        self.pages.clear();
        self.markdown = RwLock::default();
        self.files.clear();
        self.templates = None;
        self.render = RenderCache::default();
        self.built = None;
        self.search = SearchCache::default();
        self.served = None;
    }

    /// The paths changed since the last rebuild, or `None` when everything must be read again.
    pub(crate) fn dirty_paths(&self) -> Option<&[PathBuf]> {
        (!self.dirty_all).then_some(self.dirty.as_slice())
    }

    /// Whether the last walk of content/ found `path` (absolute) or anything under it, or
    /// reported a problem with it; true when there was no walk.
    pub(crate) fn was_found(&self, root: &Path, path: &Path) -> bool {
        let Some(discovery) = &self.discovery else {
            return true;
        };
        let content = root.join("content");
        let rel = content::load::rel_string(root, path);
        discovery.pages.iter().any(|p| p.abs_path.starts_with(path))
            || discovery
                .assets
                .iter()
                .any(|a| a.abs_path.starts_with(path))
            || discovery.sections.iter().any(|s| {
                content.join(&s.key).starts_with(path)
                    || s.index_file
                        .as_ref()
                        .is_some_and(|(_, abs)| abs.starts_with(path))
            })
            || discovery
                .diagnostics
                .iter()
                .any(|d| Path::new(&d.file).starts_with(&rel))
    }

    /// Forgets the changed paths: the quick path took care of them.
    pub(crate) fn take_dirty(&mut self) {
        self.dirty.clear();
    }

    /// Whether the last rebuild ran with these settings (see `build::settings_key`).
    pub(crate) fn settings_are(&self, key: &str) -> bool {
        self.settings_key.as_deref() == Some(key)
    }

    /// The parse diagnostics kept for the page at `rel_path` (relative to the root).
    pub(crate) fn parse_diagnostics(&self, rel_path: &str) -> &[Diagnostic] {
        self.pages
            .get(rel_path)
            .map_or(&[], |entry| entry.diagnostics.as_slice())
    }

    /// Keeps a page parsed outside `parse_all` (by the quick path), as `parse_all` would have.
    pub(crate) fn keep_parsed(&mut self, page: &Arc<ParsedPage>, diagnostics: Vec<Diagnostic>) {
        self.pages.insert(
            page.source.rel_path.clone(),
            ParsedEntry {
                source: page.source.clone(),
                // Parsed again when its base (or a translation's original) changes.
                base_rel_path: page
                    .adaptation
                    .as_ref()
                    .map(|a| a.base_source.rel_path.clone())
                    .or_else(|| {
                        page.translation
                            .as_ref()
                            .map(|t| t.original_rel_path.clone())
                    }),
                page: Some(Arc::clone(page)),
                diagnostics,
            },
        );
    }

    /// Keeps renderings made outside `assemble` (by the quick path) for the pages they are of.
    pub(crate) fn add_markdown(&mut self, fresh: Vec<(String, MarkdownEntry)>) {
        match self.markdown.get_mut() {
            Ok(cached) => cached.extend(fresh),
            Err(_) => self.markdown = RwLock::default(),
        }
    }

    /// The content/ walk: the last one while only known files changed, else a new one.
    pub(crate) fn discover(&mut self, root: &Path, config: &SiteConfig) -> Arc<Discovery> {
        if let Some(discovery) = &self.discovery {
            return Arc::clone(discovery);
        }
        let discovery = Arc::new(content::discover(root, config));
        self.discovery = Some(Arc::clone(&discovery));
        self.discovery_generation += 1;
        discovery
    }

    /// The parse stage (`content::parse_all`), parsing only the pages that are new or changed.
    pub(crate) fn parse_all(
        &mut self,
        discovery: &Discovery,
        config: &SiteConfig,
        today: IsoDate,
    ) -> Parsed {
        let stale: Vec<&PageSource> = discovery
            .pages
            .iter()
            .filter(|source| match self.pages.get(&source.rel_path) {
                Some(entry) => !same_source(&entry.source, source),
                None => true,
            })
            .collect();
        let bases = content::Bases::of(discovery);
        let fresh: Vec<(String, ParsedEntry)> = stale
            .par_iter()
            .map(|source| {
                let parse = content::parse_page(source, config, today, &bases);
                let entry = ParsedEntry {
                    source: (*source).clone(),
                    page: parse.page.map(Arc::new),
                    diagnostics: parse.diagnostics,
                    base_rel_path: parse.base_rel_path,
                };
                (source.rel_path.clone(), entry)
            })
            .collect();
        self.pages.extend(fresh);
        if self.pages.len() > discovery.pages.len() {
            let current: HashSet<&str> = discovery
                .pages
                .iter()
                .map(|p| p.rel_path.as_str())
                .collect();
            self.pages.retain(|rel, _| current.contains(rel.as_str()));
        }
        let mut pages = Vec::with_capacity(discovery.pages.len());
        let mut diagnostics = Vec::new();
        for source in &discovery.pages {
            if let Some(entry) = self.pages.get(&source.rel_path) {
                diagnostics.extend(entry.diagnostics.iter().cloned());
                pages.extend(entry.page.iter().cloned());
            }
        }
        let (sections, mut more) = content::parse_section_indexes(discovery, config);
        diagnostics.append(&mut more);
        Parsed {
            pages,
            sections,
            diagnostics,
        }
    }

    /// The assemble stage (`site::assemble`), with each body's Markdown rendered through this
    /// cache, which keeps the renderings made this time.
    pub(crate) fn assemble(
        &mut self,
        config: SiteConfig,
        discovery: &Discovery,
        parsed: Parsed,
        options: &AssembleOptions,
    ) -> Assembled {
        self.note_link_targets(&parsed.pages, &options.static_paths);
        let fresh = FreshMarkdown::default();
        let reader: &BuildCache = self;
        let assembled = site::assemble(
            config,
            discovery,
            parsed.pages,
            parsed.sections,
            options,
            &|page, input, resolve| reader.render_body(&fresh, page, input, resolve),
        );
        let fresh = fresh.into_inner().unwrap_or_default();
        self.keep_markdown(fresh, discovery);
        assembled
    }

    /// The render stage for the files whose inputs changed (see `render_cache`), loading the
    /// templates first when they are not loaded (the first time, or after a theme changed).
    pub(crate) fn render(
        &mut self,
        root: &Path,
        site: &Site,
        options: &RenderOptions,
    ) -> Result<IncrementalRender, Vec<Diagnostic>> {
        if self.templates.is_none() {
            let mut templates = render::load_templates(root, &site.config.theme)?;
            // The theme's strings in every language of the site, the default language's first.
            let languages: Vec<String> = match site.languages.is_multilingual() {
                true => site
                    .languages
                    .editions
                    .iter()
                    .map(|e| e.code.clone())
                    .collect(),
                false => vec![site.config.language.clone()],
            };
            let (translations, problems) = render::i18n::load(root, &site.config.theme, &languages);
            if problems.iter().any(Diagnostic::is_error) {
                return Err(problems);
            }
            self.theme_warnings = problems;
            templates.set_translations(translations);
            self.templates = Some(templates);
            self.templates_generation += 1;
        }
        let Some(templates) = self.templates.as_mut() else {
            return Err(Vec::new());
        };
        render_cache::render_site_incremental(
            site,
            templates,
            self.templates_generation,
            options,
            &mut self.render,
        )
    }

    /// The render stage for `pages` alone, whose bodies changed and nothing else (see
    /// `render_cache::render_pages_incremental`); `None` when that cannot be done.
    pub(crate) fn render_pages(
        &mut self,
        site: &Site,
        options: &RenderOptions,
        pages: &[usize],
    ) -> Option<Result<Vec<RenderedFile>, Vec<Diagnostic>>> {
        let templates = self.templates.as_mut()?;
        render_cache::render_pages_incremental(site, templates, options, pages, &mut self.render)
    }

    /// The theme's words in the language of `site` (English until the templates are loaded).
    fn strings_of(&self, site: &Site) -> render::i18n::Strings {
        self.templates
            .as_ref()
            .map(|t| t.translations().strings(&site.config.language))
            .unwrap_or_default()
    }

    /// Warnings about the theme's strings, from the last time the templates were loaded.
    pub(crate) fn theme_warnings(&self) -> &[Diagnostic] {
        &self.theme_warnings
    }

    /// Whether the templates are loaded (the quick path renders only with them).
    pub(crate) fn has_templates(&self) -> bool {
        self.templates.is_some()
    }

    /// The last site that built.
    pub(crate) fn built(&self) -> Option<&BuiltSite> {
        self.built.as_deref()
    }

    /// Takes the last site that built out of the cache, to change it; give it back with
    /// [`BuildCache::keep_built`], or leave it out when it no longer holds.
    pub(crate) fn take_built(&mut self) -> Option<Box<BuiltSite>> {
        self.built.take()
    }

    /// Keeps the site that just built, for the next quick rebuild.
    pub(crate) fn keep_built(&mut self, built: Box<BuiltSite>) {
        self.built = Some(built);
    }

    /// Renders a page body, or hands back the last rendering when the page's text, URL and every
    /// link it resolved are unchanged. Safe to call from many threads (`assemble` runs it in
    /// parallel); new renderings are kept aside in `fresh` until [`BuildCache::keep_markdown`].
    pub(crate) fn render_body(
        &self,
        fresh: &Mutex<Vec<(String, MarkdownEntry)>>,
        page: &Arc<ParsedPage>,
        input: &MarkdownInput,
        resolve: &dyn Fn(&str) -> Resolution,
    ) -> Arc<Rendered> {
        if let Ok(cached) = self.markdown.read() {
            if let Some(entry) = cached.get(&page.source.rel_path) {
                let still_valid = Arc::ptr_eq(&entry.parsed, page)
                    && entry.url == input.page_url
                    && entry.raw_html == input.raw_html
                    && entry.item_ids == input.item_ids
                    && (entry.links_key == self.links_key
                        || entry.links.iter().all(|(dest, was)| resolve(dest) == *was));
                if still_valid {
                    return Arc::clone(&entry.rendered);
                }
            }
        }
        let links = RefCell::new(Vec::new());
        let rendered = Arc::new(markdown::render(input, &|dest| {
            let resolution = resolve(dest);
            links
                .borrow_mut()
                .push((dest.to_string(), resolution.clone()));
            resolution
        }));
        let entry = MarkdownEntry {
            parsed: Arc::clone(page),
            url: input.page_url.to_string(),
            raw_html: input.raw_html,
            item_ids: input.item_ids.to_vec(),
            links_key: self.links_key,
            links: links.into_inner(),
            rendered: Arc::clone(&rendered),
        };
        if let Ok(mut fresh) = fresh.lock() {
            fresh.push((page.source.rel_path.clone(), entry));
        }
        rendered
    }

    /// Records what links can point at in this build, before `assemble`: the files found, every
    /// page's path, slug, status and tags (which decide URLs, drafts and tag pages), and the static
    /// files. When all of it is as it was, a cached page's links need not be resolved again.
    fn note_link_targets(&mut self, parsed: &[Arc<ParsedPage>], static_paths: &HashSet<String>) {
        let mut h = DefaultHasher::new();
        self.discovery_generation.hash(&mut h);
        for page in parsed {
            page.source.rel_path.hash(&mut h);
            page.meta.slug().hash(&mut h);
            format!("{:?}", page.meta.status()).hash(&mut h);
            match &page.meta {
                PageMeta::Playbook(p) => p.tags.hash(&mut h),
                PageMeta::Guide(g) => g.tags.hash(&mut h),
            }
        }
        // A set has no order: add the paths' hashes up.
        let statics = static_paths.iter().fold(0u64, |sum, path| {
            let mut one = DefaultHasher::new();
            path.hash(&mut one);
            sum.wrapping_add(one.finish())
        });
        statics.hash(&mut h);
        self.links_key = h.finish();
    }

    /// Keeps the renderings made during the last `assemble`, and forgets pages that are gone.
    fn keep_markdown(&mut self, fresh: Vec<(String, MarkdownEntry)>, discovery: &Discovery) {
        let Ok(cached) = self.markdown.get_mut() else {
            self.markdown = RwLock::default();
            return;
        };
        cached.extend(fresh);
        if cached.len() > discovery.pages.len() {
            let current: HashSet<&str> = discovery
                .pages
                .iter()
                .map(|p| p.rel_path.as_str())
                .collect();
            cached.retain(|rel, _| current.contains(rel.as_str()));
        }
    }

    /// The search index of `site`, whose rendered files are `files`, made anew (a full rebuild):
    /// the pages whose HTML is the same bytes as last time are not read again.
    pub(crate) fn index_site(
        &mut self,
        site: &Site,
        files: &HashMap<String, Arc<[u8]>>,
    ) -> Vec<OutputFile> {
        let strings = self.strings_of(site);
        let cache = &mut self.search;
        let lexicon = match cache.index.take() {
            Some(index) => index.into_lexicon(),
            None => {
                cache.texts.clear();
                Lexicon::default()
            }
        };
        let urls = search::indexed_urls(site);
        let read: Vec<(String, Arc<[u8]>, PageText)> = urls
            .par_iter()
            .filter_map(|url| {
                let bytes = files.get(&html_path(url))?;
                match cache.texts.get(*url) {
                    Some((known, _)) if Arc::ptr_eq(known, bytes) => None,
                    _ => {
                        let html = String::from_utf8_lossy(bytes);
                        let text = PageText::from_html(&html, &lexicon);
                        Some((url.to_string(), Arc::clone(bytes), text))
                    }
                }
            })
            .collect();
        for (url, bytes, text) in read {
            cache.texts.insert(url, (bytes, text));
        }
        cache.texts.retain(|url, _| urls.contains(url.as_str()));
        let texts = &cache.texts;
        let (index, files) = search::index_with(site, lexicon, &strings, &|url| {
            texts
                .get(url)
                .map(|(_, text)| text.clone())
                .unwrap_or_default()
        });
        cache.index = Some(index);
        files
    }

    /// Updates the search index for `pages` (indexes into `site.pages`), whose bodies alone
    /// changed, reading their new HTML with `html_of` (by path); returns the index files that
    /// changed, or `None` when there is no index to update.
    pub(crate) fn update_index(
        &mut self,
        site: &Site,
        pages: &[usize],
        html_of: &dyn Fn(&str) -> Option<Arc<[u8]>>,
    ) -> Option<IndexChanges> {
        let strings = self.strings_of(site);
        let cache = &mut self.search;
        let index = cache.index.as_mut()?;
        let mut all = IndexChanges::default();
        for page in pages.iter().filter_map(|&i| site.pages.get(i)) {
            if !index.holds(&page.url) {
                continue;
            }
            let bytes = html_of(&html_path(&page.url))?;
            let text = PageText::from_html(&String::from_utf8_lossy(&bytes), index.lexicon());
            cache
                .texts
                .insert(page.url.clone(), (Arc::clone(&bytes), text.clone()));
            let document = search::page_document(site, page, (index.lexicon(), &strings), text);
            let changes = index.update(document)?;
            all.removed
                .retain(|path| !changes.written.iter().any(|f| f.path == *path));
            all.written
                .retain(|file| !changes.removed.contains(&file.path));
            all.written
                .retain(|file| !changes.written.iter().any(|f| f.path == file.path));
            all.written.extend(changes.written);
            all.removed.extend(changes.removed);
        }
        Some(all)
    }

    /// The bytes of a file copied into the site, read again only when it changed.
    pub(crate) fn read_file(&mut self, path: &Path) -> std::io::Result<Arc<[u8]>> {
        // Never follow a link out of the site: static and content walks skip them, and a file
        // swapped for a link since the walk is refused here.
        let meta = std::fs::symlink_metadata(path)?;
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        let modified = meta.modified().ok();
        if let Some(entry) = self.files.get(path) {
            if entry.modified == modified && entry.len == meta.len() {
                return Ok(Arc::clone(&entry.bytes));
            }
        }
        let bytes: Arc<[u8]> = std::fs::read(path)?.into();
        self.files.insert(
            path.to_path_buf(),
            FileEntry {
                modified,
                len: meta.len(),
                bytes: Arc::clone(&bytes),
            },
        );
        Ok(bytes)
    }
}

fn same_source(a: &PageSource, b: &PageSource) -> bool {
    a.rel_path == b.rel_path
        && a.section == b.section
        && a.url_segments == b.url_segments
        && a.is_bundle == b.is_bundle
}

/// Pending Markdown renderings, filled by [`BuildCache::render_body`] during `assemble`.
pub(crate) type FreshMarkdown = Mutex<Vec<(String, MarkdownEntry)>>;
