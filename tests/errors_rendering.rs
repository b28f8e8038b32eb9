//! Problems found while turning pages into HTML: raw HTML on a site that denies it, and
//! templates that do not parse. Each names the file and line where the author can fix it.

mod common;

use common::check_fixture;

#[test]
fn raw_html_is_an_error_at_its_line_when_the_site_denies_it() {
    // html.md has `<kbd>Ctrl</kbd>` on line 21 and a `<div>` on line 23.
    let checked = check_fixture("raw-html-denied");
    assert_eq!(checked.code, 1);
    assert!(!checked.found.is_empty());
    for found in &checked.found {
        assert_eq!(found.severity, "error");
        assert_eq!(found.file, "content/playbooks/html.md");
        assert_eq!(found.message, "raw HTML is not allowed on this site");
        assert!(found.help.contains("raw_html"), "{}", found.help);
    }
    let mut lines: Vec<u64> = checked.found.iter().map(|f| f.line).collect();
    lines.dedup();
    assert_eq!(lines, [21, 23]);
    assert_eq!(checked.found[0].column, 7, "points at `<kbd>`");
}

#[test]
fn a_template_that_does_not_parse_is_an_error_in_the_template_file() {
    // themes/broken/templates/page.html line 5: `<p>{{ page.summary }</p>`.
    let checked = check_fixture("template-error");
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        "error",
        "themes/broken/templates/page.html",
        5,
        "template error:",
    )]);
    assert_eq!(checked.found[0].column, 20, "points at the lone `}}`");
}

#[test]
fn a_template_that_fails_while_rendering_is_an_error_at_its_line() {
    // The template parses, but names a value that pages do not have.
    let site = common::copy_fixture("template-error");
    std::fs::write(
        site.path().join("themes/broken/templates/page.html"),
        "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.owner.name }}</p>\n{% endblock main %}\n",
    )
    .unwrap();
    let checked = common::check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[(
        "error",
        "themes/broken/templates/page.html",
        4,
        "template error: Field `owner` is not defined",
    )]);
}

#[test]
fn a_theme_without_its_folder_is_an_error_at_the_theme_line_beside_other_errors() {
    let site = common::copy_fixture("minimal");
    let config = site.path().join("site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    // Line 3 of site.toml becomes `theme = "nhs"`; there is no themes/nhs/.
    let text = text.replacen(
        "title = \"Fixture site\"\n",
        "title = \"Fixture site\"\ntheme = \"nhs\"\n",
        1,
    );
    std::fs::write(&config, text).unwrap();
    std::fs::write(
        site.path().join("content/guides/untitled.md"),
        "No heading here.\n",
    )
    .unwrap();
    let checked = common::check(site.path(), &[]);
    assert_eq!(checked.code, 1);
    checked.assert_only(&[
        (
            "error",
            "content/guides/untitled.md",
            1,
            "the page has no title",
        ),
        ("error", "site.toml", 3, "theme `nhs` not found"),
    ]);
}
