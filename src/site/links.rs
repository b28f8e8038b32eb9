//! Links and anchors: what a link written in a page resolves to, which anchors each page has,
//! and the problems of a page's links once every page's anchors are known. `assemble` uses
//! these over the whole site; `serve`'s link index reuses them for one edited page.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::config::{with_base_path, RawHtml};
use crate::content::{PageMeta, ParsedPage, RenameAt};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, MarkdownInput, Rendered, Resolution};

use super::BodyRenderer;

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
    "what-has-changed",
    "team-records",
    "local-version",
];
/// Anchors the templates put on every guide page.
pub const GUIDE_ANCHORS: &[&str] = &["main-content", "contents"];

/// Everything a link can point at in one build, by the facts `assemble` found.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Content path (under content/) → URL.
    pub(crate) file_urls: HashMap<String, String>,
    /// Content paths of drafts this build leaves out.
    pub(crate) draft_files: HashSet<String>,
    /// URLs of drafts this build leaves out.
    pub(crate) draft_urls: HashSet<String>,
    /// Every URL the build writes, for `/absolute` links.
    pub(crate) known_urls: HashSet<String>,
    /// Put in front of every link written into a page (`SiteConfig::base_path`); the URLs
    /// above, and the anchors checked, leave it out.
    pub(crate) base_path: String,
    /// Put in front of links to static files instead: they are shared by every language
    /// edition, so they leave out its language (`SiteConfig::files_base_path`).
    pub(crate) files_base_path: String,
    /// The static files (`/assets/x.css`), which links reach under `files_base_path`.
    pub(crate) static_paths: HashSet<String>,
    /// For a further language's edition: the original's URL → the translation's, for each
    /// translation at a URL of its own (its `slug`).
    pub(crate) aliases: HashMap<String, String>,
    /// For a further language's edition: the default edition's targets, for links to pages
    /// this edition leaves out (`missing = "omit"`) and for translations' item ids.
    pub(crate) default_edition: Arc<DefaultEdition>,
    /// `[[mounts]]` as (target, source): a missing file under a mount's target is named by
    /// its real path in the message.
    pub(crate) mounts: Vec<(String, String)>,
}

/// What a further language's edition takes from the default language's (empty for the
/// default edition itself).
#[derive(Debug, Default)]
pub struct DefaultEdition {
    /// Each page's body checklists' item ids, by the page's path from the root: a
    /// translation's items take them by position (see `MarkdownInput::item_ids`).
    pub items: HashMap<String, Vec<Vec<String>>>,
    /// Every page and section URL of the default edition, which a link may fall back to.
    pub urls: HashSet<String>,
    /// Content path → URL in the default edition.
    pub files: HashMap<String, String>,
    /// A page's path from the root → its URL in the default edition.
    pub by_rel_path: HashMap<String, String>,
}

impl LinkTargets {
    /// How links resolve from a built page (`built`), or from a page only checked (a draft,
    /// or a page whose front matter has errors), which may link to drafts.
    pub(crate) fn context(&self, built: bool) -> LinkContext<'_> {
        LinkContext {
            file_urls: &self.file_urls,
            draft_files: &self.draft_files,
            draft_urls: &self.draft_urls,
            known_urls: &self.known_urls,
            from_draft: !built,
            base_path: &self.base_path,
            files_base_path: &self.files_base_path,
            static_paths: &self.static_paths,
            aliases: &self.aliases,
            default_edition: &self.default_edition,
            mounts: &self.mounts,
        }
    }
}

/// A page whose body was rendered and checked.
#[derive(Debug)]
pub struct CheckedPage {
    /// The page as parsed.
    pub page: Arc<ParsedPage>,
    /// Its URL.
    pub url: String,
    /// Its body as rendered.
    pub rendered: Arc<Rendered>,
    /// Built (links to drafts are broken from it), or only checked.
    pub built: bool,
}

