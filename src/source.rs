//! A file's text with a line index, so every stage can turn a byte offset into the
//! `line:column` a person sees in their editor, and quote that line in a diagnostic.

use crate::diagnostics::Diagnostic;

/// The text of one input file and where its lines start. Offsets and line numbers are always
/// the file's, even after [`SourceText::forget_before`] let the front part of the text go.
#[derive(Debug, Clone)]
pub struct SourceText {
    /// Path relative to the site root, with `/` separators (what diagnostics show).
    pub rel_path: String,
    /// The file from byte `base` on, without a byte order mark.
    text: String,
    /// File offset of `text`'s first byte: 0 unless the front was forgotten.
    base: usize,
    /// 0-based index of the first line `text` holds.
    first_line: usize,
    /// File offset of the start of each line from `first_line` on (u32: half the memory, and
    /// no page is 4 GiB).
    line_starts: Vec<u32>,
    /// The file's first line, kept when the front is forgotten or the text packed:
    /// diagnostics about the whole page (two pages at one URL) quote it.
    head: Option<Box<str>>,
    /// `text` packed while it waits (see [`SourceText::pack`]).
    packed: Option<PackedText>,
}

/// Text packed with LZ4 (block format, its length first) while it waits to be used: a page's
/// body between parsing and rendering ([`SourceText::pack`]), its HTML between rendering and
/// its page being made (`render::body`).
#[derive(Debug, Clone)]
pub struct PackedText(Box<[u8]>);

