//! The search index behind `/search/`, written at build time and split so that one search
//! downloads only a small part of it (the approach of Pagefind):
//!
//! ```text
//! search/index/manifest.json        build id, page count, the first word of every chunk, filters
//! search/index/terms/<n>.json       a chunk of the sorted word list: word → [page, weight, …]
//! search/index/pages/<id>.json      one result's title, URL, summary and labels
//! search/index/filters/<f>/<v>.json the pages with one filter value (stage, setting, role, kind)
//! ```
//!
//! A query fetches the manifest, the chunk holding each of its words (words are sorted, so a
//! prefix's matches sit in one or two neighbouring chunks), the filter lists it uses, and the
//! fragments of the results it shows. Page ids in postings and filter lists are delta-encoded.
//! Only listed pages (published playbooks and guides) and section pages are indexed: drafts and
//! retired pages never reach it, and generated list pages would only repeat their summaries.

pub mod text;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Vocabulary;
use crate::content::PageMeta;
use crate::output::OutputFile;
use crate::site::{Site, SitePage};

/// A terms chunk is closed once its JSON passes this many bytes (one word's list may pass it).
pub const CHUNK_TARGET_BYTES: usize = 12 * 1024;

/// Where the index lives in the output.
pub const INDEX_DIR: &str = "search/index";

/// How much a word counts in a page's title and summary compared with its body.
const TITLE_WEIGHT: u32 = 10;
const SUMMARY_WEIGHT: u32 = 3;
const MAX_WEIGHT: u32 = 255;

/// One page as the index sees it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// What results show under the title.
    pub summary: String,
    /// "playbook", "guide" or "section".
    pub kind: &'static str,
    /// A short line of labels: technology kind and stages.
    pub labels: Vec<String>,
    /// Readable text of the page.
    pub text: String,
    /// Filter values: (filter id, value id).
    pub facets: Vec<(&'static str, String)>,
}

/// A filter offered on the search page.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// `stage`, `setting`, `role` or `kind`.
    pub id: &'static str,
    /// What the form calls it.
    pub name: &'static str,
    /// Its values, in the site's order.
    pub values: Vec<FacetValue>,
}

/// One value of a filter.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Pages that have it.
    pub count: usize,
}

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    build: String,
    pages: usize,
    chunks: Vec<String>,
    /// Words on more than half of the pages: they barely narrow a search, so a query that
    /// has other words leaves them out rather than download their long lists.
    common: Vec<&'a str>,
    facets: &'a [Facet],
}

/// A word is "common" (see `Manifest::common`) on more than this share of the pages...
const COMMON_SHARE: f64 = 0.5;
/// ...and on more pages than this: below it every list is small enough to fetch anyway.
const COMMON_MIN_PAGES: usize = 1000;

/// Whether a word on `on_pages` of `pages` pages is left out of queries that have other words.
fn is_common(on_pages: usize, pages: usize) -> bool {
    on_pages > COMMON_MIN_PAGES && on_pages as f64 > pages as f64 * COMMON_SHARE
}

#[derive(Serialize)]
struct Fragment<'a> {
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    kind: &'a str,
    labels: &'a [String],
}

/// The index files for a built site. `files` are the rendered pages, read for their text.
pub fn index_files(site: &Site, files: &[OutputFile]) -> Vec<OutputFile> {
    let html_by_url: HashMap<String, &[u8]> = files
        .iter()
        .filter_map(|f| {
            f.path
                .strip_suffix("index.html")
                .map(|dir| (format!("/{dir}"), f.contents.as_slice()))
        })
        .collect();
    let documents = documents(site, &html_by_url);
    let facets = facets(site, &documents);
    build_index(&documents, &facets)
}

/// The index files for a site whose pages were written as they rendered: `texts` holds each
/// page's readable text (`main_text`) by URL, taken while it was rendered.
pub fn index_files_from_texts(site: &Site, texts: HashMap<String, String>) -> Vec<OutputFile> {
    // Each text is moved into its document, never copied: on a large site they add up.
    let texts = std::sync::Mutex::new(texts);
    let documents = documents_with(site, &|url| {
        texts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(url)
            .unwrap_or_default()
    });
    let facets = facets(site, &documents);
    build_index(&documents, &facets)
}

