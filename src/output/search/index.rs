//! The index as files, made once by `build` and kept up to date page by page by `serve`.
//!
//! [`SearchIndex::new`] makes every file from the site's documents and keeps what it needs to
//! change one page's record later: each word's postings, the length of its entry in the word
//! list, the cut of the word list into chunks, and a hash of every file. [`SearchIndex::update`]
//! takes a page's new record (same URL, same place in the order: only its body changed), changes
//! just that page's postings, and hands back only the files that changed: the chunks holding
//! words the page gained, lost or weighs differently, the page file holding its record, the
//! filter lists it joined or left, and the manifest. The files are the same bytes `new` would
//! make from the same documents, whatever the order of updates.
//!
//! Chunks are cut where the words say, not only where the bytes do: a chunk closes after a word
//! once it holds `CHUNK_MIN_BYTES` and the word's hash picks it (one word in `CUT_ONE_IN`), or
//! once it reaches `CHUNK_MAX_BYTES`. A word list that grows by a few bytes therefore moves no
//! cut but the nearest one, and a rebuild leaves the other chunks (and browsers' copies of
//! them) as they were.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use super::{is_common, Document, Fragment, Lexicon, INDEX_DIR};
use crate::render::view::Facet;
use crate::render::OutputFile;

/// A chunk of the word list closes after a word the hash picks once it holds this many bytes...
pub const CHUNK_MIN_BYTES: usize = 10 * 1024;
/// ...and after any word once it holds this many (one word's list may pass it).
pub const CHUNK_MAX_BYTES: usize = 16 * 1024;
/// One word in this many ends a chunk that is past `CHUNK_MIN_BYTES`.
const CUT_ONE_IN: u32 = 8;

/// Results' records (title, URL, summary, labels) per file under `pages/`: consecutive page
/// ids share a file, so a site of 10,000 pages has 1,250 of them rather than 10,000, and a page
/// of ten results downloads at most ten files of about 3 KB (16 a file doubled that, for half the files).
pub const PAGES_PER_FILE: usize = 8;

/// The version of the index's layout, in the manifest.
const VERSION: u32 = 2;

#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    build: String,
    pages: usize,
    /// How many pages' records each file under `pages/` holds (`pages/<id / this>.json`).
    pages_per_file: usize,
    chunks: Vec<&'a str>,
    /// Words on more than half of the pages: they barely narrow a search, so a query that
    /// has other words leaves them out rather than download their long lists.
    common: Vec<&'a str>,
    facets: &'a [Facet],
}

/// A chunk of the word list: its first and last word (ids) and how many words it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    first: u32,
    last: u32,
    words: u32,
}

/// The files changed by [`SearchIndex::update`].
#[derive(Debug, Default)]
pub struct IndexChanges {
    /// Files written anew (the manifest always, when anything changed).
    pub written: Vec<OutputFile>,
    /// Paths no longer in the index (chunks past the new last one, emptied filter lists).
    pub removed: Vec<String>,
}

/// The search index of a site, with what it takes to change one page's record.
pub struct SearchIndex {
    lexicon: Lexicon,
    documents: Vec<Document>,
    /// Page id by URL.
    ids: HashMap<String, u32>,
    /// By word id: the pages it is on with its weight, in page order.
    postings: Vec<Vec<(u32, u32)>>,
    /// By word id: the bytes of its `"word":[…]` entry (0 when on no page).
    entry_len: Vec<u32>,
    /// The ids of the words on some page, sorted by word.
    order: Vec<u32>,
    /// The chunks of `order`, in order.
    spans: Vec<Span>,
    facets: Vec<Facet>,
    /// A hash of every file but the manifest, by path.
    hashes: BTreeMap<String, u64>,
}

