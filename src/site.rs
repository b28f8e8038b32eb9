//! The Site model: every built page with its URL, the sections that list them, the files copied
//! as they are, and the rules that span files (URL collisions, links, anchors, evidence paths).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{RawHtml, SiteConfig};
use crate::vocabulary::Vocabulary;
use crate::content::model::{IsoDate, SortBy, Status};
use crate::content::{self, Discovery, PageMeta, ParsedPage, SectionIndex};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, MarkdownInput, Rendered, Resolution};

/// Anchors the templates put on every playbook page (kept free of body headings).
pub const PLAYBOOK_ANCHORS: &[&str] = &[
    "main-content",
    "contents",
    "at-a-glance",
    "pathway",
    "training",
    "champions",
    "checklists",
    "measures",
    "risks",
    "strategies",
];
/// Anchors the templates put on every guide page.
pub const GUIDE_ANCHORS: &[&str] = &["main-content", "contents"];

/// URL prefixes the build generates itself; a page may not take them.
pub const GENERATED_PREFIXES: &[&str] =
    &["/stages/", "/settings/", "/roles/", "/tags/", "/search/"];

/// A page that will be built.
#[derive(Debug)]
pub struct SitePage {
    /// Parsed source and front matter (shared, so `serve` can keep it across rebuilds).
    pub parsed: Arc<ParsedPage>,
    /// `/section/slug/`.
    pub url: String,
    /// Index into `Site::sections`.
    pub section: usize,
    /// The body, rendered (shared, so `serve` can keep it across rebuilds).
    pub rendered: Arc<Rendered>,
}

impl SitePage {
    /// The front matter.
    pub fn meta(&self) -> &PageMeta {
        &self.parsed.meta
    }

    /// Shown in lists: not a draft (drafts are built only with `--drafts`) and not retired.
    pub fn is_listed(&self) -> bool {
        self.meta().status() == Status::Published
    }
}

/// A folder that lists its pages.
#[derive(Debug)]
pub struct Section {
    /// Folder under content/, `""` for home.
    pub key: String,
    /// `/key/`, or `/`.
    pub url: String,
    /// From `_index.md`, else the folder name.
    pub title: String,
    /// From `_index.md`.
    pub summary: Option<String>,
    /// Order among sections.
    pub weight: i64,
    /// The `_index.md` body, rendered.
    pub body_html: String,
    /// Listed pages, in the section's sort order.
    pub pages: Vec<usize>,
    /// Index of the parent section, `None` for home.
    pub parent: Option<usize>,
}

/// A file copied into the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Output path, relative to the output folder.
    pub output_path: String,
    /// Where to read it.
    pub source: PathBuf,
}

/// The whole site, ready to render.
#[derive(Debug)]
pub struct Site {
    /// site.toml.
    pub config: SiteConfig,
    /// Built pages.
    pub pages: Vec<SitePage>,
    /// Sections, home first.
    pub sections: Vec<Section>,
    /// Content files copied as they are.
    pub assets: Vec<Asset>,
    /// The date review checks and "due for review" lists use.
    pub today: IsoDate,
}

impl Site {
    /// Pages that appear in lists, taxonomies and feeds.
    pub fn listed_pages(&self) -> impl Iterator<Item = &SitePage> {
        self.pages.iter().filter(|p| p.is_listed())
    }
}

/// Inputs of `assemble` that come from the command line.
#[derive(Debug, Clone, Default)]
pub struct AssembleOptions {
    /// Build drafts too.
    pub drafts: bool,
    /// Static files (site and theme) that `/…` links may point at.
    pub static_paths: HashSet<String>,
}

/// Renders one page's Markdown body for `assemble`, which calls it for every page in parallel.
/// `build` renders directly ([`render_body`]); `serve` passes a cache that hands back the last
/// rendering of a page whose text and links did not change.
pub type BodyRenderer<'a> = dyn Fn(&Arc<ParsedPage>, &MarkdownInput, &dyn Fn(&str) -> Resolution) -> Arc<Rendered>
    + Sync
    + 'a;

/// Renders a page body with no cache: what `build` and `check` do.
pub fn render_body(
    _page: &Arc<ParsedPage>,
    input: &MarkdownInput,
    resolve: &dyn Fn(&str) -> Resolution,
) -> Arc<Rendered> {
    Arc::new(markdown::render(input, resolve))
}

