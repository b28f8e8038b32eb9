//! What the search index reads from a page: the text of its `<main>` element as readers see it
//! (navigation, scripts, styles and the pathway drawing left out), and the words of that text
//! folded the same way `search.js` folds a query.
//!
//! The HTML is the build's own output (templates plus rendered Markdown), so a small scanner is
//! enough; it never fails, it only reads less well from HTML that is not well formed.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::CodePointMapData;

/// Words longer than this (hashes, long URLs) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// Where the scanner sends a page's visible text, piece by piece and in order, so a reader can
/// take words from it without the text being copied into one string first.
pub trait TextSink {
    /// Visible text, character references decoded. A word may be cut between two pieces (at an
    /// inline tag: `oxi<b>meter</b>s`), never at a `space`.
    fn text(&mut self, text: &str);
    /// A break between words: the tag of an element that is not inline.
    fn space(&mut self);
}

/// Sends the readable text inside the page's `<main>` (or the whole page when it has none) to
/// `out`, with its white space as written (words split at it anyway, and `Opening` collapses
/// what it keeps).
pub fn push_main_text(html: &str, out: &mut impl TextSink) {
    let inner = match html.find("<main") {
        Some(start) => {
            let after = html[start..]
                .find('>')
                .map(|i| start + i + 1)
                .unwrap_or(html.len());
            let end = html[after..]
                .rfind("</main>")
                .map(|i| after + i)
                .unwrap_or(html.len());
            &html[after..end]
        }
        None => html,
    };
    push_visible_text(inner, out);
}

/// What an element's tags mean for the text around them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Element {
    /// Its content is not readable text: navigation, scripts, styles, drawings (which one).
    Skipped(u8),
    /// It does not break a word when it starts or ends inside one (`a`, `em`, `span`...).
    Inline,
    /// Anything else: its tags separate words.
    Block,
}

/// A tag name of up to 8 bytes as a number, lowercased (0 for longer names, which no element
/// below has): one comparison per candidate instead of a string comparison.
const fn name_key(name: &[u8]) -> u64 {
    if name.len() > 8 {
        return 0;
    }
    let mut key = 0u64;
    let mut i = 0;
    while i < name.len() {
        key |= (name[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    key
}

/// Classifies an element by its tag name, in any case.
fn element(name: &[u8]) -> Element {
    const NAV: u64 = name_key(b"nav");
    const SCRIPT: u64 = name_key(b"script");
    const STYLE: u64 = name_key(b"style");
    const SVG: u64 = name_key(b"svg");
    const TEMPLATE: u64 = name_key(b"template");
    const NOSCRIPT: u64 = name_key(b"noscript");
    /// Elements that do not break a word when they start or end inside one.
    const INLINE: [u64; 25] = {
        let names: [&[u8]; 25] = [
            b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"dfn", b"em", b"i",
            b"kbd", b"mark", b"q", b"s", b"samp", b"small", b"span", b"strong", b"sub", b"sup",
            b"time", b"u", b"var", b"wbr",
        ];
        let mut keys = [0u64; 25];
        let mut i = 0;
        while i < names.len() {
            keys[i] = name_key(names[i]);
            i += 1;
        }
        keys
    };
    match name_key(name) {
        0 => Element::Block,
        NAV => Element::Skipped(0),
        SCRIPT => Element::Skipped(1),
        STYLE => Element::Skipped(2),
        SVG => Element::Skipped(3),
        TEMPLATE => Element::Skipped(4),
        NOSCRIPT => Element::Skipped(5),
        key if INLINE.contains(&key) => Element::Inline,
        _ => Element::Block,
    }
}

/// Sends the text of `html` to `out`: tags stripped (a space where one separates words), the
/// content of skipped elements left out, character references decoded, white space as written.
pub fn push_visible_text(html: &str, out: &mut impl TextSink) {
    let mut skipping: Option<(Element, usize)> = None; // (element, depth)
    let mut rest = html;
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        if skipping.is_none() {
            push_decoded(out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map(|i| &rest[i + 3..]).unwrap_or_default();
            continue;
        }
        // Tags are short: a plain loop finds their end sooner than a vectorised search starts.
        let Some(gt) = rest.bytes().position(|b| b == b'>') else {
            break;
        };
        let tag = &rest.as_bytes()[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.first() == Some(&b'/');
        let name = &tag[usize::from(closing)..];
        let name_len = name
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/')
            .unwrap_or(name.len());
        let kind = element(&name[..name_len]);
        let self_closing = tag.last() == Some(&b'/');
        match &mut skipping {
            Some((skipped, depth)) if *skipped == kind => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else if !self_closing {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None => match kind {
                Element::Skipped(_) => {
                    if !closing && !self_closing {
                        skipping = Some((kind, 1));
                    }
                }
                Element::Block => out.space(),
                Element::Inline => {}
            },
        }
    }
    if skipping.is_none() {
        push_decoded(out, rest);
    }
}

/// The first characters of a page's text with its white space collapsed, taken from the pieces
/// a `TextSink` receives; the rest is not looked at.
#[derive(Debug, Default)]
pub struct Opening {
    text: String,
    chars: usize,
    limit: usize,
    /// White space was seen since the last character kept.
    gap: bool,
}

impl Opening {
    /// An opening of up to `limit` characters.
    pub fn new(limit: usize) -> Opening {
        Opening {
            limit,
            ..Opening::default()
        }
    }

    /// Adds a piece of the text.
    pub fn push(&mut self, text: &str) {
        if self.chars >= self.limit {
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.gap = true;
                continue;
            }
            if self.gap && !self.text.is_empty() {
                self.text.push(' ');
                self.chars += 1;
                if self.chars >= self.limit {
                    return;
                }
            }
            self.gap = false;
            self.text.push(c);
            self.chars += 1;
            if self.chars >= self.limit {
                return;
            }
        }
    }

    /// A break between words.
    pub fn space(&mut self) {
        self.gap = true;
    }

    /// The opening.
    pub fn into_string(self) -> String {
        self.text
    }
}

/// Sends `text` with `&amp;`, `&#39;`, `&#x2F;` and the few named references the build writes
/// decoded.
fn push_decoded(out: &mut impl TextSink, text: &str) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        if amp > 0 {
            out.text(&rest[..amp]);
        }
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map(|i| i + 1);
        let decoded = match end {
            Some(end) if rest[end..].starts_with(';') => decode_reference(&rest[1..end]),
            _ => None,
        };
        match (decoded, end) {
            (Some(c), Some(end)) => {
                out.text(c.encode_utf8(&mut [0; 4]));
                rest = &rest[end + 1..];
            }
            _ => {
                out.text("&");
                rest = &rest[1..];
            }
        }
    }
    if !rest.is_empty() {
        out.text(rest);
    }
}

fn decode_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        _ => return None,
    })
}

