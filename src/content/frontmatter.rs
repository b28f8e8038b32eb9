//! Splitting a page into its YAML front matter and its Markdown body, keeping file line numbers.

use crate::diagnostics::Diagnostic;
use crate::source::SourceText;

/// A page cut in two.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines and the file line it starts on; `None` without front matter.
    pub yaml: Option<(&'a str, usize)>,
    /// The Markdown after the closing `---`.
    pub body: &'a str,
    /// File line of the body's first line.
    pub body_first_line: usize,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Splits `source` at its `---` lines. A file not starting with `---` has no front matter.
pub fn split(source: &SourceText) -> Result<Split<'_>, Diagnostic> {
    let text = source.as_str();
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(source.rel_path.clone(), 1, 1, "the file is empty")
                .with_help("a page needs at least a title: start it with `---`, `title: …`, `---`"),
        );
    }
    if !is_fence(source.line_text(1)) {
        return Ok(Split {
            yaml: None,
            body: text,
            body_first_line: 1,
        });
    }
    let yaml_start = source.line_start(2);
    let mut line = 2;
    while line <= source.line_count() {
        // Only a line starting with `-` can be the fence: the others are not looked at further.
        let starts_with_dash = text.as_bytes().get(source.line_start(line)) == Some(&b'-');
        if starts_with_dash && is_fence(source.line_text(line)) {
            let yaml = &text[yaml_start.min(text.len())..source.line_start(line)];
            let body_start = source.line_start(line + 1);
            check_tabs(source, yaml, 2)?;
            return Ok(Split {
                yaml: Some((yaml, 2)),
                body: &text[body_start.min(text.len())..],
                body_first_line: line + 1,
            });
        }
        line += 1;
    }
    Err(source
        .error(1, 1, 3, "the front matter starts here but never ends")
        .with_help("add a line holding only `---` after the last front matter field"))
}

/// YAML forbids tabs in indentation; say so plainly instead of a parser's puzzling message.
fn check_tabs(source: &SourceText, yaml: &str, first_line: usize) -> Result<(), Diagnostic> {
    // Nearly every file has no tab at all: one vectorised search says so.
    if memchr::memchr(b'\t', yaml.as_bytes()).is_none() {
        return Ok(());
    }
    for (i, line) in yaml.lines().enumerate() {
        let indent = line
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        if let Some(col) = line.as_bytes()[..indent].iter().position(|b| *b == b'\t') {
            return Err(source
                .error(
                    first_line + i,
                    col + 1,
                    1,
                    "a tab is used for indentation in the front matter",
                )
                .with_help("YAML needs spaces: replace each tab with two spaces"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parts = (Option<(String, usize)>, String, usize);

    fn split_text(text: &str) -> Result<Parts, Diagnostic> {
        let source = SourceText::new("content/a.md", text.to_string());
        split(&source).map(|s| {
            (
                s.yaml.map(|(y, l)| (y.to_string(), l)),
                s.body.to_string(),
                s.body_first_line,
            )
        })
    }

    #[test]
    fn splits_with_file_lines() {
        let (yaml, body, first) = split_text("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(yaml, Some(("title: A\n".to_string(), 2)));
        assert_eq!(body, "# Body\n");
        assert_eq!(first, 4);
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let (yaml, body, first) = split_text("\u{feff}---\r\ntitle: A\r\n---\r\nText\r\n").unwrap();
        assert_eq!(yaml.unwrap().0, "title: A\r\n");
        assert_eq!(body, "Text\r\n");
        assert_eq!(first, 4);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let (yaml, body, first) = split_text("# Title\n").unwrap();
        assert!(yaml.is_none());
        assert_eq!((body.as_str(), first), ("# Title\n", 1));
    }

    #[test]
    fn unterminated_and_empty_and_tabs_are_errors() {
        assert!(split_text("---\ntitle: A\n")
            .unwrap_err()
            .message
            .contains("never ends"));
        assert!(split_text("  \n").unwrap_err().message.contains("empty"));
        let err = split_text("---\ntitle: A\nowners:\n\t- name: x\n---\n").unwrap_err();
        assert_eq!((err.line, err.column), (4, 1));
    }
}
