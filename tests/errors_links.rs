//! Rules across files: links and images must point at something the build writes, anchors
//! must exist on their page, a built page may not link to a draft, and two files may not end at
//! one URL. Each error names the file and line of the link.

mod common;

use common::{check_fixture, fixture};

const ERROR: &str = "error";

#[test]
fn links_images_and_evidence_to_nothing_are_errors_at_their_lines() {
    let checked = check_fixture("broken-link");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/links.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            24,
            "evidence `/guides/dpia-template/` points at no page or file of this site",
        ),
        (
            ERROR,
            file,
            31,
            "`../guides/missing.md` points at `content/guides/missing.md`, which does not exist",
        ),
        (
            ERROR,
            file,
            33,
            "`diagram.png` points at `content/playbooks/diagram.png`, which does not exist",
        ),
        (
            ERROR,
            file,
            35,
            "`/downloads/consent.pdf` points at no page or file of this site",
        ),
    ]);
    let columns: Vec<u64> = checked.found.iter().map(|f| f.column).collect();
    assert_eq!(columns, [19, 10, 1, 9], "each points at its link");
}

#[test]
fn an_anchor_that_does_not_exist_is_an_error_with_the_nearest_one() {
    // The first link (#before-you-start) exists and is not reported.
    let checked = check_fixture("missing-anchor");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/anchors.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            25,
            "the anchor `#before-you-begin` does not exist on /guides/reading-list/",
        ),
        (
            ERROR,
            file,
            27,
            "the anchor `#how-it-work` does not exist on /playbooks/anchors/",
        ),
    ]);
    assert_eq!(checked.help_at(25), "did you mean `#before-you-start`?");
    assert_eq!(checked.help_at(27), "did you mean `#how-it-works`?");
}

#[test]
fn two_files_at_one_url_is_an_error_on_each_naming_the_other() {
    let checked = check_fixture("url-collision");
    assert_eq!(checked.code, 1);
    let url = "/playbooks/remote-monitoring/";
    checked.assert_only(&[
        (ERROR, "content/playbooks/remote-monitoring.md", 1, ""),
        (ERROR, "content/playbooks/virtual-ward.md", 1, ""),
    ]);
    let messages: Vec<&str> = checked.found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            format!("this page and content/playbooks/virtual-ward.md both end at the URL {url}"),
            format!(
                "this page and content/playbooks/remote-monitoring.md both end at the URL {url}"
            ),
        ]
    );
    for found in &checked.found {
        assert_eq!(found.column, 1);
        assert_eq!(
            found.help,
            "rename one of the files or give one a different `slug:`"
        );
    }
}

#[test]
fn a_url_clash_annotates_both_files_in_github_format() {
    let run = common::playbook(&fixture("url-collision"), &["check", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "::error file=content/playbooks/remote-monitoring.md,line=1,col=1::this page and content/playbooks/virtual-ward.md both end at the URL /playbooks/remote-monitoring/ (rename one of the files or give one a different `slug:`)\n\
         ::error file=content/playbooks/virtual-ward.md,line=1,col=1::this page and content/playbooks/remote-monitoring.md both end at the URL /playbooks/remote-monitoring/ (rename one of the files or give one a different `slug:`)\n"
    );
}

#[test]
fn a_page_at_a_folder_url_is_one_error_since_the_folder_has_no_file() {
    let site = common::copy_fixture("url-collision");
    let playbooks = site.path().join("content/playbooks");
    std::fs::remove_file(playbooks.join("remote-monitoring.md")).expect("remove");
    // `slug: playbooks` would move the page inside the folder; a top-level file takes the
    // folder's own URL.
    std::fs::rename(
        playbooks.join("virtual-ward.md"),
        site.path().join("content/playbooks.md"),
    )
    .expect("move");
    let text = std::fs::read_to_string(site.path().join("content/playbooks.md")).expect("read");
    std::fs::write(
        site.path().join("content/playbooks.md"),
        text.replace("slug: remote-monitoring\n", ""),
    )
    .expect("write");
    let checked = common::check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        ERROR,
        "content/playbooks.md",
        1,
        "this page and content/playbooks both end at the URL /playbooks/",
    )]);
}

#[test]
fn a_page_at_a_section_url_is_an_error_on_the_page_and_on_the_section_index() {
    let site = common::copy_fixture("url-collision");
    std::fs::write(
        site.path().join("content/playbooks/_index.md"),
        "---\ntitle: Playbooks\n---\n",
    )
    .expect("write");
    let text = std::fs::read_to_string(site.path().join("content/playbooks/virtual-ward.md"))
        .expect("read");
    std::fs::remove_file(site.path().join("content/playbooks/virtual-ward.md")).expect("remove");
    std::fs::remove_file(site.path().join("content/playbooks/remote-monitoring.md"))
        .expect("remove");
    std::fs::write(
        site.path().join("content/playbooks.md"),
        text.replace("slug: remote-monitoring\n", ""),
    )
    .expect("write");
    let checked = common::check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (
            ERROR,
            "content/playbooks.md",
            1,
            "this page and content/playbooks/_index.md both end at the URL /playbooks/",
        ),
        (
            ERROR,
            "content/playbooks/_index.md",
            1,
            "this page and content/playbooks.md both end at the URL /playbooks/",
        ),
    ]);
}

#[test]
fn a_link_to_a_draft_is_broken_unless_drafts_are_built() {
    let checked = check_fixture("draft-link");
    assert_eq!(checked.code, 1);
    let file = "content/playbooks/published.md";
    checked.assert_only(&[
        (
            ERROR,
            file,
            21,
            "`draft.md` is a draft, which this build leaves out",
        ),
        (
            ERROR,
            file,
            22,
            "`/playbooks/draft/` is a draft, which this build leaves out",
        ),
    ]);
    assert!(checked.found[0].message.contains("--drafts"));

    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let target = target.to_str().unwrap();
    let with_drafts = common::playbook(
        &fixture("draft-link"),
        &["build", "--drafts", "--output", target],
    );
    assert_eq!(with_drafts.code, 0, "{}", with_drafts.stderr);
    let page =
        std::fs::read_to_string(out.path().join("site/playbooks/published/index.html")).unwrap();
    assert!(page.contains("href=\"/playbooks/draft/\""), "{page}");
}
