//! Starting points: `playbook new PATH` writes one page and `playbook init DIR` a whole site,
//! each of which builds and passes `check --strict` as written. Neither ever overwrites a file.

pub mod template;

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::config::{self, SiteConfig};
use crate::content::model::IsoDate;
use crate::diagnostics::Diagnostic;
use crate::markdown::slugify;
pub use template::PageKind;
use template::TemplateInput;

/// Why `new` or `init` wrote nothing.
#[derive(Debug)]
pub enum ScaffoldError {
    /// The command was used wrongly (exit code 2): what is wrong and how to fix it.
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// site.toml is broken (exit code 1).
    Site(Vec<Diagnostic>),
    /// Writing failed (exit code 1).
    Io(String),
}

fn usage(message: impl Into<String>, help: impl Into<String>) -> ScaffoldError {
    ScaffoldError::Usage {
        message: message.into(),
        help: help.into(),
    }
}

/// A file `new` or `init` wrote, relative to where it was asked to write.
#[derive(Debug, Clone)]
pub struct Written {
    /// The path to show, e.g. `content/playbooks/x.md`.
    pub shown: String,
    /// Where it is.
    pub path: PathBuf,
}

/// `new PATH`: PATH is under the site's content/ folder (`playbooks/x.md`,
/// `content/playbooks/x.md`, or `playbooks/x`; a name without `.md` gets it).
pub fn new_page(
    root: &Path,
    given: &str,
    kind: PageKind,
    today: IsoDate,
) -> Result<Written, ScaffoldError> {
    let config = config::load(root).map_err(ScaffoldError::Site)?;
    let rel = content_path(root, given)?;
    let title = title_from(&rel);
    let path = root.join("content").join(&rel);
    if path.exists() {
        return Err(usage(
            format!("content/{rel} already exists"),
            "choose another name; `new` never overwrites a file",
        ));
    }
    let text = page_text(kind, &title, &config, today, "draft")?;
    write_new(&path, &text)?;
    Ok(Written {
        shown: format!("content/{rel}"),
        path,
    })
}

fn page_text(
    kind: PageKind,
    title: &str,
    config: &SiteConfig,
    today: IsoDate,
    status: &'static str,
) -> Result<String, ScaffoldError> {
    let input = TemplateInput {
        title,
        config,
        today,
        status,
    };
    let front = template::front_matter(kind, &input).map_err(|message| {
        usage(
            message,
            "add the vocabulary to site.toml first (see `playbook init` for an example)",
        )
    })?;
    Ok(format!("{front}{}", template::body(kind)))
}

/// The path under content/ that `given` names, checked: inside content/, a Markdown file, and
/// a name that is a valid URL segment.
pub fn content_path(root: &Path, given: &str) -> Result<String, ScaffoldError> {
    let given_path = Path::new(given);
    let relative: PathBuf = if given_path.is_absolute() {
        let content = std::path::absolute(root.join("content"))
            .map_err(|e| ScaffoldError::Io(e.to_string()))?;
        match given_path.strip_prefix(&content) {
            Ok(rest) => rest.to_path_buf(),
            Err(_) => {
                return Err(usage(
                    format!("`{given}` is not inside the site's content/ folder"),
                    "give a path under content/, e.g. `playbooks/home-oximetry.md`",
                ))
            }
        }
    } else {
        given_path
            .strip_prefix("content")
            .unwrap_or(given_path)
            .to_path_buf()
    };
    let mut segments = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(text) => segments.push(text.to_string()),
                None => {
                    return Err(usage(
                        format!("`{given}` is not valid UTF-8"),
                        "use a plain name",
                    ))
                }
            },
            Component::CurDir => {}
            _ => {
                return Err(usage(
                    format!("`{given}` climbs out of the content/ folder"),
                    "give a path under content/ without `..`, e.g. `playbooks/home-oximetry.md`",
                ))
            }
        }
    }
    let Some(last) = segments.pop() else {
        return Err(usage(
            "the path names no file",
            "give a file name, e.g. `playbooks/home-oximetry.md`",
        ));
    };
    let stem = match last.rsplit_once('.') {
        Some((stem, "md")) => stem.to_string(),
        Some((_, ext)) if !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric()) => {
            return Err(usage(
                format!("`{last}` is not a Markdown file"),
                "pages are `.md` files, e.g. `playbooks/home-oximetry.md`",
            ))
        }
        _ => last.clone(),
    };
    let mut check = segments.clone();
    if stem != "index" {
        check.push(stem.clone());
    }
    if check.is_empty() {
        return Err(usage(
            "content/index.md would be the home page, which is written in content/_index.md",
            "give the page a name, e.g. `playbooks/home-oximetry.md`",
        ));
    }
    for segment in &check {
        if segment.starts_with('.') || segment.starts_with('_') {
            return Err(usage(
                format!(
                    "`{segment}` starts with `{}`, so the build would ignore it",
                    &segment[..1]
                ),
                "start file and folder names with a letter or digit",
            ));
        }
        if !config::is_valid_id(segment) {
            let better = slugify(segment).trim_matches('-').to_string();
            return Err(usage(
                format!("`{segment}` cannot be part of a web address"),
                format!(
                    "use only lowercase letters a-z, digits 0-9 and `-`{}",
                    if better.is_empty() {
                        String::new()
                    } else {
                        format!(", e.g. `{better}`")
                    }
                ),
            ));
        }
    }
    let url = format!("/{}/", check.join("/"));
    if let Some(prefix) = crate::vocabulary::generated_prefixes()
        .into_iter()
        .find(|p| url.starts_with(p.as_str()))
    {
        return Err(usage(
            format!("the page's address would be under {prefix}, which the site writes itself"),
            "put the page in another folder, e.g. `playbooks/`",
        ));
    }
    segments.push(format!("{stem}.md"));
    Ok(segments.join("/"))
}

