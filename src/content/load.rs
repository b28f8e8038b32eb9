//! Finding the site's files under `content/` with walkdir: pages, sections, bundles and the
//! other files that are copied as they are.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostic;

/// A Markdown page found on disk.
#[derive(Debug, Clone)]
pub struct PageSource {
    /// Path relative to the site root, e.g. `content/playbooks/x.md`.
    pub rel_path: String,
    /// Where to read it.
    pub abs_path: PathBuf,
    /// The section it belongs to: its folder under content/, `""` for the home section.
    pub section: String,
    /// URL segments before any `slug:` is applied, e.g. `["playbooks", "x"]`.
    pub url_segments: Vec<String>,
    /// True for a bundle's `index.md`, whose folder's other files belong to it.
    pub is_bundle: bool,
    /// Its path in the site's content tree: under content/ (`playbooks/x.md`), or under a
    /// mount's target (`national/playbooks/x.md` for `vendor/national/content/playbooks/x.md`).
    pub content_path: String,
    /// False for a page of a mount with `listed = false`: built nowhere, shown nowhere, but
    /// a local version may adapt it.
    pub listed: bool,
    /// For a translation (`x.cy.md`), its language's code; `None` for a page in the site's
    /// own language. A translation's `url_segments` and `section` are its original's.
    pub language: Option<String>,
}

impl PageSource {
    /// Its site path: the content path without `.md` (and without `/index.md` for a bundle),
    /// which is how `adapts.playbook` names a page.
    pub fn site_path(&self) -> String {
        self.url_segments.join("/")
    }

    /// For a translation, the path (relative to the root) of the page it translates:
    /// `content/playbooks/x.md` for `content/playbooks/x.cy.md`.
    pub fn original_rel_path(&self) -> Option<String> {
        let code = self.language.as_deref()?;
        let stem = self.rel_path.strip_suffix(".md")?.strip_suffix(code)?;
        Some(format!("{}md", stem))
    }
}

/// `(name without the code, code)` when `name` is a translation's file name for one of
/// `codes`: `("x.md", "cy")` for `x.cy.md`.
pub fn translation_name<'c>(name: &str, codes: &'c [String]) -> Option<(String, &'c str)> {
    let stem = name.strip_suffix(".md")?;
    codes.iter().find_map(|code| {
        let original = stem.strip_suffix(code.as_str())?.strip_suffix('.')?;
        (!original.is_empty()).then(|| (format!("{original}.md"), code.as_str()))
    })
}

/// A folder under content/ that lists its pages.
#[derive(Debug, Clone)]
pub struct SectionSource {
    /// Folder path under content/, `""` for the home page.
    pub key: String,
    /// `content/…/_index.md`, if there is one: (relative path, absolute path).
    pub index_file: Option<(String, PathBuf)>,
    /// Its translations (`_index.cy.md`): (language code, relative path, absolute path).
    pub translations: Vec<(String, String, PathBuf)>,
}

/// A non-Markdown file copied to the output.
#[derive(Debug, Clone)]
pub struct AssetSource {
    /// Path relative to the site root, what diagnostics name: `content/playbooks/y/pathway.png`,
    /// or a mounted file's real path (`national/content/...`).
    pub rel_path: String,
    /// Path under content/, e.g. `playbooks/y/pathway.png`.
    pub content_path: String,
    /// Where to read it.
    pub abs_path: PathBuf,
}

/// Everything found under content/.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Markdown pages (not `_index.md`).
    pub pages: Vec<PageSource>,
    /// Every section, the home section first.
    pub sections: Vec<SectionSource>,
    /// Files copied as they are.
    pub assets: Vec<AssetSource>,
    /// Symbolic links skipped, unreadable folders.
    pub diagnostics: Vec<Diagnostic>,
}

/// True for names the build ignores: hidden files, editor backups and `_drafts`-style folders.
pub fn is_ignored_name(name: &str) -> bool {
    let section_index = name.starts_with("_index.") && name.ends_with(".md");
    (name.starts_with('.') || name.starts_with('_')) && !section_index
}