/// Turns parsed pages into the Site, rendering Markdown and checking every cross-file rule.
pub fn assemble(
    config: SiteConfig,
    discovery: &Discovery,
    parsed: Vec<ParsedPage>,
    section_indexes: Vec<SectionIndex>,
    options: &AssembleOptions,
    today: IsoDate,
) -> (Site, Vec<Diagnostic>) {
    let parsed = parsed.into_iter().map(Arc::new).collect();
    assemble_with(
        config,
        discovery,
        parsed,
        section_indexes,
        options,
        today,
        &render_body,
    )
}

/// `assemble`, with pages already shared and Markdown rendered by `render_page_body`.
pub fn assemble_with(
    config: SiteConfig,
    discovery: &Discovery,
    parsed: Vec<Arc<ParsedPage>>,
    section_indexes: Vec<SectionIndex>,
    options: &AssembleOptions,
    today: IsoDate,
    render_page_body: &BodyRenderer,
) -> (Site, Vec<Diagnostic>) {
    let (site, diagnostics, _) = assemble_indexed(
        config,
        discovery,
        parsed,
        section_indexes,
        options,
        today,
        render_page_body,
    );
    (site, diagnostics)
}

/// `assemble_with`, also handing back what it learnt about links (for `serve`'s quick path).
pub fn assemble_indexed(
    config: SiteConfig,
    discovery: &Discovery,
    parsed: Vec<Arc<ParsedPage>>,
    section_indexes: Vec<SectionIndex>,
    options: &AssembleOptions,
    today: IsoDate,
    render_page_body: &BodyRenderer,
) -> (Site, Vec<Diagnostic>, LinkIndex) {
    let mut diagnostics = Vec::new();

    // Sections.
    let mut sections: Vec<Section> = discovery
        .sections
        .iter()
        .zip(&section_indexes)
        .map(|(source, index)| {
            let folder_name = source.key.rsplit('/').next().unwrap_or("");
            Section {
                key: source.key.clone(),
                url: if source.key.is_empty() {
                    "/".into()
                } else {
                    format!("/{}/", source.key)
                },
                title: index
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| title_from_folder(folder_name, &config)),
                summary: index.meta.summary.clone(),
                weight: index.meta.weight.unwrap_or(0),
                body_html: String::new(),
                pages: Vec::new(),
                parent: None,
            }
        })
        .collect();
    for i in 1..sections.len() {
        let parent_key = sections[i]
            .key
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        sections[i].parent = sections.iter().position(|s| s.key == parent_key);
    }

    // URLs, and which URL belongs to which file, for collisions and links.
    let mut url_owner: HashMap<String, String> = HashMap::new();
    for section in &sections {
        let owner = discovery
            .sections
            .iter()
            .find(|s| s.key == section.key)
            .and_then(|s| s.index_file.as_ref().map(|(rel, _)| rel.clone()))
            .unwrap_or_else(|| format!("content/{}", section.key));
        url_owner.insert(section.url.clone(), owner);
    }
    let mut file_urls: HashMap<String, String> = HashMap::new(); // content path → URL
    let mut draft_files: HashSet<String> = HashSet::new();
    let mut draft_urls: HashSet<String> = HashSet::new();
    let mut pages: Vec<(Arc<ParsedPage>, String)> = Vec::new();
    // Pages not built (drafts without --drafts, pages whose front matter has errors) whose
    // bodies are still checked: drafts are validated always, and one run reports every error.
    let mut check_only: Vec<(Arc<ParsedPage>, String)> = Vec::new();
    let mut unbuilt_urls: Vec<String> = Vec::new();
    for page in parsed {
        let mut segments = page.source.url_segments.clone();
        if let Some(slug) = page.meta.slug() {
            match segments.last_mut() {
                Some(last) => *last = slug.to_string(),
                None => segments.push(slug.to_string()),
            }
        }
        let url = if segments.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", segments.join("/"))
        };
        let content_path = page
            .source
            .rel_path
            .trim_start_matches("content/")
            .to_string();
        if !page.front_matter_ok {
            // Its front matter is already reported; links to the file still resolve, and no
            // collision is reported against a URL that may come from a slug it failed to read.
            if page.meta.status() == Status::Draft && !options.drafts {
                draft_files.insert(content_path);
                draft_urls.insert(url.clone());
            } else {
                file_urls.insert(content_path, url.clone());
                unbuilt_urls.push(url.clone());
            }
            check_only.push((page, url));
            continue;
        }
        if let Some(prefix) = GENERATED_PREFIXES
            .iter()
            .find(|p| url.starts_with(**p) || url == p.trim_end_matches('/'))
        {
            diagnostics.push(
                page.text
                    .error(
                        1,
                        1,
                        3,
                        format!("the page's URL {url} is one the site generates itself ({prefix})"),
                    )
                    .with_help("rename the file or set a different `slug:`"),
            );
            continue;
        }
        if let Some(other) = url_owner.get(&url) {
            diagnostics.push(
                page.text
                    .error(
                        1,
                        1,
                        3,
                        format!("this page and {other} both end at the URL {url}"),
                    )
                    .with_help("rename one of the files or give one a different `slug:`"),
            );
            continue;
        }
        url_owner.insert(url.clone(), page.source.rel_path.clone());
        if page.meta.status() == Status::Draft && !options.drafts {
            draft_files.insert(content_path);
            draft_urls.insert(url.clone());
            check_only.push((page, url));
            continue;
        }
        file_urls.insert(content_path, url.clone());
        pages.push((page, url));
    }
    for section in discovery.sections.iter() {
        let url = if section.key.is_empty() {
            "/".to_string()
        } else {
            format!("/{}/", section.key)
        };
        let index_path = if section.key.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", section.key)
        };
        file_urls.insert(index_path, url.clone());
        file_urls.insert(section.key.clone(), url);
    }
    // Content assets: a bundle's files follow the bundle's URL (and its slug).
    let taken = written_paths(&config, &pages, &sections);
    let mut assets = Vec::new();
    // Each bundle's folder (under content/, with its `/`) → the first page that is its bundle.
    let mut bundles: HashMap<&str, usize> = HashMap::new();
    for (i, (p, _)) in pages.iter().enumerate() {
        if p.source.is_bundle {
            bundles.entry(bundle_dir(p)).or_insert(i);
        }
    }
    for asset in &discovery.assets {
        // The first bundle, in page order, whose folder holds the asset.
        let path = asset.content_path.as_str();
        let bundle = std::iter::once(0)
            .chain(path.match_indices('/').map(|(at, _)| at + 1))
            .filter_map(|end| bundles.get(&path[..end]).copied())
            .min()
            .and_then(|i| pages.get(i));
        let output_path = match bundle {
            Some((p, url)) => format!(
                "{}{}",
                url.trim_start_matches('/'),
                &path[bundle_dir(p).len()..]
            ),
            None => asset.content_path.clone(),
        };
        if let Some(d) =
            content::active::asset_problem(asset, &output_path, config.raw_html, &taken)
        {
            diagnostics.push(d);
            continue;
        }
        file_urls.insert(asset.content_path.clone(), format!("/{output_path}"));
        assets.push(Asset {
            output_path,
            source: asset.abs_path.clone(),
        });
    }
    for (page, url) in &pages {
        if page.source.is_bundle {
            let dir = page
                .source
                .rel_path
                .trim_start_matches("content/")
                .trim_end_matches("/index.md");
            file_urls.insert(dir.to_string(), url.clone());
        }
    }

    // Every URL the build writes, for `/absolute` links.
    let mut known_urls: HashSet<String> = url_owner
        .iter()
        .filter(|(_, owner)| !draft_files.contains(owner.trim_start_matches("content/")))
        .map(|(url, _)| url.clone())
        .collect();
    known_urls.extend(unbuilt_urls);
    known_urls.extend(assets.iter().map(|a| format!("/{}", a.output_path)));
    known_urls.extend(options.static_paths.iter().cloned());
    // Tag pages list published pages only, so only their tags have pages to link to.
    let published = pages
        .iter()
        .map(|(p, _)| &p.meta)
        .filter(|m| m.status() == Status::Published);
    for url in generated_urls(&config, published) {
        known_urls.insert(url);
    }
    // Every built playbook gets a checklists.csv beside its page (output/checklists_csv.rs).
    known_urls.extend(
        pages
            .iter()
            .filter(|(p, _)| p.meta.playbook().is_some())
            .map(|(_, url)| format!("{url}checklists.csv")),
    );

    // Markdown, in parallel.
    let resolver_context = LinkContext {
        file_urls: &file_urls,
        draft_files: &draft_files,
        draft_urls: &draft_urls,
        known_urls: &known_urls,
        from_draft: false,
    };
    // A page that is not built may link to drafts: only links from built pages are broken.
    let unbuilt_context = LinkContext {
        from_draft: true,
        ..resolver_context
    };
    // Built pages go through `render_page_body` (serve's cache); pages only checked do not.
    // Once a body is rendered, its diagnostics hold every line they quote: the text can go,
    // unless it is shared (serve's cache keeps it to reuse the page).
    let render_and_forget = |(page, url): &mut (Arc<ParsedPage>, String),
                             context: &LinkContext,
                             built: bool|
     -> Arc<Rendered> {
        let renderer: &BodyRenderer = if built {
            render_page_body
        } else {
            &render_body
        };
        let rendered = render_page_markdown(page, url, config.raw_html, context, renderer);
        if let Some(parsed) = Arc::get_mut(page) {
            parsed.release_text();
        }
        rendered
    };
    let rendered: Vec<Arc<Rendered>> = pages
        .par_iter_mut()
        .map(|page| render_and_forget(page, &resolver_context, true))
        .collect();
    let rendered_unbuilt: Vec<Arc<Rendered>> = check_only
        .par_iter_mut()
        .map(|page| render_and_forget(page, &unbuilt_context, false))
        .collect();
    for (section, index) in sections.iter_mut().zip(&section_indexes) {
        if let Some(text) = &index.text {
            let input = MarkdownInput {
                text,
                body: index.body.clone(),
                skip: None,
                raw_html: config.raw_html,
                page_url: &section.url,
                reserved_ids: &["main-content"],
                checklist_ids: &[],
            };
            let from_dir = content_dir_of(&text.rel_path);
            let r = markdown::render(&input, &|dest| resolver_context.resolve(&from_dir, dest));
            diagnostics.extend(r.diagnostics);
            section.body_html = r.html;
        }
    }

    // Anchors and evidence paths, now that every page's ids are known. The anchors of a page
    // whose front matter has errors are unknown, so links into it are not checked.
    let checked: Vec<CheckedPage> = pages
        .iter()
        .zip(&rendered)
        .map(|((page, url), r)| (page, url, r, true))
        .chain(
            check_only
                .iter()
                .zip(&rendered_unbuilt)
                .map(|((page, url), r)| (page, url, r, false)),
        )
        .map(|(page, url, rendered, built)| CheckedPage {
            page: Arc::clone(page),
            url: url.clone(),
            rendered: Arc::clone(rendered),
            built,
        })
        .collect();
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for c in checked.iter().filter(|c| c.page.front_matter_ok) {
        anchors
            .entry(c.url.clone())
            .or_default()
            .extend(anchors_of(&c.page, &c.rendered));
    }
    for c in &checked {
        let context = if c.built {
            resolver_context
        } else {
            unbuilt_context
        };
        diagnostics.extend(page_checks(&c.page, &c.rendered, &context, |url| {
            anchors.get(url)
        }));
    }

    let site_pages: Vec<SitePage> = pages
        .into_iter()
        .zip(rendered)
        .map(|((parsed, url), rendered)| {
            let section = sections
                .iter()
                .position(|s| s.key == parsed.source.section)
                .unwrap_or(0);
            SitePage {
                parsed,
                url,
                section,
                rendered,
            }
        })
        .collect();
    for (s, index) in section_indexes.iter().enumerate() {
        let mut listed: Vec<usize> = site_pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.section == s && p.is_listed())
            .map(|(i, _)| i)
            .collect();
        sort_pages(
            &mut listed,
            &site_pages,
            index.meta.sort_by.unwrap_or(SortBy::Weight),
        );
        sections[s].pages = listed;
    }
    let site = Site {
        config,
        pages: site_pages,
        sections,
        assets,
        today,
    };
    let links = LinkIndex::new(
        file_urls,
        draft_files,
        draft_urls,
        known_urls,
        anchors,
        checked,
    );
    (site, diagnostics, links)
}