/// What `assemble` learnt about links: `serve` keeps it to check an edited page against the
/// rest of the site without assembling it again; `build` lets it go.
#[derive(Debug, Default)]
pub struct LinkFacts {
    /// What links can point at.
    pub targets: LinkTargets,
    /// The anchors of each page (whose front matter parsed) by URL.
    pub anchors: HashMap<String, HashSet<String>>,
    /// Every page whose body was checked: the built ones first, in `Site::pages` order.
    pub checked: Vec<CheckedPage>,
}

/// Renders a page's body with its links resolved in `context`.
pub(crate) fn render_page_markdown(
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
        item_ids: match page.translation {
            Some(_) => context
                .default_edition
                .items
                .get(page.original_rel_path())
                .map_or(&[], Vec::as_slice),
            None => &[],
        },
    };
    let from_dir = content_dir_of(&page.source.content_path);
    let resolve = |dest: &str| context.resolve(&from_dir, dest);
    match &page.adaptation {
        Some(adaptation) if !replaces_body(page) => {
            Arc::new(render_local_version(&input, adaptation, context, &resolve))
        }
        _ => render_page_body(page, &input, &resolve),
    }
}

/// The anchor of the local body's heading on a local version's page.
pub const LOCAL_BODY_ANCHOR: &str = "how-we-do-it-here";

/// Whether a local version shows only its own body (`body: replace`).
fn replaces_body(page: &ParsedPage) -> bool {
    page.meta
        .playbook()
        .is_some_and(|p| p.body == Some(crate::content::model::BodyMode::Replace))
}

/// A local version's body: the base's (its links resolved from the base's folder), then the
/// local one under "How we do it here". Problems in the base's body are the base page's to
/// report when it is built, so they are reported here only when it is not.
fn render_local_version(
    input: &MarkdownInput,
    adaptation: &crate::content::Adaptation,
    context: &LinkContext,
    resolve: &dyn Fn(&str) -> Resolution,
) -> Rendered {
    let base_dir = content_dir_of(&adaptation.base_source.content_path);
    let base_input = MarkdownInput {
        text: &adaptation.base_text,
        body: adaptation.base_body.clone(),
        skip: None,
        raw_html: input.raw_html,
        page_url: input.page_url,
        reserved_ids: input.reserved_ids,
        checklist_ids: input.checklist_ids,
        item_ids: &[],
    };
    let mut out = markdown::render(&base_input, &|dest| context.resolve(&base_dir, dest));
    if adaptation.base_source.listed {
        out.diagnostics.clear();
    }
    let local_text = input.text.get(input.body.clone()).unwrap_or("");
    if local_text.trim().is_empty() {
        return out;
    }
    let mut reserved: Vec<&str> = input.reserved_ids.to_vec();
    reserved.extend(out.ids.iter().map(String::as_str));
    reserved.push(LOCAL_BODY_ANCHOR);
    let local_input = MarkdownInput {
        text: input.text,
        body: input.body.clone(),
        skip: input.skip.clone(),
        raw_html: input.raw_html,
        page_url: input.page_url,
        reserved_ids: &reserved,
        checklist_ids: input.checklist_ids,
        item_ids: input.item_ids,
    };
    let local = markdown::render(&local_input, resolve);
    out.html.push_str(&format!(
        "<h2 id=\"{LOCAL_BODY_ANCHOR}\">How we do it here</h2>\n"
    ));
    out.html.push_str(&local.html);
    out.headings.push(markdown::Heading {
        level: 2,
        text: "How we do it here".into(),
        id: LOCAL_BODY_ANCHOR.into(),
    });
    out.ids.push(LOCAL_BODY_ANCHOR.into());
    out.headings.extend(local.headings);
    out.checklists.extend(local.checklists);
    out.anchor_checks.extend(local.anchor_checks);
    out.ids.extend(local.ids);
    out.diagnostics.extend(local.diagnostics);
    out
}

