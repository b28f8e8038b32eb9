//! The content stage: find files (`load`), split front matter (`frontmatter`), read YAML with
//! positions (`yaml`), check it against the format (`schema`) and turn it into typed pages
//! (`model`). Each page is parsed on its own, so pages parse in parallel.

pub mod active;
pub mod adapt;
pub mod checked;
pub mod frontmatter;
#[cfg(test)]
pub mod introspect;
pub mod json_schema;
pub mod load;
pub mod model;
pub mod overlay;
pub mod progress;
pub mod rules;
pub mod schema;
pub mod translate;
pub mod yaml;

use std::ops::Range;

use rayon::prelude::*;

use model::{GuideMeta, PlaybookMeta, SectionMeta, Status};

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;
use crate::source::{decode_utf8, SourceText};
pub use adapt::{Adaptation, Bases};
pub use load::{discover, AssetSource, Discovery, PageSource, SectionSource};
pub use translate::Translation;

/// A page's typed front matter.
#[derive(Debug, Clone, PartialEq)]
pub enum PageMeta {
    /// A page with `pathway:`.
    Playbook(Box<PlaybookMeta>),
    /// Any other page.
    Guide(GuideMeta),
}

impl PageMeta {
    /// The page title.
    pub fn title(&self) -> &str {
        match self {
            PageMeta::Playbook(p) => &p.title,
            PageMeta::Guide(g) => &g.title,
        }
    }

    /// Draft, published or retired.
    pub fn status(&self) -> Status {
        match self {
            PageMeta::Playbook(p) => p.status,
            PageMeta::Guide(g) => g.status,
        }
    }

    /// The `slug:` override, if any.
    pub fn slug(&self) -> Option<&str> {
        match self {
            PageMeta::Playbook(p) => p.slug.as_deref(),
            PageMeta::Guide(g) => g.slug.as_deref(),
        }
    }

    /// The page's tags.
    pub fn tags(&self) -> &[String] {
        match self {
            PageMeta::Playbook(p) => &p.tags,
            PageMeta::Guide(g) => &g.tags,
        }
    }

    /// The playbook front matter, if this is a playbook.
    pub fn playbook(&self) -> Option<&PlaybookMeta> {
        match self {
            PageMeta::Playbook(p) => Some(p),
            PageMeta::Guide(_) => None,
        }
    }
}

/// A site path named in front matter (a checklist item's `evidence`), to be checked like a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldLink {
    /// The path as written, e.g. `/guides/npt-in-practice/`.
    pub target: String,
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The text of its line, for the diagnostic if it is broken (the front matter's text is
    /// let go after parsing).
    pub line_text: String,
    /// The file it was written in when not the page's own (a local version's base).
    pub file: Option<String>,
}

/// A place in a page's file, with its line's text for the diagnostic (the front matter's text
/// is let go after parsing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// 1-based file line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Characters to underline.
    pub width: usize,
    /// The text of the line.
    pub line_text: String,
}

/// One `changes[].renamed` entry (1.1), to check against the page's checklists once its body's
/// task lists are known: the new id must be a checklist item, the old one must no longer be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenameAt {
    /// Index of the change in `changes`.
    pub change: usize,
    /// `old-checklist-id/old-item-id`, as written.
    pub old: String,
    /// `new-checklist-id/new-item-id`, as written.
    pub new: String,
    /// Where the old id (the key) is written.
    pub old_at: Spot,
    /// Where the new id (the value) is written.
    pub new_at: Spot,
}

/// A page read from disk: its front matter (typed when valid) and its Markdown body.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// Where it came from.
    pub source: PageSource,
    /// The whole file.
    pub text: SourceText,
    /// Typed front matter; a stand-in guide (title, slug and status where readable) when the
    /// front matter has errors.
    pub meta: PageMeta,
    /// False when the front matter has errors: the page is not built, but its body is still
    /// checked (links, anchors, raw HTML), so one run reports every error of the file.
    pub front_matter_ok: bool,
    /// Byte range of the Markdown body in `text`.
    pub body: Range<usize>,
    /// File line of the body's first line.
    pub body_first_line: usize,
    /// For a guide without front matter: the `# heading` that is its title, left out of the body.
    pub title_heading: Option<Range<usize>>,
    /// Site paths in front matter to check once every page is known.
    pub field_links: Vec<FieldLink>,
    /// Renamed checklist items in front matter (1.1), to check once the body is rendered.
    pub renames: Vec<RenameAt>,
    /// For a local version (`adapts:`): its base and what it changed.
    pub adaptation: Option<Box<Adaptation>>,
    /// For a translation (`x.cy.md`): its language and its original.
    pub translation: Option<Translation>,
}