/// What `assemble` learnt about links, kept by `serve` so that an edit to a page's body can be
/// checked against the rest of the site without assembling it again.
#[derive(Debug, Default)]
pub struct LinkIndex {
    /// Content path (under content/) → URL.
    file_urls: HashMap<String, String>,
    /// Content paths of drafts this build leaves out.
    draft_files: HashSet<String>,
    /// URLs of drafts this build leaves out.
    draft_urls: HashSet<String>,
    /// Every URL the build writes, for `/absolute` links.
    known_urls: HashSet<String>,
    /// The anchors of each page (whose front matter parsed) by URL.
    anchors: HashMap<String, HashSet<String>>,
    /// Every page whose body was checked: the built ones first, in `Site::pages` order.
    checked: Vec<CheckedPage>,
    /// Index into `checked` by the page's path relative to the root.
    by_path: HashMap<String, usize>,
    /// For each URL, the pages (indexes into `checked`) that link to one of its anchors.
    referrers: HashMap<String, Vec<usize>>,
}

#[derive(Debug)]
struct CheckedPage {
    page: Arc<ParsedPage>,
    url: String,
    rendered: Arc<Rendered>,
    /// Built (links to drafts are broken from it), or only checked.
    built: bool,
}

/// A built page whose body changed and whose front matter did not, rendered again.
#[derive(Debug, Clone)]
pub struct BodyEdit {
    /// Index into `Site::pages`.
    pub page: usize,
    /// The page as parsed now.
    pub parsed: Arc<ParsedPage>,
    /// Its body as rendered now (see [`LinkIndex::render_body`]).
    pub rendered: Arc<Rendered>,
}

