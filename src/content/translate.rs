//! Translations (`x.cy.md` beside `x.md`): finding the original and merging the two front
//! matters with [`overlay`] under [`Policy::TextOnly`], the same merge by id as local versions
//! use, so a translation holds only its text and everything else comes from the original.

use super::adapt::Bases;
use super::load::PageSource;
use super::overlay::{self, Policy};
use super::schema::{self, Object};
use super::yaml::{Node, NodeKind};
use crate::config::language_name;
use crate::diagnostics::Diagnostic;
use crate::source::{Files, SourceText};

/// The fields besides text a translation may set differently from its original (when left
/// out, the original's apply): it is reviewed, and may be a draft or have a URL of its own,
/// independently.
pub const OWN_FIELDS: &[&str] = &["slug", "status", "last_reviewed", "next_review_due"];

/// What a translated page knows of its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The translation's language code (`cy`).
    pub language: String,
    /// The original's path from the site root (`content/playbooks/x.md`).
    pub original_rel_path: String,
}

/// A translation's merged front matter, ready for checking.
pub struct Prepared {
    /// The merged tree (values marked with the file they came from: the original is file 1).
    pub merged: Node,
    /// The original's file, for diagnostics on values taken from it.
    pub original_text: SourceText,
    /// The original and the language.
    pub translation: Translation,
    /// A warning when the original was reviewed after the translation.
    pub diagnostics: Vec<Diagnostic>,
}

/// Merges a translation's front matter (`own`, read from `text`) onto its original's. Errors:
/// no original, an original that cannot be read, and everything the text-only merge refuses
/// (an id added or removed, a non-text value changed), each at its file, line and field.
pub fn prepare(
    own: &Node,
    text: &SourceText,
    source: &PageSource,
    bases: &Bases,
    default_language: &str,
) -> Result<Prepared, Vec<Diagnostic>> {
    let language = source.language.clone().unwrap_or_default();
    let original_rel = source.original_rel_path().unwrap_or_default();
    let Some(original) = bases.original_of(source) else {
        return Err(vec![no_original(text, source, default_language)]);
    };
    let Some(file) = bases.file(original) else {
        return Err(vec![text
            .error(
                1,
                1,
                1,
                format!(
                    "the original `{original_rel}` cannot be read: its front matter has errors"
                ),
            )
            .with_help(format!(
                "fix {original_rel} first (its own errors are reported)"
            ))]);
    };
    if own.get("title").is_none() {
        let (line, column) = (own.line.max(1), own.column.max(1));
        return Err(vec![text
            .error(line, column, 1, "a translation needs its own `title`")
            .with_help(format!(
                "add `title:` in the translation's language (the original's is \"{}\")",
                file.root.get("title").and_then(Node::as_str).unwrap_or("")
            ))
            .with_field("title")]);
    }
    let is_playbook = file.root.get("pathway").is_some() || file.root.get("adapts").is_some();
    let object: &Object = if is_playbook {
        &schema::PLAYBOOK
    } else {
        &schema::GUIDE
    };
    let is_text = |path: &[&str]| match path {
        [field] if OWN_FIELDS.contains(field) => true,
        _ => schema::is_text_at(object, path),
    };
    let merged = overlay::merge(
        &file.root,
        own,
        &overlay::removals(own),
        &Policy::TextOnly(&is_text),
        &[],
    );
    let files = Files {
        own: text,
        base: Some(&file.text),
    };
    let errors: Vec<Diagnostic> = merged
        .problems
        .into_iter()
        .map(|p| {
            let field = p.message.split('`').nth(1).unwrap_or_default().to_string();
            let mut d = files
                .of(p.file)
                .error(p.line, p.column, p.width, p.message)
                .with_help(p.help);
            if !field.is_empty() && !field.contains(' ') {
                d = d.with_field(field);
            }
            d
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut diagnostics = Vec::new();
    if let Some(d) = reviewed_before_original(own, &file.root, text, default_language) {
        diagnostics.push(d);
    }
    Ok(Prepared {
        merged: merged.root,
        original_text: file.text.clone(),
        translation: Translation {
            language,
            original_rel_path: original.rel_path.clone(),
        },
        diagnostics,
    })
}

/// The error for a translation whose original does not exist.
pub fn no_original(text: &SourceText, source: &PageSource, default_language: &str) -> Diagnostic {
    let original = source.original_rel_path().unwrap_or_default();
    text.error(
        1,
        1,
        1,
        format!("this translation has no original: `{original}` does not exist"),
    )
    .with_help(format!(
        "a translation sits beside the page it translates, with the language code before `.md`; add `{original}` in {}, or rename this file",
        language_name(default_language)
    ))
}

/// The warning for a translation whose `last_reviewed` is earlier than its original's.
fn reviewed_before_original(
    own: &Node,
    original: &Node,
    text: &SourceText,
    default_language: &str,
) -> Option<Diagnostic> {
    let date = |n: &Node| match &n.kind {
        NodeKind::Scalar { text, .. } => Some(text.trim().to_string()),
        _ => None,
    };
    let own_node = own.get("last_reviewed")?;
    let ours = date(own_node)?;
    let theirs = date(original.get("last_reviewed")?)?;
    let valid = |d: &str| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-';
    if !(valid(&ours) && valid(&theirs)) || ours >= theirs {
        return None;
    }
    Some(
        text.warning(
            own_node.line,
            own_node.column,
            own_node.width,
            format!(
                "the {} page was reviewed on {theirs}, after this translation ({ours}): check it still says the same",
                language_name(default_language)
            ),
        )
        .with_help("update the translation to match, then set its `last_reviewed` to the day you checked it")
        .with_field("last_reviewed"),
    )
}
