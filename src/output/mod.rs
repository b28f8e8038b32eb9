//! The write stage: every file of the new site goes into a staging folder beside the output,
//! and the staging folder replaces the output only once all of it is written. A build that fails
//! at any point leaves the previous output exactly as it was.

pub mod feeds;
pub mod json;
pub mod no_nulls;
pub mod search;

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::render::OutputFile;
use crate::site::Site;

/// A file copied from disk.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    /// Relative output path.
    pub path: String,
    /// Where to read it.
    pub source: PathBuf,
}

/// One language edition's rendered pages, as the files made from the whole site need them.
pub struct EditionPages<'a> {
    /// The edition.
    pub site: &'a Site,
    /// Every rendered file's path (within the edition), for the sitemap.
    pub paths: Vec<String>,
    /// Each indexed page's words by URL, for the search index...
    pub texts: std::collections::HashMap<String, search::PageText>,
    /// ...as ids of these words.
    pub lexicon: search::Lexicon,
    /// The theme's words in the edition's language (the search results' labels).
    pub strings: crate::render::i18n::Strings,
}

/// Where a file an edition makes goes in the output: the default language's as it is, a
/// further language's under its code (`cy/feed.xml`), and its search index beside the default
/// one (`search/index/cy/`).
pub fn edition_path(site: &Site, path: &str) -> String {
    let language = site.config.language_path.trim_start_matches('/');
    if language.is_empty() {
        return path.to_string();
    }
    match path
        .strip_prefix(search::INDEX_DIR)
        .and_then(|rest| rest.strip_prefix('/'))
    {
        Some(rest) => format!("{}/{language}/{rest}", search::INDEX_DIR),
        None => format!("{language}/{path}"),
    }
}

/// The files a build writes besides its HTML pages: `sitemap.xml` (every edition's pages),
/// `playbooks.json` and `playbook.schema.json` (once), and each edition's `feed.xml` and
/// search index. `playbooks.json` is written into `staging` as it is made; the other files
/// are returned, at their output paths.
pub fn generated_files_streamed(
    editions: Vec<EditionPages>,
    staging: &Staging,
) -> io::Result<Vec<OutputFile>> {
    let Some(first) = editions.first().map(|e| e.site) else {
        return Ok(Vec::new());
    };
    let mut paths = Vec::with_capacity(editions.len());
    let mut words = Vec::with_capacity(editions.len());
    for edition in editions {
        paths.push((edition.site, edition.paths));
        words.push((
            edition.site,
            edition.texts,
            edition.lexicon,
            edition.strings,
        ));
    }
    let listed: Vec<(&Site, &[String])> = paths
        .iter()
        .map(|(site, paths)| (*site, paths.as_slice()))
        .collect();
    // The search indexes are the largest of these: made beside the others, on the other core.
    let (files, indexes) = rayon::join(
        || -> io::Result<Vec<OutputFile>> {
            let mut json = io::BufWriter::new(staging.create_file(json::PLAYBOOKS_JSON)?);
            json::write_playbooks_json(first, &mut json)?;
            json.flush()?;
            let mut files = vec![feeds::sitemap(&listed), json::schema_file(first)];
            for (site, _) in &listed {
                let mut feed = feeds::atom_feed(site);
                feed.path = edition_path(site, &feed.path);
                files.push(feed);
            }
            Ok(files)
        },
        || {
            let mut all = Vec::new();
            for (site, texts, lexicon, strings) in words {
                let files = search::index_files_from_texts(site, texts, lexicon, &strings);
                all.extend(files.into_iter().map(|mut f| {
                    f.path = edition_path(site, &f.path);
                    f
                }));
            }
            all
        },
    );
    let mut files = files?;
    files.extend(indexes);
    Ok(files)
}

/// Joins a relative output path onto `base`, refusing anything that could leave it.
pub fn safe_join(base: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel_path = Path::new(rel);
    let mut out = base.to_path_buf();
    let mut depth = 0;
    for component in rel_path.components() {
        match component {
            Component::Normal(part) => {
                out.push(part);
                depth += 1;
            }
            Component::CurDir => {}
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("refusing to write `{rel}`: it would leave the output folder"),
                ))
            }
        }
    }
    if depth == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("empty output path `{rel}`"),
        ));
    }
    Ok(out)
}

/// Writes `files` and `copies` as the new content of `output`, atomically.
pub fn write_site(output: &Path, files: &[OutputFile], copies: &[CopiedFile]) -> io::Result<()> {
    use rayon::prelude::*;
    let staging = Staging::create(output)?;
    files
        .par_iter()
        .try_for_each(|file| staging.write(&file.path, &file.contents))?;
    copies
        .par_iter()
        .try_for_each(|copy| staging.copy(&copy.path, &copy.source))?;
    staging.commit()
}

