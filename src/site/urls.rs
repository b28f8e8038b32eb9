//! Where things end up: a page's URL from its path and slug, the URLs and output paths the
//! build generates itself, and tag slugs.

use std::collections::HashSet;
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::content::{PageMeta, ParsedPage};
use crate::markdown;
use crate::vocabulary::{self, VOCABULARIES};

use super::Section;

/// A page's URL: its folders under content/ and its file name (or `slug:`), `/a/b/`.
pub fn page_url(page: &ParsedPage) -> String {
    let mut segments = page.source.url_segments.clone();
    if let Some(slug) = page.meta.slug() {
        match segments.last_mut() {
            Some(last) => *last = slug.to_string(),
            None => segments.push(slug.to_string()),
        }
    }
    if segments.is_empty() {
        "/".to_string()
    } else {
        format!("/{}/", segments.join("/"))
    }
}

/// A section's URL from its folder under content/ (`""` for home).
pub fn section_url(key: &str) -> String {
    if key.is_empty() {
        "/".into()
    } else {
        format!("/{key}/")
    }
}

/// The file a URL is written to, relative to the output folder: `/a/b/` → `a/b/index.html`.
pub fn output_path_for(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// The folder of a bundle page under content/, with its trailing `/` (`""` at the top).
pub(crate) fn bundle_dir(page: &ParsedPage) -> &str {
    page.source.content_path.trim_end_matches("index.md")
}

/// Every output path (with a leading `/`) the build writes itself: pages, sections and the
/// generated lists and files, so a content file cannot overwrite one.
pub(crate) fn written_paths(
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
        vocabulary::SEARCH_URL.to_string(),
        "/404.html".to_string(),
        "/sitemap.xml".to_string(),
        "/feed.xml".to_string(),
        "/playbooks.json".to_string(),
        "/playbook.schema.json".to_string(),
    ];
    for vocabulary in VOCABULARIES {
        let listing = vocabulary.listing();
        urls.push(listing.index_url());
        urls.extend(
            config
                .terms(vocabulary)
                .iter()
                .map(|t| listing.term_url(&t.id)),
        );
    }
    urls.push(vocabulary::TAGS.index_url());
    for meta in metas {
        urls.extend(
            meta.tags()
                .iter()
                .map(|t| vocabulary::TAGS.term_url(&tag_slug(t))),
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_slugs_are_url_safe() {
        assert_eq!(tag_slug("Type 2 diabetes"), "type-2-diabetes");
        assert_eq!(tag_slug("../../etc"), "etc");
        assert_eq!(tag_slug("***"), "tag");
    }
}