impl LinkIndex {
    fn new(
        file_urls: HashMap<String, String>,
        draft_files: HashSet<String>,
        draft_urls: HashSet<String>,
        known_urls: HashSet<String>,
        anchors: HashMap<String, HashSet<String>>,
        checked: Vec<CheckedPage>,
    ) -> Self {
        let by_path = checked
            .iter()
            .enumerate()
            .map(|(i, c)| (c.page.source.rel_path.clone(), i))
            .collect();
        let mut index = LinkIndex {
            file_urls,
            draft_files,
            draft_urls,
            known_urls,
            anchors,
            checked,
            by_path,
            referrers: HashMap::new(),
        };
        for i in 0..index.checked.len() {
            index.add_referrer(i);
        }
        index
    }

    fn add_referrer(&mut self, i: usize) {
        let Some(c) = self.checked.get(i) else {
            return;
        };
        for check in &c.rendered.anchor_checks {
            let list = self.referrers.entry(check.page_url.clone()).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }

    fn context(&self, built: bool) -> LinkContext<'_> {
        LinkContext {
            file_urls: &self.file_urls,
            draft_files: &self.draft_files,
            draft_urls: &self.draft_urls,
            known_urls: &self.known_urls,
            from_draft: !built,
        }
    }

    /// The index in `Site::pages` of the built page read from `rel_path` (relative to the root).
    pub fn built_page(&self, rel_path: &str) -> Option<usize> {
        let i = *self.by_path.get(rel_path)?;
        self.checked.get(i).filter(|c| c.built).map(|_| i)
    }

