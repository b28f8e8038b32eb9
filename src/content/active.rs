//! Files under content/ other than pages are copied to the site as they are, and a browser runs
//! some of them: an HTML or JavaScript file, or an SVG holding a script, opened from the site runs
//! with the site's privileges whatever `raw_html` says. Unless `raw_html = "allow"` (every author
//! trusted), such files are errors, and so is a file that would overwrite a page the build writes.

use std::collections::HashSet;

use crate::config::RawHtml;
use crate::content::AssetSource;
use crate::diagnostics::Diagnostic;

/// Extensions a browser runs or renders as a document of the site.
const ACTIVE_EXTENSIONS: &[&str] = &["html", "htm", "xhtml", "xht", "shtml", "js", "mjs", "cjs"];
/// Extensions of XML documents that can carry script, checked by their content.
const CHECKED_EXTENSIONS: &[&str] = &["svg", "xml", "xsl", "xslt"];

/// Why `asset` (copied to `output_path`) may not be published, if it may not.
/// `taken` holds the output paths the build writes itself, each with a leading `/`.
pub fn asset_problem(
    asset: &AssetSource,
    output_path: &str,
    raw_html: RawHtml,
    taken: &HashSet<String>,
) -> Option<Diagnostic> {
    let file = asset.rel_path.clone();
    if taken.contains(&format!("/{output_path}")) {
        return Some(
            Diagnostic::error(
                file,
                1,
                1,
                format!("this file would overwrite /{output_path}, which the build writes"),
            )
            .with_help("rename the file or move it to another folder"),
        );
    }
    if raw_html == RawHtml::Allow {
        return None;
    }
    let extension = asset
        .content_path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let help = "files under content/ are published as they are: remove the script, put the file in \
                static/ (which site owners control), or set `raw_html = \"allow\"` if every author is trusted";
    if ACTIVE_EXTENSIONS.contains(&extension.as_str()) {
        return Some(
            Diagnostic::error(
                file,
                1,
                1,
                format!("a .{extension} file under content/ would run in readers' browsers"),
            )
            .with_help(help),
        );
    }
    if CHECKED_EXTENSIONS.contains(&extension.as_str()) {
        let bytes = std::fs::read(&asset.abs_path).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        if let Some((offset, what)) = script_in_markup(&text) {
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let line_text = text.lines().nth(line - 1).unwrap_or("");
            return Some(
                Diagnostic::error(
                    file,
                    line,
                    column,
                    format!("this .{extension} file holds script ({what})"),
                )
                .with_source(line_text, 1)
                .with_help(help),
            );
        }
    }
    None
}

/// The first thing in SVG or XML markup that could run script: its byte offset and a name.
pub fn script_in_markup(text: &str) -> Option<(usize, String)> {
    let lower = text.to_ascii_lowercase();
    let mut first: Option<(usize, String)> = None;
    let mut note = |offset: usize, what: String| {
        if first.as_ref().is_none_or(|(o, _)| offset < *o) {
            first = Some((offset, what));
        }
    };
    for needle in [
        "<script",
        "javascript:",
        "vbscript:",
        "<foreignobject",
        "<iframe",
        "<object",
        "<embed",
        "<handler",
        "<?xml-stylesheet",
        "<!entity",
    ] {
        if let Some(offset) = lower.find(needle) {
            note(offset, format!("`{needle}`"));
        }
    }
    // Event-handler attributes: `on…=` after a space, quote or slash.
    let bytes = lower.as_bytes();
    let mut i = 1;
    while i + 2 < bytes.len() {
        if bytes[i] == b'o'
            && bytes[i + 1] == b'n'
            && matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'/'
            )
        {
            let mut j = i + 2;
            while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            let name_end = j;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if name_end > i + 2 && j < bytes.len() && bytes[j] == b'=' {
                note(i, format!("the event handler `{}`", &lower[i..name_end]));
                break;
            }
        }
        i += 1;
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(dir: &std::path::Path, name: &str, text: &str) -> AssetSource {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        AssetSource {
            rel_path: format!("content/playbooks/{name}"),
            content_path: format!("playbooks/{name}"),
            abs_path: path,
        }
    }

    #[test]
    fn html_and_scripted_svg_are_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let none = HashSet::new();
        let html = asset(dir.path(), "x.HTML", "<p>hi</p>");
        let d = asset_problem(&html, "playbooks/x.HTML", RawHtml::Sanitize, &none).unwrap();
        assert!(d.message.contains(".html file") && d.is_error());
        assert!(asset_problem(&html, "playbooks/x.HTML", RawHtml::Allow, &none).is_none());
        let svg = asset(
            dir.path(),
            "p.svg",
            "<svg>\n  <rect width=\"1\"/>\n  <circle onload = \"alert(1)\"/></svg>",
        );
        let d = asset_problem(&svg, "playbooks/p.svg", RawHtml::Deny, &none).unwrap();
        assert_eq!((d.line, d.column), (3, 11), "{d:?}");
        assert!(d.message.contains("`onload`"), "{}", d.message);
        let clean = asset(
            dir.path(),
            "c.svg",
            "<svg><text>turn on the monitor</text></svg>",
        );
        assert!(asset_problem(&clean, "playbooks/c.svg", RawHtml::Sanitize, &none).is_none());
        let pdf = asset(dir.path(), "a.pdf", "<script>");
        assert!(asset_problem(&pdf, "playbooks/a.pdf", RawHtml::Sanitize, &none).is_none());
    }

    #[test]
    fn a_file_cannot_overwrite_what_the_build_writes() {
        let dir = tempfile::tempdir().unwrap();
        let feed = asset(dir.path(), "feed.xml", "<feed/>");
        let taken: HashSet<String> = ["/feed.xml".to_string()].into();
        let d = asset_problem(&feed, "feed.xml", RawHtml::Allow, &taken).unwrap();
        assert!(d.message.contains("overwrite /feed.xml"));
    }

    #[test]
    fn script_is_found_however_it_is_written() {
        assert!(script_in_markup("<SVG><Script>x</Script>").is_some());
        assert!(script_in_markup("<a xlink:href=\"JavaScript:alert(1)\">").is_some());
        assert!(script_in_markup("<g/onclick=alert(1)>").is_some());
        assert!(script_in_markup("<svg><title>Common</title></svg>").is_none());
    }
}
