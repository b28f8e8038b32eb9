//! What the home page and section list pages show besides their text: the pathway drawing with
//! the number of playbooks at each stage, browse lists with counts, pages recently reviewed,
//! due for review within `review.warn_within_days`, and overdue; and the filters of a list.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::model::IsoDate;
use crate::content::PageMeta;
use crate::site::{Site, SitePage};
use crate::vocabulary::{self, Vocabulary, VOCABULARIES};

use super::i18n::Strings;
use super::pathway::{self, StageMark};
use super::view::{self, PageCard};

/// How many pages "Recently reviewed" shows.
pub const RECENT: usize = 5;

/// A vocabulary term with the number of listed playbooks that use it.
#[derive(Debug, Clone, Serialize)]
pub struct TermCount {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its list page.
    pub url: String,
    /// Listed playbooks with it.
    pub count: usize,
}

/// A page with how far its next review is.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewItem {
    /// The page.
    pub page: PageCard,
    /// Days until the next review (negative when overdue).
    pub days: i64,
    /// "in 12 days", "today", "3 days ago", in the page's language.
    pub when: String,
}

/// Everything the home template adds to the section values.
#[derive(Debug, Clone, Serialize)]
pub struct HomeValues {
    /// The pathway drawing (built here, so `| safe`).
    pub pathway_svg: String,
    /// Stages in order, with counts.
    pub stages: Vec<TermCount>,
    /// Settings with counts.
    pub settings: Vec<TermCount>,
    /// Roles with counts.
    pub roles: Vec<TermCount>,
    /// Most recently reviewed pages first.
    pub recently_reviewed: Vec<PageCard>,
    /// Next review within `warn_within_days`, soonest first.
    pub due_soon: Vec<ReviewItem>,
    /// Next review passed, longest overdue first.
    pub overdue: Vec<ReviewItem>,
    /// `review.warn_within_days`.
    pub warn_within_days: i64,
    /// Published playbooks.
    pub playbook_count: usize,
}

fn last_reviewed(page: &SitePage) -> Option<IsoDate> {
    match page.meta() {
        PageMeta::Playbook(p) => Some(p.last_reviewed),
        PageMeta::Guide(g) => g.last_reviewed,
    }
}

fn next_review(page: &SitePage) -> Option<IsoDate> {
    match page.meta() {
        PageMeta::Playbook(p) => Some(p.next_review_due),
        PageMeta::Guide(g) => g.next_review_due,
    }
}

/// The listed playbooks that have `id` in `vocabulary`.
fn count_with(site: &Site, vocabulary: Vocabulary, id: &str) -> usize {
    site.listed_pages()
        .filter_map(|p| p.meta().playbook())
        .filter(|p| p.terms(vocabulary).iter().any(|s| s == id))
        .count()
}

/// Every term of a vocabulary with its count, in site.toml's order.
pub fn term_counts(site: &Site, vocabulary: Vocabulary) -> Vec<TermCount> {
    let listing = vocabulary.listing();
    site.config
        .terms(vocabulary)
        .iter()
        .map(|t| TermCount {
            id: t.id.clone(),
            name: t.name.clone(),
            url: listing.term_url(&t.id),
            count: count_with(site, vocabulary, &t.id),
        })
        .collect()
}

fn when(days: i64, strings: &Strings) -> String {
    match days {
        0 => strings.text("when.today").into(),
        1 => strings.text("when.tomorrow").into(),
        -1 => strings.text("when.yesterday").into(),
        d if d > 1 => strings.fill("when.in_days", &[("count", &d.to_string())]),
        d => strings.fill("when.days_ago", &[("count", &(-d).to_string())]),
    }
}

