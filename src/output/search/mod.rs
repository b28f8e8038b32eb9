//! The search index behind `/search/`, written at build time and split so that one search
//! downloads only a small part of it (the approach of Pagefind):
//!
//! ```text
//! search/index/manifest.json        build id, page count, the first word of every chunk, filters
//! search/index/terms/<n>.json       a chunk of the sorted word list: word → [page, weight, …]
//! search/index/pages/<n>.json       the results' titles, URLs, summaries and labels, 8 pages a file
//! search/index/filters/<f>/<v>.json the pages with one filter value (stage, setting, role, kind)
//! ```
//!
//! A query fetches the manifest, the chunk holding each of its words (words are sorted, so a
//! prefix's matches sit in one or two neighbouring chunks), the filter lists it uses, and the
//! files holding the records of the results it shows (`index` makes the files, and keeps them
//! up to date page by page for `serve`). Page ids in postings and filter lists are delta-encoded.
//! Only listed pages (published playbooks and guides) and section pages are indexed: drafts and
//! retired pages never reach it, and generated list pages would only repeat their summaries.

pub mod index;
pub mod text;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::PageMeta;
use crate::render::i18n::Strings;
use crate::render::view::{filters, Facet};
use crate::render::OutputFile;
use crate::site::{Site, SitePage};
use crate::vocabulary::{self, Vocabulary, VOCABULARIES};
pub use index::{IndexChanges, SearchIndex};
use text::{TextSink, WordKey};

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
    /// Its distinct words (ids in the site's `Lexicon`) with their weights: title words count
    /// most, then the summary's, then the body's. Sorted by id.
    pub words: Vec<(u32, u32)>,
    /// Filter values: (filter id, value id).
    pub facets: Vec<(&'static str, String)>,
}

impl Document {
    /// Whether it has the value `value` of the filter `facet`.
    pub fn has_facet(&self, facet: &str, value: &str) -> bool {
        self.facets.iter().any(|(f, v)| *f == facet && v == value)
    }
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

/// Every word the index has met, each given a small id once, shared by the threads that render
/// pages. Pages keep ids and counts rather than their text: at 10,000 playbooks the text alone
/// is about 100 MB, the ids a third of that.
///
/// Each thread counts a page's words in its own `Tally`, which remembers the ids of the words
/// that thread has met: once a few pages are in, nearly every word is found there, so counting
/// a word is one lookup in a map no other thread touches and one add in an array, and the
/// shared list is locked only for words the thread has not met before.
pub struct Lexicon {
    inner: RwLock<LexiconInner>,
    /// One tally per thread of rayon's pool, and one more for any other thread (see `tally`).
    tallies: Vec<Mutex<Tally>>,
}

impl Default for Lexicon {
    fn default() -> Lexicon {
        Lexicon {
            inner: RwLock::default(),
            tallies: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }
}

/// Word ids by word: the lexicon's own, and each thread's copy of the part it has met.
#[derive(Default)]
struct WordIds {
    /// Ids of the words of up to 16 bytes (nearly all), by packed key (see `WordKey`).
    short: foldhash::HashMap<u128, u32>,
    /// Ids of the longer words.
    long: foldhash::HashMap<Box<str>, u32>,
}

impl WordIds {
    #[inline(always)]
    fn get(&self, word: WordKey) -> Option<u32> {
        match word {
            WordKey::Packed(key) => self.short.get(&key).copied(),
            WordKey::Text(word) => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: WordKey, id: u32) {
        match word {
            WordKey::Packed(key) => self.short.insert(key, id),
            WordKey::Text(word) => self.long.insert(word.into(), id),
        };
    }
}

#[derive(Default)]
struct LexiconInner {
    ids: WordIds,
    /// The words, by id.
    words: Vec<Box<str>>,
}

impl LexiconInner {
    fn id(&self, word: WordKey) -> Option<u32> {
        self.ids.get(word)
    }