impl SearchIndex {
    /// Makes every file of the index for `documents` (in page-id order) and `facets`, whose
    /// words are ids in `lexicon`; returns them with the index that can update them.
    pub fn new(
        documents: Vec<Document>,
        facets: Vec<Facet>,
        lexicon: Lexicon,
    ) -> (SearchIndex, Vec<OutputFile>) {
        let words_len = lexicon.len();
        // word id → postings (page id, weight), in page order because pages are taken in order.
        let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); words_len];
        for (page, doc) in documents.iter().enumerate() {
            for &(id, weight) in &doc.words {
                if let Some(list) = postings.get_mut(id as usize) {
                    list.push((page as u32, weight));
                }
            }
        }
        let mut index = SearchIndex {
            ids: documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.url.clone(), i as u32))
                .collect(),
            lexicon,
            documents,
            postings,
            entry_len: vec![0; words_len],
            order: Vec::new(),
            spans: Vec::new(),
            facets,
            hashes: BTreeMap::new(),
        };
        let files = index.write_all();
        (index, files)
    }

    /// Every file, from the postings; fills in the order, entry lengths, spans and hashes.
    fn write_all(&mut self) -> Vec<OutputFile> {
        let words = self.lexicon.words();
        let mut order: Vec<u32> = (0..self.postings.len() as u32)
            .filter(|&id| !self.postings[id as usize].is_empty())
            .collect();
        order.par_sort_unstable_by(|a, b| words[*a as usize].cmp(&words[*b as usize]));
        // Each word's `"word":[…]` is made in parallel; the chunks are then cut in word order.
        let entries: Vec<String> = order
            .par_iter()
            .map(|&id| entry(&words[id as usize], &self.postings[id as usize]))
            .collect();
        for (&id, entry) in order.iter().zip(&entries) {
            self.entry_len[id as usize] = entry.len() as u32;
        }
        let spans = cut(&order, &self.entry_len, &words);
        let mut files = Vec::with_capacity(spans.len() + self.documents.len() / PAGES_PER_FILE);
        let mut position = 0;
        for (n, span) in spans.iter().enumerate() {
            let count = span.words as usize;
            files.push(terms_file(n, &entries[position..position + count]));
            position += count;
        }
        drop(entries);
        let pages = self.documents.len().div_ceil(PAGES_PER_FILE);
        files.par_extend((0..pages).into_par_iter().map(|n| self.pages_file(n)));
        files.extend(self.filter_files());
        drop(words);
        self.order = order;
        self.spans = spans;
        self.hashes = files
            .par_iter()
            .map(|f| (f.path.clone(), content_hash(&f.contents)))
            .collect();
        files.push(self.manifest());
        files
    }

    /// Replaces the record of the page at `document.url` (its title, kind and place in the
    /// order as they were: only what its body gives may differ). Returns the files that
    /// changed, or `None` when the index holds no page at that URL.
    pub fn update(&mut self, document: Document) -> Option<IndexChanges> {
        let page = *self.ids.get(&document.url)?;
        let old = self.documents.get_mut(page as usize)?;
        let facets_changed = old.facets != document.facets;
        let new_words = document.words.clone();
        let old = std::mem::replace(old, document);
        let changed_words = self.repost(page, &old.words, &new_words);
        let new = &self.documents[page as usize];

        let mut written = Vec::new();
        let mut removed = Vec::new();
        let fragment_changed = old.url != new.url
            || old.title != new.title
            || old.summary != new.summary
            || old.kind != new.kind
            || old.labels != new.labels;
        if fragment_changed {
            written.push(self.pages_file(page as usize / PAGES_PER_FILE));
        }
        if !changed_words.is_empty() {
            self.rechunk(&changed_words, &mut written, &mut removed);
        }
        if facets_changed {
            self.refilter(&mut written, &mut removed);
        }
        if written.is_empty() && removed.is_empty() {
            return Some(IndexChanges::default());
        }
        for file in &written {
            self.hashes
                .insert(file.path.clone(), content_hash(&file.contents));
        }
        for path in &removed {
            self.hashes.remove(path);
        }
        written.push(self.manifest());
        Some(IndexChanges { written, removed })
    }

    /// Moves `page` from the postings of `old` words to those of `new` (both sorted by id);
    /// returns the ids of the words whose postings changed.
    fn repost(&mut self, page: u32, old: &[(u32, u32)], new: &[(u32, u32)]) -> HashSet<u32> {
        let mut changed = HashSet::new();
        let (mut i, mut j) = (0, 0);
        while i < old.len() || j < new.len() {
            let (id, weight) = match (old.get(i), new.get(j)) {
                (Some(&(a, wa)), Some(&(b, wb))) if a == b => {
                    i += 1;
                    j += 1;
                    if wa == wb {
                        continue;
                    }
                    (a, Some(wb))
                }
                (Some(&(a, _)), Some(&(b, _))) if a < b => {
                    i += 1;
                    (a, None)
                }
                (Some(&(a, _)), None) => {
                    i += 1;
                    (a, None)
                }
                (_, Some(&(b, wb))) => {
                    j += 1;
                    (b, Some(wb))
                }
                (None, None) => break,
            };
            if self.postings.len() <= id as usize {
                self.postings.resize(id as usize + 1, Vec::new());
                self.entry_len.resize(id as usize + 1, 0);
            }
            let list = &mut self.postings[id as usize];
            match (list.binary_search_by_key(&page, |&(p, _)| p), weight) {
                (Ok(at), Some(weight)) => list[at].1 = weight,
                (Ok(at), None) => {
                    list.remove(at);
                }
                (Err(at), Some(weight)) => list.insert(at, (page, weight)),
                (Err(_), None) => continue,
            }
            changed.insert(id);
        }
        changed
    }

    /// After the postings of `changed` words changed: puts new words into the order and takes
    /// out words on no page, cuts the chunks again, and writes the chunks that differ.
    fn rechunk(
        &mut self,
        changed: &HashSet<u32>,
        written: &mut Vec<OutputFile>,
        removed: &mut Vec<String>,
    ) {
        let words = self.lexicon.words();
        for &id in changed {
            let list = &self.postings[id as usize];
            let word = &words[id as usize];
            let at = self
                .order
                .binary_search_by(|other| words[*other as usize].cmp(word));
            match (at, list.is_empty()) {
                (Ok(at), true) => {
                    self.order.remove(at);
                    self.entry_len[id as usize] = 0;
                }
                (Ok(_), false) => self.entry_len[id as usize] = entry(word, list).len() as u32,
                (Err(at), false) => {
                    self.order.insert(at, id);
                    self.entry_len[id as usize] = entry(word, list).len() as u32;
                }
                (Err(_), true) => {}
            }
        }
        let spans = cut(&self.order, &self.entry_len, &words);
        let mut position = 0;
        for (n, span) in spans.iter().enumerate() {
            let ids = &self.order[position..position + span.words as usize];
            position += span.words as usize;
            let same =
                self.spans.get(n) == Some(span) && !ids.iter().any(|id| changed.contains(id));
            if !same {
                let entries: Vec<String> = ids
                    .iter()
                    .map(|&id| entry(&words[id as usize], &self.postings[id as usize]))
                    .collect();
                written.push(terms_file(n, &entries));
            }
        }
        removed.extend((spans.len()..self.spans.len()).map(terms_path));
        drop(words);
        self.spans = spans;
    }

    /// After a page's filter values changed: counts the values again and writes the lists
    /// that differ.
    fn refilter(&mut self, written: &mut Vec<OutputFile>, removed: &mut Vec<String>) {
        for facet in &mut self.facets {
            for value in &mut facet.values {
                value.count = self
                    .documents
                    .iter()
                    .filter(|d| d.has_facet(facet.id, &value.id))
                    .count();
            }
        }
        let files = self.filter_files();
        let now: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let prefix = format!("{INDEX_DIR}/filters/");
        removed.extend(
            self.hashes
                .keys()
                .filter(|path| path.starts_with(&prefix) && !now.contains(path.as_str()))
                .cloned(),
        );
        for file in files {
            if self.hashes.get(&file.path) != Some(&content_hash(&file.contents)) {
                written.push(file);
            }
        }
    }

    /// The records of the pages in the `n`th file under `pages/`.
    fn pages_file(&self, n: usize) -> OutputFile {
        let start = (n * PAGES_PER_FILE).min(self.documents.len());
        let end = (start + PAGES_PER_FILE).min(self.documents.len());
        let fragments: Vec<Fragment> = self.documents[start..end]
            .iter()
            .map(|doc| Fragment {
                url: &doc.url,
                title: &doc.title,
                summary: &doc.summary,
                kind: doc.kind,
                labels: &doc.labels,
            })
            .collect();
        OutputFile {
            path: format!("{INDEX_DIR}/pages/{n}.json"),
            contents: serde_json::to_vec(&fragments).unwrap_or_default(),
        }
    }

    /// The list of pages of every filter value some page has.
    fn filter_files(&self) -> Vec<OutputFile> {
        let mut files = Vec::new();
        for facet in &self.facets {
            for value in facet.values.iter().filter(|v| v.count > 0) {
                let ids: Vec<u32> = self
                    .documents
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| d.has_facet(facet.id, &value.id))
                    .map(|(i, _)| i as u32)
                    .collect();
                files.push(OutputFile {
                    path: format!("{INDEX_DIR}/filters/{}/{}.json", facet.id, value.id),
                    contents: delta_list(&ids).into_bytes(),
                });
            }
        }
        files
    }

    /// The manifest, from the spans, postings and file hashes as they are now.
    fn manifest(&self) -> OutputFile {
        let words = self.lexicon.words();
        let mut build = DefaultHasher::new();
        for (path, hash) in &self.hashes {
            path.hash(&mut build);
            hash.hash(&mut build);
        }
        let pages = self.documents.len();
        let manifest = Manifest {
            version: VERSION,
            build: format!("{:016x}", build.finish()),
            pages,
            pages_per_file: PAGES_PER_FILE,
            chunks: self
                .spans
                .iter()
                .map(|s| &*words[s.first as usize])
                .collect(),
            common: self
                .order
                .iter()
                .filter(|&&id| is_common(self.postings[id as usize].len(), pages))
                .map(|&id| &*words[id as usize])
                .collect(),
            facets: &self.facets,
        };
        OutputFile {
            path: format!("{INDEX_DIR}/manifest.json"),
            contents: serde_json::to_vec(&manifest).unwrap_or_default(),
        }
    }

    /// The words, for making the records of pages that changed (see `PageText::from_html`).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Gives the words back, for the next index of a site whose pages were read with them.
    pub fn into_lexicon(self) -> Lexicon {
        self.lexicon
    }

    /// Whether the index holds the page at `url`.
    pub fn holds(&self, url: &str) -> bool {
        self.ids.contains_key(url)
    }
}

