//! Where a render's time goes, by kind of file, for `PLAYBOOK_TIMINGS`: the render stage is
//! most of a large build, and whether pages, role views or the search index's reading is the
//! part to work on is the first thing a profile needs to say.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::Job;

/// What each kind of work is called in the report, in the order it is printed.
const KINDS: [&str; 8] = [
    "pages",
    "role pages",
    "section pages",
    "other term pages",
    "checklists.csv",
    "other files",
    "reading words for search",
    "writing files",
];

/// Time spent on each kind of file a render makes, summed over the threads that made them (so
/// it is close to their CPU time, and adds up to more than the stage's wall time).
#[derive(Debug, Default)]
pub struct RenderTimes {
    nanos: [AtomicU64; KINDS.len()],
    files: [AtomicU64; KINDS.len()],
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct KindTime {
    /// What the work was ("role pages").
    pub kind: &'static str,
    /// Its time, summed over threads.
    pub took: Duration,
    /// How many files it was done for.
    pub files: u64,
}

impl RenderTimes {
    /// Counts `took` for rendering `job`.
    pub(crate) fn rendered(&self, job: &Job, took: Duration) {
        let kind = match job {
            Job::Page(_) => 0,
            job if job.is_role_view() => 1,
            Job::Section(_) => 2,
            Job::Taxonomy { .. } => 3,
            Job::ChecklistsCsv(_) => 4,
            _ => 5,
        };
        self.add(kind, took);
    }

    /// Counts `took` for reading one page's words for the search index.
    pub fn read_words(&self, took: Duration) {
        self.add(6, took);
    }

    /// Counts `took` for writing one file.
    pub fn wrote(&self, took: Duration) {
        self.add(7, took);
    }

    fn add(&self, kind: usize, took: Duration) {
        let nanos = u64::try_from(took.as_nanos()).unwrap_or(u64::MAX);
        if let (Some(total), Some(files)) = (self.nanos.get(kind), self.files.get(kind)) {
            total.fetch_add(nanos, Ordering::Relaxed);
            files.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Each kind of work that was done, in a fixed order.
    pub fn report(&self) -> Vec<KindTime> {
        KINDS
            .iter()
            .zip(self.nanos.iter().zip(&self.files))
            .map(|(kind, (nanos, files))| KindTime {
                kind,
                took: Duration::from_nanos(nanos.load(Ordering::Relaxed)),
                files: files.load(Ordering::Relaxed),
            })
            .filter(|line| line.files > 0)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::Vocabulary;

    #[test]
    fn each_kind_is_summed_and_kinds_without_files_are_left_out() {
        let times = RenderTimes::default();
        times.rendered(&Job::Page(0), Duration::from_millis(2));
        times.rendered(&Job::Page(1), Duration::from_millis(3));
        let term_page = |vocabulary: Vocabulary| Job::Taxonomy {
            listing: vocabulary.listing(),
            id: "a-term".into(),
            name: "A term".into(),
            pages: Vec::new(),
        };
        times.rendered(&term_page(Vocabulary::Roles), Duration::from_millis(7));
        times.rendered(&term_page(Vocabulary::Stages), Duration::from_millis(1));
        times.read_words(Duration::from_millis(4));
        let line = |kind, ms, files| KindTime {
            kind,
            took: Duration::from_millis(ms),
            files,
        };
        assert_eq!(
            times.report(),
            vec![
                line("pages", 5, 2),
                line("role pages", 7, 1),
                line("other term pages", 1, 1),
                line("reading words for search", 4, 1),
            ]
        );
    }
}
