//! The default theme, built into the binary so a site without a `themes/` folder still builds,
//! and so a theme that lacks a template or static file falls back to the default's.

/// Default templates: (name, text).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "section.html",
        include_str!("../../themes/default/templates/section.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "playbook.html",
        include_str!("../../themes/default/templates/playbook.html"),
    ),
    (
        "teams.html",
        include_str!("../../themes/default/templates/teams.html"),
    ),
    (
        "team.html",
        include_str!("../../themes/default/templates/team.html"),
    ),
    (
        "taxonomy.html",
        include_str!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "taxonomy_index.html",
        include_str!("../../themes/default/templates/taxonomy_index.html"),
    ),
    (
        "role.html",
        include_str!("../../themes/default/templates/role.html"),
    ),
    (
        "checklist.html",
        include_str!("../../themes/default/templates/checklist.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "pagination.html",
        include_str!("../../themes/default/templates/pagination.html"),
    ),
    (
        "review_dates.html",
        include_str!("../../themes/default/templates/review_dates.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "list_filters.html",
        include_str!("../../themes/default/templates/list_filters.html"),
    ),
];

/// Default theme strings: (file name under `i18n/`, text). See `render::i18n`.
pub const DEFAULT_I18N: &[(&str, &str)] = &[
    ("en.toml", include_str!("../../themes/default/i18n/en.toml")),
    ("cy.toml", include_str!("../../themes/default/i18n/cy.toml")),
];

/// Default static files: (path under the output folder, bytes).
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    (
        "assets/playbook.css",
        include_bytes!("../../themes/default/static/assets/playbook.css"),
    ),
    (
        "assets/checklists.js",
        include_bytes!("../../themes/default/static/assets/checklists.js"),
    ),
    (
        "assets/checklists.css",
        include_bytes!("../../themes/default/static/assets/checklists.css"),
    ),
    (
        "assets/lists.css",
        include_bytes!("../../themes/default/static/assets/lists.css"),
    ),
    (
        "assets/favicon.svg",
        include_bytes!("../../themes/default/static/assets/favicon.svg"),
    ),
    (
        "assets/print.css",
        include_bytes!("../../themes/default/static/assets/print.css"),
    ),
    (
        "assets/search.js",
        include_bytes!("../../themes/default/static/assets/search.js"),
    ),
    (
        "assets/filters.js",
        include_bytes!("../../themes/default/static/assets/filters.js"),
    ),
    (
        "assets/team-records.js",
        include_bytes!("../../themes/default/static/assets/team-records.js"),
    ),
];

/// Removes comments and spaces from a theme's stylesheet for the published site, so pages stay
/// light while the theme's source stays readable. `None` when the minifier fails or its output
/// looks wrong (a different number of braces): the stylesheet is then published as written.
pub fn minify_css(css: &str) -> Option<String> {
    let minified = tighten_css(&minifier::css::minify(css).ok()?.to_string());
    let braces = |s: &str| (s.matches('{').count(), s.matches('}').count());
    (braces(&minified) == braces(css) && !minified.trim().is_empty()).then_some(minified)
}

/// What `minifier::css` leaves: the `;` before a `}` and the space before `!important`. Text in
/// quotes is kept as it is.
fn tighten_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut quote: Option<char> = None;
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    out.extend(chars.next());
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                } else if (c == ';' && chars.peek() == Some(&'}'))
                    || (c == ' ' && chars.peek() == Some(&'!'))
                {
                    continue;
                }
                out.push(c);
            }
        }
    }
    out
}