/// Where the `n`th chunk of the word list goes.
fn terms_path(n: usize) -> String {
    format!("{INDEX_DIR}/terms/{n}.json")
}

/// The `n`th chunk of the word list, from its words' entries.
fn terms_file(n: usize, entries: &[String]) -> OutputFile {
    let mut chunk = String::with_capacity(entries.iter().map(|e| e.len() + 1).sum::<usize>() + 1);
    chunk.push('{');
    for (i, entry) in entries.iter().enumerate() {
        if i > 0 {
            chunk.push(',');
        }
        chunk.push_str(entry);
    }
    chunk.push('}');
    OutputFile {
        path: terms_path(n),
        contents: chunk.into_bytes(),
    }
}

/// Cuts the word list (`order`, with each word's entry length) into chunks (see the module's
/// comment).
fn cut(order: &[u32], entry_len: &[u32], words: &[Box<str>]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut size = 1;
    let mut start = 0;
    for (position, &id) in order.iter().enumerate() {
        size += entry_len[id as usize] as usize + 1;
        let last = position + 1 == order.len();
        if last
            || size >= CHUNK_MAX_BYTES
            || size >= CHUNK_MIN_BYTES && cuts_after(&words[id as usize])
        {
            spans.push(Span {
                first: order[start],
                last: id,
                words: (position + 1 - start) as u32,
            });
            start = position + 1;
            size = 1;
        }
    }
    spans
}

