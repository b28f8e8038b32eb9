//! Sites in more than one language: each language is an edition, a whole `Site` of its own
//! (its pages, lists, search index and feed) under its URL prefix (`/cy/`). This module
//! chooses each edition's pages ([`editions`]) and, once every edition is assembled, links
//! each page to its versions in the other languages ([`link`]).
//!
//! ```text
//! parsed pages ─▶ editions: the default language's pages; for each further language, each
//!                 page's translation, else the original with a notice ("notice"), else
//!                 nothing ("omit")
//!              ─▶ assemble each edition ─▶ link: every page's URL in every edition
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use crate::config::{language_name, Language, Missing, SiteConfig};
use crate::content::model::Status;
use crate::content::{ParsedPage, SectionIndex};
use crate::diagnostics::Diagnostic;

use super::Site;

/// One edition's input to `assemble`: its configuration (see `SiteConfig::edition`), its pages
/// and its section indexes.
pub struct EditionInput {
    /// The site's configuration as this edition sees it.
    pub config: SiteConfig,
    /// Its pages: translations, and originals shown with a notice.
    pub pages: Vec<Arc<ParsedPage>>,
    /// Its section indexes, in the discovery's order.
    pub sections: Vec<SectionIndex>,
}

/// Splits the parsed pages into editions, the default language's first. A page without a
/// translation in a language is built there with a notice (`missing = "notice"`) or not at
/// all (`"omit"`), and is a warning either way; so is a translation reviewed before its
/// original (found when it was parsed).
pub fn editions(
    config: &SiteConfig,
    pages: Vec<Arc<ParsedPage>>,
    sections: Vec<SectionIndex>,
    drafts: bool,
) -> (Vec<EditionInput>, Vec<Diagnostic>) {
    if config.languages.is_empty() {
        let edition = EditionInput {
            config: config.clone(),
            pages,
            sections,
        };
        return (vec![edition], Vec::new());
    }
    let (originals, translations): (Vec<_>, Vec<_>) =
        pages.into_iter().partition(|p| p.translation.is_none());
    let mut by_original: HashMap<(&str, &str), &Arc<ParsedPage>> = HashMap::new();
    for t in &translations {
        if let Some(language) = t.language() {
            by_original.insert((t.original_rel_path(), language), t);
        }
    }
    let mut diagnostics = Vec::new();
    let mut further = Vec::new();
    for language in &config.languages {
        let mut edition_pages = Vec::with_capacity(originals.len());
        for original in &originals {
            let translated = by_original
                .get(&(original.source.rel_path.as_str(), language.code.as_str()))
                .filter(|t| drafts || t.meta.status() != Status::Draft);
            match translated {
                Some(t) => edition_pages.push(Arc::clone(t)),
                None => {
                    if let Some(d) = missing_translation(original, language, config) {
                        diagnostics.push(d);
                    }
                    if language.missing == Missing::Notice {
                        edition_pages.push(Arc::clone(original));
                    }
                }
            }
        }
        further.push(EditionInput {
            config: config.edition(Some(language)),
            pages: edition_pages,
            sections: sections
                .iter()
                .map(|s| s.in_language(&language.code))
                .collect(),
        });
    }
    let mut all = vec![EditionInput {
        config: config.edition(None),
        pages: originals,
        sections: sections.into_iter().map(|s| s.in_language("")).collect(),
    }];
    all.extend(further);
    (all, diagnostics)
}

/// The warning for a published page that has no translation in `language`.
fn missing_translation(
    original: &ParsedPage,
    language: &Language,
    config: &SiteConfig,
) -> Option<Diagnostic> {
    let shown = original.source.listed && original.meta.status() == Status::Published;
    if !shown || !original.front_matter_ok {
        return None;
    }
    let rel = &original.source.rel_path;
    let wanted = match rel.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{}.md", language.code),
        None => format!("{rel}.{}", language.code),
    };
    let shown_instead = match language.missing {
        Missing::Notice => format!(
            "until then the {} page is shown at its {} address with a notice",
            language_name(&config.language),
            language.name
        ),
        Missing::Omit => format!(
            "until then links from {} pages go to the {} page",
            language.name,
            language_name(&config.language)
        ),
    };
    Some(
        Diagnostic::warning(
            rel.clone(),
            1,
            1,
            format!(
                "this page has no {} translation ({})",
                language.name, language.code
            ),
        )
        .with_help(format!("add {wanted}; {shown_instead}")),
    )
}

/// One edition as the pages of the others see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    /// Its language's BCP 47 code (`en-GB`, `cy`).
    pub code: String,
    /// Its language's name in itself (`English`, `Cymraeg`).
    pub name: String,
    /// Where its pages are, before their site paths: the base path and the language
    /// (`/cy`), `""` for the default language at the root.
    pub base_path: String,
    /// The address of its pages before their site paths (`https://example.org/cy`).
    pub base_url: String,
}

/// Every page's version in each language, by the page's original (its path from the root).
#[derive(Debug, Default)]
pub struct LanguageMap {
    /// The editions, the default language's first; empty for a site in one language.
    pub editions: Vec<Edition>,
    /// Original → in each edition, its version there (if any).
    pages: HashMap<String, Vec<Option<Placed>>>,
}

/// Where a page is in one edition.
#[derive(Debug, Clone)]
struct Placed {
    url: String,
    /// False for the original shown with a notice.
    translated: bool,
    title: String,
}