/// The URLs of the pages the index holds: listed (published) playbooks and guides, and sections.
pub fn indexed_urls(site: &Site) -> std::collections::HashSet<&str> {
    site.listed_pages()
        .map(|page| page.url.as_str())
        .chain(site.sections.iter().map(|section| section.url.as_str()))
        .collect()
}

/// The pages to index, in id order: playbooks, then guides, then sections, each by title.
pub fn documents(site: &Site, html_by_url: &HashMap<String, &[u8]>) -> Vec<Document> {
    documents_with(site, &|url| {
        html_by_url
            .get(url)
            .map(|bytes| text::main_text(&String::from_utf8_lossy(bytes)))
            .unwrap_or_default()
    })
}

/// `documents`, with each page's readable text given by `text_of` (by URL).
fn documents_with(site: &Site, text_of: &(dyn Fn(&str) -> String + Sync)) -> Vec<Document> {
    let listed: Vec<&SitePage> = site.listed_pages().collect();
    let mut documents: Vec<Document> = listed
        .par_iter()
        .map(|page| {
            let text = text_of(&page.url);
            match page.meta() {
                PageMeta::Playbook(p) => {
                    let mut facets: Vec<(&'static str, String)> = Vec::new();
                    facets.extend(p.pathway.stages.iter().map(|s| ("stage", s.clone())));
                    facets.extend(p.pathway.settings.iter().map(|s| ("setting", s.clone())));
                    facets.extend(p.audiences.iter().map(|s| ("role", s.clone())));
                    facets.push(("kind", p.technology.kind.as_str().to_string()));
                    let mut labels = vec![p.technology.kind.label().to_string()];
                    labels.extend(p.pathway.stages.iter().map(|s| {
                        site.config
                            .name_of(Vocabulary::Stages, s)
                            .unwrap_or(s)
                            .to_string()
                    }));
                    Document {
                        url: page.url.clone(),
                        title: p.title.clone(),
                        summary: p.summary.clone(),
                        kind: "playbook",
                        labels,
                        text,
                        facets,
                    }
                }
                PageMeta::Guide(g) => Document {
                    url: page.url.clone(),
                    title: g.title.clone(),
                    summary: g
                        .summary
                        .clone()
                        .unwrap_or_else(|| excerpt(&text, &g.title)),
                    kind: "guide",
                    labels: vec!["Guide".into()],
                    text,
                    facets: Vec::new(),
                },
            }
        })
        .collect();
    documents.sort_by(|a, b| {
        (a.kind != "playbook", a.title.to_lowercase())
            .cmp(&(b.kind != "playbook", b.title.to_lowercase()))
    });
    for section in &site.sections {
        let text = text_of(&section.url);
        documents.push(Document {
            url: section.url.clone(),
            title: section.title.clone(),
            summary: section
                .summary
                .clone()
                .unwrap_or_else(|| excerpt(&text, &section.title)),
            kind: "section",
            labels: vec!["List".into()],
            text,
            facets: Vec::new(),
        });
    }
    documents
}

/// The first words of a page's text after its title, for pages without a summary.
fn excerpt(text: &str, title: &str) -> String {
    let body = text.strip_prefix(title).unwrap_or(text).trim();
    let mut out = String::new();
    for word in body.split_whitespace() {
        if out.chars().count() + word.chars().count() > 160 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The filters with their values in the site's order and how many indexed pages have each.
pub fn facets(site: &Site, documents: &[Document]) -> Vec<Facet> {
    let count = |facet: &str, id: &str| {
        documents
            .iter()
            .filter(|d| d.facets.iter().any(|(f, v)| *f == facet && v == id))
            .count()
    };
    let mut out = Vec::new();
    for (id, name, vocabulary) in [
        ("stage", "Pathway stage", Vocabulary::Stages),
        ("setting", "Care setting", Vocabulary::Settings),
        ("role", "Role", Vocabulary::Roles),
    ] {
        out.push(Facet {
            id,
            name,
            values: site
                .config
                .terms(vocabulary)
                .iter()
                .map(|t| FacetValue {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    count: count(id, &t.id),
                })
                .collect(),
        });
    }
    out.push(Facet {
        id: "kind",
        name: "Technology",
        values: crate::render::view::technology_kinds()
            .into_iter()
            .map(|k| FacetValue {
                count: count("kind", &k.id),
                id: k.id,
                name: k.name,
            })
            .collect(),
    });
    out
}

/// Writes the manifest, term chunks, fragments and filter lists for `documents`.
pub fn build_index(documents: &[Document], facets: &[Facet]) -> Vec<OutputFile> {
    // Each page's words and weights, in parallel; then word → postings (page id, weight), in
    // page order because pages are merged in order.
    let per_page: Vec<Vec<(String, u32)>> = documents.par_iter().map(page_weights).collect();
    let mut by_word: foldhash::HashMap<String, Vec<(u32, u32)>> = HashMap::default();
    for (id, weights) in per_page.into_iter().enumerate() {
        for (word, weight) in weights {
            match by_word.get_mut(&word) {
                Some(list) => list.push((id as u32, weight)),
                None => {
                    by_word.insert(word, vec![(id as u32, weight)]);
                }
            }
        }
    }
    let mut postings: Vec<(String, Vec<(u32, u32)>)> = by_word.into_iter().collect();
    postings.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut files = Vec::new();
    let mut chunks: Vec<String> = Vec::new();
    let mut chunk = String::new();
    let close = |chunk: &mut String, files: &mut Vec<OutputFile>, n: usize| {
        chunk.push('}');
        files.push(OutputFile {
            path: format!("{INDEX_DIR}/terms/{n}.json"),
            contents: std::mem::take(chunk).into_bytes(),
        });
    };
    for (word, list) in &postings {
        if chunk.is_empty() {
            chunks.push(word.clone());
            chunk.push('{');
        } else {
            chunk.push(',');
        }
        chunk.push_str(&serde_json::to_string(word).unwrap_or_default());
        chunk.push(':');
        chunk.push_str(&delta_pairs(list));
        if chunk.len() >= CHUNK_TARGET_BYTES {
            close(&mut chunk, &mut files, chunks.len() - 1);
        }
    }
    if !chunk.is_empty() {
        close(&mut chunk, &mut files, chunks.len() - 1);
    }

    for (id, doc) in documents.iter().enumerate() {
        let fragment = Fragment {
            url: &doc.url,
            title: &doc.title,
            summary: &doc.summary,
            kind: doc.kind,
            labels: &doc.labels,
        };
        files.push(OutputFile {
            path: format!("{INDEX_DIR}/pages/{id}.json"),
            contents: serde_json::to_vec(&fragment).unwrap_or_default(),
        });
    }
    for facet in facets {
        for value in facet.values.iter().filter(|v| v.count > 0) {
            let ids: Vec<u32> = documents
                .iter()
                .enumerate()
                .filter(|(_, d)| {
                    d.facets
                        .iter()
                        .any(|(f, v)| *f == facet.id && *v == value.id)
                })
                .map(|(i, _)| i as u32)
                .collect();
            files.push(OutputFile {
                path: format!("{INDEX_DIR}/filters/{}/{}.json", facet.id, value.id),
                contents: delta_list(&ids).into_bytes(),
            });
        }
    }

    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for file in &files {
        file.path.hash(&mut hasher);
        file.contents.hash(&mut hasher);
    }
    let manifest = Manifest {
        version: 1,
        build: format!("{:016x}", hasher.finish()),
        pages: documents.len(),
        chunks,
        common: postings
            .iter()
            .filter(|(_, list)| is_common(list.len(), documents.len()))
            .map(|(word, _)| word.as_str())
            .collect(),
        facets,
    };
    files.push(OutputFile {
        path: format!("{INDEX_DIR}/manifest.json"),
        contents: serde_json::to_vec(&manifest).unwrap_or_default(),
    });
    files
}

/// How much each word of a page counts: title words most, then the summary's, then the body's.
/// Sorted by word.
fn page_weights(doc: &Document) -> Vec<(String, u32)> {
    // One entry per distinct word: a page of 1,500 words has a few hundred, so adding up in a
    // map and sorting those is far cheaper than sorting every occurrence.
    let mut totals: foldhash::HashMap<String, u32> = HashMap::default();
    for (text, weight) in [
        (doc.title.as_str(), TITLE_WEIGHT),
        (doc.summary.as_str(), SUMMARY_WEIGHT),
        (doc.text.as_str(), 1),
    ] {
        text::for_each_word(text, |w| match totals.get_mut(w) {
            Some(total) => *total = (*total + weight).min(MAX_WEIGHT),
            None => {
                totals.insert(w.to_owned(), weight.min(MAX_WEIGHT));
            }
        });
    }
    let mut out: Vec<(String, u32)> = totals.into_iter().collect();
    out.sort_unstable();
    out
}

/// `[id, weight, id - previous id, weight, …]`
fn delta_pairs(list: &[(u32, u32)]) -> String {
    let mut out = String::with_capacity(list.len() * 5 + 2);
    out.push('[');
    let mut previous = 0;
    for (i, (id, weight)) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_number(&mut out, id - previous);
        out.push(',');
        push_number(&mut out, *weight);
        previous = *id;
    }
    out.push(']');
    out
}

/// Appends `n` in decimal (the index writes millions of numbers; `format!` is slow for that).
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(d as char);
    }
}