/// The new site being written: a folder beside the output that takes the output's place only
/// on `commit`. Files can be written from many threads as soon as each is rendered, so a build
/// never holds the whole site in memory. Dropped without `commit`, it removes itself and the
/// previous output stays exactly as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
    /// Folders known to exist: a thousand search fragments share one, and asking the system to
    /// make it again each time cost two failed calls per file.
    made_dirs: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl Staging {
    /// Makes an empty staging folder beside `output`.
    pub fn create(output: &Path) -> io::Result<Staging> {
        let output = absolute(output)?;
        let parent = output
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(&parent)?;
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        Ok(Staging {
            made_dirs: std::sync::Mutex::new([dir.clone()].into()),
            dir,
            output,
            parent,
            name,
            committed: false,
        })
    }

    /// Writes one file at `rel` (a relative path with `/` separators), making its folders.
    pub fn write(&self, rel: &str, contents: &[u8]) -> io::Result<()> {
        let path = self.prepare(rel)?;
        fs::write(path, contents)
    }

    /// Creates the file `rel`, to be written as it is made.
    pub fn create_file(&self, rel: &str) -> io::Result<fs::File> {
        let path = self.prepare(rel)?;
        fs::File::create(path)
    }

    /// Copies `source` to `rel`.
    pub fn copy(&self, rel: &str, source: &Path) -> io::Result<()> {
        let path = self.prepare(rel)?;
        fs::copy(source, path).map(|_| ())
    }

    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let path = safe_join(&self.dir, rel)?;
        if let Some(dir) = path.parent() {
            if !self.made_dirs().contains(dir) {
                fs::create_dir_all(dir)?;
                self.made_dirs().insert(dir.to_path_buf());
            }
        }
        Ok(path)
    }

    fn made_dirs(&self) -> std::sync::MutexGuard<'_, std::collections::HashSet<PathBuf>> {
        self.made_dirs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Puts the new site in place of the output.
    pub fn commit(mut self) -> io::Result<()> {
        self.committed = true;
        let result = swap(&self.dir, &self.output, &self.parent, &self.name);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Puts `staging` in place of `output`, keeping the old output until the new one is in.
fn swap(staging: &Path, output: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !output.exists() {
        return fs::rename(staging, output);
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(output, &old)?;
    if let Err(err) = fs::rename(staging, output) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&old, output);
        return Err(err);
    }
    remove_tree(&old);
    Ok(())
}

/// Removes the folder `dir` and everything in it, as `fs::remove_dir_all` does (a link is
/// removed, never followed; what cannot be removed stays), with the entries of its folders
/// removed on every core. A site's previous output is thousands of page folders: deleting
/// 10,000 playbooks' took 0.40 s one at a time on tmpfs, 0.26 s on two cores, and it is the
/// last thing a build does.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let entries = |dir: &Path| -> Vec<(PathBuf, bool)> {
        fs::read_dir(dir)
            .map(|read| {
                read.flatten()
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            })
            .unwrap_or_default()
    };
    // The entries one and two levels down: a section's page folders are the bulk of a site.
    let mut work = Vec::new();
    for (path, is_dir) in entries(dir) {
        if is_dir {
            work.extend(entries(&path));
        }
    }
    work.par_iter().for_each(|(path, is_dir)| {
        let _ = if *is_dir {
            fs::remove_dir_all(path)
        } else {
            fs::remove_file(path)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

fn absolute(path: &Path) -> io::Result<PathBuf> {
    if path.is_absolute() {
        Ok(path.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_to_climb() {
        let base = Path::new("/out");
        assert!(safe_join(base, "../x").is_err());
        assert!(safe_join(base, "/etc/passwd").is_err());
        assert!(safe_join(base, "a/../../x").is_err());
        assert!(safe_join(base, "").is_err());
        assert_eq!(
            safe_join(base, "a/b.html").unwrap(),
            PathBuf::from("/out/a/b.html")
        );
    }

    #[test]
    fn replaces_the_output_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let files = vec![OutputFile {
            path: "a/index.html".into(),
            contents: b"new".to_vec(),
        }];
        write_site(&out, &files, &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "new");
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn removing_the_old_output_removes_all_of_it_and_follows_no_link() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        let outside = dir.path().join("outside");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("keep.txt"), "mine").unwrap();
        for page in 0..50 {
            let folder = old.join("playbooks").join(format!("p{page}")).join("deep");
            fs::create_dir_all(&folder).unwrap();
            fs::write(folder.join("index.html"), "x").unwrap();
        }
        fs::write(old.join("index.html"), "x").unwrap();
        fs::write(old.join("playbooks/index.html"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, old.join("link")).unwrap();
            std::os::unix::fs::symlink(&outside, old.join("playbooks/link")).unwrap();
        }
        remove_tree(&old);
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(outside.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn a_failed_write_keeps_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("keep.html"), "old").unwrap();
        let copies = vec![CopiedFile {
            path: "x.png".into(),
            source: dir.path().join("missing.png"),
        }];
        assert!(write_site(&out, &[], &copies).is_err());
        assert_eq!(fs::read_to_string(out.join("keep.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
