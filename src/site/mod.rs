//! The Site model and how it is assembled: every built page with its URL, the sections that
//! list them, the files copied as they are, and the rules that span files (URL collisions,
//! links, anchors, evidence paths).
//!
//! `urls` says where things end up; `links` resolves links and checks anchors.

pub mod languages;
pub mod links;
pub mod progress;
pub mod urls;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::content::model::{IsoDate, SortBy, Status};
use crate::content::{self, Discovery, PageMeta, ParsedPage, SectionIndex};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, MarkdownInput, Rendered, Resolution};
use crate::vocabulary;

use links::{
    anchors_of, page_checks, render_page_markdown, CheckedPage, LinkContext, LinkFacts, LinkTargets,
};
pub use links::{GUIDE_ANCHORS, PLAYBOOK_ANCHORS};
use urls::{bundle_dir, generated_urls, section_url, written_paths};

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
    /// Team records from `progress/`, checked (set by `progress::check_teams` after
    /// assembling; empty until then).
    pub teams: Vec<progress::Team>,
    /// The static files (`/assets/playbook.css`), which every language edition shares.
    pub static_paths: Arc<HashSet<String>>,
    /// The site's languages and each page's versions in them (set by `languages::link`
    /// once every edition is assembled; a single-language map until then).
    pub languages: Arc<languages::LanguageMap>,
}

impl Site {
    /// The URL a reader's ticks on `page` are kept under: its own, or on a site in more than
    /// one language its original's (in the default language), so each language version of a
    /// playbook shares them.
    pub fn ticks_url<'a>(&'a self, page: &'a SitePage) -> &'a str {
        self.languages
            .original_url(page.parsed.original_rel_path())
            .unwrap_or(&page.url)
    }

    /// Pages that appear in lists, taxonomies and feeds.
    pub fn listed_pages(&self) -> impl Iterator<Item = &SitePage> {
        self.pages.iter().filter(|p| p.is_listed())
    }
}

/// Inputs of `assemble` besides the pages: from the command line and the static files.
#[derive(Debug, Clone)]
pub struct AssembleOptions {
    /// Build drafts too.
    pub drafts: bool,
    /// Static files (site and theme) that `/…` links may point at.
    pub static_paths: HashSet<String>,
    /// The date review checks and "due for review" lists use.
    pub today: IsoDate,
    /// The ids of the teams with a file in `progress/`: their pages are link targets, and
    /// `/teams/` is the build's own when there is any.
    pub team_ids: Vec<String>,
    /// For a further language's edition: what it takes from the default language's edition
    /// (see `languages::default_edition`); empty for the default edition itself.
    pub default_edition: Arc<links::DefaultEdition>,
}