/// "home-oximetry.md" → "Home oximetry"; a bundle's `index.md` takes its folder's name.
fn title_from(rel: &str) -> String {
    let mut parts: Vec<&str> = rel.trim_end_matches(".md").split('/').collect();
    let mut name = parts.pop().unwrap_or("");
    if name == "index" {
        name = parts.pop().unwrap_or("New page");
    }
    let words = name.replace('-', " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "New page".into(),
    }
}

/// Writes a file that must not exist yet, making its folder.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |e: std::io::Error| ScaffoldError::Io(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)
}

/// The site.toml `init` writes: the stages, settings and roles of an NHS care pathway.
pub const SITE_TOML: &str = include_str!("site.toml");

const HOME: &str = "---
title: \"Digital adoption playbooks\"
summary: \"Practical guides to help our teams bring digital health technologies into everyday care.\"
---

This site holds our adoption playbooks: for each technology, where it sits in the care pathway,
who needs training, what to check before go-live and how to tell whether it is working.

Start with the [example playbook](playbooks/example-playbook.md), or read
[getting started](guides/getting-started.md) to write your own.
";

const PLAYBOOKS_INDEX: &str = "---
title: \"Playbooks\"
summary: \"Step-by-step adoption playbooks, each tied to a care pathway.\"
sort_by: title  # weight (default), title or last_reviewed
---

Each playbook covers one technology in one care pathway.
";

const GUIDES_INDEX: &str = "---
title: \"Guides\"
summary: \"How to write and keep playbooks.\"
---
";

const GETTING_STARTED: &str = "
## Write a new playbook

From the site's folder (the one holding `site.toml`), run:

```text
playbook new playbooks/my-technology.md
```

This writes a draft with every field of the format and a note beside each one. Fill it in,
then check it:

```text
playbook check --strict
```

Every problem names the file and the line, and says how to fix it. Drafts are checked but not
published; preview them with `playbook serve --drafts`, and change `status: draft` to
`status: published` when the playbook is ready.

## Preview the site

```text
playbook serve --open
```

This builds the site, opens it in your browser and rebuilds it whenever you save a file.

## Get help while typing

`playbook schema` prints the JSON Schema of playbook front matter. Point your editor's YAML
extension at it to get suggestions and errors as you type (see the project's README).
";

/// `init DIR`: a new site that builds as written: site.toml, a home page, one example playbook
/// and one guide. DIR must not exist or be empty.
pub fn init_site(dir: &Path, today: IsoDate) -> Result<Vec<Written>, ScaffoldError> {
    init_site_with(dir, today, &InitOptions::default())
}

/// What `init` writes besides the site itself.
#[derive(Debug, Clone, Copy)]
pub struct InitOptions {
    /// Write `.github/workflows/playbook.yml` (off with `init --no-ci`).
    pub ci: bool,
}

impl Default for InitOptions {
    fn default() -> Self {
        Self { ci: true }
    }
}

/// Where the generated workflow installs playbook from, with `cargo install --git … --tag`.
pub const PLAYBOOK_SOURCE: &str = "https://github.com/nhs-example-trust/playbook";

/// Where `init` writes the GitHub Actions workflow, relative to the new site.
pub const WORKFLOW_PATH: &str = ".github/workflows/playbook.yml";

/// The GitHub Actions workflow `init` writes: checks pull requests, publishes the default
/// branch to GitHub Pages, with this version of playbook.
pub fn workflow_text() -> String {
    include_str!("playbook.yml")
        .replace("{source}", PLAYBOOK_SOURCE)
        .replace("{version}", env!("CARGO_PKG_VERSION"))
}

/// `init DIR` with options: see `init_site`.
pub fn init_site_with(
    dir: &Path,
    today: IsoDate,
    options: &InitOptions,
) -> Result<Vec<Written>, ScaffoldError> {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut entries| entries.next().is_none())
            .unwrap_or(false);
        if !dir.is_dir() || !empty {
            return Err(usage(
                format!(
                    "`{}` already exists and is not an empty folder",
                    dir.display()
                ),
                "give the name of a new folder; `init` never overwrites anything",
            ));
        }
    }
    let config = config::parse(&crate::source::SourceText::new(
        "site.toml",
        SITE_TOML.to_string(),
    ))
    .map_err(ScaffoldError::Site)?;
    let playbook = page_text(
        PageKind::Playbook,
        "Example playbook",
        &config,
        today,
        "published",
    )?;
    let guide = format!(
        "{}{GETTING_STARTED}",
        template::front_matter(
            PageKind::Guide,
            &TemplateInput {
                title: "Getting started",
                config: &config,
                today,
                status: "published",
            },
        )
        .map_err(|m| usage(m, "fix site.toml"))?
    );
    let mut files: Vec<(&str, String)> = vec![
        ("site.toml", SITE_TOML.to_string()),
        (".gitignore", "public/\n".to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/playbooks/_index.md", PLAYBOOKS_INDEX.to_string()),
        ("content/playbooks/example-playbook.md", playbook),
        ("content/guides/_index.md", GUIDES_INDEX.to_string()),
        ("content/guides/getting-started.md", guide),
        ("progress/README.md", PROGRESS_NOTE.to_string()),
    ];
    if options.ci {
        files.push((WORKFLOW_PATH, workflow_text()));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(Written {
            shown: rel.to_string(),
            path,
        });
    }
    Ok(written)
}

