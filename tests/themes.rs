//! A site selects a theme in site.toml and overrides any subset of the default theme's templates
//! and static files; whatever it leaves out falls back to the default (docs/themes.md). A theme
//! without its folder is tested in errors_rendering.rs.

mod common;

use std::fs;
use std::path::Path;

/// A one-guide site whose `plain` theme overrides page.html and assets/playbook.css only.
fn themed_site(theme: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dir");
        fs::write(path, text).expect("write");
    };
    write(
        "site.toml",
        &format!(
            "title = \"Themed site\"\nbase_url = \"https://example.org\"\ntheme = \"{theme}\"\n"
        ),
    );
    write(
        "content/_index.md",
        "---\ntitle: \"Home\"\n---\n\nWelcome.\n",
    );
    write("content/guides/hello.md", "# Hello\n\nSome text.\n");
    write(
        "themes/plain/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}<h1 class=\"plain-title\">{{ page.title }}</h1>\n{{ content | safe }}{% endblock main %}\n",
    );
    write(
        "themes/plain/static/assets/playbook.css",
        "/* the plain theme */\n.plain-title { color: rebeccapurple; }\n",
    );
    write(
        "static/site.css",
        "/* the site's own */\nbody { margin: 0; }\n",
    );
    dir
}

fn read(out: &Path, path: &str) -> String {
    fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_theme_overrides_some_templates_and_static_files_and_inherits_the_rest() {
    let site = themed_site("plain");
    let out = site.path().join("out");
    let run = common::playbook(
        site.path(),
        &["build", "--output", out.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);

    let guide = read(&out, "guides/hello/index.html");
    assert!(
        guide.contains("<h1 class=\"plain-title\">Hello</h1>"),
        "{guide}"
    );
    assert!(
        guide.contains("class=\"pb-header\""),
        "base.html comes from the default theme"
    );
    assert!(guide.contains("Skip to main content"), "{guide}");
    assert!(
        !read(&out, "index.html").contains("plain-title"),
        "index.html is the default's"
    );

    let css = read(&out, "assets/playbook.css");
    assert!(css.contains(".plain-title{color:rebeccapurple}"), "{css}");
    assert!(
        !css.contains("pb-header"),
        "the theme's stylesheet replaces the default's"
    );
    assert!(
        !css.contains("/*"),
        "theme stylesheets are published minified: {css}"
    );
    assert!(
        out.join("assets/checklists.js").is_file(),
        "the default's script is kept"
    );
    assert_eq!(
        read(&out, "site.css"),
        "/* the site's own */\nbody { margin: 0; }\n",
        "the site's own static files are published as written"
    );
}

#[test]
fn the_default_theme_stylesheet_is_published_minified() {
    let site = themed_site("default");
    let out = site.path().join("out");
    let run = common::playbook(
        site.path(),
        &["build", "--output", out.to_str().expect("utf-8")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let css = read(&out, "assets/playbook.css");
    assert!(
        css.contains(".pb-header{"),
        "{}",
        &css[..200.min(css.len())]
    );
    assert!(!css.contains("/*"));
    assert!(!read(&out, "guides/hello/index.html").contains("plain-title"));
}