impl ParsedPage {
    /// The language of the page's own text: `None` for the site's own language.
    pub fn language(&self) -> Option<&str> {
        self.translation.as_ref().map(|t| t.language.as_str())
    }

    /// The page's original in the site's own language, by its path from the root: itself
    /// unless it is a translation. The language versions of one page share it.
    pub fn original_rel_path(&self) -> &str {
        match &self.translation {
            Some(t) => &t.original_rel_path,
            None => &self.source.rel_path,
        }
    }

    /// The Markdown body.
    pub fn body_text(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }

    /// Lets the file's text go (the typed front matter stays): `assemble` calls it as soon as the
    /// body is rendered, whose diagnostics keep the lines they quote, so a large site never holds
    /// every body at once (for 10,000 playbooks the bodies are about 100 MB). `body_text` is
    /// empty afterwards.
    pub fn release_text(&mut self) {
        self.title_heading = None;
        self.body = 0..0;
        self.text = SourceText::new(self.text.rel_path.clone(), String::new());
        if let Some(adaptation) = &mut self.adaptation {
            adaptation.base_body = 0..0;
            adaptation.base_text =
                SourceText::new(adaptation.base_text.rel_path.clone(), String::new());
        }
    }
}

/// The outcome of parsing one page: the page if its body could be found, and every problem.
#[derive(Debug)]
pub struct PageParse {
    /// `None` when the file cannot be read or split; `front_matter_ok` is false when the front
    /// matter has errors.
    pub page: Option<ParsedPage>,
    /// Errors and warnings, all of them.
    pub diagnostics: Vec<Diagnostic>,
    /// For a local version, the base file it read (also when it failed), which `serve` watches
    /// for it.
    pub base_rel_path: Option<String>,
}

/// Reads, splits, checks and types one page; `bases` finds the page a local version adapts.
pub fn parse_page(
    source: &PageSource,
    config: &SiteConfig,
    today: model::IsoDate,
    bases: &Bases,
) -> PageParse {
    let failed = |diagnostics| PageParse {
        page: None,
        diagnostics,
        base_rel_path: None,
    };
    // An original that has translations was read and parsed for them: its page shares that.
    if let Some(file) = bases.shared(source) {
        let mut root = file.root.clone();
        root.set_file(yaml::OWN_FILE);
        return parse_text_with(
            source.clone(),
            file.text.clone(),
            (config, today),
            bases,
            Some(root),
        );
    }
    let bytes = match std::fs::read(&source.abs_path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return failed(vec![Diagnostic::error(
                source.rel_path.clone(),
                1,
                1,
                format!("cannot read the file: {err}"),
            )])
        }
    };
    let text = match decode_utf8(&source.rel_path, bytes) {
        Ok(text) => SourceText::new(source.rel_path.clone(), text),
        Err(d) => return failed(vec![d]),
    };
    parse_page_text(source.clone(), text, config, today, bases)
}

/// Parses a page whose text is already in memory (used by `parse_page`, tests and fuzzing).
pub fn parse_page_text(
    source: PageSource,
    text: SourceText,
    config: &SiteConfig,
    today: model::IsoDate,
    bases: &Bases,
) -> PageParse {
    parse_text_with(source, text, (config, today), bases, None)
}