impl PackedText {
    /// Packs `text`.
    pub fn pack(text: &str) -> Self {
        PackedText(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The length of the text in bytes, read from the packed bytes without unpacking them.
    pub fn len(&self) -> usize {
        lz4_flex::block::uncompressed_size(&self.0).map_or(0, |(len, _)| len)
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text. The bytes are this process's own, so they unpack; were they ever damaged,
    /// what remains readable is kept rather than failing the build.
    pub fn unpack(&self) -> String {
        match lz4_flex::decompress_size_prepended(&self.0) {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }
}

/// How much text a build keeps as it is before it starts packing ([`PackBudget`]): packing
/// and unpacking cost about a fifth of the instructions of a build of 1,000 guides, where it
/// saves no memory worth having, and a large site still packs all but this much.
pub const UNPACKED_BYTES: usize = 16 << 20;

/// Decides which texts wait packed: the first [`UNPACKED_BYTES`] offered stay as they are, and
/// everything after that is packed. Shared by the threads of a stage; which texts come first
/// depends on their order, which changes nothing in the output.
#[derive(Debug)]
pub struct PackBudget(std::sync::atomic::AtomicUsize);

impl Default for PackBudget {
    fn default() -> Self {
        PackBudget::new(UNPACKED_BYTES)
    }
}

impl PackBudget {
    /// A budget that keeps `bytes` of text unpacked.
    pub fn new(bytes: usize) -> Self {
        PackBudget(std::sync::atomic::AtomicUsize::new(bytes))
    }

    /// Whether a text of `len` bytes should be packed: false while it fits in what is left of
    /// the budget (which it then uses up).
    pub fn should_pack(&self, len: usize) -> bool {
        use std::sync::atomic::Ordering::Relaxed;
        self.0
            .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(len))
            .is_err()
    }
}

impl SourceText {
    /// Indexes `text`, dropping a leading UTF-8 byte order mark.
    pub fn new(rel_path: impl Into<String>, text: String) -> Self {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        // memchr finds line ends many bytes at a time (a byte-by-byte filter was 4% of a build).
        let newlines = || memchr::memchr_iter(b'\n', text.as_bytes());
        let mut line_starts = Vec::with_capacity(newlines().count() + 1);
        line_starts.push(0);
        line_starts.extend(newlines().map(|i| u32::try_from(i + 1).unwrap_or(u32::MAX)));
        Self {
            rel_path: rel_path.into(),
            text,
            base: 0,
            first_line: 0,
            line_starts,
            head: None,
            packed: None,
        }
    }

    /// Lets the text before file offset `offset` go, when `offset` starts a line and the text
    /// before it is at least a quarter of what is held (otherwise does nothing). Parsing calls it once the front matter is read, so a large site does not hold
    /// every page's front matter text twice (as text and as typed values) until the end.
    pub fn forget_before(&mut self, offset: usize) {
        let Ok(key) = u32::try_from(offset) else {
            return;
        };
        let Ok(index) = self.line_starts.binary_search(&key) else {
            return;
        };
        // Copying the rest only pays when the front is a good part of the text (a playbook's
        // front matter is often most of its file; a guide's is a few lines).
        if index == 0 || (offset - self.base) * 4 < self.text.len() {
            return;
        }
        if self.first_line == 0 {
            self.head = Some(self.line_text(1).into());
        }
        self.text = self
            .text
            .get(offset - self.base..)
            .unwrap_or("")
            .to_string();
        self.line_starts.drain(..index);
        self.line_starts.shrink_to_fit();
        self.first_line += index;
        self.base = offset;
    }

    /// Packs the text held with LZ4 until [`SourceText::unpack`]: `content::parse_all` packs
    /// each page's body once its front matter is read, and `site::assemble` unpacks it to
    /// render it, so a large site does not hold every body as text in between (about 100 MB at
    /// 10,000 playbooks). While packed the text reads as empty, except its first line (which diagnostics
    /// about the whole page quote); only `unpack` and the line index work as before.
    pub fn pack(&mut self) {
        if self.packed.is_some() || self.text.is_empty() {
            return;
        }
        if self.first_line == 0 && self.head.is_none() {
            self.head = Some(self.line_text(1).into());
        }
        self.packed = Some(PackedText::pack(&std::mem::take(&mut self.text)));
    }

    /// Packs the text (see [`SourceText::pack`]) unless `budget` keeps it as it is.
    pub fn pack_within(&mut self, budget: &PackBudget) {
        if budget.should_pack(self.text.len()) {
            self.pack();
        }
    }

    /// Whether the text is packed (see [`SourceText::pack`]).
    pub fn is_packed(&self) -> bool {
        self.packed.is_some()
    }

    /// The text as it was before [`SourceText::pack`] (does nothing if it was not packed).
    pub fn unpack(&mut self) {
        if let Some(packed) = self.packed.take() {
            self.text = packed.unpack();
        }
    }

    /// The text held: the whole file unless [`SourceText::forget_before`] cut its front.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length of the file in bytes.
    pub fn len(&self) -> usize {
        self.base
            + self
                .packed
                .as_ref()
                .map_or(self.text.len(), PackedText::len)
    }

    /// True for an empty file.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text at file offsets `range`, if it is held and on character boundaries.
    pub fn get(&self, range: std::ops::Range<usize>) -> Option<&str> {
        let start = range.start.checked_sub(self.base)?;
        let end = range.end.checked_sub(self.base)?;
        self.text.get(start..end)
    }

    /// Number of lines (a trailing newline does not start a new one).
    pub fn line_count(&self) -> usize {
        let held = self.first_line + self.line_starts.len();
        if self.text.ends_with('\n') {
            held - 1
        } else {
            held
        }
    }

    /// Byte offset where the line with 0-based `index` starts, if there is one.
    fn start_of(&self, index: usize) -> Option<usize> {
        let held = index.checked_sub(self.first_line)?;
        self.line_starts.get(held).map(|&start| start as usize)
    }

    /// The text of 1-based `line`, without its line ending; empty past the end.
    pub fn line_text(&self, line: usize) -> &str {
        if let (1, Some(head)) = (line, &self.head) {
            return head;
        }
        let Some(start) = self.start_of(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.start_of(line).unwrap_or(self.len());
        self.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    /// 1-based line and character column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.clamp(self.base, self.len());
        let key = u32::try_from(offset).unwrap_or(u32::MAX);
        let line_index = self.first_line
            + match self.line_starts.binary_search(&key) {
                Ok(i) => i,
                Err(i) => i.saturating_sub(1),
            };
        let start = self.start_of(line_index).unwrap_or(self.base);
        let column = self
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0)
            + 1;
        (line_index + 1, column)
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.start_of(line.wrapping_sub(1)).unwrap_or(self.len())
    }

    /// An error at `line:column`, quoting the line and underlining `width` characters.
    pub fn error(
        &self,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(self.rel_path.clone(), line, column, message)
            .with_source(self.line_text(line), width)
    }

    /// A warning at `line:column`, quoting the line and underlining `width` characters.
    pub fn warning(
        &self,
        line: usize,
        column: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::warning(self.rel_path.clone(), line, column, message)
            .with_source(self.line_text(line), width)
    }

    /// An error covering the byte range `span`.
    pub fn error_at_span(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        let width = self
            .get(span.clone())
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(1);
        self.error(line, column, width, message)
    }
}

/// The files one front matter tree was read from, chosen by a node's `file` (see
/// `content::yaml::Node::file`): the page's own, and the base page a local version adapts.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    /// The page's own file (`file` 0).
    pub own: &'a SourceText,
    /// The base page's file (`file` 1), for a local version.
    pub base: Option<&'a SourceText>,
}

impl<'a> Files<'a> {
    /// Just the page's own file.
    pub fn one(own: &'a SourceText) -> Self {
        Files { own, base: None }
    }

    /// The file a value marked `file` was read from.
    pub fn of(&self, file: u8) -> &'a SourceText {
        match (file, self.base) {
            (1, Some(base)) => base,
            _ => self.own,
        }
    }
}

/// Decodes file bytes as UTF-8, or explains where the first invalid byte is.
pub fn decode_utf8(rel_path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let before = String::from_utf8_lossy(&bytes[..valid]);
            let line = before.matches('\n').count() + 1;
            let column = before
                .rsplit('\n')
                .next()
                .map(|s| s.chars().count())
                .unwrap_or(0)
                + 1;
            // Quote the line with the bad bytes shown as �, so the author can find them.
            let lossy = String::from_utf8_lossy(&bytes);
            let line_text = lossy.lines().nth(line - 1).unwrap_or("");
            Err(Diagnostic::error(rel_path, line, column, "the file is not valid UTF-8 text")
                .with_source(line_text, 1)
                .with_help("save the file with UTF-8 encoding (in most editors: \"Save with encoding\" → UTF-8)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let s = SourceText::new("a.md", "ab\nçd\r\nef".to_string());
        assert_eq!(s.position(0), (1, 1));
        assert_eq!(s.position(3), (2, 1));
        assert_eq!(s.position(5), (2, 2), "ç is two bytes but one column");
        assert_eq!(s.line_text(2), "çd");
        assert_eq!(s.line_text(3), "ef");
        assert_eq!(s.line_text(9), "");
        assert_eq!(s.line_count(), 3);
    }

    #[test]
    fn packed_text_is_smaller_unpacks_as_it_was_and_knows_its_length() {
        let html = "<p>Check the <strong>escalation route</strong> with the ward team.</p>\n"
            .repeat(200)
            + "<p>Último párrafo – ŵ</p>";
        let packed = PackedText::pack(&html);
        assert!(
            packed.0.len() * 5 < html.len(),
            "{} of {}",
            packed.0.len(),
            html.len()
        );
        assert_eq!(packed.len(), html.len());
        assert_eq!(packed.unpack(), html);
        assert!(PackedText::pack("").is_empty());
        assert_eq!(PackedText::pack("").unpack(), "");
    }

    #[test]
    fn a_pack_budget_keeps_texts_as_they_are_until_it_is_used_up() {
        let budget = PackBudget::new(100);
        assert!(!budget.should_pack(60), "fits");
        assert!(budget.should_pack(60), "only 40 bytes are left");
        assert!(!budget.should_pack(40), "a smaller text still fits");
        assert!(budget.should_pack(1), "nothing is left");

        let mut text = SourceText::new("a.md", "line one\nline two\n".into());
        text.pack_within(&PackBudget::new(1 << 10));
        assert!(!text.is_packed());
        text.pack_within(&PackBudget::new(4));
        assert!(text.is_packed());
        text.unpack();
        assert_eq!(text.line_text(2), "line two");
    }

    #[test]
    fn damaged_packed_bytes_give_what_is_readable_not_a_panic() {
        assert_eq!(PackedText(Box::new([200, 0, 0, 0, 1])).unpack(), "");
        assert_eq!(PackedText(Box::new([])).unpack(), "");
        assert_eq!(PackedText(Box::new([])).len(), 0);
    }

    #[test]
    fn a_packed_text_unpacks_as_it_was_and_keeps_its_first_line_meanwhile() {
        let text = format!(
            "---\n{}---\n# Heading\n\nBody with ŵ.\n",
            "title: A long front matter line\n".repeat(8)
        );
        let mut s = SourceText::new("content/p.md", text.clone());
        let body = s.line_start(11);
        s.forget_before(body);
        assert_eq!(s.as_str(), &text[body..], "the front is forgotten first");
        let (len, position) = (s.len(), s.position(body + 2));
        s.pack();
        assert_eq!(s.as_str(), "");
        assert_eq!(s.len(), len);
        assert_eq!(s.line_text(1), "---", "line 1 is still quoted");
        s.pack(); // packing twice changes nothing
        s.unpack();
        assert_eq!(s.as_str(), &text[body..]);
        assert_eq!((s.len(), s.position(body + 2)), (len, position));
        s.unpack(); // nor does unpacking twice
        assert_eq!(s.as_str(), &text[body..]);

        let mut fresh = SourceText::new("content/q.md", "# Only line\n".into());
        fresh.pack();
        assert_eq!(fresh.line_text(1), "# Only line");
        fresh.unpack();
        assert_eq!(fresh.as_str(), "# Only line\n");
    }

    #[test]
    fn forgetting_the_front_keeps_file_positions() {
        let mut s = SourceText::new("a.md", "---\ntitle: x\n---\nbody ç\nend\n".to_string());
        let body = s.line_start(4);
        s.forget_before(body);
        assert_eq!(s.as_str(), "body ç\nend\n");
        assert_eq!(s.line_text(4), "body ç");
        assert_eq!(s.line_text(5), "end");
        assert_eq!(s.line_text(1), "---", "the first line is kept");
        assert_eq!(s.line_text(2), "", "front matter lines are gone");
        assert_eq!(s.position(body + 7), (4, 7));
        assert_eq!(s.get(body..body + 4), Some("body"));
        assert_eq!(s.get(0..3), None);
        assert_eq!(s.line_count(), 5);
        assert_eq!(s.len(), 29);
        s.forget_before(body + 1); // not a line start: nothing happens
        assert_eq!(s.line_text(4), "body ç");
    }

    #[test]
    fn a_short_front_is_not_worth_forgetting() {
        let text = format!("---\ntitle: x\n---\n{}", "body\n".repeat(20));
        let mut s = SourceText::new("a.md", text.clone());
        s.forget_before(s.line_start(4));
        assert_eq!(
            s.as_str(),
            text,
            "copying the body to save 17 bytes does not pay"
        );
        assert_eq!(s.line_text(2), "title: x");
    }

    #[test]
    fn bom_is_dropped() {
        let s = SourceText::new("a.md", "\u{feff}---\n".to_string());
        assert_eq!(s.line_text(1), "---");
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = decode_utf8("a.md", b"ok\nbad \xff here".to_vec()).unwrap_err();
        assert_eq!((err.line, err.column), (2, 5));
        assert_eq!(err.source_line.as_deref(), Some("bad \u{fffd} here"));
    }
}