    fn add(&mut self, word: WordKey) -> u32 {
        let id = self.words.len() as u32;
        self.words.push(match word {
            WordKey::Packed(key) => text::unpacked(key).into(),
            WordKey::Text(word) => word.into(),
        });
        self.ids.insert(word, id);
        id
    }
}

/// One thread's word counter: the ids of the words it has met (a copy of part of the
/// lexicon's), and the counts of the text it is reading, by id.
#[derive(Default)]
struct Tally {
    ids: WordIds,
    /// Each word's count (times its weight, capped at `MAX_WEIGHT`) in the text being read;
    /// zero for every word the text has not used.
    counts: Vec<u32>,
    /// The ids whose count is not zero.
    used: Vec<u32>,
}

impl Tally {
    /// Counts `word` `weight` times more. Inlined: it runs for every word of every page.
    #[inline(always)]
    fn add(&mut self, lexicon: &RwLock<LexiconInner>, word: WordKey, weight: u32) {
        let id = match self.ids.get(word) {
            Some(id) => id,
            None => self.learn(lexicon, word),
        } as usize;
        if id >= self.counts.len() {
            self.counts.resize((id + 1).next_power_of_two(), 0);
        }
        let count = &mut self.counts[id];
        if *count == 0 {
            self.used.push(id as u32);
        }
        *count = (*count + weight).min(MAX_WEIGHT);
    }

    /// The id of a word this thread has not met: from the lexicon, which gives it one if no
    /// thread has met it either.
    #[cold]
    #[inline(never)]
    fn learn(&mut self, lexicon: &RwLock<LexiconInner>, word: WordKey) -> u32 {
        let known = lexicon.read().unwrap_or_else(|p| p.into_inner()).id(word);
        let id = known.unwrap_or_else(|| {
            let mut inner = lexicon.write().unwrap_or_else(|p| p.into_inner());
            // Another thread may have added it since the shared lock was let go.
            inner.id(word).unwrap_or_else(|| inner.add(word))
        });
        self.ids.insert(word, id);
        id
    }

    /// The counted words' ids with their counts, sorted by id; the tally is empty again.
    fn take(&mut self) -> Vec<(u32, u32)> {
        self.used.sort_unstable();
        let counts = &mut self.counts;
        let out = self
            .used
            .iter()
            .map(|&id| (id, std::mem::take(&mut counts[id as usize])))
            .collect();
        self.used.clear();
        out
    }
}

impl Lexicon {
    /// The calling thread's tally. Each thread of rayon's pool has its own, so the lock is
    /// never waited for there; other threads share the last one.
    fn tally(&self) -> MutexGuard<'_, Tally> {
        let slot = rayon::current_thread_index()
            .filter(|i| i + 1 < self.tallies.len())
            .unwrap_or(self.tallies.len() - 1);
        self.tallies[slot]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The words of `text`, each counting `weight` per occurrence (capped), as ids, sorted.
    fn weigh(&self, text: &str, weight: u32) -> Vec<(u32, u32)> {
        let mut tally = self.tally();
        text::for_each_word_key(text, |w| tally.add(&self.inner, w, weight));
        tally.take()
    }

    /// How many words it holds.
    fn len(&self) -> usize {
        self.inner
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .words
            .len()
    }

    /// Its words, by id, while the guard is held (no word can be added meanwhile).
    fn words(&self) -> Words<'_> {
        Words(self.inner.read().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The words of a `Lexicon` by id, read under its lock.
struct Words<'a>(RwLockReadGuard<'a, LexiconInner>);

impl std::ops::Deref for Words<'_> {
    type Target = [Box<str>];