/// Every anchor a page has: its body's ids, the template's, and its front matter checklists'.
pub(crate) fn anchors_of(page: &ParsedPage, rendered: &Rendered) -> HashSet<String> {
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
pub(crate) fn page_checks<'a>(
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
    diagnostics.extend(rename_checks(page, r));
    for link in &page.field_links {
        if let Resolution::Broken(message) = context.resolve("", &link.target) {
            diagnostics.push(
                Diagnostic::error(link.file.clone().unwrap_or_else(|| page.source.rel_path.clone()), link.line, link.column, format!("evidence {message}"))
                    .with_source(&link.line_text, link.target.chars().count())
                    .with_help("point `evidence` at a page or file of this site, or at a full https:// address"),
            );
        }
    }
    diagnostics
}

/// Problems of a playbook's `changes[].renamed` (1.1), now that its body's task lists are known:
/// an old id still in use (its ticks would keep moving away), or a new id that is no checklist
/// item, even after the renames of newer changes (`a → b` then `b → c` is fine while `c` is).
fn rename_checks(page: &ParsedPage, r: &Rendered) -> Vec<Diagnostic> {
    let PageMeta::Playbook(p) = &page.meta else {
        return Vec::new();
    };
    if page.renames.is_empty() {
        return Vec::new();
    }
    let mut items: Vec<String> = p
        .checklists
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| format!("{}/{}", c.id, i.id)))
        .collect();
    items.extend(
        r.checklists
            .iter()
            .flat_map(|c| c.items.iter().map(move |i| format!("{}/{}", c.id, i.id))),
    );
    let known: HashSet<&str> = items.iter().map(String::as_str).collect();
    let file = &page.source.rel_path;
    let mut diagnostics = Vec::new();
    for rename in &page.renames {
        let field = format!("changes[{}].renamed", rename.change);
        if known.contains(rename.old.as_str()) {
            let at = &rename.old_at;
            diagnostics.push(
                Diagnostic::error(file.clone(), at.line, at.column, format!("`{field}` renames `{}`, which is still a checklist item of this playbook", rename.old))
                    .with_source(&at.line_text, at.width)
                    .with_help(format!("an old id must not come back: readers' ticks on it would move to `{}`; give the item another id", rename.new))
                    .with_field(field.clone()),
            );
        }
        let target = final_target(rename, &page.renames);
        if !known.contains(target) {
            let at = &rename.new_at;
            let near = crate::diagnostics::did_you_mean(target, known.iter().copied())
                .map(|n| format!("did you mean `{n}`? "))
                .unwrap_or_default();
            let chained = if target == rename.new {
                String::new()
            } else {
                format!(" (renamed again to `{target}`)")
            };
            diagnostics.push(
                Diagnostic::error(file.clone(), at.line, at.column, format!("`{field}` renames `{}` to `{}`{chained}, which is not a checklist item of this playbook", rename.old, rename.new))
                    .with_source(&at.line_text, at.width)
                    .with_help(format!("{near}the new id is `checklist-id/item-id` of an item in `checklists` or of a task list in the text"))
                    .with_field(format!("{field}.{}", rename.old)),
            );
        }
    }
    diagnostics
}

/// Where `rename`'s new id ends up after the renames of newer changes (earlier in the list).
fn final_target<'a>(rename: &'a RenameAt, all: &'a [RenameAt]) -> &'a str {
    let mut target = rename.new.as_str();
    let mut newer_than = rename.change;
    // Each step moves to a strictly newer change, so this ends.
    while let Some(next) = all
        .iter()
        .filter(|r| r.change < newer_than && r.old == target)
        .max_by_key(|r| r.change)
    {
        target = &next.new;
        newer_than = next.change;
    }
    target
}

/// The folder (under content/) a file's relative links start from, from its path under
/// content/ (a leading `content/`, as in a path from the site root, is dropped).
pub(crate) fn content_dir_of(rel_path: &str) -> String {
    let under = rel_path.trim_start_matches("content/");
    match under.rsplit_once('/') {
        Some((dir, _)) => dir.to_string(),
        None => String::new(),
    }
}