/// Walks `root/content` and then each mount's folder (sorted by name, symlinks not followed).
/// Files named for one of the site's further languages (`x.cy.md`) are translations.
pub fn discover(root: &Path, config: &SiteConfig) -> Discovery {
    let mounts = &config.mounts;
    let mut found = Discovery::default();
    found.sections.push(SectionSource {
        key: String::new(),
        index_file: None,
        translations: Vec::new(),
    });
    let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
    let content = root.join("content");
    if content.is_dir() {
        walk(root, &content, ("", true), &codes, &mut found);
    }
    for mount in mounts {
        let folder = root.join(&mount.source);
        if !folder.is_dir() {
            continue; // site.toml's check reported it
        }
        if mount.listed {
            // The target and the folders above it are sections, like content/'s folders.
            let segments: Vec<&str> = mount.target.split('/').collect();
            for depth in 1..=segments.len() {
                let key = segments[..depth].join("/");
                if !found.sections.iter().any(|s| s.key == key) {
                    found.sections.push(SectionSource {
                        key,
                        index_file: None,
                        translations: Vec::new(),
                    });
                }
            }
        }
        walk(
            root,
            &folder,
            (&mount.target, mount.listed),
            &codes,
            &mut found,
        );
    }
    found
}

/// Walks one folder laid out like content/, whose paths in the site's content tree start with
/// `prefix` (`""` for content/ itself). An unlisted folder contributes only its pages.
fn walk(
    root: &Path,
    folder: &Path,
    (prefix, listed): (&str, bool),
    codes: &[String],
    found: &mut Discovery,
) {
    let mut walker = WalkDir::new(folder)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !e.file_name().to_str().is_some_and(is_ignored_name));
    let mut bundle_dirs: Vec<PathBuf> = Vec::new();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let rel = err
                    .path()
                    .map(|p| rel_string(root, p))
                    .unwrap_or_else(|| rel_string(root, folder));
                found.diagnostics.push(
                    Diagnostic::error(rel, 1, 1, format!("cannot read: {err}"))
                        .with_help("check the file's permissions"),
                );
                continue;
            }
        };
        let path = entry.path();
        let rel = rel_string(root, path);
        let Ok(under_folder) = path.strip_prefix(folder) else {
            continue;
        };
        let Some(under) = under_folder.to_str().map(|s| s.replace('\\', "/")) else {
            let what = if entry.file_type().is_dir() {
                // One error for the folder, not one more for each file in it.
                walker.skip_current_dir();
                "the folder name is not valid UTF-8"
            } else {
                "the file name is not valid UTF-8"
            };
            found.diagnostics.push(
                Diagnostic::error(rel, 1, 1, what)
                    .with_help("rename it using letters, digits and `-`"),
            );
            continue;
        };
        let content_path = if prefix.is_empty() {
            under
        } else {
            format!("{prefix}/{under}")
        };
        if entry.path_is_symlink() {
            found.diagnostics.push(
                Diagnostic::warning(rel, 1, 1, "symbolic link skipped").with_help(
                    "links are not followed under content/; copy the file or folder in instead",
                ),
            );
            continue;
        }
        if entry.file_type().is_dir() {
            if path.join("index.md").is_file() {
                bundle_dirs.push(path.to_path_buf());
            } else if listed && !bundle_dirs.iter().any(|b| path.starts_with(b)) {
                found.sections.push(SectionSource {
                    key: content_path,
                    index_file: None,
                    translations: Vec::new(),
                });
            }
            continue;
        }
        let parent = content_path
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let name = entry.file_name().to_string_lossy().to_string();
        let in_bundle = bundle_dirs.iter().any(|b| path.starts_with(b));
        let translation = translation_name(&name, codes);
        if let Some(("_index.md", code)) = translation.as_ref().map(|(n, c)| (n.as_str(), *c)) {
            if !in_bundle && listed {
                if let Some(section) = found.sections.iter_mut().find(|s| s.key == parent) {
                    section
                        .translations
                        .push((code.to_string(), rel, path.to_path_buf()));
                }
            }
            continue;
        }
        // A translation takes its original's place in the content tree (its content path
        // and URL segments are the original's), so links and URLs find it as they find the
        // original; its `rel_path` stays its own.
        if name.starts_with("_index.") && name != "_index.md" && translation.is_none() {
            continue; // `_index.fr.md` on a site without French: ignored like any `_` file
        }
        if translation.is_none() {
            if let Some(code) = unconfigured_translation(&name, path) {
                found.diagnostics.push(
                    Diagnostic::warning(
                        rel,
                        1,
                        1,
                        format!(
                            "`{name}` is named like a translation into `{code}`, but site.toml has no [languages.{code}]: it is left out"
                        ),
                    )
                    .with_help(format!(
                        "add [languages.{code}] to site.toml to publish it, or rename the file if it is a page of its own"
                    )),
                );
                continue;
            }
        }
        let (name, language) = match translation {
            Some((original, code)) => (original, Some(code.to_string())),
            None => (name, None),
        };
        let content_path = match &language {
            Some(_) => match content_path.rsplit_once('/') {
                Some((folder, _)) => format!("{folder}/{name}"),
                None => name.clone(),
            },
            None => content_path,
        };
        if name == "_index.md" && !in_bundle {
            if let Some(section) = found.sections.iter_mut().find(|s| s.key == parent) {
                if listed {
                    section.index_file = Some((rel, path.to_path_buf()));
                }
            }
            continue;
        }
        let is_markdown = name.ends_with(".md");
        if is_markdown && (!in_bundle || name == "index.md") {
            let is_bundle = name == "index.md";
            let mut url_segments: Vec<String> = if parent.is_empty() {
                Vec::new()
            } else {
                parent.split('/').map(String::from).collect()
            };
            if !is_bundle {
                url_segments.push(name.trim_end_matches(".md").to_string());
            }
            let section = if is_bundle {
                parent
                    .rsplit_once('/')
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_default()
            } else {
                parent
            };
            found.pages.push(PageSource {
                rel_path: rel,
                abs_path: path.to_path_buf(),
                section,
                url_segments,
                is_bundle,
                content_path,
                listed,
                language,
            });
        } else if listed {
            found.assets.push(AssetSource {
                rel_path: rel,
                content_path,
                abs_path: path.to_path_buf(),
            });
        }
    }
}

