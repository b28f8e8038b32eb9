//! One `Diagnostic` type for every problem `playbook` finds, and its three renderings:
//! rustc-style for people, JSON lines for tools, and GitHub annotations for CI.
//!
//! Every stage reports problems as values; nothing prints or exits on its own. That is what
//! lets `build` and `check` collect all errors of a run and show them together.

use std::fmt::Write as _;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How serious a problem is. Warnings fail only under `--strict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built as written.
    Error,
    /// The site builds, but something needs an author's attention (governance, review dates).
    Warning,
}

/// A problem with a place in a file, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based line in the file (not in the front matter block).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it; `None` only where the message says it all.
    pub help: Option<String>,
    /// The front matter field it concerns, e.g. `pathway.stages[1]`, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The text of the line, shown under the message for people.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters from `column` to underline (at least 1).
    #[serde(skip)]
    pub width: usize,
    /// The column of `source_line`'s first character: 1, unless a very long line was cut to
    /// the part around `column` (so thousands of problems on one line stay cheap to show).
    #[serde(skip)]
    pub source_first_column: usize,
}

/// Lines longer than this many bytes are quoted only around the problem.
const QUOTE_LIMIT: usize = 240;

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, file.into(), line, column, message.into())
    }

    /// A warning at `file:line:column`.
    pub fn warning(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file.into(), line, column, message.into())
    }

    fn new(severity: Severity, file: String, line: usize, column: usize, message: String) -> Self {
        Self {
            severity,
            file,
            line: line.max(1),
            column: column.max(1),
            message,
            help: None,
            field: None,
            source_line: None,
            width: 1,
            source_first_column: 1,
        }
    }

    /// Adds how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the front matter field concerned.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Attaches the text of the line and how much of it to underline.
    pub fn with_source(mut self, line_text: &str, width: usize) -> Self {
        let line = line_text.trim_end_matches(['\r', '\n']);
        self.width = width.max(1);
        if line.len() <= QUOTE_LIMIT {
            self.source_line = Some(line.to_string());
            self.source_first_column = 1;
            return self;
        }
        // A window of the line around the column: from up to 80 characters before it.
        let first = self.column.saturating_sub(80).max(1);
        // `chars().count()` runs at full speed even in debug builds, unlike `is_ascii()`.
        let mut cut = (first - 1).min(line.len());
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        let prefix = &line[..cut];
        let start = if prefix.chars().count() == prefix.len() && prefix.len() == first - 1 {
            prefix.len()
        } else {
            line.char_indices()
                .nth(first - 1)
                .map_or(line.len(), |(i, _)| i)
        };
        let window: String = line[start..].chars().take(QUOTE_LIMIT).collect();
        let shown = window.chars().count();
        self.width = self
            .width
            .min((shown + first).saturating_sub(self.column).max(1));
        self.source_line = Some(window);
        self.source_first_column = first;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style text for people.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// `::error file=…` lines that GitHub Actions turns into annotations.
    Github,
}

/// Renders diagnostics in `format`, one after another, sorted by file and line.
pub fn render_all(diagnostics: &[Diagnostic], format: Format, color: bool) -> String {
    let mut out = String::new();
    for diagnostic in sorted(diagnostics) {
        match format {
            Format::Human => {
                out.push_str(&render_human(diagnostic, color));
                out.push_str("\n\n");
            }
            Format::Json => {
                let line = serde_json::to_string(diagnostic).unwrap_or_default();
                out.push_str(&line);
                out.push('\n');
            }
            Format::Github => {
                out.push_str(&render_github(diagnostic));
                out.push('\n');
            }
        }
    }
    out
}

/// Diagnostics in reading order: errors and warnings interleaved by file, line and column.
pub fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut list: Vec<&Diagnostic> = diagnostics.iter().collect();
    list.sort_by(|a, b| {
        (a.file.as_str(), a.line, a.column, a.severity).cmp(&(
            b.file.as_str(),
            b.line,
            b.column,
            b.severity,
        ))
    });
    list.dedup_by(|a, b| a == b);
    list
}

/// The rustc-style rendering: message, `--> file:line:col`, the line, and the help under a caret.
pub fn render_human(diagnostic: &Diagnostic, color: bool) -> String {
    let level = match diagnostic.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let help = diagnostic.help.as_deref().unwrap_or("");
    match &diagnostic.source_line {
        Some(text) if !text.is_empty() => {
            let column = diagnostic.column + 1 - diagnostic.source_first_column.max(1);
            let start = byte_offset_of_column(text, column);
            let end = byte_offset_of_column(text, column + diagnostic.width).max(start);
            // annotate-snippets needs a non-empty span to draw a caret; point at the line's end
            // when the column is past it.
            let (start, end) = if start == end {
                (start, (start + 1).min(text.len().max(start)))
            } else {
                (start, end)
            };
            let report = &[level.primary_title(diagnostic.message.as_str()).element(
                Snippet::source(text.as_str())
                    .line_start(diagnostic.line)
                    .path(diagnostic.file.as_str())
                    .annotation(AnnotationKind::Primary.span(start..end).label(help)),
            )];
            let text = renderer.render(report);
            if diagnostic.source_first_column > 1 {
                // The quote is a window of a long line: name the column in the whole line.
                let shown = format!("{}:{}:{column}", diagnostic.file, diagnostic.line);
                let real = format!(
                    "{}:{}:{}",
                    diagnostic.file, diagnostic.line, diagnostic.column
                );
                return text.replacen(&shown, &real, 1);
            }
            text
        }
        _ => {
            // No line to show (an empty file, a file-level problem): the same layout as a
            // diagnostic with a line, with the help on a `= help:` line as rustc does.
            let title = renderer.render(&[Group::with_title(
                level.primary_title(diagnostic.message.as_str()),
            )]);
            let pad = " ".repeat(diagnostic.line.to_string().len());
            let mut out = title.lines().next().unwrap_or_default().to_string();
            let _ = write!(
                out,
                "\n{pad}--> {}:{}:{}\n{pad} |",
                diagnostic.file, diagnostic.line, diagnostic.column
            );
            if !help.is_empty() {
                let _ = write!(out, "\n{pad} = help: {help}");
            }
            out
        }
    }
}

fn byte_offset_of_column(text: &str, column: usize) -> usize {
    text.char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(text.len())
}

/// A GitHub Actions workflow command: `::error file=…,line=…,col=…::message`.
pub fn render_github(diagnostic: &Diagnostic) -> String {
    let kind = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(" (");
        message.push_str(help);
        message.push(')');
    }
    format!(
        "::{kind} file={},line={},col={}::{}",
        escape_github_property(&diagnostic.file),
        diagnostic.line,
        diagnostic.column,
        escape_github_data(&message)
    )
}

fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_github_property(text: &str) -> String {
    escape_github_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// The candidate nearest to `word`, if it is near enough to be what the author meant.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&word_lower, &candidate.to_lowercase());
        let close = score >= 0.8
            || strsim::damerau_levenshtein(&word_lower, &candidate.to_lowercase()) <= 2
            || candidate.replace(['-', '_'], "") == word_lower.replace(['-', '_', ' '], "");
        if close && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Help text for a value that is not among `valid`: the nearest one, then all of them.
pub fn suggestion_help(word: &str, valid: &[&str]) -> String {
    let list = valid
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(word, valid.iter().copied()) {
        Some(near) => format!("did you mean `{near}`? valid values: {list}"),
        None => format!("valid values: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_very_long_line_is_quoted_around_the_problem() {
        let line = format!(
            "{}[x](missing.md){}",
            "a".repeat(100_000),
            "b".repeat(100_000)
        );
        let d = Diagnostic::error("content/a.md", 4, 100_001, "broken").with_source(&line, 15);
        assert_eq!(d.source_first_column, 100_001 - 80);
        assert!(d.source_line.as_ref().unwrap().len() <= QUOTE_LIMIT);
        let text = render_human(&d, false);
        assert!(text.contains("[x](missing.md)"), "{text}");
        assert!(text.contains("content/a.md:4:100001"), "{text}");
        assert!(text.len() < 2_000, "{text}");
        let caret = text.lines().find(|l| l.contains('^')).unwrap();
        let quoted = text
            .lines()
            .find(|l| l.contains("[x](missing.md)"))
            .unwrap();
        assert_eq!(caret.find('^'), quoted.find("[x]"), "{text}");
    }

    #[test]
    fn human_rendering_matches_the_cli_spec_example() {
        let d = Diagnostic::error(
            "content/playbooks/remote-monitoring.md",
            14,
            1,
            "unknown field `traning`",
        )
        .with_help("did you mean `training`?")
        .with_source("traning:", 7);
        let text = render_human(&d, false);
        let expected = "error: unknown field `traning`\n  --> content/playbooks/remote-monitoring.md:14:1\n   |\n14 | traning:\n   | ^^^^^^^ did you mean `training`?";
        assert_eq!(text.trim_end(), expected);
    }

    #[test]
    fn human_rendering_without_a_source_line_still_names_the_place() {
        let d = Diagnostic::error("content/a.md", 1, 1, "the file is empty")
            .with_help("add front matter");
        let text = render_human(&d, false);
        assert_eq!(
            text,
            "error: the file is empty\n --> content/a.md:1:1\n  |\n  = help: add front matter"
        );
    }

    #[test]
    fn json_has_the_spec_fields() {
        let d = Diagnostic::warning("site.toml", 3, 2, "m").with_help("h");
        let line = render_all(&[d], Format::Json, false);
        let value: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
        for key in ["severity", "file", "line", "column", "message", "help"] {
            assert!(value.get(key).is_some(), "missing {key} in {line}");
        }
        assert_eq!(value["severity"], "warning");
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let d = Diagnostic::error("content/a,b.md", 2, 3, "bad\nthing 100%");
        assert_eq!(
            render_github(&d),
            "::error file=content/a%2Cb.md,line=2,col=3::bad%0Athing 100%25"
        );
    }

    #[test]
    fn did_you_mean_finds_near_words_only() {
        assert_eq!(
            did_you_mean("traning", ["training", "title", "tags"]),
            Some("training")
        );
        assert_eq!(
            did_you_mean("practice-nures", ["practice-nurse", "gp"]),
            Some("practice-nurse")
        );
        assert_eq!(did_you_mean("zzzz", ["training", "title"]), None);
    }
}
