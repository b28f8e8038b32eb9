//! A whole page from bytes to HTML: decode, split, parse, validate, Markdown and the default
//! theme's templates. Whatever the input, the page holds nothing that could run a script.
#![no_main]

use std::path::Path;
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use playbook::page::render_page_bytes;
use playbook::render::{self, Templates};

mod common;
#[path = "../../tests/common/html_safety.rs"]
mod html_safety;

fn templates() -> &'static Mutex<Templates> {
    static TEMPLATES: OnceLock<Mutex<Templates>> = OnceLock::new();
    TEMPLATES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        match render::load_templates(&root, "default") {
            Ok(t) => Mutex::new(t),
            Err(d) => panic!("the default theme does not load: {d:?}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let mut templates = templates().lock().unwrap_or_else(|e| e.into_inner());
    let out = render_page_bytes(data, common::config(), &mut templates, common::today());
    let lines = data.split(|b| *b == b'\n').count();
    common::check_diagnostics(&out.diagnostics, lines);
    if let Some(html) = out.html {
        let findings = html_safety::unsafe_findings(&html);
        assert!(findings.is_empty(), "{findings:?}");
    }
});
