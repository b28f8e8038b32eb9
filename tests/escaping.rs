//! Escaping everywhere: templates escape whatever comes from content (Tera autoescape, with
//! `| safe` only on HTML the build made itself), and the browser scripts never turn page data
//! into markup. The hostile-site tests check the built pages; these check the sources.

use std::path::{Path, PathBuf};

/// Values the templates may print unescaped, each HTML the build produced and cleaned itself.
/// Add one here only for HTML made in Rust (Markdown output, `render::embed::json_for_script`).
const SAFE_VALUES: &[&str] = &[
    "content",              // the page body: pulldown-cmark output, sanitised per raw_html
    "section.content",      // a section's _index.md body, the same
    "item.text_html",       // a checklist item's inline Markdown, raw HTML shown as text
    "c.summary_html",       // a change's summary (1.1): inline Markdown, the same way
    "n.summary_html",       // the same summary in a role page's retraining notice
    "playbook.pathway_svg", // render/pathway.rs: the build's own SVG, every name escaped
    "home.pathway_svg",     // the same drawing for the home page, with counts
    // Team records (render/team.rs): item texts, notes and conditions from `markdown::render_inline`,
    // like `item.text_html`; a task list item's plain text is escaped.
    "g.text_html",
    "d.text_html",
    "d.note_html",
    "d.conditions_html",
];

fn files_under(dir: &Path, extension: &str) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().and_then(|x| x.to_str()) == Some(extension))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn templates_mark_safe_only_html_the_build_made() {
    let mut templates = files_under(&repo().join("themes"), "html");
    templates.extend(files_under(&repo().join("themes"), "xml"));
    assert!(templates.len() >= 5, "no templates found");
    let mut problems = Vec::new();
    for path in templates {
        let text = std::fs::read_to_string(&path).expect("template");
        for (n, line) in text.lines().enumerate() {
            if line.contains("autoescape") {
                problems.push(format!(
                    "{}:{}: turns autoescape off",
                    path.display(),
                    n + 1
                ));
            }
            let mut rest = line;
            while let Some(at) = rest.find("| safe") {
                let expression = rest[..at]
                    .rsplit("{{")
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if !SAFE_VALUES.contains(&expression.as_str()) {
                    problems.push(format!(
                        "{}:{}: `{expression} | safe` prints a value unescaped",
                        path.display(),
                        n + 1
                    ));
                }
                rest = &rest[at + 6..];
            }
        }
    }
    assert!(
        problems.is_empty(),
        "templates must escape whatever comes from content (see SAFE_VALUES):\n{}",
        problems.join("\n")
    );
}

#[test]
fn browser_scripts_never_insert_markup() {
    // The theme's scripts, and any the binary carries itself (serve's live reload).
    let mut scripts = files_under(&repo().join("themes"), "js");
    scripts.extend(files_under(&repo().join("src"), "js"));
    let mut problems = Vec::new();
    for path in &scripts {
        let text = std::fs::read_to_string(path).expect("script");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for sink in [
                "innerHTML",
                "outerHTML",
                "insertAdjacentHTML",
                "document.write",
                "eval(",
                "new Function",
                "createContextualFragment",
                "setTimeout(\"",
                "setTimeout('",
            ] {
                if code.contains(sink) {
                    problems.push(format!("{}:{}: {sink}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "browser scripts must build the page with textContent and createElement, never from markup:\n{}",
        problems.join("\n")
    );
}

#[test]
fn templates_escape_attributes_with_double_quotes() {
    // Tera escapes `"` but an unquoted or single-quoted attribute could still be broken out of
    // with a space or `'`: every `{{ }}` inside a tag must sit inside "…".
    let mut problems = Vec::new();
    for path in files_under(&repo().join("themes"), "html") {
        let text = std::fs::read_to_string(&path).expect("template");
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(at) = rest.find("={{") {
                problems.push(format!("{}:{}: unquoted attribute", path.display(), n + 1));
                rest = &rest[at + 3..];
            }
            if line.contains("='{{") {
                problems.push(format!(
                    "{}:{}: single-quoted attribute",
                    path.display(),
                    n + 1
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
