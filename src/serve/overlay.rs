//! What `serve` adds to the HTML it sends: the live-reload script when the theme leaves it out,
//! and, while the last edit does not build, an overlay listing its problems above the last good
//! page. Everything from a diagnostic is escaped: file names and messages quote the author's text.

use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::escape;

/// Where the live-reload script is served; the default theme's base.html links it in serve mode.
pub const SCRIPT_PATH: &str = "/__playbook/live-reload.js";

/// The overlay for a failed rebuild: every diagnostic with its file:line:column, message and help.
pub fn overlay_html(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let mut counts = vec![plural(errors, "error")];
    if warnings > 0 {
        counts.push(plural(warnings, "warning"));
    }
    let mut html = String::with_capacity(1024 + diagnostics.len() * 256);
    html.push_str(concat!(
        "<div id=\"playbook-serve-overlay\" role=\"alert\" ",
        "aria-labelledby=\"playbook-serve-overlay-title\">",
        "<style>",
        "#playbook-serve-overlay{position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;",
        "z-index:2147483647;background:#fff;color:#212b32;border-top:8px solid #d5281b;",
        "box-shadow:0 -4px 16px rgba(0,0,0,.3);padding:16px 24px;",
        "font:16px/1.5 Arial,sans-serif;text-align:left}",
        "#playbook-serve-overlay h2{font-size:20px;margin:0 0 8px}",
        "#playbook-serve-overlay ol{margin:8px 0;padding-left:24px}",
        "#playbook-serve-overlay li{margin:0 0 12px}",
        "#playbook-serve-overlay p{margin:0}",
        "#playbook-serve-overlay code,#playbook-serve-overlay pre{font:14px/1.4 monospace}",
        "#playbook-serve-overlay pre{margin:4px 0;padding:4px 8px;background:#f0f4f5;",
        "overflow:auto;white-space:pre}",
        "#playbook-serve-overlay .pb-serve-error{color:#d5281b;font-weight:bold}",
        "#playbook-serve-overlay button{font:inherit;padding:4px 12px;cursor:pointer}",
        "</style>",
        "<h2 id=\"playbook-serve-overlay-title\">",
    ));
    html.push_str(&format!(
        "The last change does not build ({})",
        counts.join(", ")
    ));
    html.push_str(concat!(
        "</h2><p>You are looking at the last version that built. ",
        "Fix these problems and the page updates by itself.</p><ol>"
    ));
    for d in diagnostics {
        let (class, label) = match d.severity {
            Severity::Error => ("pb-serve-error", "error"),
            Severity::Warning => ("pb-serve-warning", "warning"),
        };
        html.push_str(&format!(
            "<li><p><code>{}:{}:{}</code> <span class=\"{class}\">{label}</span>: {}</p>",
            escape(&d.file),
            d.line,
            d.column,
            escape(&d.message)
        ));
        if let Some(line) = &d.source_line {
            html.push_str(&format!("<pre>{:>4} | {}</pre>", d.line, escape(line)));
        }
        if let Some(help) = &d.help {
            html.push_str(&format!("<p>help: {}</p>", escape(help)));
        }
        html.push_str("</li>");
    }
    html.push_str(concat!(
        "</ol><button type=\"button\" data-playbook-serve-hide>Hide until the next change</button>",
        "</div>"
    ));
    html
}

/// A whole page for when no version of the site has built yet.
pub fn failure_page(overlay: &str) -> String {
    format!(
        concat!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>The site does not build yet</title></head><body><main>",
            "<h1>The site does not build yet</h1></main>{}</body></html>"
        ),
        overlay
    )
}

/// Adds the overlay (when there is one) and the live-reload script (when the page lacks it)
/// just before `</body>`, or at the end of a page that has none.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let has_script = find(html, SCRIPT_PATH.as_bytes()).is_some();
    let mut extra = String::new();
    if let Some(overlay) = overlay {
        extra.push_str(overlay);
    }
    if !has_script {
        extra.push_str(&format!("<script src=\"{SCRIPT_PATH}\" defer></script>"));
    }
    if extra.is_empty() {
        return html.to_vec();
    }
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_escapes_what_authors_wrote() {
        let d = Diagnostic::error("content/<x>.md", 3, 2, "unknown field `<script>`")
            .with_help("did you mean `a&b`?");
        let html = overlay_html(&[d]);
        assert!(html.contains("content/&lt;x&gt;.md:3:2"), "{html}");
        assert!(html.contains("`&lt;script&gt;`"), "{html}");
        assert!(html.contains("help: did you mean `a&amp;b`?"), "{html}");
        assert!(html.contains("(1 error)"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn inject_goes_before_the_last_body_end_and_adds_the_script_once() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, Some("<div>o</div>"))).unwrap();
        assert_eq!(
            out,
            "<html><body><p>x</p><div>o</div><script src=\"/__playbook/live-reload.js\" defer></script></BODY></html>"
        );
        let with_script =
            b"<body><script src=\"/__playbook/live-reload.js\" defer></script></body>";
        assert_eq!(inject(with_script, None), with_script.to_vec());
        let no_body = b"<p>fragment</p>";
        let out = String::from_utf8(inject(no_body, None)).unwrap();
        assert!(out.starts_with("<p>fragment</p><script"), "{out}");
    }
}