    /// Renders the body of `page`, a built page at `url`, as `assemble` does: links resolve
    /// against the site as it was assembled (an edit that changes no front matter cannot
    /// change what they resolve to).
    pub fn render_body(
        &self,
        raw_html: RawHtml,
        page: &Arc<ParsedPage>,
        url: &str,
        render_page_body: &BodyRenderer,
    ) -> Arc<Rendered> {
        render_page_markdown(page, url, raw_html, &self.context(true), render_page_body)
    }

    /// Checks `edits` against the rest of the site, changing nothing: the link and anchor
    /// diagnostics of every page they touch (the edited pages, and the pages that link to an
    /// anchor of an edited page whose anchors changed), by file, in page order.
    pub fn check_edits(&self, edits: &[BodyEdit]) -> Vec<(String, Vec<Diagnostic>)> {
        let mut new_anchors: HashMap<&str, HashSet<String>> = HashMap::new();
        let mut touched: Vec<usize> = Vec::new();
        for edit in edits {
            let Some(c) = self.checked.get(edit.page) else {
                continue;
            };
            touched.push(edit.page);
            let anchors = anchors_of(&edit.parsed, &edit.rendered);
            if self.anchors.get(&c.url) != Some(&anchors) {
                touched.extend(self.referrers.get(&c.url).into_iter().flatten());
            }
            new_anchors.insert(c.url.as_str(), anchors);
        }
        touched.sort_unstable();
        touched.dedup();
        let edited = |i: usize| edits.iter().rev().find(|e| e.page == i);
        touched
            .into_iter()
            .filter_map(|i| {
                let c = self.checked.get(i)?;
                let (page, rendered) = match edited(i) {
                    Some(edit) => (&edit.parsed, &edit.rendered),
                    None => (&c.page, &c.rendered),
                };
                let diagnostics = page_checks(page, rendered, &self.context(c.built), |url| {
                    new_anchors.get(url).or_else(|| self.anchors.get(url))
                });
                Some((c.page.source.rel_path.clone(), diagnostics))
            })
            .collect()
    }

    /// Takes `edits` in: the edited pages' renderings, anchors and anchor links.
    pub fn apply_edits(&mut self, edits: &[BodyEdit]) {
        for edit in edits {
            let Some(c) = self.checked.get_mut(edit.page) else {
                continue;
            };
            let old = std::mem::replace(&mut c.rendered, Arc::clone(&edit.rendered));
            c.page = Arc::clone(&edit.parsed);
            let url = c.url.clone();
            self.anchors
                .insert(url, anchors_of(&edit.parsed, &edit.rendered));
            for check in &old.anchor_checks {
                if let Some(list) = self.referrers.get_mut(&check.page_url) {
                    list.retain(|&i| i != edit.page);
                }
            }
            self.add_referrer(edit.page);
        }
    }
}