/// The language code of a file named like a translation (`x.fr.md`, a code of two or three
/// lower-case letters) beside its original (`x.md`), for a language the site does not have.
fn unconfigured_translation(name: &str, path: &Path) -> Option<String> {
    let (stem, code) = name.strip_suffix(".md")?.rsplit_once('.')?;
    let looks_like_code =
        (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase());
    let original = path.with_file_name(format!("{stem}.md"));
    (looks_like_code && !stem.is_empty() && original.is_file()).then(|| code.to_string())
}

/// `path` relative to `root`, with `/` separators.
pub fn rel_string(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn finds_sections_bundles_assets_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        for (p, body) in [
            ("_index.md", "home"),
            ("playbooks/_index.md", "s"),
            ("playbooks/a.md", "a"),
            ("playbooks/a.pdf", "pdf"),
            ("playbooks/b/index.md", "b"),
            ("playbooks/b/pathway.png", "png"),
            ("playbooks/b/notes.md", "not a page"),
            ("playbooks/.a.md.swp", "swap"),
            ("_drafts/x.md", "x"),
            ("guides/g.md", "g"),
        ] {
            let path = c.join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, body).unwrap();
        }
        let found = discover(dir.path(), &SiteConfig::minimal("t"));
        let pages: Vec<_> = found
            .pages
            .iter()
            .map(|p| (p.rel_path.as_str(), p.url_segments.join("/")))
            .collect();
        assert_eq!(
            pages,
            [
                ("content/guides/g.md", "guides/g".to_string()),
                ("content/playbooks/a.md", "playbooks/a".to_string()),
                ("content/playbooks/b/index.md", "playbooks/b".to_string()),
            ]
        );
        let sections: Vec<_> = found
            .sections
            .iter()
            .map(|s| (s.key.as_str(), s.index_file.is_some()))
            .collect();
        assert_eq!(
            sections,
            [("", true), ("guides", false), ("playbooks", true)]
        );
        let assets: Vec<_> = found
            .assets
            .iter()
            .map(|a| a.content_path.as_str())
            .collect();
        assert_eq!(
            assets,
            [
                "playbooks/a.pdf",
                "playbooks/b/notes.md",
                "playbooks/b/pathway.png"
            ]
        );
        assert!(found.diagnostics.is_empty());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_folder_name_that_is_not_utf8_is_one_error() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let bad = dir
            .path()
            .join("content")
            .join(std::ffi::OsStr::from_bytes(b"d\xe9j\xe0"));
        fs::create_dir_all(&bad).unwrap();
        fs::write(bad.join("a.md"), "a").unwrap();
        fs::write(bad.join("b.md"), "b").unwrap();
        let found = discover(dir.path(), &SiteConfig::minimal("t"));
        assert_eq!(found.diagnostics.len(), 1, "{:?}", found.diagnostics);
        assert!(found.diagnostics[0].message.contains("folder name"));
        assert!(found.pages.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let c = dir.path().join("content");
        fs::create_dir_all(&c).unwrap();
        fs::write(c.join("a.md"), "a").unwrap();
        std::os::unix::fs::symlink(c.join("a.md"), c.join("b.md")).unwrap();
        std::os::unix::fs::symlink(&c, c.join("loop")).unwrap();
        let found = discover(dir.path(), &SiteConfig::minimal("t"));
        assert_eq!(found.pages.len(), 1);
        assert_eq!(found.diagnostics.len(), 2);
        assert!(found
            .diagnostics
            .iter()
            .all(|d| d.message.contains("symbolic link")));
    }
}
