//! The Markdown stage on its own: anchors, links, checklists, alerts and the raw HTML policy,
//! under each `raw_html` setting.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use playbook::config::RawHtml;
use playbook::markdown::{self, MarkdownInput, Resolution};
use playbook::source::SourceText;

mod common;
#[path = "../../tests/common/html_safety.rs"]
mod html_safety;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the policy; the rest is the body.
    let Some((&policy, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let raw_html = match policy % 3 {
        0 => RawHtml::Sanitize,
        1 => RawHtml::Deny,
        _ => RawHtml::Allow,
    };
    let text = SourceText::new("content/playbooks/page.md", format!("---\ntitle: T\n---\n{body}"));
    let start = text.line_start(4);
    let input = MarkdownInput {
        text: &text,
        body: start..text.text.len(),
        skip: None,
        raw_html,
        page_url: "/playbooks/page/",
        reserved_ids: &["main-content", "checklists"],
        checklist_ids: &["prepare"],
        item_ids: &[],
    };
    let rendered = markdown::render(&input, &|dest: &str| {
        if dest.starts_with("missing") {
            Resolution::Broken(format!("`{dest}` does not exist"))
        } else if let Some(rest) = dest.strip_prefix("../guides/g.md") {
            Resolution::Url {
                url: format!("/guides/g/{rest}"),
                anchor_check: rest
                    .strip_prefix('#')
                    .map(|f| ("/guides/g/".to_string(), f.to_string())),
            }
        } else {
            Resolution::Keep
        }
    });
    common::check_diagnostics(&rendered.diagnostics, text.line_count());

    // Anchors are unique on the page and never take a reserved one.
    let mut ids = HashSet::new();
    for heading in &rendered.headings {
        assert!(ids.insert(heading.id.as_str()) || heading_has_explicit_repeat(&rendered, &heading.id));
        assert!(!heading.id.is_empty());
    }
    // Checklist ids are unique on the page; item ids within their checklist.
    let mut checklist_ids = HashSet::new();
    for checklist in &rendered.checklists {
        assert!(checklist_ids.insert(checklist.id.as_str()), "{}", checklist.id);
        assert_ne!(checklist.id, "prepare", "a task list took a front matter checklist's id");
        let mut item_ids = HashSet::new();
        for item in &checklist.items {
            assert!(item_ids.insert(item.id.as_str()), "{}", item.id);
        }
    }
    // Labels opened for checklist items are closed.
    assert_eq!(
        rendered.html.matches("<label").count(),
        rendered.html.matches("</label>").count(),
        "{}",
        rendered.html
    );
    if raw_html != RawHtml::Allow {
        let findings = html_safety::unsafe_findings(&rendered.html);
        assert!(findings.is_empty(), "{findings:?}\n{}", rendered.html);
    }
    // Under a base path too: site paths get it in front, nothing else may change.
    for base_path in ["", "/playbooks"] {
        let inline = markdown::render_inline(body, base_path);
        let findings = html_safety::unsafe_findings(&inline);
        assert!(findings.is_empty(), "{findings:?}\n{inline}");
    }
});

/// An explicit `{#id}` written twice is reported, not renamed: allow that repeat.
fn heading_has_explicit_repeat(rendered: &markdown::Rendered, id: &str) -> bool {
    rendered
        .diagnostics
        .iter()
        .any(|d| d.message.contains(&format!("`{id}` is used twice")))
}
