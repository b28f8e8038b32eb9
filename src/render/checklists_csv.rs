//! `/<section>/<slug>/checklists.csv`: a playbook's checklist items as a spreadsheet, one row per
//! item, for teams that track adoption in Excel or import it into another tool.
//!
//! Columns (site-output.md): checklist, phase, item id, text, owner, NPT mechanism, factor, due.
//! Values are the ids written in front matter (stable, and the same as `playbooks.json`), the
//! text is the item's inline Markdown as plain text, and body task lists have an empty phase,
//! owner, mechanism, factor and due. Quoting is the `csv` crate's (RFC 4180: fields holding a
//! comma, quote or line break are quoted, quotes doubled), with CRLF line ends.

use pulldown_cmark::{Event, Parser};

use crate::content::model::Phase;
use crate::content::PageMeta;
use crate::markdown;
use crate::site::SitePage;

use super::OutputFile;

/// The header row.
pub const COLUMNS: [&str; 8] = [
    "checklist",
    "phase",
    "item id",
    "text",
    "owner",
    "NPT mechanism",
    "factor",
    "due",
];

/// The CSV file of a page: its front matter checklists (a playbook's) and its body task lists.
/// The render stage makes one for every playbook (`Job::ChecklistsCsv`).
pub fn checklists_csv(page: &SitePage) -> OutputFile {
    let mut rows: Vec<[String; 8]> = Vec::new();
    let mut checklists: Vec<_> = match page.meta() {
        PageMeta::Playbook(playbook) => playbook.checklists.iter().collect(),
        PageMeta::Guide(_) => Vec::new(),
    };
    // The page's order: by phase (prepare … sustain), then as written.
    checklists.sort_by_key(|c| Phase::ALL.iter().position(|p| *p == c.phase.as_str()));
    for checklist in checklists {
        for item in &checklist.items {
            rows.push([
                checklist.id.clone(),
                checklist.phase.as_str().to_string(),
                item.id.to_string(),
                plain_text(&item.text),
                item.owner.as_deref().unwrap_or_default().to_string(),
                item.npt.map(|n| n.as_str().to_string()).unwrap_or_default(),
                item.factor
                    .map(|f| f.as_str().to_string())
                    .unwrap_or_default(),
                item.due.as_deref().unwrap_or_default().to_string(),
            ]);
        }
    }
    for checklist in &page.rendered.checklists {
        for item in &checklist.items {
            rows.push([
                checklist.id.clone(),
                String::new(),
                item.id.clone(),
                item.text.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    OutputFile {
        path: format!("{}checklists.csv", page.url.trim_start_matches('/')),
        contents: to_csv(&rows),
    }
}

/// Writes the header and `rows` as CSV.
fn to_csv(rows: &[[String; 8]]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail on I/O, and every row has the same number of fields; an error
    // here would leave a shorter file rather than crash the build.
    let _ = writer.write_record(COLUMNS);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|field| inert(field).into_owned()));
    }
    writer.into_inner().unwrap_or_default()
}

/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and
/// `=HYPERLINK(…)` or DDE can reach out of it): such a field gets a leading `'`, which
/// spreadsheets read as "this is text" (OWASP's advice against CSV injection).
fn inert(field: &str) -> std::borrow::Cow<'_, str> {
    match field.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{field}").into(),
        _ => field.into(),
    }
}

/// Inline Markdown as the plain text a reader sees: `Sign **the** [DPIA](x)` → `Sign the DPIA`.
pub fn plain_text(inline: &str) -> String {
    let mut text = String::with_capacity(inline.len());
    for event in Parser::new_ext(inline, markdown::options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup_but_keeps_words() {
        assert_eq!(
            plain_text("Sign **the** [DPIA](/guides/x/) with `ink`\nand <b>care</b>"),
            "Sign the DPIA with ink and <b>care</b>"
        );
    }

    #[test]
    fn fields_that_a_spreadsheet_would_run_are_made_text() {
        let row = |text: &str| {
            [
                "c".to_string(),
                "prepare".into(),
                "i".into(),
                text.into(),
                String::new(),
                String::new(),
                String::new(),
                "@SUM(1)".into(),
            ]
        };
        let bytes = to_csv(&[
            row("=HYPERLINK(\"https://example.org\")"),
            row("Plan = done"),
        ]);
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains(
                "c,prepare,i,\"'=HYPERLINK(\"\"https://example.org\"\")\",,,,'@SUM(1)\r\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("c,prepare,i,Plan = done,,,,'@SUM(1)\r\n"),
            "{text}"
        );
    }

    #[test]
    fn fields_with_commas_quotes_and_line_breaks_are_quoted() {
        let row = |text: &str| {
            [
                "c".to_string(),
                "prepare".into(),
                "i".into(),
                text.into(),
                String::new(),
                String::new(),
                String::new(),
                "4 weeks, before".into(),
            ]
        };
        let bytes = to_csv(&[row("Say \"yes\""), row("two\nlines")]);
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            text,
            "checklist,phase,item id,text,owner,NPT mechanism,factor,due\r\n\
             c,prepare,i,\"Say \"\"yes\"\"\",,,,\"4 weeks, before\"\r\n\
             c,prepare,i,\"two\nlines\",,,,\"4 weeks, before\"\r\n"
        );
    }
}