/// [`parse_page_text`], with the front matter's tree when it was already parsed (`pre`).
fn parse_text_with(
    source: PageSource,
    text: SourceText,
    (config, today): (&SiteConfig, model::IsoDate),
    bases: &Bases,
    pre: Option<yaml::Node>,
) -> PageParse {
    let mut diagnostics = Vec::new();
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(d) => {
            return PageParse {
                page: None,
                diagnostics: vec![d],
                base_rel_path: None,
            }
        }
    };
    let mut base_rel_path = None;
    let body_start = split.body.as_ptr() as usize - text.as_str().as_ptr() as usize;
    let body = body_start..text.len();
    let body_first_line = split.body_first_line;
    let yaml_text = split.yaml;
    // A page whose front matter has errors is kept, flagged, so its body is checked too.
    let unusable =
        |meta: GuideMeta, diagnostics: Vec<Diagnostic>, base: Option<String>| PageParse {
            page: Some(ParsedPage {
                source: source.clone(),
                text: text.clone(),
                meta: PageMeta::Guide(meta),
                front_matter_ok: false,
                body: body.clone(),
                body_first_line,
                title_heading: None,
                field_links: Vec::new(),
                renames: Vec::new(),
                adaptation: None,
                translation: translation_of(&source),
            }),
            diagnostics,
            base_rel_path: base,
        };
    let mut renames = Vec::new();
    let mut adaptation = None;
    let (meta, title_heading, field_links) = match yaml_text {
        None if source.language.is_some() && bases.original_of(&source).is_none() => {
            diagnostics.push(translate::no_original(&text, &source, &config.language));
            return unusable(stand_in_meta(&source, None), diagnostics, None);
        }
        None => match title_from_heading(text.get(body.clone()).unwrap_or("")) {
            Some((title, range)) => {
                let range = range.start + body_start..range.end + body_start;
                (PageMeta::Guide(guide_meta(title)), Some(range), Vec::new())
            }
            None => {
                diagnostics.push(text.error(1, 1, 1, "the page has no title").with_help(
                    "start the file with front matter holding `title:`, or with a `# Heading` line",
                ));
                return unusable(stand_in_meta(&source, None), diagnostics, None);
            }
        },
        Some((yaml_text, first_line)) => {
            match read_front_matter(
                (&text, &source),
                (yaml_text, first_line, pre),
                config,
                today,
                bases,
                &mut diagnostics,
            ) {
                Ok(typed) => {
                    renames = typed.renames;
                    adaptation = typed.adaptation;
                    // `serve` parses a local version again when its base changes, and a
                    // translation when its original does.
                    base_rel_path = adaptation
                        .as_ref()
                        .map(|a| a.base_source.rel_path.clone())
                        .or_else(|| source.original_rel_path());
                    (typed.meta, None, typed.field_links)
                }
                Err(refused) => {
                    return unusable(
                        stand_in_meta(&source, refused.root.as_ref()),
                        diagnostics,
                        refused.base_rel_path,
                    )
                }
            }
        }
    };
    let mut text = text;
    text.forget_before(body.start);
    let translation = translation_of(&source);
    let page = ParsedPage {
        source,
        text,
        meta,
        front_matter_ok: true,
        body,
        body_first_line,
        title_heading,
        field_links,
        renames,
        adaptation,
        translation,
    };
    PageParse {
        page: Some(page),
        diagnostics,
        base_rel_path,
    }
}

/// Front matter that was read, checked and typed.
struct TypedFrontMatter {
    meta: PageMeta,
    field_links: Vec<FieldLink>,
    renames: Vec<RenameAt>,
    /// A local version's base and what it changed.
    adaptation: Option<Box<Adaptation>>,
}

/// Front matter that could not be typed: its tree when there is one (for a stand-in title),
/// and the base a local version names (so `serve` rebuilds it when the base changes).
struct Refused {
    root: Option<yaml::Node>,
    base_rel_path: Option<String>,
}