/// The home page's values, in the language of `strings`.
pub fn home_values(site: &Site, strings: &Strings) -> HomeValues {
    let stages = term_counts(site, Vocabulary::Stages);
    let marks: Vec<StageMark> = stages
        .iter()
        .map(|s| StageMark {
            id: &s.id,
            name: &s.name,
            selected: false,
            count: s.count,
        })
        .collect();
    let pathway_svg =
        pathway::overview_svg(&marks, "home-pathway", &site.config.base_path, strings);

    let mut reviewed: Vec<&SitePage> = site
        .listed_pages()
        .filter(|p| last_reviewed(p).is_some())
        .collect();
    reviewed.sort_by(|a, b| {
        last_reviewed(b)
            .cmp(&last_reviewed(a))
            .then_with(|| a.meta().title().cmp(b.meta().title()))
    });
    let recently_reviewed = reviewed
        .iter()
        .take(RECENT)
        .map(|p| view::card_in(p, &site.config, strings))
        .collect();

    let mut due: Vec<(i64, &SitePage)> = site
        .listed_pages()
        .filter_map(|p| next_review(p).map(|d| (site.today.days_until(d), p)))
        .collect();
    due.sort_by(|(a, pa), (b, pb)| {
        a.cmp(b)
            .then_with(|| pa.meta().title().cmp(pb.meta().title()))
    });
    let item = |(days, page): &(i64, &SitePage)| ReviewItem {
        page: view::card_in(page, &site.config, strings),
        days: *days,
        when: when(*days, strings),
    };
    let warn = site.config.warn_within_days;
    HomeValues {
        pathway_svg,
        stages,
        settings: term_counts(site, Vocabulary::Settings),
        roles: term_counts(site, Vocabulary::Roles),
        recently_reviewed,
        due_soon: due
            .iter()
            .filter(|(d, _)| (0..=warn).contains(d))
            .map(item)
            .collect(),
        overdue: due.iter().filter(|(d, _)| *d < 0).map(item).collect(),
        warn_within_days: warn,
        playbook_count: site
            .listed_pages()
            .filter(|p| p.meta().playbook().is_some())
            .count(),
    }
}

/// One way to narrow a section's list: its values among the section's pages, each linking to
/// the value's list page (what readers without JavaScript get).
#[derive(Debug, Clone, Serialize)]
pub struct FilterGroup {
    /// `stage`, `setting`, `role` or `kind`: the `data-` attribute on each card.
    pub id: &'static str,
    /// The label, in the page's language.
    pub name: String,
    /// Values present in the list, in the site's order.
    pub values: Vec<TermCount>,
}

/// The filters of a list of cards: only values that some card has, with how many cards have
/// them. Technology kinds have no list pages, so their values carry no URL (`""`).
pub fn filter_groups(
    cards: &[PageCard],
    config: &SiteConfig,
    strings: &Strings,
) -> Vec<FilterGroup> {
    let mut groups = Vec::new();
    for vocabulary in VOCABULARIES {
        let listing = vocabulary.listing();
        let values: Vec<TermCount> = config
            .terms(vocabulary)
            .iter()
            .map(|t| TermCount {
                id: t.id.clone(),
                name: t.name.clone(),
                url: listing.term_url(&t.id),
                count: cards
                    .iter()
                    .filter(|c| c.terms(vocabulary).iter().any(|n| n.id == t.id))
                    .count(),
            })
            .filter(|t| t.count > 0)
            .collect();
        if !values.is_empty() {
            groups.push(FilterGroup {
                id: listing.filter,
                name: view::listing_text(strings, listing, "label"),
                values,
            });
        }
    }
    let kinds: Vec<TermCount> = view::technology_kinds(strings)
        .into_iter()
        .map(|k| TermCount {
            count: cards
                .iter()
                .filter(|c| c.technology_kind.as_ref().is_some_and(|t| t.id == k.id))
                .count(),
            id: k.id,
            name: k.name,
            url: String::new(),
        })
        .filter(|t| t.count > 0)
        .collect();
    if !kinds.is_empty() {
        groups.push(FilterGroup {
            id: vocabulary::TECHNOLOGY.filter,
            name: view::listing_text(strings, &vocabulary::TECHNOLOGY, "label"),
            values: kinds,
        });
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_distances_read_as_words() {
        let en = Strings::default();
        assert_eq!(when(0, &en), "today");
        assert_eq!(when(12, &en), "in 12 days");
        assert_eq!(when(-3, &en), "3 days ago");
        assert_eq!(when(-1, &en), "yesterday");
    }
}