/// A page's version in one language, for the switcher, `hreflang` links and the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version<'a> {
    /// The edition.
    pub edition: &'a Edition,
    /// Its URL as written in pages (base path and language in front), or that edition's home
    /// page when the page is not there.
    pub href: String,
    /// Its absolute address.
    pub absolute: String,
    /// Its site path in its edition (`/playbooks/x/`), empty when it is not there.
    pub url: &'a str,
    /// True when the edition has the page in its own language (a translation, or the
    /// original in the default edition).
    pub translated: bool,
    /// True when the edition has the page at all.
    pub exists: bool,
    /// Its title there (empty when it is not there).
    pub title: &'a str,
}

impl LanguageMap {
    /// True when the site has more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.editions.len() > 1
    }

    /// The default language's URL of the page whose original is `original` (`None` on a
    /// site in one language, or when the default edition does not build it).
    pub fn original_url(&self, original: &str) -> Option<&str> {
        let placed = self.pages.get(original)?.first()?.as_ref()?;
        Some(&placed.url)
    }

    /// Feeds everything the map holds to `state`, in a fixed order (for `serve`'s render cache).
    pub fn hash_into(&self, state: &mut impl std::hash::Hasher) {
        use std::hash::Hash;
        for e in &self.editions {
            (&e.code, &e.name, &e.base_path, &e.base_url).hash(state);
        }
        let mut keys: Vec<&String> = self.pages.keys().collect();
        keys.sort_unstable();
        for key in keys {
            key.hash(state);
            for placed in self.pages[key].iter() {
                placed
                    .as_ref()
                    .map(|p| (&p.url, p.translated, &p.title))
                    .hash(state);
            }
        }
    }

    /// The versions of the page whose original is `original`, in every edition's order.
    pub fn page_versions(&self, original: &str) -> Vec<Version<'_>> {
        let Some(urls) = self.pages.get(original) else {
            return Vec::new();
        };
        self.editions
            .iter()
            .zip(urls)
            .map(|(edition, at)| match at {
                Some(placed) => Version {
                    edition,
                    href: format!("{}{}", edition.base_path, placed.url),
                    absolute: format!("{}{}", edition.base_url, placed.url),
                    url: &placed.url,
                    translated: placed.translated,
                    exists: true,
                    title: &placed.title,
                },
                None => Version {
                    edition,
                    href: format!("{}/", edition.base_path),
                    absolute: format!("{}/", edition.base_url),
                    url: "",
                    translated: false,
                    exists: false,
                    title: "",
                },
            })
            .collect()
    }

    /// The versions of a page every edition makes at the same site path (lists, taxonomies,
    /// roles, teams, search, home).
    pub fn generated_versions<'a>(&'a self, url: &'a str) -> Vec<Version<'a>> {
        self.editions
            .iter()
            .map(|edition| Version {
                edition,
                href: format!("{}{url}", edition.base_path),
                absolute: format!("{}{url}", edition.base_url),
                url,
                translated: true,
                exists: true,
                title: "",
            })
            .collect()
    }
}

/// The key of a section in [`LanguageMap`]: sections have no page file of their own.
pub fn section_key(key: &str) -> String {
    format!("section:{key}")
}

/// Links every edition's pages to their versions in the others, once all are assembled.
pub fn link(sites: &mut [Site]) {
    if sites.len() < 2 {
        return;
    }
    let editions: Vec<Edition> = sites
        .iter()
        .map(|site| Edition {
            code: site.config.language.clone(),
            name: match site.config.edition_language() {
                Some(language) => language.name.clone(),
                None => language_name(&site.config.language),
            },
            base_path: site.config.base_path.clone(),
            base_url: site.config.base_url.clone(),
        })
        .collect();
    let count = sites.len();
    let mut pages: HashMap<String, Vec<Option<Placed>>> = HashMap::new();
    for (e, site) in sites.iter().enumerate() {
        let own = site.config.edition_language().map(|l| l.code.as_str());
        for page in &site.pages {
            let translated = page.parsed.language() == own;
            let slot = pages
                .entry(page.parsed.original_rel_path().to_string())
                .or_insert_with(|| vec![None; count]);
            slot[e] = Some(Placed {
                url: page.url.clone(),
                translated,
                title: page.meta().title().to_string(),
            });
        }
        for section in &site.sections {
            let slot = pages
                .entry(section_key(&section.key))
                .or_insert_with(|| vec![None; count]);
            slot[e] = Some(Placed {
                url: section.url.clone(),
                translated: true,
                title: section.title.clone(),
            });
        }
    }
    let map = Arc::new(LanguageMap { editions, pages });
    for site in sites.iter_mut() {
        site.languages = Arc::clone(&map);
    }
}

/// What a further language's edition takes from the default language's: each page's body
/// checklist item ids (a translation's items take them by position, so ticks are shared
/// between languages), and its URLs, for links to pages the edition leaves out.
pub fn default_edition(default: &Site) -> Arc<super::links::DefaultEdition> {
    let mut edition = super::links::DefaultEdition::default();
    for page in &default.pages {
        let rel = &page.parsed.source.rel_path;
        if !page.rendered.checklists.is_empty() {
            let items = page
                .rendered
                .checklists
                .iter()
                .map(|c| c.items.iter().map(|i| i.id.clone()).collect())
                .collect();
            edition.items.insert(rel.clone(), items);
        }
        edition.urls.insert(page.url.clone());
        edition
            .files
            .insert(page.parsed.source.content_path.clone(), page.url.clone());
        edition.by_rel_path.insert(rel.clone(), page.url.clone());
    }
    edition
        .urls
        .extend(default.sections.iter().map(|s| s.url.clone()));
    Arc::new(edition)
}