/// Reads the front matter into a tree that keeps positions, merges a local version onto its
/// base (`adapt`), checks the result against the format table, types it and runs the page's
/// own rules, adding every problem to `diagnostics`.
fn read_front_matter(
    (text, source): (&SourceText, &PageSource),
    (yaml_text, first_line, pre): (&str, usize, Option<yaml::Node>),
    config: &SiteConfig,
    today: model::IsoDate,
    bases: &Bases,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<TypedFrontMatter, Refused> {
    let parsed = match pre {
        Some(root) => Ok(root),
        None => yaml::parse(yaml_text, first_line),
    };
    let root = match parsed {
        Ok(root) => root,
        Err(err) => {
            diagnostics.push(
                text.error(err.line, err.column, 1, err.message)
                    .with_help(err.help),
            );
            return Err(Refused {
                root: None,
                base_rel_path: None,
            });
        }
    };
    // A translation is its original with its own text on top (`translate`).
    let mut original_text = None;
    let root = if source.language.is_some() {
        match translate::prepare(&root, text, source, bases, &config.language) {
            Ok(prepared) => {
                diagnostics.extend(prepared.diagnostics);
                original_text = Some(prepared.original_text);
                prepared.merged
            }
            Err(problems) => {
                diagnostics.extend(problems);
                return Err(Refused {
                    root: Some(root),
                    base_rel_path: bases.original_of(source).map(|o| o.rel_path.clone()),
                });
            }
        }
    } else {
        root
    };
    let adapts = root
        .get("adapts")
        .is_some_and(|a| a.kind != yaml::NodeKind::Null);
    let mut adaptation: Option<Box<Adaptation>> = None;
    let root = if adapts {
        match adapt::prepare(&root, text, bases) {
            Ok(prepared) => {
                diagnostics.extend(prepared.diagnostics);
                adaptation = Some(Box::new(prepared.adaptation));
                prepared.merged
            }
            Err(refused) => {
                diagnostics.extend(refused.diagnostics);
                return Err(Refused {
                    root: Some(root),
                    base_rel_path: refused.base_rel_path,
                });
            }
        }
    } else {
        root
    };
    let base_rel_path = adaptation
        .as_ref()
        .map(|a| a.base_source.rel_path.clone())
        .or_else(|| original_text.as_ref().map(|t| t.rel_path.clone()));
    let refused = |root: yaml::Node| Refused {
        root: Some(root),
        base_rel_path: base_rel_path.clone(),
    };
    let files = crate::source::Files {
        own: text,
        base: adaptation
            .as_ref()
            .map(|a| &a.base_text)
            .or(original_text.as_ref()),
    };
    // A local version is a playbook whatever it sets itself: its base is one.
    let is_playbook = adapts || root.get("pathway").is_some();
    let object = if is_playbook {
        &schema::PLAYBOOK
    } else {
        &schema::GUIDE
    };
    let mut checker = schema::Checker::with_files(files, config, 1);
    let value = checker.check_root(&root, object);
    diagnostics.append(&mut checker.diagnostics);
    if !adapts {
        diagnostics.extend(local_only_fields(&root, text));
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(refused(root));
    }
    let typed = if is_playbook {
        value
            .into_typed::<PlaybookMeta>()
            .map(|m| PageMeta::Playbook(Box::new(m)))
    } else {
        value.into_typed::<GuideMeta>().map(PageMeta::Guide)
    };
    let meta = match typed {
        Ok(meta) => meta,
        Err(err) => {
            // The schema table should have caught this; report it rather than panic.
            diagnostics.push(text.error(
                1,
                1,
                3,
                format!("the front matter does not fit the format: {err}"),
            ));
            return Err(refused(root));
        }
    };
    let located = rules::Located::merged(files, &root);
    diagnostics.extend(rules::check_page(&meta, &located, today));
    let (field_links, renames) = match &meta {
        PageMeta::Playbook(p) => (located.evidence_links(p), located.renames(p)),
        PageMeta::Guide(_) => (Vec::new(), Vec::new()),
    };
    Ok(TypedFrontMatter {
        meta,
        field_links,
        renames,
        adaptation,
    })
}

/// A translation's language and original, from where it was found.
fn translation_of(source: &PageSource) -> Option<Translation> {
    Some(Translation {
        language: source.language.clone()?,
        original_rel_path: source.original_rel_path()?,
    })
}

/// `remove:` and `body:` belong to local versions: an error on any other page.
fn local_only_fields(root: &yaml::Node, text: &SourceText) -> Vec<Diagnostic> {
    ["remove", "body"]
        .iter()
        .filter_map(|key| {
            let node = root.key(key)?;
            Some(
                text.error(
                    node.line,
                    node.column,
                    node.width,
                    format!("`{key}` is only for a local version (a page with `adapts:`)"),
                )
                .with_help(
                    "add `adapts:` naming the playbook this page adapts, or remove the field",
                )
                .with_field(*key),
            )
        })
        .collect()
}

/// A published guide with only a title.
fn guide_meta(title: String) -> GuideMeta {
    GuideMeta {
        title,
        summary: None,
        status: Status::Published,
        last_reviewed: None,
        next_review_due: None,
        owners: Vec::new(),
        tags: Vec::new(),
        weight: None,
        slug: None,
    }
}

/// What can still be read from front matter that has errors: the title, a valid slug and a
/// valid status, so the page keeps its URL (and draft status) while its body is checked.
fn stand_in_meta(source: &PageSource, root: Option<&yaml::Node>) -> GuideMeta {
    let text_of = |key: &str| root.and_then(|r| r.get(key)).and_then(yaml::Node::as_str);
    let title = text_of("title")
        .map(str::to_string)
        .or_else(|| source.url_segments.last().cloned())
        .unwrap_or_default();
    let mut meta = guide_meta(title);
    meta.slug = text_of("slug")
        .filter(|s| crate::config::is_valid_id(s))
        .map(str::to_string);
    meta.status = match text_of("status") {
        Some("draft") => Status::Draft,
        Some("retired") => Status::Retired,
        _ => Status::Published,
    };
    meta
}

/// The first level-1 heading of a body: its text and its byte range.
fn title_from_heading(body: &str) -> Option<(String, Range<usize>)> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut title = String::new();
    let mut start = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => start = Some(range),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if start.is_some() => {
                let range = start?;
                let title = title.trim().to_string();
                return (!title.is_empty()).then_some((title, range));
            }
            Event::Text(t) | Event::Code(t) if start.is_some() => title.push_str(&t),
            _ => {}
        }
    }
    None
}

