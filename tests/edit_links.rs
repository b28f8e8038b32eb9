//! `[repository]` in site.toml: every page built from a file links to its edit form with its
//! own source path, generated pages do not, the footer links to the repository, and a site
//! without `[repository]` shows neither.

mod common;

use std::path::Path;

fn build(site: &Path) -> std::path::PathBuf {
    let out = site.join("out");
    let run = common::playbook(site, &["build", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    out
}

const EDIT: &str = "https://git.example/nhs-org/playbooks/-/edit/main/";

#[test]
fn pages_from_files_link_to_their_own_source_and_generated_pages_do_not() {
    let site = common::copy_fixture("edit-links");
    let out = build(site.path());
    let expected = [
        (
            "playbooks/minimal/index.html",
            "content/playbooks/minimal.md",
        ),
        (
            "playbooks/bundled/index.html",
            "content/playbooks/bundled/index.md",
        ),
        ("guides/a-guide/index.html", "content/guides/a-guide.md"),
    ];
    let pages = common::html_files(&out);
    assert!(pages.len() > 10, "{pages:?}");
    for (rel, html) in &pages {
        let links = html.matches("Suggest a change to this page").count();
        match expected.iter().find(|(page, _)| page == rel) {
            Some((_, source)) => {
                // `&` in the template is escaped in the attribute, the path is not altered.
                let href =
                    format!("<a href=\"{EDIT}{source}?from=site&amp;x=1\">Suggest a change to this page</a>");
                assert_eq!(links, 1, "{rel}: {html}");
                assert!(html.contains(&href), "{rel} lacks {href}");
                // After the review dates, outside <main> so search does not index it.
                let link = html.find(&href).unwrap_or_default();
                let reviewed = html.find("Page last reviewed").unwrap_or(usize::MAX);
                let main_end = html.find("</main>").unwrap_or(usize::MAX);
                if rel.starts_with("playbooks/") {
                    assert!(
                        reviewed < link,
                        "{rel}: the link comes before the review dates"
                    );
                }
                assert!(main_end < link, "{rel}: the link is inside <main>");
            }
            None => assert_eq!(links, 0, "{rel} is generated and must have no edit link"),
        }
        assert!(
            html.contains(
                "<a href=\"https://git.example/nhs-org/playbooks\">Source of this site</a>"
            ),
            "{rel} lacks the footer's repository link"
        );
    }
    for generated in [
        "index.html",
        "playbooks/index.html",
        "stages/referral/index.html",
        "roles/gp/index.html",
        "search/index.html",
        "404.html",
    ] {
        assert!(
            pages.iter().any(|(rel, _)| rel == generated),
            "{generated} was not built"
        );
    }
    // The pages' text holds no "suggest": had the link been indexed, the word would be there.
    let mut stack = vec![out.join("search/index")];
    let mut index_files = 0;
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read index") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                index_files += 1;
                let text = std::fs::read_to_string(&path).expect("read index file");
                assert!(
                    !text.to_lowercase().contains("suggest"),
                    "{}",
                    path.display()
                );
            }
        }
    }
    assert!(index_files > 3, "no search index was written");
}

#[test]
fn without_repository_there_is_no_link() {
    let site = common::copy_fixture("minimal");
    let out = build(site.path());
    for (rel, html) in common::html_files(&out) {
        assert!(!html.contains("Suggest a change"), "{rel}");
        assert!(!html.contains("Source of this site"), "{rel}");
        assert!(!html.contains("pb-edit-link"), "{rel}");
    }
}

#[test]
fn a_repository_that_is_not_a_web_address_is_an_error_at_its_line() {
    let site = common::copy_fixture("minimal");
    let toml = site.path().join("site.toml");
    let mut text = std::fs::read_to_string(&toml).expect("site.toml");
    // After a blank line and `[repository]`: the `url` line.
    let line = text.lines().count() + 3;
    text.push_str(
        "\n[repository]\nurl = \"javascript:alert(1)\"\nedit = \"https://git.example/edit\"\n",
    );
    std::fs::write(&toml, text).expect("write site.toml");
    let (code, diagnostics) = common::check_json(site.path());
    assert_eq!(code, 1, "{diagnostics:?}");
    let lines: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0].0 as usize, line, "{lines:?}");
    assert!(lines[0].1.contains("must be a web address"), "{lines:?}");
    assert_eq!(lines[1].0 as usize, line + 1, "{lines:?}");
    assert!(lines[1].1.contains("{path}"), "{lines:?}");
}
