//! Splitting a page at its `---` lines and parsing, checking and typing its front matter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use playbook::content::{self, frontmatter};
use playbook::source::{decode_utf8, SourceText};

mod common;

fuzz_target!(|data: &[u8]| {
    let text = match decode_utf8("content/playbooks/page.md", data.to_vec()) {
        Ok(text) => text,
        Err(d) => {
            common::check_diagnostics(&[d], data.split(|b| *b == b'\n').count());
            return;
        }
    };
    let source = SourceText::new("content/playbooks/page.md", text);
    let lines = source.line_count();
    match frontmatter::split(&source) {
        Ok(split) => {
            // The body is the end of the file and starts on the line it says.
            assert!(source.text.ends_with(split.body));
            assert!(split.body_first_line >= 1 && split.body_first_line <= lines + 1);
            if let Some((yaml, first_line)) = split.yaml {
                assert_eq!(first_line, 2);
                assert!(source.text.contains(yaml));
            }
        }
        Err(d) => common::check_diagnostics(&[d], lines),
    }
    let parse = content::parse_page_text(
        common::page_source(),
        source,
        common::config(),
        common::today(),
        &playbook::content::Bases::none(),
    );
    common::check_diagnostics(&parse.diagnostics, lines);
    if let Some(page) = parse.page {
        // The body range is a valid slice of the file.
        let _ = page.body_text();
        // A page whose front matter passed has a title.
        assert!(!page.front_matter_ok || !page.meta.title().trim().is_empty());
        assert!(page.front_matter_ok || parse.diagnostics.iter().any(|d| d.is_error()));
    }
});