/// `[id, id - previous id, …]`
fn delta_list(ids: &[u32]) -> String {
    let mut out = String::from("[");
    let mut previous = 0;
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_number(&mut out, id - previous);
        previous = *id;
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, text: &str, stage: &str) -> Document {
        Document {
            url: format!("/p/{}/", title.to_lowercase()),
            title: title.into(),
            summary: String::new(),
            kind: "playbook",
            labels: Vec::new(),
            text: text.into(),
            facets: vec![("stage", stage.into())],
        }
    }

    fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
        let file = files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"));
        std::str::from_utf8(&file.contents).unwrap()
    }

    #[test]
    fn postings_are_delta_encoded_with_title_words_weighted() {
        let docs = vec![
            doc("Alpha", "oximetry at home", "monitoring"),
            doc("Beta", "nothing here", "triage"),
            doc("Gamma", "oximetry oximetry", "monitoring"),
        ];
        let facets = vec![Facet {
            id: "stage",
            name: "Stage",
            values: vec![FacetValue {
                id: "monitoring".into(),
                name: "Monitoring".into(),
                count: 2,
            }],
        }];
        let files = build_index(&docs, &facets);
        let chunk: serde_json::Value =
            serde_json::from_str(file(&files, "search/index/terms/0.json")).unwrap();
        assert_eq!(chunk["oximetry"], serde_json::json!([0, 1, 2, 2]));
        assert_eq!(chunk["alpha"], serde_json::json!([0, 10]));
        assert_eq!(
            file(&files, "search/index/filters/stage/monitoring.json"),
            "[0,2]"
        );
        let manifest: serde_json::Value =
            serde_json::from_str(file(&files, "search/index/manifest.json")).unwrap();
        assert_eq!(manifest["pages"], 3);
        assert_eq!(manifest["common"], serde_json::json!([]));
        assert_eq!(manifest["chunks"][0], "alpha");
        let fragment: serde_json::Value =
            serde_json::from_str(file(&files, "search/index/pages/1.json")).unwrap();
        assert_eq!(fragment["title"], "Beta");
    }

    #[test]
    fn chunks_split_the_sorted_word_list_and_the_manifest_names_each_first_word() {
        let text: Vec<String> = (0..3000).map(|i| format!("w{i:05}")).collect();
        let docs = vec![doc("One", &text.join(" "), "x")];
        let files = build_index(&docs, &[]);
        let manifest: serde_json::Value =
            serde_json::from_str(file(&files, "search/index/manifest.json")).unwrap();
        let firsts: Vec<&str> = manifest["chunks"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(firsts.len() > 1, "{firsts:?}");
        let mut sorted = firsts.clone();
        sorted.sort();
        assert_eq!(firsts, sorted);
        for (n, first) in firsts.iter().enumerate() {
            let chunk = file(&files, &format!("search/index/terms/{n}.json"));
            assert!(chunk.len() < CHUNK_TARGET_BYTES + 200);
            let value: serde_json::Value = serde_json::from_str(chunk).unwrap();
            let words: Vec<&String> = value.as_object().unwrap().keys().collect();
            assert_eq!(words[0], first);
        }
    }

    #[test]
    fn only_words_on_most_pages_of_a_large_site_are_common() {
        assert!(is_common(6000, 10_000));
        assert!(!is_common(4000, 10_000), "not on most pages");
        assert!(!is_common(900, 1000), "a small site fetches every list");
    }

    #[test]
    fn excerpts_stop_at_a_word_boundary() {
        let text = format!("Title {}", "word ".repeat(100));
        let e = excerpt(&text, "Title");
        assert!(e.ends_with('…') && e.chars().count() <= 162, "{e}");
        assert!(e.starts_with("word word"));
    }
}