/// Renders a page's body with its links resolved in `context`.
fn render_page_markdown(
    page: &Arc<ParsedPage>,
    url: &str,
    raw_html: RawHtml,
    context: &LinkContext,
    render_page_body: &BodyRenderer,
) -> Arc<Rendered> {
    let checklist_ids: Vec<&str> = match &page.meta {
        PageMeta::Playbook(p) => p.checklists.iter().map(|c| c.id.as_str()).collect(),
        PageMeta::Guide(_) => Vec::new(),
    };
    let input = MarkdownInput {
        text: &page.text,
        body: page.body.clone(),
        skip: page.title_heading.clone(),
        raw_html,
        page_url: url,
        reserved_ids: reserved_anchors(page),
        checklist_ids: &checklist_ids,
    };
    let from_dir = content_dir_of(&page.source.rel_path);
    let resolve = |dest: &str| context.resolve(&from_dir, dest);
    render_page_body(page, &input, &resolve)
}

/// Every anchor a page has: its body's ids, the template's, and its front matter checklists'.
fn anchors_of(page: &ParsedPage, rendered: &Rendered) -> HashSet<String> {
    let mut set: HashSet<String> = rendered.ids.iter().cloned().collect();
    set.extend(reserved_anchors(page).iter().map(|a| a.to_string()));
    if let PageMeta::Playbook(p) = &page.meta {
        // The template puts each front matter checklist at `#checklist-<id>`.
        set.extend(p.checklists.iter().map(|c| format!("checklist-{}", c.id)));
    }
    set
}

/// A page's link problems: those its body's rendering found, anchors that do not exist on
/// the page linked to (`anchors` gives a page's anchors by URL), and evidence paths.
fn page_checks<'a>(
    page: &ParsedPage,
    r: &Rendered,
    context: &LinkContext,
    anchors: impl Fn(&str) -> Option<&'a HashSet<String>>,
) -> Vec<Diagnostic> {
    let mut diagnostics = r.diagnostics.clone();
    // Suggestions compare against every anchor of the target page: only for the first few
    // broken anchors of a page, so thousands of them cannot make the check quadratic.
    let mut suggestions_left = 50usize;
    for check in &r.anchor_checks {
        let Some(ids) = anchors(check.page_url.as_str()) else {
            continue; // a section or generated page: its anchors are not checked
        };
        if !ids.contains(check.fragment.as_str()) {
            let near = if suggestions_left > 0 {
                suggestions_left -= 1;
                let mut known: Vec<&str> = ids.iter().map(String::as_str).collect();
                known.sort_unstable();
                crate::diagnostics::did_you_mean(&check.fragment, known.iter().copied())
            } else {
                None
            };
            let help = match near {
                Some(near) => format!("did you mean `#{near}`?"),
                None => "link to a heading that exists; anchors follow the heading text (lowercase, spaces as `-`)".into(),
            };
            let width = check.written.chars().count().max(1);
            diagnostics.push(
                Diagnostic::error(
                    page.source.rel_path.clone(),
                    check.line,
                    check.column,
                    format!(
                        "the anchor `#{}` does not exist on {}",
                        check.fragment, check.page_url
                    ),
                )
                .with_source(&check.line_text, width)
                .with_help(help),
            );
        }
    }
    for link in &page.field_links {
        if let Resolution::Broken(message) = context.resolve("", &link.target) {
            diagnostics.push(
                Diagnostic::error(page.source.rel_path.clone(), link.line, link.column, format!("evidence {message}"))
                    .with_source(&link.line_text, link.target.chars().count())
                    .with_help("point `evidence` at a page or file of this site, or at a full https:// address"),
            );
        }
    }
    diagnostics
}

/// The folder of a bundle page under content/, with its trailing `/` (`""` at the top).
fn bundle_dir(page: &ParsedPage) -> &str {
    page.source
        .rel_path
        .trim_start_matches("content/")
        .trim_end_matches("index.md")
}

/// Every output path (with a leading `/`) the build writes itself: pages, sections and the
/// generated lists and files, so a content file cannot overwrite one.
fn written_paths(
    config: &SiteConfig,
    pages: &[(Arc<ParsedPage>, String)],
    sections: &[Section],
) -> HashSet<String> {
    let urls = generated_urls(config, pages.iter().map(|(p, _)| &p.meta))
        .into_iter()
        .chain(pages.iter().map(|(_, url)| url.clone()))
        .chain(sections.iter().map(|s| s.url.clone()));
    urls.map(|url| {
        if url.ends_with('/') {
            format!("{url}index.html")
        } else {
            url
        }
    })
    .collect()
}

