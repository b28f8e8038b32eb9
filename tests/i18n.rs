//! The theme's text in the site's language: a site's own `i18n/<language>.toml` changes the
//! theme's strings, a Welsh site is in Welsh from its header to its dates, and a string missing
//! in a language, or a strings file that does not parse, is reported at its file.
//!
//! A site with a second language (a Welsh edition beside the English one) is tested with the
//! editions themselves; here a site in one language, English or Welsh.

mod common;

use common::{build_to_temp, check, copy_fixture, playbook};

fn write(root: &std::path::Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folder");
    std::fs::write(path, text).expect("write");
}

fn read(out: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_site_rewords_a_theme_string_in_its_own_i18n_file() {
    let site = copy_fixture("minimal");
    write(
        site.path(),
        "i18n/en.toml",
        "# Our own words\n[nav]\nsearch = \"Find a playbook\"\n\n[common]\npage_last_reviewed = \"Checked on:\"\n",
    );
    let checked = check(site.path(), &["--strict"]);
    checked.assert_only(&[]);
    let out = build_to_temp(site.path());
    let page = read(out.path(), "playbooks/minimal/index.html");
    assert!(
        page.contains("<li><a href=\"/search/\">Find a playbook</a></li>"),
        "{page}"
    );
    assert!(page.contains("<p>Checked on: <time datetime=\"2026-10-01\">1 October 2026</time></p>"));
    // Every other string is the theme's.
    assert!(page.contains("<h2 id=\"at-a-glance\">At a glance</h2>"));
    // English pages need no messages for the scripts: they have English built in.
    assert!(!page.contains("pb-strings"));
}

#[test]
fn a_welsh_site_is_in_welsh_and_hands_its_scripts_their_words() {
    let site = copy_fixture("minimal");
    let config = read(site.path(), "site.toml");
    write(
        site.path(),
        "site.toml",
        &format!("language = \"cy\"\n{config}"),
    );
    let out = build_to_temp(site.path());
    let page = read(out.path(), "playbooks/minimal/index.html");
    for welsh in [
        "<html lang=\"cy\">",
        "<a class=\"pb-skip-link\" href=\"#main-content\">Neidio i'r prif gynnwys</a>",
        "<li><a href=\"/search/\">Chwilio</a></li>",
        "<li><a href=\"/\">Hafan</a></li>",
        "<p>Adolygwyd y dudalen ddiwethaf: <time datetime=\"2026-10-01\">1 Hydref 2026</time></p>",
        "<p>Dyddiad adolygu nesaf: <time datetime=\"2027-10-01\">1 Hydref 2027</time></p>",
        "<dt>Math</dt><dd>Arall</dd>",
    ] {
        assert!(page.contains(welsh), "no {welsh:?} in {page}");
    }
    assert!(page.contains(
        "<script type=\"application/json\" id=\"pb-strings\">{\"announce\":\"{title}: {done} o {total} wedi'u gwneud.\""
    ));
    let not_found = read(out.path(), "404.html");
    assert!(not_found.contains("<h1>Tudalen heb ei chanfod</h1>"));
    let search = read(out.path(), "search/index.html");
    assert!(search.contains("<option value=\"\">Unrhyw gam</option>"));
}

#[test]
fn a_string_missing_in_a_language_is_a_warning_naming_the_file_to_add_it_to() {
    let site = copy_fixture("minimal");
    let config = read(site.path(), "site.toml");
    write(
        site.path(),
        "site.toml",
        &format!("language = \"cy\"\ntheme = \"trust\"\n{config}"),
    );
    // A string of the site's theme (for a template of its own) in English only.
    write(
        site.path(),
        "themes/trust/i18n/en.toml",
        "[trust]\nmotto = \"Care first\"\n",
    );
    // A mistyped key in the site's Welsh words.
    write(site.path(), "i18n/cy.toml", "[nav]\nserch = \"Canfod\"\n");
    let checked = check(site.path(), &[]);
    checked.assert_only(&[
        (
            "warning",
            "i18n/cy.toml",
            2,
            "`nav.serch` is not a string of the theme",
        ),
        (
            "warning",
            "themes/trust/i18n/cy.toml",
            1,
            "the string `trust.motto` has no `cy` text: `cy` pages show the `en` one",
        ),
    ]);
    assert_eq!(
        checked.help_at(2),
        "did you mean `nav.search`?",
        "{:?}",
        checked.found
    );
    assert_eq!(checked.code, 0);
    assert_eq!(check(site.path(), &["--strict"]).code, 1);
}

#[test]
fn a_strings_file_that_does_not_parse_is_an_error_at_its_line_and_column() {
    let site = copy_fixture("minimal");
    write(
        site.path(),
        "i18n/en.toml",
        "[nav]\nsearch = \"Find\"\nhome = 3\n",
    );
    let checked = check(site.path(), &[]);
    checked.assert_only(&[(
        "error",
        "i18n/en.toml",
        3,
        "`nav.home` must be text in quotes, not a number",
    )]);
    assert_eq!(checked.found[0].column, 8);
    let run = playbook(site.path(), &["build"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
}