/// What `assemble` makes: the Site, every cross-file problem, and what it learnt about links
/// (which `serve` keeps for its quick rebuild, and `build` lets go).
#[derive(Debug)]
pub struct Assembled {
    /// The site, ready to render.
    pub site: Site,
    /// URL collisions, content files that may not be published, broken links and anchors.
    pub diagnostics: Vec<Diagnostic>,
    /// Link targets, anchors and each page's checked body.
    pub links: LinkFacts,
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

/// Turns parsed pages into the Site: gives every page and section its URL (refusing
/// collisions and the URLs the build makes itself), places content files, renders each body's
/// Markdown with `render_page_body` (in parallel) and checks every link, anchor and evidence
/// path now that every page's anchors are known. Pages not built (drafts without `--drafts`,
/// pages whose front matter has errors) are rendered and checked too, since one run reports
/// every error.
///
/// Memory: when a page's `Arc` is held by nothing else (`build`), its source text is let go
/// once its body is rendered (its diagnostics carry the lines they quote). `serve`'s cache
/// holds a second `Arc` of each page, so there the text stays, to be reused next time.
pub fn assemble(
    config: SiteConfig,
    discovery: &Discovery,
    parsed: Vec<Arc<ParsedPage>>,
    section_indexes: Vec<SectionIndex>,
    options: &AssembleOptions,
    render_page_body: &BodyRenderer,
) -> Assembled {
    let mut sections = sections_of(&config, discovery, &section_indexes);
    let mut placed = place_pages(parsed, &sections, discovery, &section_indexes, options);
    let assets = place_assets(&config, discovery, &sections, &mut placed);
    let targets = link_targets(&config, &assets, options, &mut placed);
    let Placed {
        mut pages,
        mut check_only,
        mut diagnostics,
        ..
    } = placed;

    // Markdown, in parallel. Built pages go through `render_page_body` (serve's cache); pages
    // only checked do not.
    let render_and_forget = |(page, url): &mut (Arc<ParsedPage>, String), built: bool| {
        // A body packed since parsing is unpacked to be rendered; a page another edition
        // shares (an original shown with a notice) is copied first, and each renders its own.
        if page.text.is_packed() {
            Arc::make_mut(page).text.unpack();
        }
        let renderer: &BodyRenderer = if built {
            render_page_body
        } else {
            &render_body
        };
        let context = targets.context(built);
        let rendered = render_page_markdown(page, url, config.raw_html, &context, renderer);
        // The only holder (build): the text can go (see above).
        if let Some(parsed) = Arc::get_mut(page) {
            parsed.release_text();
        }
        rendered
    };
    let rendered: Vec<Arc<Rendered>> = pages
        .par_iter_mut()
        .map(|page| render_and_forget(page, true))
        .collect();
    let rendered_unbuilt: Vec<Arc<Rendered>> = check_only
        .par_iter_mut()
        .map(|page| render_and_forget(page, false))
        .collect();
    render_section_bodies(
        &config,
        &mut sections,
        &section_indexes,
        &targets.context(true),
        &mut diagnostics,
    );

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
    let anchors = check_anchors(&checked, &targets, &mut diagnostics);

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
    list_section_pages(&mut sections, &site_pages, &section_indexes);
    Assembled {
        site: Site {
            config,
            pages: site_pages,
            sections,
            assets,
            today: options.today,
            teams: Vec::new(),
            static_paths: Arc::new(options.static_paths.clone()),
            languages: Arc::default(),
        },
        diagnostics,
        links: LinkFacts {
            targets,
            anchors,
            checked,
        },
    }
}

/// Every folder under content/ as a section: its URL, title (from `_index.md`, else the
/// folder's name), summary, weight and parent.
fn sections_of(
    config: &SiteConfig,
    discovery: &Discovery,
    section_indexes: &[SectionIndex],
) -> Vec<Section> {
    let mut sections: Vec<Section> = discovery
        .sections
        .iter()
        .zip(section_indexes)
        .map(|(source, index)| {
            let folder_name = source.key.rsplit('/').next().unwrap_or("");
            Section {
                key: source.key.clone(),
                url: section_url(&source.key),
                title: index
                    .meta
                    .title
                    .clone()
                    .unwrap_or_else(|| title_from_folder(folder_name, config)),
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
    sections
}

/// The pages with their URLs, sorted into built and only checked, and what links need to
/// know of them.
struct Placed {
    /// Pages to build, with their URLs.
    pages: Vec<(Arc<ParsedPage>, String)>,
    /// Pages not built (drafts without `--drafts`, pages whose front matter has errors) whose
    /// bodies are still checked.
    check_only: Vec<(Arc<ParsedPage>, String)>,
    /// URL → the file (or section folder) that has it.
    url_owner: HashMap<String, String>,
    /// Content path → URL, for relative links.
    file_urls: HashMap<String, String>,
    /// Content paths of drafts this build leaves out.
    draft_files: HashSet<String>,
    /// Their URLs.
    draft_urls: HashSet<String>,
    /// URLs of pages not built because their front matter has errors: links to them still
    /// resolve (the page's own errors are reported).
    unbuilt_urls: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

/// Gives every page its URL, refusing URLs the build generates itself and URLs another file
/// already has, and sets drafts aside unless `--drafts`.
fn place_pages(
    parsed: Vec<Arc<ParsedPage>>,
    sections: &[Section],
    discovery: &Discovery,
    section_indexes: &[SectionIndex],
    options: &AssembleOptions,
) -> Placed {
    let mut placed = Placed {
        pages: Vec::new(),
        check_only: Vec::new(),
        url_owner: HashMap::new(),
        file_urls: HashMap::new(),
        draft_files: HashSet::new(),
        draft_urls: HashSet::new(),
        unbuilt_urls: Vec::new(),
        diagnostics: Vec::new(),
    };
    // URL → the first line of the file that has it (a page, or a section's `_index.md`), so a
    // clash is reported on both files, each naming the other (a folder has no file to mark).
    let mut first_lines: HashMap<String, String> = HashMap::new();
    for (section, index) in discovery.sections.iter().zip(section_indexes) {
        if let Some(text) = &index.text {
            first_lines.insert(section_url(&section.key), text.line_text(1).to_string());
        }
    }
    for section in sections {
        let owner = discovery
            .sections
            .iter()
            .find(|s| s.key == section.key)
            .and_then(|s| s.index_file.as_ref().map(|(rel, _)| rel.clone()))
            .unwrap_or_else(|| format!("content/{}", section.key));
        placed.url_owner.insert(section.url.clone(), owner);
    }
    let mut generated = vocabulary::generated_prefixes();
    if !options.team_ids.is_empty() {
        generated.push(progress::TEAMS_URL.to_string());
    }
    // Pages of an unlisted mount are built nowhere (local versions may still adapt them).
    for page in parsed.into_iter().filter(|p| p.source.listed) {
        let url = urls::page_url(&page);
        let content_path = page.source.content_path.clone();
        let is_left_out = page.meta.status() == Status::Draft && !options.drafts;
        if !page.front_matter_ok {
            // Its front matter is already reported; links to the file still resolve, and no
            // collision is reported against a URL that may come from a slug it failed to read.
            if is_left_out {
                placed.draft_files.insert(content_path);
                placed.draft_urls.insert(url.clone());
            } else {
                placed.file_urls.insert(content_path, url.clone());
                placed.unbuilt_urls.push(url.clone());
            }
            placed.check_only.push((page, url));
            continue;
        }
        if let Some(prefix) = generated
            .iter()
            .find(|p| url.starts_with(p.as_str()) || url == p.trim_end_matches('/'))
        {
            placed.diagnostics.push(
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
        if let Some(other) = placed.url_owner.get(&url) {
            let clash = url_clash(&page, &url, other, first_lines.get(&url));
            placed.diagnostics.extend(clash);
            continue;
        }
        placed
            .url_owner
            .insert(url.clone(), page.source.rel_path.clone());
        first_lines.insert(url.clone(), page.text.line_text(1).to_string());
        if is_left_out {
            placed.draft_files.insert(content_path);
            placed.draft_urls.insert(url.clone());
            placed.check_only.push((page, url));
            continue;
        }
        placed.file_urls.insert(content_path, url.clone());
        placed.pages.push((page, url));
    }
    for section in &discovery.sections {
        let url = section_url(&section.key);
        let index_path = if section.key.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{}/_index.md", section.key)
        };
        placed.file_urls.insert(index_path, url.clone());
        placed.file_urls.insert(section.key.clone(), url);
    }
    placed
}

/// Two files at one URL: an error on `page` naming the `other` file, and one on the other file
/// naming `page` when it is a file (`other_line`: its first line; a folder has no file to mark),
/// so an annotation marks both.
fn url_clash(
    page: &ParsedPage,
    url: &str,
    other: &str,
    other_line: Option<&String>,
) -> Vec<Diagnostic> {
    let help = "rename one of the files or give one a different `slug:`";
    let mut found = vec![page
        .text
        .error(
            1,
            1,
            3,
            format!("this page and {other} both end at the URL {url}"),
        )
        .with_help(help)];
    if let Some(line) = other_line {
        let this = &page.source.rel_path;
        found.push(
            Diagnostic::error(
                other.to_string(),
                1,
                1,
                format!("this page and {this} both end at the URL {url}"),
            )
            .with_source(line, 3)
            .with_help(help),
        );
    }
    found
}

/// Places the content files copied as they are: a bundle's files follow the bundle's URL (and
/// its slug); a file that could run a script or would overwrite a page is refused.
fn place_assets(
    config: &SiteConfig,
    discovery: &Discovery,
    sections: &[Section],
    placed: &mut Placed,
) -> Vec<Asset> {
    let taken = written_paths(config, &placed.pages, sections);
    let mut assets = Vec::new();
    // Each bundle's folder (under content/, with its `/`) → the first page that is its bundle.
    let mut bundles: HashMap<&str, usize> = HashMap::new();
    for (i, (p, _)) in placed.pages.iter().enumerate() {
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
            .and_then(|i| placed.pages.get(i));
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
            placed.diagnostics.push(d);
            continue;
        }
        placed
            .file_urls
            .insert(asset.content_path.clone(), format!("/{output_path}"));
        assets.push(Asset {
            output_path,
            source: asset.abs_path.clone(),
        });
    }
    for (page, url) in &placed.pages {
        if page.source.is_bundle {
            let dir = page
                .source
                .rel_path
                .trim_start_matches("content/")
                .trim_end_matches("/index.md");
            placed.file_urls.insert(dir.to_string(), url.clone());
        }
    }
    assets
}

/// Everything a link may point at: every URL the build writes (pages, sections, content
/// files, static files, generated lists and files, each playbook's `checklists.csv`), and the
/// files and drafts behind relative links. Takes the link maps out of `placed`.
fn link_targets(
    config: &SiteConfig,
    assets: &[Asset],
    options: &AssembleOptions,
    placed: &mut Placed,
) -> LinkTargets {
    let draft_files = std::mem::take(&mut placed.draft_files);
    let mut known_urls: HashSet<String> = placed
        .url_owner
        .iter()
        .filter(|(_, owner)| !draft_files.contains(owner.trim_start_matches("content/")))
        .map(|(url, _)| url.clone())
        .collect();
    known_urls.extend(std::mem::take(&mut placed.unbuilt_urls));
    known_urls.extend(assets.iter().map(|a| format!("/{}", a.output_path)));
    known_urls.extend(options.static_paths.iter().cloned());
    if !options.team_ids.is_empty() {
        known_urls.insert(progress::TEAMS_URL.to_string());
        for id in &options.team_ids {
            let url = progress::team_url(id);
            known_urls.insert(format!("{url}progress.json"));
            known_urls.insert(url);
        }
    }
    // Tag pages list published pages only, so only their tags have pages to link to.
    let published = placed
        .pages
        .iter()
        .map(|(p, _)| &p.meta)
        .filter(|m| m.status() == Status::Published);
    known_urls.extend(generated_urls(config, published));
    // Every built playbook gets a checklists.csv beside its page (render::checklists_csv).
    known_urls.extend(
        placed
            .pages
            .iter()
            .filter(|(p, _)| p.meta.playbook().is_some())
            .map(|(_, url)| format!("{url}checklists.csv")),
    );
    LinkTargets {
        file_urls: std::mem::take(&mut placed.file_urls),
        draft_files,
        draft_urls: std::mem::take(&mut placed.draft_urls),
        known_urls,
        base_path: config.base_path.clone(),
        files_base_path: config.files_base_path().to_string(),
        static_paths: options.static_paths.clone(),
        aliases: aliases(&placed.pages, &options.default_edition),
        mounts: config
            .mounts
            .iter()
            .map(|m| (m.target.clone(), m.source.clone()))
            .collect(),
        default_edition: Arc::clone(&options.default_edition),
    }
}

/// For a further language's edition: the default edition's URL of each translation whose own
/// URL differs (its own `slug`) → its URL here, so a link written as the original's URL
/// reaches the translation.
fn aliases(
    pages: &[(Arc<ParsedPage>, String)],
    default: &links::DefaultEdition,
) -> HashMap<String, String> {
    pages
        .iter()
        .filter(|(page, _)| page.translation.is_some())
        .filter_map(|(page, url)| {
            let original = default.by_rel_path.get(page.original_rel_path())?;
            (original != url).then(|| (original.clone(), url.clone()))
        })
        .collect()
}

/// Renders each section's `_index.md` body.
fn render_section_bodies(
    config: &SiteConfig,
    sections: &mut [Section],
    section_indexes: &[SectionIndex],
    context: &LinkContext,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (section, index) in sections.iter_mut().zip(section_indexes) {
        if let Some(text) = &index.text {
            let input = MarkdownInput {
                text,
                body: index.body.clone(),
                skip: None,
                raw_html: config.raw_html,
                page_url: &section.url,
                reserved_ids: &["main-content"],
                checklist_ids: &[],
                item_ids: &[],
            };
            let from_dir = section.key.clone();
            let r = markdown::render(&input, &|dest| context.resolve(&from_dir, dest));
            diagnostics.extend(r.diagnostics);
            section.body_html = r.html;
        }
    }
}

/// Every page's anchors, and each checked page's link problems now that they are known. The
/// anchors of a page whose front matter has errors are unknown, so links into it are not
/// checked.
fn check_anchors(
    checked: &[CheckedPage],
    targets: &LinkTargets,
    diagnostics: &mut Vec<Diagnostic>,
) -> HashMap<String, HashSet<String>> {
    let mut anchors: HashMap<String, HashSet<String>> = HashMap::new();
    for c in checked.iter().filter(|c| c.page.front_matter_ok) {
        anchors
            .entry(c.url.clone())
            .or_default()
            .extend(anchors_of(&c.page, &c.rendered));
    }
    for c in checked {
        let context = targets.context(c.built);
        diagnostics.extend(page_checks(&c.page, &c.rendered, &context, |url| {
            anchors.get(url)
        }));
    }
    anchors
}

/// Each section's listed pages, in its sort order.
fn list_section_pages(
    sections: &mut [Section],
    pages: &[SitePage],
    section_indexes: &[SectionIndex],
) {
    for (s, index) in section_indexes.iter().enumerate() {
        let mut listed: Vec<usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.section == s && p.is_listed())
            .map(|(i, _)| i)
            .collect();
        sort_pages(
            &mut listed,
            pages,
            index.meta.sort_by.unwrap_or(SortBy::Weight),
        );
        if let Some(section) = sections.get_mut(s) {
            section.pages = listed;
        }
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