/// Whether a chunk past its minimum size may end after `word`: one word in `CUT_ONE_IN`, by
/// a hash of its bytes that is the same on every machine and in every run (FNV-1a).
fn cuts_after(word: &str) -> bool {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in word.bytes() {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    hash.is_multiple_of(CUT_ONE_IN)
}

/// A file's contents hashed, for the manifest's build id.
fn content_hash(bytes: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

/// `"word":[id, weight, id - previous id, weight, …]`
fn entry(word: &str, list: &[(u32, u32)]) -> String {
    let mut out = serde_json::to_string(word).unwrap_or_default();
    out.push(':');
    out.reserve(list.len() * 5 + 2);
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
    use crate::render::view::FacetValue;

    /// A page's text: `n` words drawn from a vocabulary of 5,000 by a small seeded generator.
    fn text(seed: u32, n: usize) -> String {
        let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                format!("w{}", x % 5000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn doc(lexicon: &Lexicon, i: usize, body: &str) -> Document {
        let stage = if i.is_multiple_of(3) {
            "triage"
        } else {
            "monitoring"
        };
        Document {
            url: format!("/p/{i}/"),
            title: format!("Page {i}"),
            summary: body.chars().take(40).collect(),
            kind: "playbook",
            labels: vec!["Label".into()],
            words: super::super::weights(lexicon, &format!("Page {i}"), "", lexicon.weigh(body, 1)),
            facets: vec![("stage", stage.into())],
        }
    }

    fn facets() -> Vec<Facet> {
        let value = |id: &str, count| FacetValue {
            id: id.into(),
            name: id.into(),
            count,
        };
        vec![Facet {
            id: "stage",
            name: "Stage",
            any: "Any stage",
            values: vec![value("monitoring", 133), value("triage", 67)],
        }]
    }

    fn index_of(bodies: &[String]) -> (SearchIndex, BTreeMap<String, Vec<u8>>) {
        let lexicon = Lexicon::default();
        let docs = bodies
            .iter()
            .enumerate()
            .map(|(i, b)| doc(&lexicon, i, b))
            .collect();
        let (index, files) = SearchIndex::new(docs, facets(), lexicon);
        (
            index,
            files.into_iter().map(|f| (f.path, f.contents)).collect(),
        )
    }

    #[test]
    fn updated_pages_give_the_files_of_a_fresh_index_and_touch_few_chunks() {
        let mut bodies: Vec<String> = (0..200).map(|i| text(i, 300)).collect();
        let (mut index, mut files) = index_of(&bodies);
        let chunks = files.keys().filter(|p| p.contains("/terms/")).count();
        assert!(chunks > 20, "{chunks} chunks");
        let edits = [
            (7, format!("{} zzuniqueword", bodies[7])),
            (150, text(9999, 250)),
            (7, bodies[7].clone()),
            (0, String::new()),
        ];
        for (n, (page, body)) in edits.into_iter().enumerate() {
            bodies[page] = body;
            let changes = index
                .update(doc(index.lexicon(), page, &bodies[page]))
                .expect("an indexed page");
            let terms = changes
                .written
                .iter()
                .filter(|f| f.path.contains("/terms/"))
                .count();
            if n == 0 {
                assert!(terms <= 2, "one new word rewrote {terms} chunks");
                assert!(changes.removed.is_empty());
            }
            for path in changes.removed {
                files.remove(&path);
            }
            for file in changes.written {
                files.insert(file.path, file.contents);
            }
            let fresh = index_of(&bodies).1;
            assert_eq!(
                files.keys().collect::<Vec<_>>(),
                fresh.keys().collect::<Vec<_>>()
            );
            for (path, bytes) in &fresh {
                assert!(files[path] == *bytes, "edit {n}: {path} differs");
            }
        }
        let manifest = String::from_utf8_lossy(&files["search/index/manifest.json"]).into_owned();
        assert!(manifest.contains("\"pages_per_file\":8"), "{manifest}");
    }

    #[test]
    fn a_page_that_is_not_indexed_is_no_update() {
        let (mut index, _) = index_of(&[text(1, 10)]);
        let mut other = doc(index.lexicon(), 5, "words");
        other.url = "/elsewhere/".into();
        assert!(index.update(other).is_none());
    }

    #[test]
    fn chunk_cuts_depend_on_the_words_so_a_longer_list_moves_only_its_own_cut() {
        let words: Vec<Box<str>> = (0..2000).map(|i| format!("w{i:05}").into()).collect();
        let order: Vec<u32> = (0..2000).collect();
        let mut lengths = vec![40u32; 2000];
        let before = cut(&order, &lengths, &words);
        lengths[100] += 30;
        let after = cut(&order, &lengths, &words);
        assert!(before.len() > 3);
        let ends = |spans: &[Span]| spans.iter().map(|s| s.last).collect::<HashSet<u32>>();
        let moved = ends(&before).difference(&ends(&after)).count();
        assert!(moved <= 1, "{moved} cuts moved");
        assert!(before.len().abs_diff(after.len()) <= 1);
        assert!(after.iter().all(|s| s.words > 0));
    }
}
