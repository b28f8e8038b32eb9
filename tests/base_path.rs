//! Hosting under a path (`--base-url https://nhs-org.github.io/trust/adoption/`): every URL a
//! page writes starts with the path, and each one names a file of the output; the site's own
//! URLs (saved ticks' keys, anchors checked) stay site paths; a site at a domain's root writes
//! root URLs and no `data-base`. `tests/browser/base-path.test.mjs` runs the built site in a
//! browser behind a server that answers only under the path.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

const BASE_URL: &str = "https://nhs-org.github.io/trust/adoption/";
/// Two segments, neither of them a section of the fixture (`/playbooks/` is one).
const BASE: &str = "/trust/adoption";

/// A guide with every kind of link Markdown can write: site path, relative file, anchors,
/// an image, a web address and a task list item linking to a page.
const LINKS_GUIDE: &str = "---\ntitle: \"Links\"\n---\n\
    [absolute](/guides/about/) [relative](how-to.md) [with anchor](../playbooks/alpha-monitoring.md#how-it-works)\n\
    [same page](#checks) [outside](https://example.org/x/) [feed](/feed.xml)\n\n\
    ![A dot](dot.svg)\n\n\
    ## Checks\n\n\
    - [ ] Read [the about page](/guides/about/)\n";

/// A front matter checklist for alpha-monitoring, whose item text links to a guide and whose
/// evidence is a site path.
const CHECKLIST: &str = "checklists:\n  - id: start\n    title: \"Start\"\n    phase: prepare\n    items:\n      - id: read\n        text: \"Read [the guide](/guides/how-to/)\"\n        owner: nurse\n        evidence: \"/guides/about/\"\n";