/// Takes out of a theme's script what is there only for its readers: lines that are only a `//`
/// comment, blank lines, indentation and the spaces next to punctuation (see `tighten_js_line`).
/// The script's lines keep their order and their ends (automatic semicolons stay where they were).
/// `None` when that would not be safe, a script with a template literal or a string continued on
/// the next line (indentation there is text): it is then published as written.
/// (A full minifier was tried: `minifier::js` glues `a - -1` into `a--1`.)
pub fn minify_js(js: &str) -> Option<String> {
    if js.contains('`') || js.lines().any(|l| l.trim_end().ends_with('\\')) {
        return None;
    }
    let mut out = String::with_capacity(js.len());
    for line in js.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let (line, tight) = tighten_js_line(line);
        // After a `;`, `{` or `,` that ends a line, the line break changes nothing.
        if tight && line.ends_with([';', '{', ',']) {
            out.push_str(&line);
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    (out.len() < js.len() && !out.is_empty()).then_some(out)
}

/// Punctuation around which a space never matters in a line of code.
const JS_PUNCTUATION: &str = "{}()[];,:=<>?!&|+-*%";

/// One line of a script without the spaces next to punctuation (`x = f(a, b) => {` becomes
/// `x=f(a,b)=>{`), leaving text in quotes alone, and whether it was tightened. A line with a `/`
/// outside quotes (a regular expression, a division or a comment, which cannot be told apart
/// here) or an unclosed quote is kept as written, and so is a space between two `+` or `-` signs
/// (`a - -1` is not `a--1`).
fn tighten_js_line(line: &str) -> (String, bool) {
    let chars: Vec<char> = line.chars().collect();
    let mut quoted = vec![false; chars.len()];
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                quoted[i] = true;
                if c == '\\' && i + 1 < chars.len() {
                    quoted[i + 1] = true;
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '\'' || c == '"' => {
                quoted[i] = true;
                quote = Some(c);
            }
            None if c == '/' => return (line.to_string(), false),
            None => {}
        }
        i += 1;
    }
    if quote.is_some() {
        return (line.to_string(), false);
    }
    let punct = |c: Option<&char>| c.is_some_and(|c| JS_PUNCTUATION.contains(*c));
    let sign = |c: Option<&char>| matches!(c, Some('+') | Some('-'));
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && !quoted[i] {
            let before = out.chars().last();
            let after = chars[i + 1..].iter().find(|&&c| c != ' ');
            let loose = punct(before.as_ref()) || punct(after);
            // `a < !--b` must not become `a<!--b`, which starts a comment.
            let html_comment = before == Some('<') && after == Some(&'!');
            if loose && !(sign(before.as_ref()) && sign(after)) && !html_comment {
                continue;
            }
        }
        out.push(c);
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_css_keeps_what_matters() {
        let css = "/* note */\n.a { width: calc(100% - 2rem); }\n@media (min-width: 40em) {\n  .b::before { content: \" (\" attr(href) \")\"; }\n}\n";
        let min = minify_css(css).expect("minifies");
        assert!(!min.contains("note"), "{min}");
        assert!(min.contains("calc(100% - 2rem)"), "{min}");
        assert!(min.contains("content:\" (\" attr(href) \")\""), "{min}");
        assert!(min.contains("@media (min-width:40em)"), "{min}");
        assert!(min.len() < css.len());
    }

    #[test]
    fn the_default_stylesheet_minifies_and_stays_whole() {
        let (_, bytes) = DEFAULT_STATIC
            .iter()
            .find(|(path, _)| *path == "assets/playbook.css")
            .expect("the default theme has a stylesheet");
        let css = std::str::from_utf8(bytes).expect("UTF-8");
        let min = minify_css(css).expect("minifies");
        assert!(
            min.len() * 10 < css.len() * 9,
            "{} -> {}",
            css.len(),
            min.len()
        );
        assert!(min.contains("@media (forced-colors:active)"));
    }

    #[test]
    fn the_default_scripts_lose_their_comments_and_indentation() {
        for (path, bytes) in DEFAULT_STATIC.iter().filter(|(p, _)| p.ends_with(".js")) {
            let js = std::str::from_utf8(bytes).expect("UTF-8");
            let Some(min) = minify_js(js) else {
                assert!(js.contains('`'), "{path} is published as written");
                continue;
            };
            assert!(
                min.len() * 10 < js.len() * 9,
                "{path}: {} -> {}",
                js.len(),
                min.len()
            );
            assert!(
                !min.contains("Progressive enhancement"),
                "{path} keeps its comments"
            );
            assert!(
                min.lines().count()
                    <= js
                        .lines()
                        .filter(|l| !l.trim().is_empty() && !l.trim().starts_with("//"))
                        .count()
            );
        }
    }

    #[test]
    fn minified_js_keeps_every_line_of_code_as_written() {
        let js = "// note\nconst a = 'x  y';\n  return typeof a === 'string' ? a - -1 : b; // why\n\n  x = '// not a comment';\n";
        assert_eq!(
            minify_js(js).as_deref(),
            Some("const a='x  y';return typeof a === 'string' ? a - -1 : b; // why\nx='// not a comment';\n")
        );
        assert_eq!(minify_js("const t = `a\n  b`;\n"), None);
        assert_eq!(minify_js("const s = 'a\\\n  b';\n"), None);
    }

    #[test]
    fn minified_js_loses_the_spaces_around_punctuation_only_outside_quotes() {
        let js = "const a = f(x, 'a = b' + \"c , d\", y) => { return a - -1 + b + +c; };\n";
        assert_eq!(
            minify_js(js).as_deref(),
            Some("const a=f(x,'a = b'+\"c , d\",y)=>{return a- -1+b+ +c;};\n")
        );
        // A `/` may start a regular expression or a comment: that line is kept as written.
        let js = "const r = s.split('/').map((x) => x / 2);\nif (a) { b = 'it\\'s ( x'; }\n";
        assert_eq!(
            minify_js(js).as_deref(),
            Some("const r = s.split('/').map((x) => x / 2);\nif(a){b='it\\'s ( x';}\n")
        );
        assert_eq!(
            minify_js("x = typeof a === 'string' ? a : b;\n").as_deref(),
            Some("x=typeof a==='string'?a:b;\n")
        );
    }

    #[test]
    fn minified_css_drops_the_last_semicolon_of_each_rule() {
        let min = minify_css(".a { color: red; content: \";}\"; }\n.b { top: 0 !important; }\n")
            .expect("minifies");
        assert_eq!(min, ".a{color:red;content:\";}\"}.b{top:0!important}");
    }

    #[test]
    fn broken_css_is_kept_as_written() {
        assert_eq!(minify_css("/* { */ .a { color: red; }"), None);
    }
}