    fn deref(&self) -> &[Box<str>] {
        &self.0.words
    }
}

/// What the index keeps of a page's readable text (`main_text`): its words as ids in the
/// site's `Lexicon`, and its opening for a result that has no summary.
#[derive(Debug, Clone, Default)]
pub struct PageText {
    words: Vec<(u32, u32)>,
    opening: String,
}

/// Characters of a page's text kept for its excerpt: the title it starts with, then the excerpt.
const OPENING_CHARS: usize = 600;

impl PageText {
    /// Reads the text of a page's `<main>` and keeps its words and opening.
    pub fn from_html(html: &str, lexicon: &Lexicon) -> PageText {
        // The scanner hands over the text piece by piece: words are counted and the opening
        // kept as it goes, so the page's text is never copied into one string.
        let mut reader = PageReader {
            words: text::WordSplitter::default(),
            lexicon: &lexicon.inner,
            tally: lexicon.tally(),
            opening: text::Opening::new(OPENING_CHARS),
        };
        text::push_main_text(html, &mut reader);
        reader.space();
        PageText {
            words: reader.tally.take(),
            opening: reader.opening.into_string(),
        }
    }
}

/// Reads a page's text for `PageText` as the scanner finds it.
struct PageReader<'a> {
    words: text::WordSplitter,
    lexicon: &'a RwLock<LexiconInner>,
    tally: MutexGuard<'a, Tally>,
    opening: text::Opening,
}

impl text::TextSink for PageReader<'_> {
    fn text(&mut self, piece: &str) {
        let (tally, lexicon) = (&mut self.tally, self.lexicon);
        self.words.push(piece, &mut |w| tally.add(lexicon, w, 1));
        self.opening.push(piece);
    }