/// URLs of the list pages the build generates for vocabularies and tags.
pub fn generated_urls<'a>(
    config: &SiteConfig,
    metas: impl Iterator<Item = &'a PageMeta>,
) -> Vec<String> {
    let mut urls = vec![
        "/search/".to_string(),
        "/404.html".to_string(),
        "/sitemap.xml".to_string(),
        "/feed.xml".to_string(),
        "/playbooks.json".to_string(),
        "/playbook.schema.json".to_string(),
    ];
    for (vocabulary, prefix) in [
        (Vocabulary::Stages, "stages"),
        (Vocabulary::Settings, "settings"),
        (Vocabulary::Roles, "roles"),
    ] {
        urls.push(format!("/{prefix}/"));
        urls.extend(
            config
                .terms(vocabulary)
                .iter()
                .map(|t| format!("/{prefix}/{}/", t.id)),
        );
    }
    urls.push("/tags/".into());
    for meta in metas {
        let tags = match meta {
            PageMeta::Playbook(p) => &p.tags,
            PageMeta::Guide(g) => &g.tags,
        };
        urls.extend(tags.iter().map(|t| format!("/tags/{}/", tag_slug(t))));
    }
    urls
}

/// A tag's URL segment.
pub fn tag_slug(tag: &str) -> String {
    let slug = markdown::slugify(tag);
    let slug: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if slug.is_empty() {
        "tag".into()
    } else {
        slug
    }
}

fn title_from_folder(name: &str, config: &SiteConfig) -> String {
    if name.is_empty() {
        return config.title.clone();
    }
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn sort_pages(list: &mut [usize], pages: &[SitePage], sort_by: SortBy) {
    let title = |i: usize| pages[i].meta().title().to_lowercase();
    let keys = |i: usize| match pages[i].meta() {
        PageMeta::Playbook(p) => (p.weight.unwrap_or(0), Some(p.last_reviewed)),
        PageMeta::Guide(g) => (g.weight.unwrap_or(0), g.last_reviewed),
    };
    match sort_by {
        SortBy::Weight => list.sort_by_key(|&a| (keys(a).0, title(a))),
        SortBy::Title => list.sort_by_key(|&a| title(a)),
        SortBy::LastReviewed => list.sort_by(|&a, &b| {
            keys(b)
                .1
                .cmp(&keys(a).1)
                .then_with(|| title(a).cmp(&title(b)))
        }),
    }
}

/// The folder (under content/) a file's relative links start from.
fn content_dir_of(rel_path: &str) -> String {
    let under = rel_path.trim_start_matches("content/");
    match under.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => String::new(),
    }
}

/// The anchors the template puts on a page of this kind (a page whose front matter has errors
/// may be a playbook: it gets the playbook's, which include the guide's).
fn reserved_anchors(page: &ParsedPage) -> &'static [&'static str] {
    match page.meta {
        PageMeta::Playbook(_) => PLAYBOOK_ANCHORS,
        PageMeta::Guide(_) if !page.front_matter_ok => PLAYBOOK_ANCHORS,
        PageMeta::Guide(_) => GUIDE_ANCHORS,
    }
}

#[derive(Clone, Copy)]
struct LinkContext<'a> {
    file_urls: &'a HashMap<String, String>,
    /// Content paths of drafts this build leaves out.
    draft_files: &'a HashSet<String>,
    /// URLs of drafts this build leaves out.
    draft_urls: &'a HashSet<String>,
    known_urls: &'a HashSet<String>,
    /// Links are written in a page that is not built, so drafts are fine targets.
    from_draft: bool,
}