/// A section's `_index.md`: its typed front matter and body.
#[derive(Debug, Clone, Default)]
pub struct SectionIndex {
    /// Front matter.
    pub meta: SectionMeta,
    /// The file, when there is one.
    pub text: Option<SourceText>,
    /// Byte range of the body in `text`.
    pub body: Range<usize>,
    /// File line of the body's first line.
    pub body_first_line: usize,
    /// Its translations (`_index.cy.md`) by language code: each its own title, summary and
    /// body, with the original's order and sorting.
    pub translations: Vec<(String, SectionIndex)>,
}

impl SectionIndex {
    /// The section as a language shows it: its translation there, else itself.
    pub fn in_language(&self, code: &str) -> SectionIndex {
        match self.translations.iter().find(|(c, _)| c == code) {
            Some((_, translated)) => SectionIndex {
                meta: SectionMeta {
                    title: translated.meta.title.clone().or(self.meta.title.clone()),
                    summary: translated
                        .meta
                        .summary
                        .clone()
                        .or(self.meta.summary.clone()),
                    weight: self.meta.weight,
                    sort_by: self.meta.sort_by,
                },
                text: translated.text.clone(),
                body: translated.body.clone(),
                body_first_line: translated.body_first_line,
                translations: Vec::new(),
            },
            None => SectionIndex {
                translations: Vec::new(),
                ..self.clone()
            },
        }
    }
}

/// Reads a section's `_index.md`.
pub fn parse_section_index(
    rel_path: &str,
    abs_path: &std::path::Path,
    config: &SiteConfig,
) -> (SectionIndex, Vec<Diagnostic>) {
    let read = std::fs::read(abs_path)
        .map_err(|err| Diagnostic::error(rel_path, 1, 1, format!("cannot read the file: {err}")))
        .and_then(|bytes| decode_utf8(rel_path, bytes));
    let text = match read {
        Ok(text) => SourceText::new(rel_path, text),
        Err(d) => return (SectionIndex::default(), vec![d]),
    };
    if text.as_str().trim().is_empty() {
        // An empty _index.md only marks the folder as a section.
        return (SectionIndex::default(), Vec::new());
    }
    let split = match frontmatter::split(&text) {
        Ok(split) => split,
        Err(d) => return (SectionIndex::default(), vec![d]),
    };
    let body_start = split.body.as_ptr() as usize - text.as_str().as_ptr() as usize;
    let body_first_line = split.body_first_line;
    let mut diagnostics = Vec::new();
    let mut meta = SectionMeta::default();
    if let Some((yaml_text, first_line)) = split.yaml {
        match yaml::parse(yaml_text, first_line) {
            Ok(root) if root.kind == yaml::NodeKind::Null => {}
            Ok(root) => {
                let mut checker = schema::Checker::new(&text, config, 1);
                let value = checker.check_root(&root, &schema::SECTION);
                diagnostics.append(&mut checker.diagnostics);
                if diagnostics.is_empty() {
                    match value.into_typed::<SectionMeta>() {
                        Ok(m) => meta = m,
                        Err(err) => diagnostics.push(text.error(
                            1,
                            1,
                            3,
                            format!("the front matter does not fit the format: {err}"),
                        )),
                    }
                }
            }
            Err(err) => diagnostics.push(
                text.error(err.line, err.column, 1, err.message)
                    .with_help(err.help),
            ),
        }
    }
    let body = body_start..text.len();
    (
        SectionIndex {
            meta,
            text: Some(text),
            body,
            body_first_line,
            translations: Vec::new(),
        },
        diagnostics,
    )
}

