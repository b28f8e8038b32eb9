//! Local versions (`adapts:`): finding the base playbook, checking that it may be adapted, and
//! merging the two front matters with [`overlay`] before the merged tree is checked and typed
//! like any playbook's.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use super::frontmatter;
use super::load::{Discovery, PageSource};
use super::overlay::{self, Change, Policy, BASE_FILE, OWN_FIELDS};
use super::yaml::{self, Node, NodeKind};
use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::source::{decode_utf8, Files, SourceText};

/// Every page by its site path (`national/playbooks/x`), for `adapts.playbook`, and each base
/// as read: a national playbook that many local versions adapt is read and parsed once per
/// parse stage, not once per local version (they are parsed in parallel, hence `OnceLock`).
#[derive(Debug, Default)]
pub struct Bases<'a> {
    by_path: HashMap<String, &'a PageSource>,
    /// Pages in the site's own language by their path from the root, for translations.
    by_rel_path: HashMap<String, &'a PageSource>,
    /// The originals that have a translation: each is read and parsed once, for its own page
    /// and its translations (see [`Bases::shared`]).
    translated: std::collections::HashSet<String>,
    /// By the base's path relative to the root; `None` inside when it cannot be read.
    read: HashMap<String, OnceLock<Option<BaseFile>>>,
}

/// A base page's file: its text, its front matter tree (values marked as the base's) and its
/// body's range.
#[derive(Debug)]
pub(super) struct BaseFile {
    /// The whole file.
    pub(super) text: SourceText,
    /// Its front matter, every value marked as the base's.
    pub(super) root: Node,
    /// Byte range of its body.
    pub(super) body: Range<usize>,
    /// False when the file has none (its `root` is then an empty mapping).
    pub(super) front_matter: bool,
}

impl<'a> Bases<'a> {
    /// The pages of a discovery.
    pub fn of(discovery: &'a Discovery) -> Self {
        Bases {
            by_path: discovery
                .pages
                .iter()
                .filter(|p| p.language.is_none())
                .map(|p| (p.site_path(), p))
                .collect(),
            by_rel_path: discovery
                .pages
                .iter()
                .filter(|p| p.language.is_none())
                .map(|p| (p.rel_path.clone(), p))
                .collect(),
            translated: discovery
                .pages
                .iter()
                .filter_map(PageSource::original_rel_path)
                .collect(),
            read: discovery
                .pages
                .iter()
                .map(|p| (p.rel_path.clone(), OnceLock::new()))
                .collect(),
        }
    }

    /// For an original that has translations, its file as read and parsed once for them (its
    /// own page takes its text and front matter tree from here instead of reading it again);
    /// `None` for any other page, or when the file has no front matter or cannot be read.
    pub(super) fn shared(&self, source: &PageSource) -> Option<&BaseFile> {
        if !self.translated.contains(&source.rel_path) {
            return None;
        }
        self.file(source).filter(|f| f.front_matter)
    }

    /// The page a translation translates (`None` when its original does not exist).
    pub(super) fn original_of(&self, translation: &PageSource) -> Option<&'a PageSource> {
        self.by_rel_path
            .get(&translation.original_rel_path()?)
            .copied()
    }

    /// The base page's file, read the first time a local version (or translation) asks for it.
    pub(super) fn file(&self, source: &PageSource) -> Option<&BaseFile> {
        match self.read.get(&source.rel_path) {
            Some(once) => once.get_or_init(|| read_base(source)).as_ref(),
            None => None,
        }
    }

    /// One page, in the site's own language, that a page being parsed again may need (a
    /// translation's original).
    pub fn only(page: &'a PageSource) -> Self {
        Bases {
            by_path: HashMap::from([(page.site_path(), page)]),
            by_rel_path: HashMap::from([(page.rel_path.clone(), page)]),
            translated: Default::default(),
            read: HashMap::from([(page.rel_path.clone(), OnceLock::new())]),
        }
    }

    /// No pages: a page that adapts another is then refused (its base is unknown).
    pub fn none() -> Self {
        Bases::default()
    }
}

/// What a local version knows of its base, for its page and for `serve`.
#[derive(Debug, Clone)]
pub struct Adaptation {
    /// The base page's source (its `rel_path` is the file to watch).
    pub base_source: PageSource,
    /// The base's title.
    pub base_title: String,
    /// The base's version now.
    pub base_version: Option<String>,
    /// What the local version changed, added and removed, named for people.
    pub changes: Vec<Change>,
    /// The base's file, for its body.
    pub base_text: SourceText,
    /// Byte range of the base's body in `base_text`.
    pub base_body: Range<usize>,
}

impl PartialEq for Adaptation {
    /// Same base file, title, version, changes and body text.
    fn eq(&self, other: &Self) -> bool {
        self.base_source.rel_path == other.base_source.rel_path
            && self.base_title == other.base_title
            && self.base_version == other.base_version
            && self.changes == other.changes
            && self.base_body_text() == other.base_body_text()
    }
}

