//! What the search index reads from a page: the text of its `<main>` element as readers see it
//! (navigation, scripts, styles and the pathway drawing left out), and the words of that text
//! folded the same way `search.js` folds a query.
//!
//! The HTML is the build's own output (templates plus rendered Markdown), so a small scanner is
//! enough; it never fails, it only reads less well from HTML that is not well formed.

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};
use icu_properties::CodePointMapData;

/// Elements whose text is not part of the page's readable content.
const SKIPPED: &[&str] = &["nav", "script", "style", "svg", "template", "noscript"];

/// Elements that do not break a word when they start or end inside one.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
];

/// Words longer than this (hashes, long URLs) are not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// The readable text inside the page's `<main>` (or the whole page when it has none).
pub fn main_text(html: &str) -> String {
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
    visible_text(inner)
}

/// Strips tags (and the content of skipped elements) and decodes character references.
pub fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut skipping: Option<(&str, usize)> = None; // (element, depth)
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_decoded(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map(|i| &rest[i + 3..]).unwrap_or_default();
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let self_closing = tag.ends_with('/');
        match &mut skipping {
            Some((element, depth)) if element.eq_ignore_ascii_case(name) => {
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
            None => {
                if let Some(element) = SKIPPED.iter().find(|s| s.eq_ignore_ascii_case(name)) {
                    if !closing && !self_closing {
                        skipping = Some((element, 1));
                    }
                } else if !INLINE.iter().any(|i| i.eq_ignore_ascii_case(name))
                    && !out.ends_with(' ')
                {
                    out.push(' ');
                }
            }
        }
    }
    if skipping.is_none() {
        push_decoded(&mut out, rest);
    }
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

/// Appends `text` with `&amp;`, `&#39;`, `&#x2F;` and the few named references the build writes
/// decoded.
fn push_decoded(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
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

/// Calls `f` with each word of `text` (see `words`). ASCII punctuation and spaces never fold
/// into letters, so the text is cut at them first and only the pieces that are not ASCII go
/// through the Unicode tables.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    // Cut at ASCII bytes that are not letters or digits: every byte of a multi-byte character
    // is 0x80 or above, so each cut falls on a character boundary.
    let bytes = text.as_bytes();
    // Lowercased words reuse one buffer: most words are already lowercase and need none.
    let mut lower = String::new();
    let mut start = 0;
    while start < bytes.len() {
        if !is_word_byte(bytes[start]) {
            start += 1;
            continue;
        }
        let mut end = start;
        let mut ascii = true;
        let mut upper = false;
        while end < bytes.len() && is_word_byte(bytes[end]) {
            ascii &= bytes[end] < 0x80;
            upper |= bytes[end].is_ascii_uppercase();
            end += 1;
        }
        let piece = &text[start..end];
        start = end;
        if !ascii {
            split_words(&fold(piece), &mut f);
        } else if piece.len() > MAX_WORD_CHARS {
            // Hashes and long URLs are not words anyone searches for.
        } else if upper {
            lower.clear();
            lower.push_str(piece);
            lower.make_ascii_lowercase();
            f(&lower);
        } else {
            f(piece);
        }
    }
}

/// A byte that can be part of a word: an ASCII letter or digit, or any byte of a character
/// that is not ASCII.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

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
    fn words_are_folded_like_the_browser_folds_a_query() {
        assert_eq!(
            words("Sjögren's CAFÉ, e-learning 24/7 İstanbul"),
            ["sjogren", "s", "cafe", "e", "learning", "24", "7", "istanbul"]
        );
        assert!(words(&"x".repeat(41)).is_empty());
    }
}