/// The navigation fixture with [`LINKS_GUIDE`] and [`CHECKLIST`] added, built with `args`.
fn build(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let site = common::copy_fixture("navigation");
    let guides = site.path().join("content/guides");
    std::fs::write(guides.join("links.md"), LINKS_GUIDE).expect("write guide");
    std::fs::write(
        guides.join("dot.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"/>",
    )
    .expect("write image");
    let alpha = site.path().join("content/playbooks/alpha-monitoring.md");
    let text = std::fs::read_to_string(&alpha).expect("read alpha");
    std::fs::write(
        &alpha,
        text.replacen("tags:", &format!("{CHECKLIST}tags:"), 1),
    )
    .expect("write alpha");
    let out = site.path().join("out");
    let mut all = vec![
        "build",
        "--drafts",
        "--output",
        out.to_str().expect("utf-8"),
    ];
    all.extend_from_slice(args);
    let run = common::playbook(site.path(), &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (site, out)
}

/// Every value of `href`, `src` and `action` in `html`.
fn urls(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\"", " action=\""] {
        for (at, _) in html.match_indices(attribute) {
            let rest = &html[at + attribute.len()..];
            found.push(rest[..rest.find('"').expect("closed")].replace("&amp;", "&"));
        }
    }
    found
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn every_url_a_page_writes_starts_with_the_path_and_names_a_file() {
    let (_site, out) = build(&["--base-url", BASE_URL]);
    assert_every_url_under_the_path(&out, 500);
}

/// The bundled site has every page kind: local versions of mounted playbooks, team records,
/// change histories, role views with gate items.
#[test]
fn every_url_of_the_bundled_site_starts_with_the_path_and_names_a_file() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp dir");
    let run = common::playbook(
        repo,
        &[
            "build",
            "--output",
            out.path().to_str().expect("utf-8"),
            "--base-url",
            BASE_URL,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        out.path().join("teams/index.html").is_file(),
        "the bundled site has team pages"
    );
    assert_every_url_under_the_path(out.path(), 1000);
}

/// Every `href`, `src` and `action` of every page starts with the base path (or is an anchor or
/// a web address) and names a file of the output.
fn assert_every_url_under_the_path(out: &Path, at_least: usize) {
    let mut checked = 0;
    for (rel, html) in common::html_files(out) {
        // The Welsh edition's pages are under `BASE/cy`, and its search page names its index.
        let welsh = rel.starts_with("cy/");
        let html_tag = match welsh {
            true => format!("<html lang=\"cy\" data-base=\"{BASE}/cy\""),
            false => format!("<html lang=\"en-GB\" data-base=\"{BASE}\">"),
        };
        assert!(html.contains(&html_tag), "{rel}: no data-base");
        for url in urls(&html) {
            if url.starts_with('#') || url.starts_with("https://") {
                continue;
            }
            let Some(path) = url.strip_prefix(BASE) else {
                panic!("{rel}: {url} is outside {BASE}/");
            };
            let path = path.split(['#', '?']).next().unwrap_or("");
            let file = out.join(path.trim_start_matches('/'));
            let file = if path.ends_with('/') || path.is_empty() {
                file.join("index.html")
            } else {
                file
            };
            assert!(file.is_file(), "{rel}: {url} names no file of the output");
            checked += 1;
        }
    }
    assert!(checked > at_least, "only {checked} URLs checked");
}

#[test]
fn markdown_links_images_and_checklist_text_carry_the_path() {
    let (_site, out) = build(&["--base-url", BASE_URL]);
    let guide = read(&out, "guides/links/index.html");
    for expected in [
        format!("href=\"{BASE}/guides/about/\""),
        format!("href=\"{BASE}/guides/how-to/\""),
        format!("href=\"{BASE}/playbooks/alpha-monitoring/#how-it-works\""),
        "href=\"#checks\"".to_string(),
        "href=\"https://example.org/x/\"".to_string(),
        format!("href=\"{BASE}/feed.xml\""),
        format!("src=\"{BASE}/guides/dot.svg\""),
        // The task list's box is keyed on the page's site path.
        "data-playbook=\"/guides/links/\"".to_string(),
    ] {
        assert!(guide.contains(&expected), "no {expected} in the guide");
    }
    let playbook = read(&out, "playbooks/alpha-monitoring/index.html");
    for expected in [
        format!("<a href=\"{BASE}/guides/how-to/\">the guide</a>"),
        format!("href=\"{BASE}/guides/about/\">Evidence</a>"),
        format!("href=\"{BASE}/roles/nurse/\">"),
        format!("href=\"{BASE}/playbooks/alpha-monitoring/checklists.csv\" download"),
        // Saved ticks keep their key wherever the site is hosted.
        "data-playbook=\"/playbooks/alpha-monitoring/\"".to_string(),
    ] {
        assert!(
            playbook.contains(&expected),
            "no {expected} in the playbook"
        );
    }
    let role = read(&out, "roles/nurse/index.html");
    assert!(role.contains("data-playbook=\"/playbooks/alpha-monitoring/\""));
    assert!(role.contains(&format!(
        "href=\"{BASE}/playbooks/alpha-monitoring/#checklists\""
    )));
    let home = read(&out, "index.html");
    assert!(home.contains(&format!("action=\"{BASE}/search/\"")));
    assert!(home.contains(&format!(
        "class=\"pb-pathway__stage\" href=\"{BASE}/stages/"
    )));
}

#[test]
fn the_404_page_works_from_any_depth() {
    let (_site, out) = build(&["--base-url", BASE_URL]);
    let page = read(&out, "404.html");
    let found = urls(&page);
    for expected in [
        format!("{BASE}/assets/playbook.css"),
        format!("{BASE}/assets/checklists.js"),
        format!("{BASE}/"),
        format!("{BASE}/search/"),
    ] {
        assert!(found.contains(&expected), "no {expected} in {found:?}");
    }
    // No relative URL: the host shows this page at whatever address was missing.
    for url in found {
        assert!(
            url.starts_with('/') || url.starts_with('#') || url.starts_with("https://"),
            "{url}"
        );
    }
}

#[test]
fn files_for_other_tools_give_addresses_under_the_path() {
    let (_site, out) = build(&["--base-url", BASE_URL]);
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://nhs-org.github.io/trust/adoption/guides/links/</loc>"));
    assert!(!sitemap.contains("<loc>https://nhs-org.github.io/guides/"));
    let feed = read(&out, "feed.xml");
    assert!(feed
        .contains("href=\"https://nhs-org.github.io/trust/adoption/playbooks/alpha-monitoring/\""));
    let json: Value = serde_json::from_str(&read(&out, "playbooks.json")).expect("json");
    assert_eq!(
        json["site"]["base_url"],
        "https://nhs-org.github.io/trust/adoption"
    );
    assert_eq!(json["site"]["base_path"], BASE);
    let alpha = json["playbooks"]
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["front_matter"]["title"] == "Alpha monitoring")
        .expect("alpha listed");
    assert_eq!(alpha["url"], format!("{BASE}/playbooks/alpha-monitoring/"));
    assert_eq!(
        alpha["permalink"],
        "https://nhs-org.github.io/trust/adoption/playbooks/alpha-monitoring/"
    );
    let schema: Value = serde_json::from_str(&read(&out, "playbook.schema.json")).expect("json");
    assert_eq!(
        schema["$id"],
        "https://nhs-org.github.io/trust/adoption/playbook.schema.json"
    );
}

#[test]
fn a_site_at_a_domain_root_writes_root_urls() {
    let (_site, out) = build(&["--base-url", "https://playbooks.example.nhs.uk/"]);
    let home = read(&out, "index.html");
    assert!(home.starts_with("<!DOCTYPE html>\n<html lang=\"en-GB\">\n"));
    assert!(!home.contains("data-base"));
    assert!(home.contains("<link rel=\"stylesheet\" href=\"/assets/playbook.css\">"));
    let guide = read(&out, "guides/links/index.html");
    assert!(guide.contains("href=\"/guides/about/\""));
    assert!(guide.contains("src=\"/guides/dot.svg\""));
    let json: Value = serde_json::from_str(&read(&out, "playbooks.json")).expect("json");
    assert!(json["site"].get("base_path").is_none(), "{}", json["site"]);
    // The same pages as a build with site.toml's own address, also at a domain's root, but
    // for the address printed in full (on paper).
    let (_other, default_out) = build(&[]);
    let pages = common::html_files(&out);
    let default_pages = common::html_files(&default_out);
    assert_eq!(pages.len(), default_pages.len());
    for ((rel, html), (_, default_html)) in pages.iter().zip(&default_pages) {
        let html = html.replace(
            "https://playbooks.example.nhs.uk",
            "https://fixture.example.org",
        );
        assert!(html == *default_html, "{rel} depends on the host name");
    }
}

#[test]
fn links_are_checked_on_site_paths_under_a_path() {
    let site = common::copy_fixture("missing-anchor");
    let toml = site.path().join("site.toml");
    let at_root = common::playbook(site.path(), &["check"]);
    let text = std::fs::read_to_string(&toml).expect("site.toml");
    std::fs::write(&toml, format!("base_url = \"{BASE_URL}\"\n{text}")).expect("site.toml");
    let under_path = common::playbook(site.path(), &["check"]);
    assert_eq!(at_root.code, 1, "{}", at_root.stderr);
    assert_eq!(under_path.code, 1, "{}", under_path.stderr);
    // The same two anchors are missing, named by their site paths; only timings differ.
    let problems = |stderr: &str| -> String {
        stderr
            .lines()
            .filter(|l| !l.starts_with("Failed:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(problems(&under_path.stderr), problems(&at_root.stderr));
    assert!(at_root
        .stderr
        .contains("the anchor `#before-you-begin` does not exist on /guides/reading-list/"));
}
