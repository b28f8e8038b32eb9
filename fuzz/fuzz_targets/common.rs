//! What every fuzz target shares: the bundled site's configuration, a fixed date, and checks
//! that hold for any input.
#![allow(dead_code)]

use std::sync::OnceLock;

use playbook::config::{self, SiteConfig};
use playbook::content::model::IsoDate;
use playbook::content::PageSource;
use playbook::diagnostics::{self, Diagnostic, Format};
use playbook::source::SourceText;

/// The bundled site.toml, so front matter can name real stages, settings and roles.
pub fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = SourceText::new("site.toml", include_str!("../../site.toml").to_string());
        config::parse(&text).unwrap_or_else(|_| SiteConfig::minimal("Fuzz"))
    })
}

/// The date review checks use.
pub fn today() -> IsoDate {
    IsoDate::parse("2026-11-22").unwrap_or_else(|| unreachable!("a valid date"))
}

/// Where the fuzzed page pretends to live.
pub fn page_source() -> PageSource {
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

/// Every diagnostic points inside the file (or one line past it) and renders in every format.
pub fn check_diagnostics(diagnostics: &[Diagnostic], line_count: usize) {
    for d in diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "position {}:{}", d.line, d.column);
        assert!(
            d.line <= line_count + 1 || d.file != "content/playbooks/page.md",
            "line {} past the end ({line_count} lines): {}",
            d.line,
            d.message
        );
        assert!(!d.message.is_empty());
    }
    for format in [Format::Human, Format::Json, Format::Github] {
        let text = diagnostics::render_all(diagnostics, format, false);
        if format == Format::Json {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                assert!(serde_json::from_str::<serde_json::Value>(line).is_ok(), "{line}");
            }
        }
    }
}
