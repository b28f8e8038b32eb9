//! The site's vocabularies in one table: what each is called, where its list pages live and
//! how the search and list filters name it. Every stage reads these facts from here, so adding
//! a vocabulary (or renaming one's label) is one edit.
//!
//! The terms themselves (`triage`, `community`, `gp`…) are the site's own, in `site.toml`
//! (`config::SiteConfig::terms`); this module holds what the generator says about them.

/// One of the three vocabularies a site defines in `site.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vocabulary {
    /// `[[stages]]`: where in the care pathway.
    Stages,
    /// `[settings]`: where care happens.
    Settings,
    /// `[roles]`: who does what.
    Roles,
}

/// What the generator says about a vocabulary (or about tags, which share its list pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listing {
    /// URL segment and template value of its list pages: `/stages/<id>/`.
    pub segment: &'static str,
    /// Heading of the page listing every term: "Pathway stages".
    pub title: &'static str,
    /// A filter's id in search and list forms and in the search index: `stage`.
    pub filter: &'static str,
    /// A filter's label: "Pathway stage".
    pub label: &'static str,
    /// The option that leaves the filter off: "Any stage".
    pub any: &'static str,
}

/// The three vocabularies in the order pages show them.
pub const VOCABULARIES: [Vocabulary; 3] =
    [Vocabulary::Stages, Vocabulary::Settings, Vocabulary::Roles];

/// Tags: free words on a page, each with a list page like a vocabulary term.
pub const TAGS: Listing = Listing {
    segment: "tags",
    title: "Tags",
    filter: "tag",
    label: "Tag",
    any: "Any tag",
};

/// The technology kind: an enum of the format, not of the site, filtered like a vocabulary but
/// with no list pages of its own.
pub const TECHNOLOGY: Listing = Listing {
    segment: "kinds",
    title: "Technologies",
    filter: "kind",
    label: "Technology",
    any: "Any technology",
};

/// The search page's URL.
pub const SEARCH_URL: &str = "/search/";

impl Vocabulary {
    /// The site.toml table that defines it.
    pub fn table(self) -> &'static str {
        match self {
            Vocabulary::Stages => "[[stages]]",
            Vocabulary::Settings => "[settings]",
            Vocabulary::Roles => "[roles]",
        }
    }

    /// Singular noun for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Vocabulary::Stages => "stage",
            Vocabulary::Settings => "setting",
            Vocabulary::Roles => "role",
        }
    }

    /// Its list pages and filters.
    pub fn listing(self) -> &'static Listing {
        match self {
            Vocabulary::Stages => &Listing {
                segment: "stages",
                title: "Pathway stages",
                filter: "stage",
                label: "Pathway stage",
                any: "Any stage",
            },
            Vocabulary::Settings => &Listing {
                segment: "settings",
                title: "Care settings",
                filter: "setting",
                label: "Care setting",
                any: "Any setting",
            },
            Vocabulary::Roles => &Listing {
                segment: "roles",
                title: "Roles",
                filter: "role",
                label: "Role",
                any: "Any role",
            },
        }
    }
}

impl Listing {
    /// The page listing every term: `/stages/`.
    pub fn index_url(&self) -> String {
        format!("/{}/", self.segment)
    }

    /// The list page of one term: `/stages/triage/`.
    pub fn term_url(&self, id: &str) -> String {
        format!("/{}/{id}/", self.segment)
    }
}

/// URL prefixes the build generates itself, which no page may take: each vocabulary's and the
/// tags' list pages, and the search page.
pub fn generated_prefixes() -> Vec<String> {
    VOCABULARIES
        .iter()
        .map(|v| v.listing().index_url())
        .chain([TAGS.index_url(), SEARCH_URL.to_string()])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listing_has_its_own_segment_and_filter() {
        let listings: Vec<&Listing> = VOCABULARIES
            .iter()
            .map(|v| v.listing())
            .chain([&TAGS, &TECHNOLOGY])
            .collect();
        for (i, a) in listings.iter().enumerate() {
            for b in &listings[i + 1..] {
                assert_ne!(a.segment, b.segment);
                assert_ne!(a.filter, b.filter);
            }
        }
        assert_eq!(
            Vocabulary::Stages.listing().term_url("triage"),
            "/stages/triage/"
        );
        assert_eq!(
            generated_prefixes(),
            ["/stages/", "/settings/", "/roles/", "/tags/", "/search/"]
        );
    }
}
