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

/// The readable text inside the page's `<main>` (or the whole page when it has none).
pub fn main_text(html: &str) -> String {
    let mut out = String::new();
    push_main_text(html, &mut out);
    collapse_spaces(&out)
}

/// Appends the readable text inside the page's `<main>` (or the whole page when it has none)
/// to `out`, with its white space as written: `main_text` without the collapsing, for readers
/// that split it into words anyway.
pub fn push_main_text(html: &str, out: &mut String) {
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

/// Strips tags (and the content of skipped elements) and decodes character references.
pub fn visible_text(html: &str) -> String {
    let mut out = String::new();
    push_visible_text(html, &mut out);
    collapse_spaces(&out)
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

/// Appends the text of `html` to `out`: tags stripped (a space where one separates words), the
/// content of skipped elements left out, character references decoded, white space as written.
pub fn push_visible_text(html: &str, out: &mut String) {
    out.reserve(html.len() / 2);
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
                Element::Block if !out.ends_with(' ') => out.push(' '),
                Element::Block | Element::Inline => {}
            },
        }
    }
    if skipping.is_none() {
        push_decoded(out, rest);
    }
}

/// The first `chars` characters of `text` with its white space collapsed, as `main_text` would
/// begin, without collapsing the rest.
pub fn collapsed_opening(text: &str, chars: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count >= chars {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            count += 1;
        }
        out.push_str(word);
        count += word.chars().count();
    }
    if count > chars {
        if let Some((end, _)) = out.char_indices().nth(chars) {
            out.truncate(end);
        }
    }
    out
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

/// Appends `text` with `&amp;`, `&#39;`, `&#x2F;` and the few named references the build writes
/// decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = memchr::memchr(b'&', rest.as_bytes()) {
        out.push_str(&rest[..amp]);
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
                out.push(c);
                rest = &rest[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
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

/// The words of `text` as the index stores them: lowercased, decomposed (NFD) with combining
/// marks dropped ("Sjögren" → "sjogren"), split on anything that is not a letter or digit.
/// `search.js` does the same with `toLowerCase`, `normalize('NFD')`, `/\p{M}/gu` and
/// `/[\p{Alphabetic}\p{N}]+/gu`, so a query finds what the index holds.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each word of `text` (see `words`).
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    for_each_word_key(text, |key| match key {
        WordKey::Packed(key) => f(&unpacked(key)),
        WordKey::Text(word) => f(word),
    });
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

/// Calls `f` with the key of each word of `text` (see `words`). ASCII punctuation and spaces
/// never fold into letters, so the text is cut at them first and only the pieces that are not
/// ASCII go through the Unicode tables; short ASCII words are packed straight from the text.
/// This is the search index's hottest loop: every word of every indexed page passes through it.
pub fn for_each_word_key(text: &str, mut f: impl FnMut(WordKey<'_>)) {
    // Cut at ASCII bytes that are not letters or digits: every byte of a multi-byte character
    // is 0x80 or above, so each cut falls on a character boundary.
    let bytes = text.as_bytes();
    // Long words with capitals are lowercased in one reused buffer.
    let mut lower = String::new();
    let mut start = 0;
    while start < bytes.len() {
        if !is_word_byte(bytes[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        let mut seen = 0;
        while let Some(&b) = bytes.get(end) {
            let class = BYTE_CLASS[usize::from(b)];
            if class & WORD == 0 {
                break;
            }
            seen |= class;
            end += 1;
        }
        let piece = &text[start..end];
        let len = end - start;
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
            lower.clear();
            lower.push_str(piece);
            lower.make_ascii_lowercase();
            f(WordKey::Text(&lower));
        } else {
            f(WordKey::Text(piece));
        }
        start = end;
    }
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
pub fn split_words<'a>(folded: &'a str, mut f: impl FnMut(&'a str)) {
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty()
            && (word.len() <= MAX_WORD_CHARS || word.chars().count() <= MAX_WORD_CHARS)
        {
            f(word);
        }
    }
}

/// Lowercase, decomposed, without combining marks.
pub fn fold(text: &str) -> String {
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
    fn words_are_folded_like_the_browser_folds_a_query() {
        assert_eq!(
            words("Sjögren's CAFÉ, e-learning 24/7 İstanbul"),
            ["sjogren", "s", "cafe", "e", "learning", "24", "7", "istanbul"]
        );
        assert!(words(&"x".repeat(41)).is_empty());
    }
}