    fn space(&mut self) {
        let (tally, lexicon) = (&mut self.tally, self.lexicon);
        self.words.finish(&mut |w| tally.add(lexicon, w, 1));
        self.opening.space();
    }
}

/// The index files for a site whose pages were written as they rendered: `texts` holds each
/// indexed page's `PageText` by URL, taken while it was rendered, with words in `lexicon`.
pub fn index_files_from_texts(
    site: &Site,
    texts: HashMap<String, PageText>,
    lexicon: Lexicon,
    strings: &Strings,
) -> Vec<OutputFile> {
    // Each text is moved into its document, never copied.
    let texts = Mutex::new(texts);
    let documents = documents_with(site, (&lexicon, strings), &|url| {
        texts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(url)
            .unwrap_or_default()
    });
    let facets = facets(site, &documents);
    SearchIndex::new(documents, facets, lexicon).1
}

/// The index of `site` with each indexed page's text given by `text_of` (by URL), its words in
/// `lexicon`: for `serve`, which keeps the index to update it as pages change.
pub fn index_with(
    site: &Site,
    lexicon: Lexicon,
    strings: &Strings,
    text_of: &(dyn Fn(&str) -> PageText + Sync),
) -> (SearchIndex, Vec<OutputFile>) {
    let documents = documents_with(site, (&lexicon, strings), text_of);
    let facets = facets(site, &documents);
    SearchIndex::new(documents, facets, lexicon)
}

/// The pages the index holds: listed (published) playbooks and guides in the edition's own
/// language (a further language's index leaves out the originals it shows untranslated, so
/// a search in Welsh finds Welsh pages).
pub fn indexed_pages(site: &Site) -> impl Iterator<Item = &SitePage> {
    let own = site.config.edition_language().map(|l| l.code.as_str());
    site.listed_pages()
        .filter(move |page| page.parsed.language() == own)
}

/// The URLs of the pages the index holds: see [`indexed_pages`], and sections.
pub fn indexed_urls(site: &Site) -> std::collections::HashSet<&str> {
    indexed_pages(site)
        .map(|page| page.url.as_str())
        .chain(site.sections.iter().map(|section| section.url.as_str()))
        .collect()
}

/// The record of a listed page (playbook or guide) whose readable text is `text`: for a page
/// whose body changed while serving, the same record the whole index would give it.
pub fn page_document(
    site: &Site,
    page: &SitePage,
    (lexicon, strings): (&Lexicon, &Strings),
    text: PageText,
) -> Document {
    match page.meta() {
        PageMeta::Playbook(p) => {
            let mut facets: Vec<(&'static str, String)> = Vec::new();
            for vocabulary in VOCABULARIES {
                let filter = vocabulary.listing().filter;
                facets.extend(p.terms(vocabulary).iter().map(|s| (filter, s.clone())));
            }
            let kind = p.technology.kind.as_str().to_string();
            facets.push((vocabulary::TECHNOLOGY.filter, kind));
            let kind_label = p.technology.kind.label();
            let mut labels = vec![strings
                .label("technology_kind", p.technology.kind.as_str(), kind_label)
                .to_string()];
            labels.extend(p.pathway.stages.iter().map(|s| {
                site.config
                    .name_of(Vocabulary::Stages, s)
                    .unwrap_or(s)
                    .to_string()
            }));
            Document {
                words: weights(lexicon, &p.title, &p.summary, text.words),
                url: page.url.clone(),
                title: p.title.clone(),
                summary: p.summary.clone(),
                kind: "playbook",
                labels,
                facets,
            }
        }
        PageMeta::Guide(g) => {
            let summary = g
                .summary
                .clone()
                .unwrap_or_else(|| excerpt(&text.opening, &g.title));
            Document {
                words: weights(lexicon, &g.title, &summary, text.words),
                url: page.url.clone(),
                title: g.title.clone(),
                summary,
                kind: "guide",
                labels: vec![strings.text("search.label_guide").to_string()],
                facets: Vec::new(),
            }
        }
    }
}

/// `documents`, with each page's readable text given by `text_of` (by URL).
fn documents_with(
    site: &Site,
    (lexicon, strings): (&Lexicon, &Strings),
    text_of: &(dyn Fn(&str) -> PageText + Sync),
) -> Vec<Document> {
    let listed: Vec<&SitePage> = indexed_pages(site).collect();
    let mut documents: Vec<Document> = listed
        .par_iter()
        .map(|page| page_document(site, page, (lexicon, strings), text_of(&page.url)))
        .collect();
    documents.par_sort_by_cached_key(|d| (d.kind != "playbook", d.title.to_lowercase()));
    for section in &site.sections {
        let text = text_of(&section.url);
        let summary = section
            .summary
            .clone()
            .unwrap_or_else(|| excerpt(&text.opening, &section.title));
        documents.push(Document {
            words: weights(lexicon, &section.title, &summary, text.words),
            url: section.url.clone(),
            title: section.title.clone(),
            summary,
            kind: "section",
            labels: vec![strings.text("search.label_list").to_string()],
            facets: Vec::new(),
        });
    }
    documents
}

/// A page's word weights: its title's words count most, then its summary's, then its body's
/// (`body`, from its `PageText`). Sorted by word id.
fn weights(
    lexicon: &Lexicon,
    title: &str,
    summary: &str,
    body: Vec<(u32, u32)>,
) -> Vec<(u32, u32)> {
    let head = merged(
        &lexicon.weigh(title, TITLE_WEIGHT),
        &lexicon.weigh(summary, SUMMARY_WEIGHT),
    );
    merged(&head, &body)
}

/// Two lists of (word id, weight) sorted by id as one, the weights of a word in both added
/// (capped at `MAX_WEIGHT`).
fn merged(a: &[(u32, u32)], b: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(&&(x, m)), Some(&&(y, n))) if x == y => {
                a.next();
                b.next();
                (x, (m + n).min(MAX_WEIGHT))
            }
            (Some(&&x), Some(&&y)) if x.0 < y.0 => {
                a.next();
                x
            }
            (_, Some(&&y)) => {
                b.next();
                y
            }
            (Some(&&x), None) => {
                a.next();
                x
            }
            (None, None) => return out,
        };
        out.push(next);
    }
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
    let mut facets = filters(&site.config);
    for facet in &mut facets {
        for value in &mut facet.values {
            value.count = documents
                .iter()
                .filter(|d| {
                    d.facets
                        .iter()
                        .any(|(f, v)| *f == facet.id && *v == value.id)
                })
                .count();
        }
    }
    facets
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::view::FacetValue;

    fn doc(lexicon: &Lexicon, title: &str, text: &str, stage: &str) -> Document {
        Document {
            url: format!("/p/{}/", title.to_lowercase()),
            title: title.into(),
            summary: String::new(),
            kind: "playbook",
            labels: Vec::new(),
            words: weights(lexicon, title, "", lexicon.weigh(text, 1)),
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
        let lexicon = Lexicon::default();
        let docs = vec![
            doc(&lexicon, "Alpha", "oximetry at home", "monitoring"),
            doc(&lexicon, "Beta", "nothing here", "triage"),
            doc(&lexicon, "Gamma", "oximetry oximetry", "monitoring"),
        ];
        let facets = vec![Facet {
            id: "stage",
            name: "Stage",
            any: "Any stage",
            values: vec![FacetValue {
                id: "monitoring".into(),
                name: "Monitoring".into(),
                count: 2,
            }],
        }];
        let files = SearchIndex::new(docs, facets, lexicon).1;
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
        assert_eq!(manifest["pages_per_file"], index::PAGES_PER_FILE);
        let fragments: serde_json::Value =
            serde_json::from_str(file(&files, "search/index/pages/0.json")).unwrap();
        assert_eq!(fragments[1]["title"], "Beta");
        assert_eq!(fragments.as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn chunks_split_the_sorted_word_list_and_the_manifest_names_each_first_word() {
        let text: Vec<String> = (0..3000).map(|i| format!("w{i:05}")).collect();
        let lexicon = Lexicon::default();
        let docs = vec![doc(&lexicon, "One", &text.join(" "), "x")];
        let files = SearchIndex::new(docs, Vec::new(), lexicon).1;
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
            assert!(chunk.len() < index::CHUNK_MAX_BYTES + 200);
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
    fn pages_share_word_ids_and_weights_add_up_to_the_cap() {
        let lexicon = Lexicon::default();
        let a = lexicon.weigh("Oximetry oximetry OXIMETRY home", 1);
        let b = lexicon.weigh("home", 1);
        assert_eq!(a.len(), 2);
        let home = a.iter().find(|(_, n)| *n == 1).map(|(id, _)| *id);
        assert_eq!(b, vec![(home.unwrap(), 1)], "the same word has the same id");
        assert!(a.contains(&(0, 3)) || a.contains(&(1, 3)), "{a:?}");
        let loud = lexicon.weigh(&"word ".repeat(500), 1);
        assert_eq!(loud[0].1, MAX_WEIGHT);
        let title_and_body = weights(&lexicon, "home", "home", b);
        assert_eq!(title_and_body[0].1, TITLE_WEIGHT + SUMMARY_WEIGHT + 1);
    }

    #[test]
    fn merging_keeps_ids_sorted_and_adds_the_weights_of_shared_words() {
        let a = [(1, 10), (4, 10), (9, 250)];
        let b = [(0, 1), (4, 3), (5, 1), (9, 10), (12, 2)];
        assert_eq!(
            merged(&a, &b),
            vec![(0, 1), (1, 10), (4, 13), (5, 1), (9, MAX_WEIGHT), (12, 2)]
        );
        assert_eq!(merged(&[], &b), b.to_vec());
        assert_eq!(merged(&a, &[]), a.to_vec());
    }

    #[test]
    fn excerpts_stop_at_a_word_boundary() {
        let text = format!("Title {}", "word ".repeat(100));
        let e = excerpt(&text, "Title");
        assert!(e.ends_with('…') && e.chars().count() <= 162, "{e}");
        assert!(e.starts_with("word word"));
    }
}
