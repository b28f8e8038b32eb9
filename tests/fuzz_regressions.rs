//! Every input the fuzzers found a crash with (and the hand-written seeds) is kept under
//! `fuzz/regressions/<target>/` and `fuzz/seeds/<target>/`, and replayed here through the same
//! library entry points as the fuzz targets, so a fixed crash stays fixed without cargo-fuzz.

mod common;

use std::path::{Path, PathBuf};

use common::html_safety::unsafe_findings;
use playbook::config::{self, RawHtml, SiteConfig};
use playbook::content::model::{IsoDate, Status};
use playbook::content::{self, PageSource};
use playbook::markdown::{self, MarkdownInput, Resolution};
use playbook::page::render_page_bytes;
use playbook::render;
use playbook::source::{decode_utf8, SourceText};

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files = Vec::new();
    for dir in ["regressions", "seeds"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().is_file() {
                files.push((
                    entry.path(),
                    std::fs::read(entry.path()).expect("read input"),
                ));
            }
        }
    }
    files.sort();
    files
}

fn site_config() -> SiteConfig {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    config::load(root).expect("the bundled site.toml loads")
}

fn today() -> IsoDate {
    IsoDate::parse("2026-11-22").expect("date")
}

/// Whether the page parses as a draft (`status: draft`), which a build without `--drafts` leaves
/// out, read the way the build reads it.
fn is_draft(bytes: &[u8], config: &SiteConfig) -> bool {
    let Ok(text) = decode_utf8("content/playbooks/page.md", bytes.to_vec()) else {
        return false;
    };
    let parse = content::parse_page_text(
        page_source(),
        SourceText::new("content/playbooks/page.md", text),
        config,
        today(),
        &playbook::content::Bases::none(),
    );
    parse.page.is_some_and(|p| p.meta.status() == Status::Draft)
}

fn page_source() -> PageSource {
    PageSource {
        rel_path: "content/playbooks/page.md".into(),
        abs_path: "content/playbooks/page.md".into(),
        section: "playbooks".into(),
        url_segments: vec!["playbooks".into(), "page".into()],
        is_bundle: false,
        content_path: "playbooks/page.md".into(),
        listed: true,
        language: None,
    }
}

#[test]
fn frontmatter_inputs_parse_or_are_named() {
    let config = site_config();
    let mut count = 0;
    for (path, bytes) in inputs("frontmatter") {
        let Ok(text) = decode_utf8("content/playbooks/page.md", bytes) else {
            continue;
        };
        count += 1;
        let parse = content::parse_page_text(
            page_source(),
            SourceText::new("content/playbooks/page.md", text),
            &config,
            today(),
            &playbook::content::Bases::none(),
        );
        assert!(
            parse.page.is_some() || parse.diagnostics.iter().any(|d| d.is_error()),
            "{}: no page and no error",
            path.display()
        );
        if let Some(page) = parse.page.filter(|p| p.front_matter_ok) {
            assert!(
                !page.meta.title().trim().is_empty(),
                "{}: a page with an empty title",
                path.display()
            );
        }
    }
    // fuzz/regressions/frontmatter holds 2 inputs: an empty folder must not pass.
    assert!(count >= 2, "the frontmatter inputs are missing");
}

#[test]
fn markdown_inputs_render_safely() {
    let mut count = 0;
    for (path, bytes) in inputs("markdown") {
        let Some((&policy, body)) = bytes.split_first() else {
            continue;
        };
        let Ok(body) = std::str::from_utf8(body) else {
            continue;
        };
        let raw_html = match policy % 3 {
            0 => RawHtml::Sanitize,
            1 => RawHtml::Deny,
            _ => RawHtml::Allow,
        };
        let text = SourceText::new(
            "content/playbooks/page.md",
            format!("---\ntitle: T\n---\n{body}"),
        );
        let input = MarkdownInput {
            text: &text,
            body: text.line_start(4)..text.len(),
            skip: None,
            raw_html,
            page_url: "/playbooks/page/",
            reserved_ids: &["main-content", "checklists"],
            checklist_ids: &["prepare"],
            item_ids: &[],
        };
        let rendered = markdown::render(&input, &|_: &str| Resolution::Keep);
        if raw_html != RawHtml::Allow {
            let findings = unsafe_findings(&rendered.html);
            assert!(findings.is_empty(), "{}: {findings:?}", path.display());
        }
        for base_path in ["", "/playbooks"] {
            let inline = markdown::render_inline(body, base_path);
            assert!(unsafe_findings(&inline).is_empty(), "{}", path.display());
        }
        count += 1;
    }
    assert!(count >= 3, "the seeds are missing");
}

#[test]
fn page_inputs_build_safely() {
    let config = site_config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut templates = render::load_templates(root, "default").expect("templates");
    let mut count = 0;
    for (path, bytes) in inputs("page") {
        count += 1;
        let out = render_page_bytes(&bytes, &config, &mut templates, today());
        match out.html {
            Some(html) => {
                let findings = unsafe_findings(&html);
                assert!(findings.is_empty(), "{}: {findings:?}", path.display());
            }
            // No page: an error says why, or the page is a draft the site leaves out.
            None => assert!(
                out.diagnostics.iter().any(|d| d.is_error()) || is_draft(&bytes, &config),
                "{}: no page, no error and not a draft",
                path.display()
            ),
        }
    }
    // fuzz/regressions/page holds 1 input: an empty folder must not pass.
    assert!(count >= 1, "the page inputs are missing");
}

#[test]
fn only_a_page_whose_status_is_draft_may_build_to_nothing() {
    let config = site_config();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut templates = render::load_templates(root, "default").expect("templates");
    let draft = b"---\ntitle: Work in progress\nstatus: draft\n---\nText.\n";
    let out = render_page_bytes(draft, &config, &mut templates, today());
    assert!(out.html.is_none(), "a draft is left out of the build");
    assert!(!out.diagnostics.iter().any(|d| d.is_error()));
    assert!(is_draft(draft, &config));
    // The word alone is not the status.
    let mentions = b"---\ntitle: The draft policy\n---\nA draft is reviewed first.\n";
    assert!(!is_draft(mentions, &config));
    assert!(
        render_page_bytes(mentions, &config, &mut templates, today())
            .html
            .is_some()
    );
}
