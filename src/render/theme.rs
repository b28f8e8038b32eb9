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
        "taxonomy.html",
        include_str!("../../themes/default/templates/taxonomy.html"),
    ),
    (
        "taxonomy_index.html",
        include_str!("../../themes/default/templates/taxonomy_index.html"),
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
        "assets/search.js",
        include_bytes!("../../themes/default/static/assets/search.js"),
    ),
    (
        "assets/filters.js",
        include_bytes!("../../themes/default/static/assets/filters.js"),
    ),
];