impl Adaptation {
    /// The base's Markdown body.
    pub fn base_body_text(&self) -> &str {
        self.base_text.get(self.base_body.clone()).unwrap_or("")
    }
}

/// A local version's merged front matter, ready for checking, with what it adapts.
pub struct Prepared {
    /// The merged tree (values marked with the file they came from).
    pub merged: Node,
    /// The base and the changes.
    pub adaptation: Adaptation,
    /// Warnings (a newer base) and merge problems.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a local version could not be merged: the problems, and the base file it read, if any.
pub struct Refused {
    /// The errors.
    pub diagnostics: Vec<Diagnostic>,
    /// The base file, when one was found (serve parses the page again when it changes).
    pub base_rel_path: Option<String>,
}

/// `MAJOR.MINOR` as numbers.
fn version_of(text: &str) -> Option<(u64, u64)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The `adapts:` of a local version's tree, the base path it names (tidied) and that base's
/// source; an error at `adapts.playbook` when it names no page of the site.
fn locate_base<'n, 'b>(
    local: &'n Node,
    text: &SourceText,
    bases: &'b Bases,
) -> Result<(&'n Node, &'n Node, String, &'b PageSource), Refused> {
    let refuse = |d: Diagnostic| Refused {
        diagnostics: vec![d],
        base_rel_path: None,
    };
    // Called only for a tree with a non-empty `adapts:`.
    let Some(adapts) = local.get("adapts").filter(|n| n.kind != NodeKind::Null) else {
        return Err(Refused {
            diagnostics: Vec::new(),
            base_rel_path: None,
        });
    };
    let Some(playbook) = adapts.get("playbook").filter(|n| n.as_str().is_some()) else {
        let d = text
            .error(adapts.line, adapts.column, adapts.width, "missing required field `playbook` in `adapts`")
            .with_help("add `playbook:` (the site path of the playbook this page adapts, e.g. national/playbooks/remote-monitoring)")
            .with_field("adapts.playbook");
        return Err(refuse(d));
    };
    let wanted = playbook
        .as_str()
        .unwrap_or("")
        .trim()
        .trim_matches('/')
        .trim_end_matches(".md")
        .to_string();
    let Some(base_source) = bases.by_path.get(&wanted).copied() else {
        let near = did_you_mean(&wanted, bases.by_path.keys().map(String::as_str));
        let help = match near {
            Some(near) => format!("did you mean `{near}`?"),
            None => {
                "write the base page's path under content/ (or under a mount's target), without .md"
                    .into()
            }
        };
        let d = text
            .error(
                playbook.line,
                playbook.column,
                playbook.width,
                format!("`adapts.playbook` names `{wanted}`, which is not a page of this site"),
            )
            .with_help(help)
            .with_field("adapts.playbook");
        return Err(refuse(d));
    };
    Ok((adapts, playbook, wanted, base_source))
}

/// Finds the base of the local version whose tree is `local` (in `text`), checks that it may be
/// adapted, and merges the two.
pub fn prepare(local: &Node, text: &SourceText, bases: &Bases) -> Result<Prepared, Refused> {
    let refuse = |d: Diagnostic, base: Option<&PageSource>| Refused {
        diagnostics: vec![d],
        base_rel_path: base.map(|b| b.rel_path.clone()),
    };
    let (adapts, playbook, wanted, base_source) = locate_base(local, text, bases)?;
    let error = |message: String, help: String| {
        text.error(playbook.line, playbook.column, playbook.width, message)
            .with_help(help)
            .with_field("adapts.playbook")
    };
    let (base_text, base_root, base_body) = match bases.file(base_source) {
        Some(file) => (file.text.clone(), &file.root, file.body.clone()),
        None => {
            return Err(refuse(
                error(
                    format!(
                        "the base playbook `{wanted}` cannot be read: its front matter has errors"
                    ),
                    format!(
                        "fix {} first (its own errors are reported)",
                        base_source.rel_path
                    ),
                ),
                Some(base_source),
            ))
        }
    };
    if base_root.get("pathway").is_none() {
        return Err(refuse(
            error(
                format!(
                    "`{wanted}` is not a playbook (it has no `pathway:`), so it cannot be adapted"
                ),
                "only a playbook may have local versions; check the path".into(),
            ),
            Some(base_source),
        ));
    }
    if let Some(further) = base_root
        .get("adapts")
        .and_then(|a| a.get("playbook"))
        .and_then(Node::as_str)
    {
        return Err(refuse(
            error(
                format!("`{wanted}` is itself a local version (of `{}`), and a local version cannot be adapted", further.trim()),
                format!("adapt `{}` instead", further.trim()),
            ),
            Some(base_source),
        ));
    }
    let mut diagnostics = Vec::new();
    let base_version = base_root
        .get("version")
        .and_then(Node::as_str)
        .map(|v| v.trim().to_string());
    if let Some(problem) =
        compare_versions(adapts, base_root, base_version.as_deref(), text, &wanted)
    {
        if problem.is_error() {
            return Err(Refused {
                diagnostics: vec![problem],
                base_rel_path: Some(base_source.rel_path.clone()),
            });
        }
        diagnostics.push(problem);
    }
    let removals = overlay::removals(local);
    // The base tree's values are marked as the base's (see `read_base`).
    let merged = overlay::merge(base_root, local, &removals, &Policy::Adapt, OWN_FIELDS);
    let files = Files {
        own: text,
        base: Some(&base_text),
    };
    for p in merged.problems {
        diagnostics.push(
            files
                .of(p.file)
                .error(p.line, p.column, p.width, p.message)
                .with_help(p.help)
                .with_field("remove"),
        );
    }
    let base_title = base_root
        .get("title")
        .and_then(Node::as_str)
        .unwrap_or(&wanted)
        .to_string();
    Ok(Prepared {
        merged: merged.root,
        adaptation: Adaptation {
            base_source: base_source.clone(),
            base_title,
            base_version,
            changes: merged.changes,
            base_text,
            base_body,
        },
        diagnostics,
    })
}

/// Reads the base page's file: its text, its front matter tree and its body's range; `None`
/// when it cannot be read or its front matter does not parse (the base's own parse says why).
fn read_base(source: &PageSource) -> Option<BaseFile> {
    let bytes = std::fs::read(&source.abs_path).ok()?;
    let text = SourceText::new(
        source.rel_path.clone(),
        decode_utf8(&source.rel_path, bytes).ok()?,
    );
    let split = frontmatter::split(&text).ok()?;
    // A page without front matter (a guide titled by its `# heading`) has none to give.
    let front_matter = split.yaml.is_some();
    let root = match split.yaml {
        Some((yaml_text, first_line)) => yaml::parse(yaml_text, first_line).ok()?,
        None => Node {
            kind: NodeKind::Map(Vec::new()),
            line: 1,
            column: 1,
            width: 1,
            file: BASE_FILE,
        },
    };
    let body_start = split.body.as_ptr() as usize - text.as_str().as_ptr() as usize;
    let body = body_start..text.len();
    let mut root = root;
    root.set_file(BASE_FILE);
    Some(BaseFile {
        text,
        root,
        body,
        front_matter,
    })
}

/// `adapts.version` against the base's `version`: an error when the local one is newer, a
/// warning listing the base's changes since when the base is newer.
fn compare_versions(
    adapts: &Node,
    base_root: &Node,
    base_version: Option<&str>,
    text: &SourceText,
    wanted: &str,
) -> Option<Diagnostic> {
    let node = adapts.get("version")?;
    let adapted = version_of(node.as_str()?)?;
    let base_text = base_version?;
    let base = version_of(base_text)?;
    let adapted_text = node.as_str()?.trim();
    if adapted > base {
        return Some(
            text.error(
                node.line,
                node.column,
                node.width,
                format!("`adapts.version` is {adapted_text}, newer than the base playbook's version {base_text}"),
            )
            .with_help(format!("set `adapts.version` to the version of `{wanted}` you adapted (now {base_text})"))
            .with_field("adapts.version"),
        );
    }
    if adapted == base {
        return None;
    }
    let since = changes_since(base_root, adapted);
    let help = if since.is_empty() {
        format!("compare your page with `{wanted}`, then set `adapts.version: \"{base_text}\"`")
    } else {
        format!(
            "its changes since {adapted_text}: {}; then set `adapts.version: \"{base_text}\"`",
            since.join("; ")
        )
    };
    Some(
        text.warning(
            node.line,
            node.column,
            node.width,
            format!("the base playbook is now {base_text}; you adapted {adapted_text}: review its changes and update adapts.version"),
        )
        .with_help(help)
        .with_field("adapts.version"),
    )
}

/// The base's `changes` entries newer than `adapted`, as `2.3: summary` (read from the tree, so
/// it works whatever else the base's `changes` hold).
pub fn changes_since(base_root: &Node, adapted: (u64, u64)) -> Vec<String> {
    let Some(NodeKind::Seq(entries)) = base_root.get("changes").map(|n| &n.kind) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let version = entry.get("version").and_then(Node::as_str)?.trim();
            if version_of(version)? <= adapted {
                return None;
            }
            let summary = entry
                .get("summary")
                .and_then(Node::as_str)
                .unwrap_or("")
                .trim();
            Some(format!("{version}: {summary}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_since_lists_newer_entries_only() {
        let root = yaml::parse(
            "changes:\n  - version: \"2.3\"\n    summary: New rota\n  - version: \"2.2\"\n    summary: Alerts\n  - version: \"2.1\"\n    summary: Old\n",
            2,
        )
        .unwrap();
        assert_eq!(
            changes_since(&root, (2, 1)),
            ["2.3: New rota", "2.2: Alerts"]
        );
        assert!(changes_since(&root, (2, 3)).is_empty());
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert!(version_of("2.10") > version_of("2.9"));
        assert_eq!(version_of("x"), None);
    }
}