/// The anchors the template puts on a page of this kind (a page whose front matter has errors
/// may be a playbook: it gets the playbook's, which include the guide's).
pub(crate) fn reserved_anchors(page: &ParsedPage) -> &'static [&'static str] {
    match page.meta {
        PageMeta::Playbook(_) => PLAYBOOK_ANCHORS,
        PageMeta::Guide(_) if !page.front_matter_ok => PLAYBOOK_ANCHORS,
        PageMeta::Guide(_) => GUIDE_ANCHORS,
    }
}

/// How links resolve from one page (see [`LinkTargets::context`]).
#[derive(Clone, Copy)]
pub(crate) struct LinkContext<'a> {
    file_urls: &'a HashMap<String, String>,
    /// Content paths of drafts this build leaves out.
    draft_files: &'a HashSet<String>,
    /// URLs of drafts this build leaves out.
    draft_urls: &'a HashSet<String>,
    known_urls: &'a HashSet<String>,
    /// Links are written in a page that is not built, so drafts are fine targets.
    from_draft: bool,
    /// The site's base path, put in front of the URLs written (not of those checked).
    base_path: &'a str,
    /// Put in front of links to static files instead (see [`LinkTargets::files_base_path`]).
    files_base_path: &'a str,
    /// The static files.
    static_paths: &'a HashSet<String>,
    /// See [`LinkTargets::aliases`].
    aliases: &'a HashMap<String, String>,
    /// See [`LinkTargets::default_edition`].
    default_edition: &'a DefaultEdition,
    /// See [`LinkTargets::mounts`].
    mounts: &'a [(String, String)],
}