impl LinkContext<'_> {
    /// Resolves a destination written in a file under content/`from_dir`.
    fn resolve(&self, from_dir: &str, dest: &str) -> Resolution {
        if has_scheme(dest) || dest.starts_with("//") {
            return Resolution::Keep;
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        let decoded = percent_decode(path_part);
        if let Some(absolute) = decoded.strip_prefix('/') {
            let mut url = format!("/{absolute}");
            let with_slash = format!("{}/", url.trim_end_matches('/'));
            if self.draft_urls.contains(&with_slash) {
                if !self.from_draft {
                    return Resolution::Broken(format!(
                        "`{dest}` is a draft, which this build leaves out (build with `--drafts` to include it)"
                    ));
                }
                return Resolution::Url {
                    url: join_fragment(&with_slash, fragment),
                    anchor_check: None,
                };
            }
            if !self.known_urls.contains(&url) {
                let with_slash = format!("{}/", url.trim_end_matches('/'));
                if self.known_urls.contains(&with_slash) {
                    url = with_slash;
                } else {
                    return Resolution::Broken(format!(
                        "`{dest}` points at no page or file of this site"
                    ));
                }
            }
            return Resolution::Url {
                url: join_fragment(&url, fragment),
                anchor_check: fragment.map(|f| (url.clone(), f.to_string())),
            };
        }
        let Some(target) = normalise(from_dir, &decoded) else {
            return Resolution::Broken(format!("`{dest}` climbs out of the content folder"));
        };
        if self.draft_files.contains(&target) {
            if self.from_draft {
                return Resolution::Keep;
            }
            return Resolution::Broken(format!(
                "`{dest}` is a draft, which this build leaves out (build with `--drafts` to include it)"
            ));
        }
        let target_trimmed = target.trim_end_matches('/');
        match self.file_urls.get(target_trimmed) {
            Some(url) => Resolution::Url {
                url: join_fragment(url, fragment),
                anchor_check: fragment
                    .filter(|f| !f.is_empty())
                    .map(|f| (url.clone(), f.to_string())),
            },
            None => Resolution::Broken(format!(
                "`{dest}` points at `content/{target}`, which does not exist"
            )),
        }
    }
}

fn join_fragment(url: &str, fragment: Option<&str>) -> String {
    match fragment {
        Some(f) => format!("{url}#{f}"),
        None => url.to_string(),
    }
}

fn has_scheme(dest: &str) -> bool {
    match dest.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Decodes `%xx` escapes so `%2e%2e` is seen as `..`.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins `rel` onto `from_dir` and folds `.` and `..`; `None` if it climbs out.
fn normalise(from_dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in rel.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Parses every page in parallel and every section index, returning what parsed and every problem.
pub fn parse_all(
    discovery: &Discovery,
    config: &SiteConfig,
    today: IsoDate,
) -> (Vec<ParsedPage>, Vec<SectionIndex>, Vec<Diagnostic>) {
    let results: Vec<content::PageParse> = discovery
        .pages
        .par_iter()
        .map(|source| content::parse_page(source, config, today))
        .collect();
    let mut diagnostics = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        diagnostics.extend(result.diagnostics);
        pages.extend(result.page);
    }
    let mut indexes = Vec::new();
    for section in &discovery.sections {
        match &section.index_file {
            Some((rel, abs)) => {
                let (index, mut d) = content::parse_section_index(rel, abs, config);
                diagnostics.append(&mut d);
                indexes.push(index);
            }
            None => indexes.push(SectionIndex::default()),
        }
    }
    (pages, indexes, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_fold_and_cannot_climb_out() {
        assert_eq!(
            normalise("playbooks", "../guides/a.md").as_deref(),
            Some("guides/a.md")
        );
        assert_eq!(
            normalise("playbooks/b", "./pathway.png").as_deref(),
            Some("playbooks/b/pathway.png")
        );
        assert_eq!(normalise("playbooks", "../../x"), None);
    }

    #[test]
    fn percent_decoding_reveals_dot_dot() {
        assert_eq!(percent_decode("%2e%2e/x%20y"), "../x y");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a/b:c"));
    }

    #[test]
    fn drafts_are_broken_targets_only_for_built_pages() {
        let file_urls = HashMap::from([("a.md".to_string(), "/a/".to_string())]);
        let draft_files = HashSet::from(["d.md".to_string()]);
        let draft_urls = HashSet::from(["/d/".to_string()]);
        let known_urls = HashSet::from(["/a/".to_string()]);
        let built = LinkContext {
            file_urls: &file_urls,
            draft_files: &draft_files,
            draft_urls: &draft_urls,
            known_urls: &known_urls,
            from_draft: false,
        };
        for dest in ["d.md", "/d/", "/d"] {
            match built.resolve("", dest) {
                Resolution::Broken(message) => assert!(message.contains("draft"), "{message}"),
                other => panic!("{dest}: {other:?}"),
            }
        }
        let unbuilt = LinkContext {
            from_draft: true,
            ..built
        };
        assert!(!matches!(
            unbuilt.resolve("", "d.md"),
            Resolution::Broken(_)
        ));
        assert!(!matches!(unbuilt.resolve("", "/d/"), Resolution::Broken(_)));
        assert!(matches!(unbuilt.resolve("", "x.md"), Resolution::Broken(_)));
    }

    #[test]
    fn tag_slugs_are_url_safe() {
        assert_eq!(tag_slug("Type 2 diabetes"), "type-2-diabetes");
        assert_eq!(tag_slug("../../etc"), "etc");
        assert_eq!(tag_slug("***"), "tag");
    }
}