/// A word as the index's hash maps hold it. Nearly every word is 16 bytes or shorter and is
/// packed into a number (words hold no NUL bytes, so no two pack alike): looking one up then
/// neither follows a pointer nor compares memory. The same word always gets the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordKey<'a> {
    /// A word of up to 16 bytes, its bytes in order from the lowest.
    Packed(u128),
    /// A longer word.
    Text(&'a str),
}

impl<'a> WordKey<'a> {
    /// The key of a word already folded (see `words`).
    pub fn of(word: &'a str) -> WordKey<'a> {
        if word.len() > 16 {
            return WordKey::Text(word);
        }
        let mut bytes = [0u8; 16];
        bytes[..word.len()].copy_from_slice(word.as_bytes());
        WordKey::Packed(u128::from_le_bytes(bytes))
    }
}

/// The word `key` was packed from.
pub fn unpacked(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|b| *b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// Calls `f` with the key of each word of `text` as the index stores it: lowercased, decomposed
/// (NFD) with combining marks dropped ("Sjögren" → "sjogren"), split on anything that is not a
/// letter or digit. `search.js` does the same with `toLowerCase`, `normalize('NFD')`,
/// `/\p{M}/gu` and `/[\p{Alphabetic}\p{N}]+/gu`, so a query finds what the index holds.
pub fn for_each_word_key(text: &str, mut f: impl FnMut(WordKey<'_>)) {
    let mut words = WordSplitter::default();
    words.push(text, &mut f);
    words.finish(&mut f);
}

/// Splits text that arrives in pieces into word keys (see `for_each_word_key`), joining a word cut between
/// two pieces. This is the search index's hottest loop: every word of every indexed page passes
/// through it. ASCII punctuation and spaces never fold into letters, so the text is cut at them
/// first, eight bytes at a time, and only the pieces that are not ASCII go through the Unicode
/// tables; short ASCII words are packed straight from the text.
#[derive(Debug, Default)]
pub struct WordSplitter {
    /// The start of a word that ran to the end of the last piece.
    carry: String,
    /// Long words with capitals are lowercased here.
    lower: String,
}

impl WordSplitter {
    /// Calls `f` with each word of `text` that it ends; a word running to its end waits for the
    /// next piece (or `finish`).
    pub fn push(&mut self, text: &str, f: &mut impl FnMut(WordKey<'_>)) {
        let bytes = text.as_bytes();
        let mut start = 0;
        if !self.carry.is_empty() {
            let (end, _) = word_end(bytes, 0);
            self.carry.push_str(&text[..end]);
            if end == bytes.len() {
                return;
            }
            self.finish(f);
            start = end;
        }
        loop {
            start = word_start(bytes, start);
            if start == bytes.len() {
                return;
            }
            let (end, seen) = word_end(bytes, start);
            if end == bytes.len() {
                self.carry.push_str(&text[start..]);
                return;
            }
            self.emit(text, start, end, seen, f);
            start = end;
        }
    }

    /// Calls `f` with the word the last piece ended in, if any.
    pub fn finish(&mut self, f: &mut impl FnMut(WordKey<'_>)) {
        if self.carry.is_empty() {
            return;
        }
        let carry = std::mem::take(&mut self.carry);
        let (end, seen) = word_end(carry.as_bytes(), 0);
        self.emit(&carry, 0, end, seen, f);
        self.carry = carry;
        self.carry.clear();
    }

    /// Calls `f` with the word(s) of the run of word bytes `text[start..end]`, whose
    /// `BYTE_CLASS` bits together are `seen`.
    #[inline(always)]
    fn emit(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        seen: u8,
        f: &mut impl FnMut(WordKey<'_>),
    ) {
        let len = end - start;
        // Runs are cut at ASCII bytes, so they are whole characters.
        let Some(piece) = text.get(start..end) else {
            return;
        };
        let bytes = text.as_bytes();
        if seen & NOT_ASCII != 0 {
            split_words(&fold(piece), |w| f(WordKey::of(w)));
        } else if len <= 16 {
            // Sixteen bytes from the word's start in one load (when the text has them), the
            // bytes after the word masked off.
            let mut window = [0u8; 16];
            match bytes.get(start..start + 16) {
                Some(sixteen) => window.copy_from_slice(sixteen),
                None => window[..len].copy_from_slice(piece.as_bytes()),
            }
            if seen & UPPER != 0 {
                window.make_ascii_lowercase();
            }
            let mask = u128::MAX >> (8 * (16 - len));
            f(WordKey::Packed(u128::from_le_bytes(window) & mask));
        } else if len > MAX_WORD_CHARS {
            // Hashes and long URLs are not words anyone searches for.
        } else if seen & UPPER != 0 {
            self.lower.clear();
            self.lower.push_str(piece);
            self.lower.make_ascii_lowercase();
            f(WordKey::Text(&self.lower));
        } else {
            f(WordKey::Text(piece));
        }
    }
}

/// Eight copies of a byte.
const fn repeat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The high bit of each byte of `v` that is in `lo..=hi`, for bytes below 0x80 (so adding
/// never carries into the next byte).
#[inline(always)]
fn bytes_in_range(v: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = v.wrapping_add(repeat(0x80 - lo));
    let above_hi = v.wrapping_add(repeat(0x7f - hi));
    at_least_lo & !above_hi & repeat(0x80)
}

/// Eight bytes of text, from `bytes[i]` on, classified at once: the high bit of each byte that
/// can be part of a word, each ASCII capital, and each byte that is not ASCII.
#[inline(always)]
fn classify8(bytes: &[u8], i: usize) -> Option<(u64, u64, u64)> {
    let eight: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    let v = u64::from_le_bytes(eight);
    let high = v & repeat(0x80);
    let ascii = v & !repeat(0x80);
    let upper = bytes_in_range(ascii, b'A', b'Z') & !high;
    let word = high
        | upper
        | bytes_in_range(ascii, b'a', b'z') & !high
        | bytes_in_range(ascii, b'0', b'9') & !high;
    Some((word, upper, high))
}

/// The first word byte at or after `i` (or the end).
#[inline(always)]
fn word_start(bytes: &[u8], mut i: usize) -> usize {
    while let Some((word, _, _)) = classify8(bytes, i) {
        if word != 0 {
            return i + (word.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !is_word_byte(bytes[i]) {
        i += 1;
    }
    i
}

/// The end of the run of word bytes from `i`, with the `BYTE_CLASS` bits seen in it.
#[inline(always)]
fn word_end(bytes: &[u8], mut i: usize) -> (usize, u8) {
    let mut seen = WORD;
    while let Some((word, upper, high)) = classify8(bytes, i) {
        let others = !word & repeat(0x80);
        let run = (others.trailing_zeros() / 8) as usize; // word bytes before the first other
        let in_run = if run >= 8 {
            u64::MAX
        } else {
            (1u64 << (8 * run)) - 1
        };
        if upper & in_run != 0 {
            seen |= UPPER;
        }
        if high & in_run != 0 {
            seen |= NOT_ASCII;
        }
        if run < 8 {
            return (i + run, seen);
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        let class = BYTE_CLASS[usize::from(b)];
        if class & WORD == 0 {
            break;
        }
        seen |= class;
        i += 1;
    }
    (i, seen)
}

/// A byte that can be part of a word: an ASCII letter or digit, or any byte of a character
/// that is not ASCII.
fn is_word_byte(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & WORD != 0
}

/// `BYTE_CLASS` bits: the byte can be part of a word, is an ASCII capital, is not ASCII.
const WORD: u8 = 1;
const UPPER: u8 = 2;
const NOT_ASCII: u8 = 4;

/// Each byte's `WORD`, `UPPER` and `NOT_ASCII` bits, so the word scanner asks one table.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] = if byte >= 0x80 {
            WORD | NOT_ASCII
        } else if byte.is_ascii_uppercase() {
            WORD | UPPER
        } else if byte.is_ascii_alphanumeric() {
            WORD
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Calls `f` with each run of letters and digits of text already folded by `fold`.
fn split_words<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) {
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty()
            && (word.len() <= MAX_WORD_CHARS || word.chars().count() <= MAX_WORD_CHARS)
        {
            f(word);
        }
    }
}

/// Lowercase, decomposed, without combining marks.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        // Nothing to decompose: the same result, without the Unicode tables.
        return text.to_ascii_lowercase();
    }
    fold_unicode(text)
}

fn fold_unicode(text: &str) -> String {
    let lower = text.to_lowercase();
    let decomposed = DecomposingNormalizerBorrowed::new_nfd().normalize(&lower);
    let categories = CodePointMapData::<GeneralCategory>::new();
    decomposed
        .chars()
        .filter(|c| !GeneralCategoryGroup::Mark.contains(categories.get(*c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // The text and words the index reads, collected whole: what the tests compare.

    /// The readable text inside the page's `<main>` (or the whole page when it has none).
    fn main_text(html: &str) -> String {
        let mut out = String::new();
        push_main_text(html, &mut out);
        collapse_spaces(&out)
    }

    /// Strips tags (and the content of skipped elements) and decodes character references.
    fn visible_text(html: &str) -> String {
        let mut out = String::new();
        push_visible_text(html, &mut out);
        collapse_spaces(&out)
    }

    fn collapse_spaces(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for word in text.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
        out
    }

    impl TextSink for String {
        fn text(&mut self, text: &str) {
            self.push_str(text);
        }

        fn space(&mut self) {
            if !self.ends_with(' ') {
                self.push(' ');
            }
        }
    }

    /// The words of `text` (see `for_each_word_key`).
    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    /// Calls `f` with each word of `text` (see `for_each_word_key`).
    fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
        for_each_word_key(text, |key| match key {
            WordKey::Packed(key) => f(&unpacked(key)),
            WordKey::Text(word) => f(word),
        });
    }

    #[test]
    fn reads_main_and_leaves_out_navigation_scripts_and_drawings() {
        let html = "<html><head><title>T</title></head><body><nav>Menu</nav>\
            <main id=\"main-content\"><h1>Home oximetry</h1><nav class=\"pb-contents\"><ol><li>Contents</li></ol></nav>\
            <p>Pulse <strong>oxi</strong>meters &amp; <em>sats</em>.</p><svg><title>Stages</title><text>1</text></svg>\
            <script>var x = 1;</script><p>Don&#39;t&#x2F;do</p></main><footer>Foot</footer></body></html>";
        assert_eq!(
            main_text(html),
            "Home oximetry Pulse oximeters & sats. Don't/do"
        );
    }

    #[test]
    fn nested_skipped_elements_are_skipped_whole() {
        assert_eq!(
            visible_text("<p>a</p><nav><nav>b</nav>c</nav><p>d</p>"),
            "a d"
        );
    }

    #[test]
    fn unknown_or_broken_references_are_kept_as_written() {
        assert_eq!(visible_text("AT&T &bogus; &#xZZ;"), "AT&T &bogus; &#xZZ;");
    }

    #[test]
    fn the_ascii_shortcuts_give_what_the_unicode_path_gives() {
        for text in [
            "Pulse OXIMETRY, e-learning 24/7; don't",
            "Sjögren's CAFÉ – naïve İstanbul ½ ＡＢＣ x\u{301}y",
            "",
            "  --  ",
            "édition",
            "caféS",
            "MiXeD.Case,Words-Joined_by_punctuation",
        ] {
            let mut slow = Vec::new();
            split_words(&fold_unicode(text), |w| slow.push(w.to_string()));
            assert_eq!(words(text), slow, "{text}");
        }
    }

    #[test]
    fn a_word_has_one_key_however_it_was_written() {
        let keys = |text: &str| {
            let mut keys = Vec::new();
            for_each_word_key(text, |k| keys.push(format!("{k:?}")));
            keys
        };
        let key = |word: &str| format!("{:?}", WordKey::of(word));
        assert_eq!(keys("Café CAFE cafe, cafe"), vec![key("cafe"); 4]);
        // Sixteen bytes pack; seventeen stay text; neither takes bytes from the next word.
        assert_eq!(
            keys("Sixteen-LettersXY abcdefghijklmnopq z"),
            [
                key("sixteen"),
                key("lettersxy"),
                format!("{:?}", WordKey::Text("abcdefghijklmnopq")),
                key("z")
            ]
        );
        let WordKey::Packed(packed) = WordKey::of("abcdefghijklmnop") else {
            panic!("sixteen bytes should pack");
        };
        assert_eq!(unpacked(packed), "abcdefghijklmnop");
    }

    #[test]
    fn text_cut_anywhere_gives_the_words_and_opening_of_the_whole() {
        let keys_of = |pieces: &[&str]| {
            let mut keys = Vec::new();
            let mut splitter = WordSplitter::default();
            for piece in pieces {
                splitter.push(piece, &mut |k| keys.push(format!("{k:?}")));
            }
            splitter.finish(&mut |k| keys.push(format!("{k:?}")));
            keys
        };
        for text in [
            "Pulse OXIMETRY, e-learning 24/7; don't",
            "  Sjögren's CAFÉ – naïve  İstanbul ½ x\u{301}y ",
            "averyveryverylongwordthatgoesonandon, ShortOne Sixteen-LettersXY",
            "a",
        ] {
            let whole = keys_of(&[text]);
            let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for (cut, _) in text.char_indices().skip(1) {
                let (a, b) = text.split_at(cut);
                assert_eq!(keys_of(&[a, "", b]), whole, "{a:?} + {b:?}");
                for limit in [0, 5, 12, 1000] {
                    let mut opening = Opening::new(limit);
                    opening.push(a);
                    opening.push(b);
                    let expected: String = collapsed.chars().take(limit).collect();
                    assert_eq!(opening.into_string(), expected, "{a:?} + {b:?} ({limit})");
                }
            }
        }
    }

    #[test]
    fn eight_bytes_at_a_time_classify_like_the_table() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for start in 0..bytes.len() - 8 {
            let (word, upper, high) = classify8(&bytes, start).unwrap_or_default();
            for (k, &b) in bytes[start..start + 8].iter().enumerate() {
                let bit = |mask: u64| mask >> (8 * k + 7) & 1 == 1;
                let class = BYTE_CLASS[usize::from(b)];
                assert_eq!(bit(word), class & WORD != 0, "word {b:#x}");
                assert_eq!(bit(upper), class & UPPER != 0, "upper {b:#x}");
                assert_eq!(bit(high), class & NOT_ASCII != 0, "high {b:#x}");
            }
        }
    }

    #[test]
    fn words_are_folded_like_the_browser_folds_a_query() {
        assert_eq!(
            words("Sjögren's CAFÉ, e-learning 24/7 İstanbul"),
            ["sjogren", "s", "cafe", "e", "learning", "24", "7", "istanbul"]
        );
        assert!(words(&"x".repeat(41)).is_empty());
    }
}
