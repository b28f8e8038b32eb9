//! `playbook`: a static site generator for NHS digital-technology adoption playbooks.
//!
//! The pipeline runs in stages, each in its own module, with data flowing one way:
//!
//! ```text
//! site.toml + content/ ──config, content::load──▶ sources ──content (parse)──▶ pages
//!     ──validate, site──▶ Site ──markdown, render──▶ each file, as it renders ──output──▶ output folder
//! ```
//!
//! `build::run` drives it; the binary in `main.rs` only parses arguments and prints.

// A Diagnostic is the error value of every stage; it is returned rarely and read by people,
// so boxing it to satisfy this lint would only add noise.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod markdown;
pub mod output;
pub mod page;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod source;
pub mod teams;
pub mod vocabulary;