impl LinkContext<'_> {
    /// Resolves a destination written in a file under content/`from_dir`: the URL to write
    /// carries the base path, the page whose anchor is checked is a site path.
    pub(crate) fn resolve(&self, from_dir: &str, dest: &str) -> Resolution {
        match self.resolve_in_site(from_dir, dest) {
            Resolution::Url { url, anchor_check } if !self.base_path.is_empty() => {
                let path = url.split(['#', '?']).next().unwrap_or("");
                let base = if self.static_paths.contains(path) || self.is_fallback(path) {
                    self.files_base_path
                } else {
                    self.base_path
                };
                Resolution::Url {
                    url: with_base_path(base, &url),
                    anchor_check,
                }
            }
            other => other,
        }
    }

    /// The file a content path names, from the site root: under content/, or under the folder a
    /// mount reads (`national/content/playbooks/x.md` for `national/playbooks/x.md`).
    fn real_path(&self, content_path: &str) -> String {
        for (target, source) in self.mounts {
            if let Some(rest) = content_path.strip_prefix(target.as_str()) {
                if let Some(rest) = rest.strip_prefix('/') {
                    return format!("{source}/{rest}");
                }
            }
        }
        format!("content/{content_path}")
    }

    /// True when `url` is a page of the default language's edition that this edition does not
    /// have (`missing = "omit"`): links to it go to the default language's page.
    fn is_fallback(&self, url: &str) -> bool {
        !self.known_urls.contains(url) && self.default_edition.urls.contains(url)
    }

    /// [`Self::resolve`] with URLs as site paths: in a further language's edition, a link to a
    /// page it leaves out reaches the default language's page instead, and one written with
    /// an original's URL reaches its translation.
    fn resolve_in_site(&self, from_dir: &str, dest: &str) -> Resolution {
        let found = self.resolve_here(from_dir, dest);
        if !matches!(found, Resolution::Broken(_)) || self.default_edition.urls.is_empty() {
            return found;
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let decoded = percent_decode(path_part.split('?').next().unwrap_or(""));
        let url = match decoded.strip_prefix('/') {
            Some(absolute) => Some(format!("/{}/", absolute.trim_end_matches('/')))
                .filter(|u| u != "//")
                .unwrap_or_else(|| "/".into()),
            None => match normalise(from_dir, &decoded) {
                Some(target) => {
                    match self.default_edition.files.get(target.trim_end_matches('/')) {
                        Some(url) => url.clone(),
                        None => return found,
                    }
                }
                None => return found,
            },
        };
        if let Some(own) = self.aliases.get(&url) {
            return Resolution::Url {
                url: join_fragment(own, fragment),
                anchor_check: fragment.map(|f| (own.clone(), f.to_string())),
            };
        }
        if self.default_edition.urls.contains(&url) {
            // The default language's page: its anchors are checked when it is built there.
            return Resolution::Url {
                url: join_fragment(&url, fragment),
                anchor_check: None,
            };
        }
        found
    }

    /// Resolves a destination among this edition's own pages and files.
    fn resolve_here(&self, from_dir: &str, dest: &str) -> Resolution {
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
                "`{dest}` points at `{}`, which does not exist",
                self.real_path(&target)
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
        let (none, aliases, default) = (HashSet::new(), HashMap::new(), DefaultEdition::default());
        let built = LinkContext {
            file_urls: &file_urls,
            draft_files: &draft_files,
            draft_urls: &draft_urls,
            known_urls: &known_urls,
            from_draft: false,
            base_path: "",
            files_base_path: "",
            static_paths: &none,
            aliases: &aliases,
            default_edition: &default,
            mounts: &[],
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
    fn written_urls_carry_the_base_path_static_files_leave_out_the_language_and_checked_ones_do_not(
    ) {
        let file_urls = HashMap::from([("guides/a.md".to_string(), "/guides/a/".to_string())]);
        let known_urls = HashSet::from(["/guides/a/".to_string(), "/x.png".to_string()]);
        let none = HashSet::new();
        let statics = HashSet::from(["/x.png".to_string()]);
        let aliases = HashMap::from([("/guides/b/".to_string(), "/guides/bee/".to_string())]);
        let default = DefaultEdition {
            urls: HashSet::from(["/guides/b/".to_string(), "/guides/omitted/".to_string()]),
            files: HashMap::from([(
                "guides/omitted.md".to_string(),
                "/guides/omitted/".to_string(),
            )]),
            ..DefaultEdition::default()
        };
        let context = LinkContext {
            file_urls: &file_urls,
            draft_files: &none,
            draft_urls: &none,
            known_urls: &known_urls,
            from_draft: false,
            base_path: "/playbooks/cy",
            files_base_path: "/playbooks",
            static_paths: &statics,
            aliases: &aliases,
            default_edition: &default,
            mounts: &[],
        };
        let expected = |url: &str| Resolution::Url {
            url: url.into(),
            anchor_check: Some(("/guides/a/".into(), "b".into())),
        };
        assert_eq!(
            context.resolve("playbooks", "../guides/a.md#b"),
            expected("/playbooks/cy/guides/a/#b")
        );
        assert_eq!(
            context.resolve("playbooks", "/guides/a/#b"),
            expected("/playbooks/cy/guides/a/#b")
        );
        assert_eq!(
            context.resolve("", "/x.png"),
            Resolution::Url {
                url: "/playbooks/x.png".into(),
                anchor_check: None
            }
        );
        assert_eq!(context.resolve("", "https://x.example/"), Resolution::Keep);
        // A translation at its own URL, reached by its original's.
        assert_eq!(
            context.resolve("", "/guides/b/"),
            Resolution::Url {
                url: "/playbooks/cy/guides/bee/".into(),
                anchor_check: None
            }
        );
        // A page this edition leaves out: the default language's, without the language.
        assert_eq!(
            context.resolve("guides", "omitted.md#x"),
            Resolution::Url {
                url: "/playbooks/guides/omitted/#x".into(),
                anchor_check: None
            }
        );
        assert!(matches!(
            context.resolve("guides", "nowhere.md"),
            Resolution::Broken(_)
        ));
    }
}