/// The parse stage's result: every page that parsed, every section's `_index.md`, and every
/// problem found in them.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Pages that parsed (with or without front matter errors), in discovery order; shared so
    /// that `serve` can keep them across rebuilds.
    pub pages: Vec<std::sync::Arc<ParsedPage>>,
    /// One per section of the discovery, in its order (empty where there is no `_index.md`).
    pub sections: Vec<SectionIndex>,
    /// Every problem, page by page.
    pub diagnostics: Vec<Diagnostic>,
}

/// The parse stage: parses and validates every page in parallel, and every section index.
/// Beyond the first few megabytes, each page's body waits packed until `site::assemble`
/// renders it (see [`SourceText::pack`] and [`crate::source::PackBudget`]).
pub fn parse_all(
    discovery: &Discovery,
    config: &SiteConfig,
    today: model::IsoDate,
    budget: &crate::source::PackBudget,
) -> Parsed {
    let bases = Bases::of(discovery);
    let results: Vec<PageParse> = discovery
        .pages
        .par_iter()
        .map(|source| {
            let mut parse = parse_page(source, config, today, &bases);
            if let Some(page) = &mut parse.page {
                page.text.pack_within(budget);
            }
            parse
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut pages = Vec::with_capacity(results.len());
    for result in results {
        diagnostics.extend(result.diagnostics);
        pages.extend(result.page.map(std::sync::Arc::new));
    }
    let (sections, mut more) = parse_section_indexes(discovery, config);
    diagnostics.append(&mut more);
    Parsed {
        pages,
        sections,
        diagnostics,
    }
}

/// A section translation that has no original, or that changes the order or sorting.
fn section_translation_problems(
    has_original: bool,
    original: &SectionMeta,
    translated: &SectionIndex,
    rel: &str,
) -> Vec<Diagnostic> {
    let error = |message: String, help: &str| {
        let d = Diagnostic::error(rel, 1, 1, message).with_help(help);
        match &translated.text {
            Some(text) => d.with_source(text.line_text(1), 3),
            None => d,
        }
    };
    let mut problems = Vec::new();
    if !has_original {
        problems.push(error(
            "this translation has no original: the folder has no `_index.md`".into(),
            "add the section's `_index.md` in the site's own language, or remove this file",
        ));
    }
    let t = &translated.meta;
    if t.weight.is_some() && t.weight != original.weight {
        problems.push(
            error(
                "`weight` may not differ from the original".into(),
                "a translation changes only text; leave `weight` out (the original's is used)",
            )
            .with_field("weight"),
        );
    }
    if t.sort_by.is_some() && t.sort_by != original.sort_by {
        problems.push(
            error(
                "`sort_by` may not differ from the original".into(),
                "a translation changes only text; leave `sort_by` out (the original's is used)",
            )
            .with_field("sort_by"),
        );
    }
    problems
}

/// Every section's `_index.md`, in the discovery's order (few and small: `serve` reads them
/// on every rebuild).
pub fn parse_section_indexes(
    discovery: &Discovery,
    config: &SiteConfig,
) -> (Vec<SectionIndex>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut indexes = Vec::with_capacity(discovery.sections.len());
    for section in &discovery.sections {
        let mut index = match &section.index_file {
            Some((rel, abs)) => {
                let (index, mut d) = parse_section_index(rel, abs, config);
                diagnostics.append(&mut d);
                index
            }
            None => SectionIndex::default(),
        };
        for (code, rel, abs) in &section.translations {
            let (translated, mut d) = parse_section_index(rel, abs, config);
            diagnostics.append(&mut d);
            diagnostics.extend(section_translation_problems(
                section.index_file.is_some(),
                &index.meta,
                &translated,
                rel,
            ));
            index.translations.push((code.clone(), translated));
        }
        indexes.push(index);
    }
    (indexes, diagnostics)
}