/// `progress/README.md` of a new site: what a team progress file is, with a commented
/// example (the build reads only `progress/*.yaml`, so this note is never taken for one).
const PROGRESS_NOTE: &str = "# Team records

Each team adopting a playbook can keep its progress here, in git, as `progress/<team-id>.yaml`.
The site then shows it at `/teams/<team-id>/`. Everything in these files is published as
written: name roles (ids from site.toml), not people.

Make or update a file from the checklists' \"Export progress\" button:

    playbook progress import my-export.json --team my-team --by service-manager

or write one by hand, like this:

```yaml
# team: My team                        # required: the name the site shows
# organisation: My trust               # optional
# playbooks:
#   playbooks/example-playbook:        # the playbook's path under content/, without .md
#     done:
#       - item: checklist-id/item-id   # as in the playbook's front matter
#         date: 2026-01-31             # not in the future
#         by: service-manager          # a role id from site.toml
#         evidence: /guides/getting-started/   # optional: a page of this site or an https:// address
#         note: Agreed at the January board     # optional, inline Markdown
#     decisions:
#       - phase: pilot                 # prepare, pilot, go-live, scale or sustain
#         decision: go                 # go, go-with-conditions, no-go or paused
#         date: 2026-02-07
#         by: [service-manager]
#         conditions: Review after four weeks  # required for go-with-conditions
```

`playbook progress status` shows each team's progress and the gate items still open.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), SITE_TOML).unwrap();
        dir
    }

    #[test]
    fn paths_are_taken_under_content_and_checked() {
        let dir = site();
        let root = dir.path();
        assert_eq!(
            content_path(root, "playbooks/a-b.md").unwrap(),
            "playbooks/a-b.md"
        );
        assert_eq!(
            content_path(root, "content/playbooks/a-b").unwrap(),
            "playbooks/a-b.md"
        );
        assert_eq!(
            content_path(root, "playbooks/x/index.md").unwrap(),
            "playbooks/x/index.md"
        );
        for bad in [
            "../x.md",
            "playbooks/Home Oximetry.md",
            "playbooks/_draft.md",
            "stages/x.md",
            "playbooks/x.txt",
            "index.md",
        ] {
            assert!(
                matches!(content_path(root, bad), Err(ScaffoldError::Usage { .. })),
                "{bad} was accepted"
            );
        }
        match content_path(root, "playbooks/Home Oximetry.md") {
            Err(ScaffoldError::Usage { help, .. }) => {
                assert!(help.contains("home-oximetry"), "{help}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn titles_come_from_the_file_or_bundle_name() {
        assert_eq!(title_from("playbooks/home-oximetry.md"), "Home oximetry");
        assert_eq!(
            title_from("playbooks/virtual-ward/index.md"),
            "Virtual ward"
        );
    }

    #[test]
    fn new_never_overwrites() {
        let dir = site();
        let today = IsoDate::parse("2026-11-22").unwrap();
        new_page(dir.path(), "playbooks/x.md", PageKind::Playbook, today).unwrap();
        assert!(matches!(
            new_page(dir.path(), "playbooks/x.md", PageKind::Guide, today),
            Err(ScaffoldError::Usage { .. })
        ));
    }

    #[test]
    fn init_refuses_a_folder_that_holds_anything() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("keep.txt"), "x").unwrap();
        let today = IsoDate::parse("2026-11-22").unwrap();
        assert!(matches!(
            init_site(dir.path(), today),
            Err(ScaffoldError::Usage { .. })
        ));
        assert_eq!(
            fs::read_to_string(dir.path().join("keep.txt")).unwrap(),
            "x"
        );
    }
}
