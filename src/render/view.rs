//! The values templates see: front matter with ids turned into names, enums into labels, dates
//! into "6 August 2026", and checklists grouped by phase. Built per page, never per site.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::model::*;
use crate::content::PageMeta;
use crate::markdown::{self, render_inline};
use crate::site::{Site, SitePage};
use crate::vocabulary::{self, Listing, Vocabulary, VOCABULARIES};

use super::i18n::Strings;

/// A link with a label.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text.
    pub title: String,
    /// URL.
    pub url: String,
}

/// An id with its display name.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// Vocabulary or enum id.
    pub id: String,
    /// What people read.
    pub name: String,
}

/// The "Suggest a change to this page" address of a page built from a file, when site.toml
/// has `[repository]` with an `edit` template.
pub fn edit_url(config: &SiteConfig, page: &SitePage) -> Option<String> {
    config
        .repository
        .as_ref()?
        .edit_url(&page.parsed.source.rel_path)
}

/// Every technology kind with its label, in the format's order.
pub fn technology_kinds(strings: &Strings) -> Vec<Named> {
    TechnologyKind::VALUES
        .iter()
        .map(|&k| {
            label(
                strings,
                "technology_kind",
                k,
                TechnologyKind::as_str,
                TechnologyKind::label,
            )
        })
        .collect()
}

/// A listing's `title` ("Pathway stages"), filter `label` ("Pathway stage") or `any` option
/// ("Any stage") in the page's language.
pub fn listing_text(strings: &Strings, listing: &Listing, field: &str) -> String {
    let english = match field {
        "title" => listing.title,
        "label" => listing.label,
        _ => listing.any,
    };
    strings
        .label(&format!("listing.{}", listing.segment), field, english)
        .to_string()
}

/// A page in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PageCard {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Summary.
    pub summary: Option<String>,
    /// "playbook" or "guide".
    pub kind: &'static str,
    /// Technology kind label, for playbooks.
    pub technology_kind: Option<Named>,
    /// Stage names.
    pub stages: Vec<Named>,
    /// Setting names.
    pub settings: Vec<Named>,
    /// Audience names.
    pub audiences: Vec<Named>,
    /// Last review, human.
    pub last_reviewed: Option<String>,
    /// Next review, human.
    pub next_review_due: Option<String>,
    /// Next review, ISO.
    pub next_review_due_iso: Option<String>,
}

impl PageCard {
    /// The card's terms of one vocabulary.
    pub fn terms(&self, vocabulary: Vocabulary) -> &[Named] {
        match vocabulary {
            Vocabulary::Stages => &self.stages,
            Vocabulary::Settings => &self.settings,
            Vocabulary::Roles => &self.audiences,
        }
    }
}

fn named(config: &SiteConfig, vocabulary: Vocabulary, id: &str) -> Named {
    Named {
        id: id.to_string(),
        name: config.name_of(vocabulary, id).unwrap_or(id).to_string(),
    }
}

fn names(config: &SiteConfig, vocabulary: Vocabulary, ids: &[String]) -> Vec<Named> {
    ids.iter().map(|id| named(config, vocabulary, id)).collect()
}

/// A page as a list entry, in English (what `serve` compares to tell whether a list changed).
pub fn card(page: &SitePage, config: &SiteConfig) -> PageCard {
    card_in(page, config, &Strings::default())
}

/// A page as a list entry, its labels and dates in the language of `strings`.
pub fn card_in(page: &SitePage, config: &SiteConfig, strings: &Strings) -> PageCard {
    match page.meta() {
        PageMeta::Playbook(p) => PageCard {
            title: p.title.clone(),
            url: page.url.clone(),
            summary: Some(p.summary.clone()),
            kind: "playbook",
            technology_kind: Some(label(
                strings,
                "technology_kind",
                p.technology.kind,
                TechnologyKind::as_str,
                TechnologyKind::label,
            )),
            stages: names(config, Vocabulary::Stages, &p.pathway.stages),
            settings: names(config, Vocabulary::Settings, &p.pathway.settings),
            audiences: names(config, Vocabulary::Roles, &p.audiences),
            last_reviewed: Some(strings.date(p.last_reviewed)),
            next_review_due: Some(strings.date(p.next_review_due)),
            next_review_due_iso: Some(p.next_review_due.iso()),
        },
        PageMeta::Guide(g) => PageCard {
            title: g.title.clone(),
            url: page.url.clone(),
            summary: g.summary.clone(),
            kind: "guide",
            technology_kind: None,
            stages: Vec::new(),
            settings: Vec::new(),
            audiences: Vec::new(),
            last_reviewed: g.last_reviewed.map(|d| strings.date(d)),
            next_review_due: g.next_review_due.map(|d| strings.date(d)),
            next_review_due_iso: g.next_review_due.map(|d| d.iso()),
        },
    }
}

/// A labelled value for "at a glance" summary lists.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Label.
    pub key: String,
    /// Value as text (for a row with `links`, their titles joined by ", ", so a theme that
    /// does not know `links` still shows something true).
    pub value: String,
    /// When the value is one or more links (NICE guidance), the links; otherwise empty.
    pub links: Vec<Link>,
}

/// An owner with the role's name.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerView {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Named,
    /// Contact.
    pub contact: Option<String>,
}

/// A stage of the site's pathway, marked if this playbook sits there.
#[derive(Debug, Clone, Serialize)]
pub struct StageView {
    /// Stage id.
    pub id: String,
    /// Stage name.
    pub name: String,
    /// This playbook sits at this stage.
    pub selected: bool,
    /// 1-based position.
    pub number: usize,
}

/// A module in the training plan.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Format label.
    pub format: String,
    /// Minutes.
    pub duration_minutes: u32,
    /// Phase label.
    pub when: Option<String>,
    /// Months between refreshers.
    pub refresher_months: Option<u32>,
    /// Titles of modules to take first.
    pub requires: Vec<String>,
    /// Where to take it.
    pub link: Option<String>,
    /// Position in prerequisite order (1-based).
    pub order: usize,
    /// The roles that take it, as the module lists them.
    pub roles: Vec<Named>,
}

/// The training plan for one role.
#[derive(Debug, Clone, Serialize)]
pub struct RoleTraining {
    /// The role.
    pub role: Named,
    /// Modules in prerequisite order.
    pub modules: Vec<ModuleView>,
    /// Sum of durations.
    pub total_minutes: u32,
    /// The same in words: "2 hours 15 minutes".
    pub total_words: String,
    /// The modules' `order` numbers in words: "1, 2 and 4".
    pub module_numbers: String,
    /// Modules that must be refreshed, with how often.
    pub refreshers: Vec<String>,
}

/// Minutes in words: "45 minutes", "1 hour", "2 hours 15 minutes" ("2 awr 15 munud").
pub fn duration_words(minutes: u32, strings: &Strings) -> String {
    let count = |key: &str, n: u32| strings.count(key, i64::from(n), &[]);
    match (minutes / 60, minutes % 60) {
        (0, m) => count("count.minutes", m),
        (h, 0) => count("count.hours", h),
        (h, m) => strings.fill(
            "count.hours_and_minutes",
            &[
                ("hours", &count("count.hours", h)),
                ("minutes", &count("count.minutes", m)),
            ],
        ),
    }
}

/// A checklist item, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    /// Id (part of the saved-progress key).
    pub id: compact_str::CompactString,
    /// Inline HTML.
    pub text_html: String,
    /// Plain text.
    pub text: String,
    /// Owner role.
    pub owner: Option<Named>,
    /// NPT mechanism.
    pub npt: Option<Named>,
    /// Implementation factor.
    pub factor: Option<Named>,
    /// When due.
    pub due: Option<compact_str::CompactString>,
    /// Evidence link.
    pub evidence: Option<String>,
}

/// A checklist, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Phase.
    pub phase: Named,
    /// Position in the playbook's front matter (1-based), for short DOM ids that stay unique.
    pub number: usize,
    /// Items.
    pub items: Vec<ItemView>,
}

/// Checklists of one phase.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseGroup {
    /// The phase.
    pub phase: Named,
    /// Its checklists.
    pub checklists: Vec<ChecklistView>,
}

/// Everything a playbook template shows.
#[derive(Debug, Clone, Serialize)]
pub struct PlaybookView {
    /// Technology name, kind and supplier.
    pub technology: Vec<Row>,
    /// "At a glance" rows.
    pub glance: Vec<Row>,
    /// Assurance rows; NICE guidance has `links`.
    pub assurance: Vec<Row>,
    /// Commissioning rows (1.1), those given, in the format's order; empty when none.
    pub commissioning: Vec<Row>,
    /// Owners.
    pub owners: Vec<OwnerView>,
    /// Status.
    pub status: Named,
    /// Version.
    pub version: Option<String>,
    /// Maturity stage label.
    pub maturity_stage: Option<String>,
    /// Maturity prerequisites.
    pub prerequisites: Vec<String>,
    /// Pathway name.
    pub pathway_name: String,
    /// All site stages in order, this playbook's marked.
    pub stages: Vec<StageView>,
    /// The same, drawn (inline SVG made by the build, so `| safe`).
    pub pathway_svg: String,
    /// Settings.
    pub settings: Vec<Named>,
    /// Pathway text fields.
    pub pathway_rows: Vec<Row>,
    /// Referrers.
    pub referrers: Vec<Named>,
    /// Who it is for.
    pub include: Vec<String>,
    /// Who it is not for.
    pub exclude: Vec<String>,
    /// Audiences.
    pub audiences: Vec<Named>,
    /// Training plan by role.
    pub training_by_role: Vec<RoleTraining>,
    /// All modules in prerequisite order.
    pub modules: Vec<ModuleView>,
    /// Champions.
    pub champions: Vec<ChampionView>,
    /// Front matter checklists grouped by phase, in phase order.
    pub phases: Vec<PhaseGroup>,
    /// Number of front matter and body checklist items.
    pub item_count: usize,
    /// Strategies.
    pub strategies: Vec<Row>,
    /// Metrics.
    pub metrics: Vec<MetricView>,
    /// Risks.
    pub risks: Vec<RiskView>,
    /// Tags.
    pub tags: Vec<Link>,
    /// The change history (1.1), newest first; empty when there is none.
    pub changes: Vec<ChangeView>,
    /// Every renamed checklist item, oldest change first, as JSON `[["old-list/old-item",
    /// "new-list/new-item"], …]` for checklists.js to move saved ticks; `None` when nothing was
    /// renamed.
    pub renamed_json: Option<String>,
}

/// One entry of the change history, ready to show.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// `MAJOR.MINOR`.
    pub version: String,
    /// "6 August 2026".
    pub date: String,
    /// `2026-08-06`, for `<time datetime>`.
    pub date_iso: String,
    /// The summary as inline HTML.
    pub summary_html: String,
    /// The roles who must retrain.
    pub retrain: Vec<Named>,
    /// Renamed checklist items, as written.
    pub renamed: Vec<RenamedView>,
}

/// A checklist item renamed by a change.
#[derive(Debug, Clone, Serialize)]
pub struct RenamedView {
    /// `old-checklist-id/old-item-id`.
    pub old: String,
    /// `new-checklist-id/new-item-id`.
    pub new: String,
}

/// The change history as the page shows it, newest first.
pub fn change_views(p: &PlaybookMeta, config: &SiteConfig, strings: &Strings) -> Vec<ChangeView> {
    p.changes
        .iter()
        .map(|c| ChangeView {
            version: c.version.clone(),
            date: strings.date(c.date),
            date_iso: c.date.iso(),
            summary_html: render_inline(&c.summary, &config.base_path),
            retrain: names(config, Vocabulary::Roles, &c.retrain),
            renamed: c
                .renamed
                .iter()
                .map(|(old, new)| RenamedView {
                    old: old.clone(),
                    new: new.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The renames for checklists.js, oldest change first so that `a → b` then `b → c` moves a
/// tick from `a` to `c`; `None` when the playbook renamed nothing.
pub fn renamed_json(p: &PlaybookMeta) -> Option<String> {
    let pairs: Vec<[&str; 2]> = p
        .changes
        .iter()
        .rev()
        .flat_map(|c| {
            c.renamed
                .iter()
                .map(|(old, new)| [old.as_str(), new.as_str()])
        })
        .collect();
    if pairs.is_empty() {
        return None;
    }
    serde_json::to_string(&pairs).ok()
}

/// A champion role.
#[derive(Debug, Clone, Serialize)]
pub struct ChampionView {
    /// Role.
    pub role: Named,
    /// How many.
    pub count: Option<u32>,
    /// Responsibilities.
    pub responsibilities: Vec<String>,
    /// Time commitment.
    pub time_commitment: String,
    /// How to become one.
    pub how_to_become: Option<String>,
    /// Support.
    pub support: Option<String>,
}

/// A RE-AIM measure.
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    /// Dimension.
    pub dimension: Named,
    /// Measure.
    pub measure: String,
    /// Target.
    pub target: Option<String>,
    /// Baseline.
    pub baseline: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Frequency.
    pub frequency: Option<String>,
}

/// A risk.
#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    /// Risk.
    pub risk: String,
    /// Mitigation.
    pub mitigation: String,
    /// Kind.
    pub kind: Named,
    /// Owner.
    pub owner: Option<Named>,
}

/// A fixed value of the format with its name in the page's language: `group` is its table in
/// the theme's strings (`[phase]`), `id` and `name` its spelling and English name.
pub fn label<T: Copy>(
    strings: &Strings,
    group: &str,
    value: T,
    id: fn(T) -> &'static str,
    name: fn(T) -> &'static str,
) -> Named {
    Named {
        id: id(value).into(),
        name: strings.label(group, id(value), name(value)).into(),
    }
}

/// Only the name of a fixed value (see `label`).
fn name_of<T: Copy>(
    strings: &Strings,
    group: &str,
    value: T,
    id: fn(T) -> &'static str,
    name: fn(T) -> &'static str,
) -> String {
    strings.label(group, id(value), name(value)).to_string()
}

/// The technology rows of the summary: name, kind and supplier.
fn technology_rows(p: &PlaybookMeta, strings: &Strings) -> Vec<Row> {
    let kind = p.technology.kind;
    let mut technology = vec![
        Row {
            key: strings.text("row.technology").into(),
            value: p.technology.name.clone(),
            links: Vec::new(),
        },
        Row {
            key: strings.text("row.kind").into(),
            value: name_of(
                strings,
                "technology_kind",
                kind,
                TechnologyKind::as_str,
                TechnologyKind::label,
            ),
            links: Vec::new(),
        },
    ];
    if let Some(s) = &p.technology.supplier {
        technology.push(Row {
            key: strings.text("row.supplier").into(),
            value: s.clone(),
            links: Vec::new(),
        });
    }
    technology
}

/// The assurance rows, in the order assessors read them, NICE guidance as links.
fn assurance_rows(p: &PlaybookMeta, strings: &Strings) -> Vec<Row> {
    let a = p.assurance.clone().unwrap_or_default();
    // The NICE guidance row goes after the DTAC, NICE tier and early-use rows.
    let guidance_at = [
        a.dtac.is_some(),
        a.nice_esf_tier.is_some(),
        a.nice_eva.is_some(),
    ]
    .into_iter()
    .filter(|given| *given)
    .count();
    let mut assurance = Vec::new();
    let mut push = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            assurance.push(Row {
                key: strings.text(key).into(),
                value,
                links: Vec::new(),
            });
        }
    };
    push(
        "row.dtac",
        a.dtac
            .map(|v| name_of(strings, "dtac", v, DtacStatus::as_str, DtacStatus::label)),
    );
    push(
        "row.esf",
        a.nice_esf_tier
            .map(|v| name_of(strings, "esf_tier", v, EsfTier::as_str, EsfTier::label)),
    );
    push(
        "row.eva",
        a.nice_eva
            .map(|v| name_of(strings, "nice_eva", v, NiceEva::as_str, NiceEva::label)),
    );
    let guidance: Vec<Link> = a
        .nice_guidance_id
        .as_ref()
        .map(|ids| {
            ids.ids()
                .into_iter()
                .map(|id| Link {
                    title: id.to_string(),
                    url: nice_guidance_url(id),
                })
                .collect()
        })
        .unwrap_or_default();
    let progress = |v: ProgressStatus| {
        name_of(
            strings,
            "progress_status",
            v,
            ProgressStatus::as_str,
            ProgressStatus::label,
        )
    };
    push("row.dcb0160", a.dcb0160.map(progress));
    push("row.dpia", a.dpia.map(progress));
    if !guidance.is_empty() {
        // After the NICE tier and early-use rows it belongs with, before the safety case (or
        // last, without one).
        let at = if a.dcb0160.is_some() {
            guidance_at
        } else {
            assurance.len()
        };
        assurance.insert(
            at,
            Row {
                key: strings.text("row.nice_guidance").into(),
                value: guidance
                    .iter()
                    .map(|l| l.title.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                links: guidance,
            },
        );
    }
    assurance
}

/// Each role's share of the training plan: its modules, total time and refreshers.
fn training_by_role(
    p: &PlaybookMeta,
    modules: &[ModuleView],
    config: &SiteConfig,
    strings: &Strings,
) -> Vec<RoleTraining> {
    let mut training_by_role = Vec::new();
    for role in roles_in_order(p) {
        let role_modules: Vec<ModuleView> = modules
            .iter()
            .filter(|m| {
                p.training
                    .iter()
                    .any(|t| t.id == m.id && t.roles.contains(&role))
            })
            .cloned()
            .collect();
        if role_modules.is_empty() {
            continue;
        }
        let total_minutes = role_modules.iter().map(|m| m.duration_minutes).sum();
        training_by_role.push(RoleTraining {
            role: named(config, Vocabulary::Roles, &role),
            total_minutes,
            total_words: duration_words(total_minutes, strings),
            module_numbers: strings
                .list(role_modules.iter().map(|m| m.order.to_string()).collect()),
            refreshers: role_modules
                .iter()
                .filter_map(|m| {
                    m.refresher_months.map(|n| {
                        strings.fill(
                            "training.refresher_item",
                            &[("module", &m.title), ("months", &n.to_string())],
                        )
                    })
                })
                .collect(),
            modules: role_modules,
        });
    }

    training_by_role
}

/// The front matter checklists grouped by phase, in the phases' order.
fn checklist_phases(p: &PlaybookMeta, config: &SiteConfig, strings: &Strings) -> Vec<PhaseGroup> {
    let mut phases = Vec::new();
    for phase_id in Phase::ALL {
        let checklists: Vec<ChecklistView> = p
            .checklists
            .iter()
            .enumerate()
            .filter(|(_, c)| c.phase.as_str() == *phase_id)
            .map(|(i, c)| checklist_view(c, i + 1, config, strings))
            .collect();
        if let Some(first) = checklists.first() {
            phases.push(PhaseGroup {
                phase: first.phase.clone(),
                checklists,
            });
        }
    }
    phases
}

/// The pathway's optional rows: entry, exit, what it changes, escalation, alternative.
fn pathway_rows(pathway: &Pathway, strings: &Strings) -> Vec<Row> {
    let mut pathway_rows = Vec::new();
    for (key, value) in [
        ("row.entry", &pathway.entry),
        ("row.exit", &pathway.exit),
        ("row.replaces", &pathway.replaces),
        ("row.escalation", &pathway.escalation),
        ("row.alternative", &pathway.alternative),
    ] {
        if let Some(v) = value {
            pathway_rows.push(Row {
                key: strings.text(key).into(),
                value: v.clone(),
                links: Vec::new(),
            });
        }
    }
    pathway_rows
}

/// The "At a glance" rows: technology, pathway, settings and who it is for.
fn glance_rows(p: &PlaybookMeta, config: &SiteConfig, strings: &Strings) -> Vec<Row> {
    let pathway = &p.pathway;
    let kind = p.technology.kind;
    let kind = name_of(
        strings,
        "technology_kind",
        kind,
        TechnologyKind::as_str,
        TechnologyKind::label,
    );
    let separator = strings.text("list.separator");
    vec![
        Row {
            key: strings.text("row.technology").into(),
            value: strings.fill(
                "row.technology_value",
                &[("name", &p.technology.name), ("kind", &kind)],
            ),
            links: Vec::new(),
        },
        Row {
            key: strings.text("playbook.care_pathway").into(),
            value: pathway.name.clone(),
            links: Vec::new(),
        },
        Row {
            key: strings.text("playbook.settings").into(),
            value: names(config, Vocabulary::Settings, &pathway.settings)
                .into_iter()
                .map(|n| n.name)
                .collect::<Vec<_>>()
                .join(separator),
            links: Vec::new(),
        },
        Row {
            key: strings.text("playbook.for").into(),
            value: names(config, Vocabulary::Roles, &p.audiences)
                .into_iter()
                .map(|n| n.name)
                .collect::<Vec<_>>()
                .join(separator),
            links: Vec::new(),
        },
    ]
}

/// Builds the playbook view: a flat mapping of the front matter to the values the template
/// shows, with each part that takes more than a mapping in a function of its own.
pub fn playbook_view(p: &PlaybookMeta, site: &Site, strings: &Strings) -> PlaybookView {
    let config = &site.config;
    let technology = technology_rows(p, strings);
    let assurance = assurance_rows(p, strings);
    let commissioning = commissioning_rows(p.commissioning.as_ref(), strings);

    let modules = ordered_modules(&p.training, config, strings);
    let training_by_role = training_by_role(p, &modules, config, strings);

    let phases = checklist_phases(p, config, strings);
    let pathway = &p.pathway;
    let pathway_rows = pathway_rows(pathway, strings);
    let eligibility = pathway.eligibility.clone().unwrap_or_default();
    let glance = glance_rows(p, config, strings);
    let (stages, pathway_svg) = pathway_drawing(pathway, config, strings);
    PlaybookView {
        technology,
        glance,
        assurance,
        commissioning,
        owners: p
            .owners
            .iter()
            .map(|o| OwnerView {
                name: o.name.clone(),
                role: named(config, Vocabulary::Roles, &o.role),
                contact: o.contact.clone(),
            })
            .collect(),
        status: label(strings, "status", p.status, Status::as_str, Status::label),
        version: p.version.clone(),
        maturity_stage: p.maturity.as_ref().and_then(|m| m.minimum_stage).map(|s| {
            name_of(
                strings,
                "maturity_stage",
                s,
                MaturityStage::as_str,
                MaturityStage::label,
            )
        }),
        prerequisites: p
            .maturity
            .as_ref()
            .map(|m| m.prerequisites.clone())
            .unwrap_or_default(),
        pathway_name: pathway.name.clone(),
        stages,
        pathway_svg,
        settings: names(config, Vocabulary::Settings, &pathway.settings),
        pathway_rows,
        referrers: names(config, Vocabulary::Roles, &pathway.referrers),
        include: eligibility.include,
        exclude: eligibility.exclude,
        audiences: names(config, Vocabulary::Roles, &p.audiences),
        training_by_role,
        modules,
        champions: p
            .champions
            .iter()
            .map(|c| ChampionView {
                role: named(config, Vocabulary::Roles, &c.role),
                count: c.count,
                responsibilities: c.responsibilities.clone(),
                time_commitment: c.time_commitment.clone(),
                how_to_become: c.how_to_become.clone(),
                support: c.support.clone(),
            })
            .collect(),
        item_count: p.checklists.iter().map(|c| c.items.len()).sum(),
        phases,
        strategies: strategy_rows(p, strings),
        metrics: metric_views(p, strings),
        risks: risk_views(p, config, strings),
        tags: tag_links(&p.tags),
        changes: change_views(p, config, strings),
        renamed_json: renamed_json(p),
    }
}

/// Every stage of the site in order, this playbook's marked, and the same drawn.
fn pathway_drawing(
    pathway: &Pathway,
    config: &SiteConfig,
    strings: &Strings,
) -> (Vec<StageView>, String) {
    let stages = config
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| StageView {
            id: s.id.clone(),
            name: s.name.clone(),
            selected: pathway.stages.contains(&s.id),
            number: i + 1,
        })
        .collect();
    let svg = super::pathway::placement_svg(
        &pathway.name,
        &config
            .stages
            .iter()
            .map(|s| super::pathway::StageMark {
                id: &s.id,
                name: &s.name,
                selected: pathway.stages.contains(&s.id),
                count: 0,
            })
            .collect::<Vec<_>>(),
        "pathway-svg",
        strings,
    );
    (stages, svg)
}

/// The implementation strategies, each a row named by its kind.
fn strategy_rows(p: &PlaybookMeta, strings: &Strings) -> Vec<Row> {
    p.implementation_strategies
        .iter()
        .map(|s| Row {
            key: name_of(
                strings,
                "strategy",
                s.strategy,
                StrategyKind::as_str,
                StrategyKind::label,
            ),
            value: s.description.clone(),
            links: Vec::new(),
        })
        .collect()
}

/// The RE-AIM measures.
fn metric_views(p: &PlaybookMeta, strings: &Strings) -> Vec<MetricView> {
    p.metrics
        .iter()
        .map(|m| MetricView {
            dimension: label(
                strings,
                "re_aim",
                m.dimension,
                ReAimDimension::as_str,
                ReAimDimension::label,
            ),
            measure: m.measure.clone(),
            target: m.target.clone(),
            baseline: m.baseline.clone(),
            source: m.source.clone(),
            frequency: m.frequency.clone(),
        })
        .collect()
}

/// The risks, with their kinds and owners named.
fn risk_views(p: &PlaybookMeta, config: &SiteConfig, strings: &Strings) -> Vec<RiskView> {
    p.risks
        .iter()
        .map(|r| RiskView {
            risk: r.risk.clone(),
            mitigation: r.mitigation.clone(),
            kind: label(
                strings,
                "risk_kind",
                r.kind,
                RiskKind::as_str,
                RiskKind::label,
            ),
            owner: r
                .owner
                .as_ref()
                .map(|o| named(config, Vocabulary::Roles, o)),
        })
        .collect()
}

/// The "Commissioning" rows of the summary: the facts given, in the format's order.
fn commissioning_rows(commissioning: Option<&Commissioning>, strings: &Strings) -> Vec<Row> {
    let Some(c) = commissioning else {
        return Vec::new();
    };
    [
        ("row.funding", c.funding.clone()),
        ("row.annual_cost", c.annual_cost.clone()),
        ("row.contract_end", c.contract_end.map(|d| strings.date(d))),
        ("row.procurement_route", c.procurement_route.clone()),
        (
            "row.dspt",
            c.dspt
                .map(|d| name_of(strings, "dspt", d, DsptStatus::as_str, DsptStatus::label)),
        ),
        (
            "row.device_class",
            c.device_class.map(|d| {
                name_of(
                    strings,
                    "device_class",
                    d,
                    DeviceClass::as_str,
                    DeviceClass::label,
                )
            }),
        ),
    ]
    .into_iter()
    .filter_map(|(key, value)| {
        value.filter(|v| !v.trim().is_empty()).map(|value| Row {
            key: strings.text(key).into(),
            value,
            links: Vec::new(),
        })
    })
    .collect()
}

/// Links to the tag pages.
pub fn tag_links(tags: &[String]) -> Vec<Link> {
    tags.iter()
        .map(|t| Link {
            title: t.clone(),
            url: vocabulary::TAGS.term_url(&crate::site::urls::tag_slug(t)),
        })
        .collect()
}

/// A front matter checklist, ready to show; `number` is its position in the front matter.
pub fn checklist_view(
    c: &Checklist,
    number: usize,
    config: &SiteConfig,
    strings: &Strings,
) -> ChecklistView {
    checklist_view_where(c, number, config, strings, |_| true)
}

/// A front matter checklist with only the items `keep` accepts (a role view's share), so the
/// others are never rendered.
pub fn checklist_view_where(
    c: &Checklist,
    number: usize,
    config: &SiteConfig,
    strings: &Strings,
    keep: impl Fn(&ChecklistItem) -> bool,
) -> ChecklistView {
    ChecklistView {
        id: c.id.clone(),
        title: c.title.clone(),
        phase: label(strings, "phase", c.phase, Phase::as_str, Phase::label),
        number,
        items: c
            .items
            .iter()
            .filter(|item| keep(item))
            .map(|item| {
                let parts = ItemParts::of(item, config, strings);
                let named = |(id, name): (&str, &str)| Named {
                    id: id.to_string(),
                    name: name.to_string(),
                };
                ItemView {
                    id: item.id.clone(),
                    text_html: render_inline(&item.text, &config.base_path),
                    text: item.text.clone(),
                    owner: parts.owner.map(named),
                    npt: parts.npt.map(named),
                    factor: parts.factor.map(named),
                    due: item.due.clone(),
                    evidence: parts.evidence.map(String::from),
                }
            })
            .collect(),
    }
}

/// What a checklist item shows besides its id, text and due date, borrowed from the front
/// matter, the site's vocabularies and the theme's strings: each `(id, name)`. The one place
/// that decides these for an item's view ([`ItemView`]) and for a role view's template value.
pub struct ItemParts<'a> {
    /// The owner role, named as the site's vocabulary names it.
    pub owner: Option<(&'a str, &'a str)>,
    /// The NPT mechanism, in the language of the strings.
    pub npt: Option<(&'static str, &'a str)>,
    /// The implementation factor, in the language of the strings.
    pub factor: Option<(&'static str, &'a str)>,
    /// The evidence link, unless it would run a script (`content::rules` warns about it).
    pub evidence: Option<&'a str>,
}

impl<'a> ItemParts<'a> {
    /// The parts of `item`.
    pub fn of(item: &'a ChecklistItem, config: &'a SiteConfig, strings: &'a Strings) -> Self {
        ItemParts {
            owner: item.owner.as_deref().map(|o| {
                let name = config.name_of(Vocabulary::Roles, o).unwrap_or(o);
                (o, name)
            }),
            npt: item.npt.map(|n| {
                let id = n.as_str();
                (id, strings.label("npt", id, n.label()))
            }),
            factor: item.factor.map(|f| {
                let id = f.as_str();
                (id, strings.label("factor", id, f.label()))
            }),
            evidence: item
                .evidence
                .as_deref()
                .filter(|e| !markdown::is_dangerous_url(e)),
        }
    }
}

/// Roles in the order of `audiences`, then any other role a module names.
fn roles_in_order(p: &PlaybookMeta) -> Vec<String> {
    let mut roles: Vec<String> = p.audiences.clone();
    for module in &p.training {
        for role in &module.roles {
            if !roles.contains(role) {
                roles.push(role.clone());
            }
        }
    }
    roles
}

/// Modules in an order that puts prerequisites first (stable for modules without any).
pub fn ordered_modules(
    training: &[TrainingModule],
    config: &SiteConfig,
    strings: &Strings,
) -> Vec<ModuleView> {
    module_order(training)
        .into_iter()
        .enumerate()
        .map(|(order, i)| module_view(training, i, order + 1, config, strings))
        .collect()
}

/// The modules of `training` that `keep` accepts, in the order of [`ordered_modules`] and
/// numbered from 1 among themselves (a role view's share), so the others are never made.
pub fn ordered_modules_where(
    training: &[TrainingModule],
    config: &SiteConfig,
    strings: &Strings,
    keep: impl Fn(&TrainingModule) -> bool,
) -> Vec<ModuleView> {
    module_order(training)
        .into_iter()
        .filter(|&i| keep(&training[i]))
        .enumerate()
        .map(|(order, i)| module_view(training, i, order + 1, config, strings))
        .collect()
}

/// Indexes into `training` in an order that puts prerequisites first (stable for modules
/// without any); modules in a loop (reported elsewhere) keep their file order at the end.
fn module_order(training: &[TrainingModule]) -> Vec<usize> {
    let mut done: Vec<usize> = Vec::with_capacity(training.len());
    let mut guard = 0;
    while done.len() < training.len() && guard <= training.len() {
        guard += 1;
        for (i, m) in training.iter().enumerate() {
            if done.contains(&i) {
                continue;
            }
            let ready = m.requires.iter().all(|r| {
                done.iter().any(|&d| &training[d].id == r) || !training.iter().any(|t| &t.id == r)
            });
            if ready {
                done.push(i);
            }
        }
    }
    for i in 0..training.len() {
        if !done.contains(&i) {
            done.push(i);
        }
    }
    done
}

/// Module `i` of `training`, shown as number `order`.
fn module_view(
    training: &[TrainingModule],
    i: usize,
    order: usize,
    config: &SiteConfig,
    strings: &Strings,
) -> ModuleView {
    let m = &training[i];
    ModuleView {
        id: m.id.clone(),
        title: m.title.clone(),
        format: name_of(
            strings,
            "training_format",
            m.format,
            TrainingFormat::as_str,
            TrainingFormat::label,
        ),
        duration_minutes: m.duration_minutes,
        when: m
            .when
            .map(|w| name_of(strings, "phase", w, Phase::as_str, Phase::label)),
        refresher_months: m.refresher_months,
        requires: m
            .requires
            .iter()
            .map(|r| {
                training
                    .iter()
                    .find(|t| &t.id == r)
                    .map(|t| t.title.clone())
                    .unwrap_or_else(|| r.clone())
            })
            .collect(),
        // content::rules warns about a link that runs a script; it never reaches the page.
        link: m.link.clone().filter(|l| !markdown::is_dangerous_url(l)),
        order,
        roles: names(config, Vocabulary::Roles, &m.roles),
    }
}

/// A filter offered on the search page.
#[derive(Debug, Clone, Serialize)]
pub struct Facet {
    /// `stage`, `setting`, `role` or `kind`.
    pub id: &'static str,
    /// What the form calls it.
    pub name: &'static str,
    /// The form's first option, which leaves the filter off (the manifest does not need it).
    #[serde(skip)]
    pub any: &'static str,
    /// Its values, in the site's order.
    pub values: Vec<FacetValue>,
}

/// One value of a filter.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Pages that have it.
    pub count: usize,
}

/// The search page's filters, the site's three vocabularies then the technology kinds, with
/// their values in the site's order (counts left at 0): what the form offers and the index's
/// manifest lists.
pub fn filters(config: &SiteConfig) -> Vec<Facet> {
    facet_values(config, &Strings::default())
        .into_iter()
        .map(|(listing, values)| Facet {
            id: listing.filter,
            name: listing.label,
            any: listing.any,
            values,
        })
        .collect()
}

/// One filter of the search form, in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct SearchFilter {
    /// `stage`, `setting`, `role` or `kind`.
    pub id: &'static str,
    /// What the form calls it.
    pub name: String,
    /// The form's first option, which leaves the filter off.
    pub any: String,
    /// Its values, in the site's order.
    pub values: Vec<FacetValue>,
}

/// The search form's filters (those of `filters`), named in the language of `strings`.
pub fn search_filters(config: &SiteConfig, strings: &Strings) -> Vec<SearchFilter> {
    facet_values(config, strings)
        .into_iter()
        .map(|(listing, values)| SearchFilter {
            id: listing.filter,
            name: listing_text(strings, listing, "label"),
            any: listing_text(strings, listing, "any"),
            values,
        })
        .collect()
}

/// Each filter's listing and values, in the site's order (counts left at 0).
fn facet_values(
    config: &SiteConfig,
    strings: &Strings,
) -> Vec<(&'static Listing, Vec<FacetValue>)> {
    VOCABULARIES
        .iter()
        .map(|&v| (v.listing(), Some(v)))
        .chain([(&vocabulary::TECHNOLOGY, None)])
        .map(|(listing, vocabulary)| {
            let values = match vocabulary {
                Some(vocabulary) => config
                    .terms(vocabulary)
                    .iter()
                    .map(|t| FacetValue {
                        id: t.id.clone(),
                        name: t.name.clone(),
                        count: 0,
                    })
                    .collect(),
                None => technology_kinds(strings)
                    .into_iter()
                    .map(|k| FacetValue {
                        id: k.id,
                        name: k.name,
                        count: 0,
                    })
                    .collect(),
            };
            (listing, values)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(id: &str, requires: &[&str]) -> TrainingModule {
        TrainingModule {
            id: id.into(),
            title: id.to_uppercase(),
            roles: vec!["gp".into()],
            format: TrainingFormat::Video,
            duration_minutes: 10,
            when: None,
            refresher_months: None,
            requires: requires.iter().map(|s| s.to_string()).collect(),
            link: None,
        }
    }

    #[test]
    fn durations_read_as_words() {
        let en = Strings::default();
        assert_eq!(duration_words(45, &en), "45 minutes");
        assert_eq!(duration_words(60, &en), "1 hour");
        assert_eq!(duration_words(135, &en), "2 hours 15 minutes");
        assert_eq!(duration_words(61, &en), "1 hour 1 minute");
        let root = std::path::Path::new("/nonexistent");
        let cy = super::super::i18n::load(root, "default", &["en".into(), "cy".into()])
            .0
            .strings("cy");
        assert_eq!(duration_words(135, &cy), "2 awr 15 munud");
    }

    #[test]
    fn lists_read_as_words() {
        let en = Strings::default();
        let list = |items: &[&str]| en.list(items.iter().map(|s| s.to_string()).collect());
        assert_eq!(list(&[]), "");
        assert_eq!(list(&["1"]), "1");
        assert_eq!(list(&["1", "2"]), "1 and 2");
        assert_eq!(list(&["1", "2", "4"]), "1, 2 and 4");
    }

    #[test]
    fn the_english_strings_name_every_fixed_value_as_the_format_does() {
        let en = Strings::default();
        fn all<T: Copy>(
            en: &Strings,
            group: &str,
            values: &[T],
            id: fn(T) -> &'static str,
            name: fn(T) -> &'static str,
        ) {
            for &v in values {
                assert_eq!(en.text(&format!("{group}.{}", id(v))), name(v), "{group}");
            }
        }
        all(
            &en,
            "technology_kind",
            TechnologyKind::VALUES,
            TechnologyKind::as_str,
            TechnologyKind::label,
        );
        all(
            &en,
            "dtac",
            DtacStatus::VALUES,
            DtacStatus::as_str,
            DtacStatus::label,
        );
        all(
            &en,
            "esf_tier",
            EsfTier::VALUES,
            EsfTier::as_str,
            EsfTier::label,
        );
        all(
            &en,
            "nice_eva",
            NiceEva::VALUES,
            NiceEva::as_str,
            NiceEva::label,
        );
        all(
            &en,
            "dspt",
            DsptStatus::VALUES,
            DsptStatus::as_str,
            DsptStatus::label,
        );
        all(
            &en,
            "device_class",
            DeviceClass::VALUES,
            DeviceClass::as_str,
            DeviceClass::label,
        );
        all(
            &en,
            "progress_status",
            ProgressStatus::VALUES,
            ProgressStatus::as_str,
            ProgressStatus::label,
        );
        all(&en, "status", Status::VALUES, Status::as_str, Status::label);
        all(
            &en,
            "maturity_stage",
            MaturityStage::VALUES,
            MaturityStage::as_str,
            MaturityStage::label,
        );
        all(&en, "phase", Phase::VALUES, Phase::as_str, Phase::label);
        all(
            &en,
            "npt",
            NptMechanism::VALUES,
            NptMechanism::as_str,
            NptMechanism::label,
        );
        all(&en, "factor", Factor::VALUES, Factor::as_str, Factor::label);
        all(
            &en,
            "training_format",
            TrainingFormat::VALUES,
            TrainingFormat::as_str,
            TrainingFormat::label,
        );
        all(
            &en,
            "strategy",
            StrategyKind::VALUES,
            StrategyKind::as_str,
            StrategyKind::label,
        );
        all(
            &en,
            "re_aim",
            ReAimDimension::VALUES,
            ReAimDimension::as_str,
            ReAimDimension::label,
        );
        all(
            &en,
            "risk_kind",
            RiskKind::VALUES,
            RiskKind::as_str,
            RiskKind::label,
        );
        for listing in VOCABULARIES
            .iter()
            .map(|v| v.listing())
            .chain([&vocabulary::TAGS, &vocabulary::TECHNOLOGY])
        {
            assert_eq!(listing_text(&en, listing, "title"), listing.title);
            assert_eq!(listing_text(&en, listing, "label"), listing.label);
            assert_eq!(listing_text(&en, listing, "any"), listing.any);
        }
    }

    #[test]
    fn prerequisites_come_first() {
        let config = SiteConfig::minimal("Test");
        let order = ordered_modules(
            &[module("c", &["b"]), module("b", &["a"]), module("a", &[])],
            &config,
            &Strings::default(),
        );
        let ids: Vec<_> = order.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(order[2].requires, ["B"]);
    }

    #[test]
    fn a_role_share_of_modules_keeps_their_order_and_numbers_them_again() {
        let config = SiteConfig::minimal("Test");
        let mut nurse_only = module("b", &["a"]);
        nurse_only.roles = vec!["nurse".into()];
        let training = [module("c", &["b"]), nurse_only, module("a", &[])];
        let gp = ordered_modules_where(&training, &config, &Strings::default(), |m| {
            m.roles.iter().any(|r| r == "gp")
        });
        let shown: Vec<_> = gp.iter().map(|m| (m.id.as_str(), m.order)).collect();
        assert_eq!(shown, [("a", 1), ("c", 2)]);
        // A prerequisite for another role is still named by its title.
        assert_eq!(gp[1].requires, ["B"]);
    }
}

/// The "Local version" panel of a local version's page.
#[derive(Debug, Clone, Serialize)]
pub struct LocalVersionView {
    /// The base playbook's title.
    pub base_title: String,
    /// Its URL, when it is built and listed.
    pub base_url: Option<String>,
    /// The base's version this page adapted.
    pub adapted_version: String,
    /// The base's version now, when newer than `adapted_version`.
    pub base_version_now: Option<String>,
    /// Each change, addition and removal, as a sentence.
    pub changes: Vec<String>,
    /// True when the page shows only its own body.
    pub replaces_body: bool,
}

/// Which built pages are local versions of which, found once per render.
#[derive(Debug, Default)]
pub struct Adaptations {
    /// Local versions (indexes into `Site::pages`) by their base's file.
    by_base: std::collections::HashMap<String, Vec<usize>>,
    /// Listed pages that are bases of a local version, by file: their index.
    bases: std::collections::HashMap<String, usize>,
}

impl Adaptations {
    /// Finds every local version of `site` and its base.
    pub fn of(site: &Site) -> Self {
        let mut out = Adaptations::default();
        for (i, page) in site.pages.iter().enumerate() {
            if let Some(a) = &page.parsed.adaptation {
                if page.is_listed() {
                    let list = out
                        .by_base
                        .entry(a.base_source.rel_path.clone())
                        .or_default();
                    list.push(i);
                }
                out.bases.insert(a.base_source.rel_path.clone(), usize::MAX);
            }
        }
        if out.bases.is_empty() {
            return out;
        }
        for (i, page) in site.pages.iter().enumerate() {
            if let Some(slot) = out.bases.get_mut(&page.parsed.source.rel_path) {
                if page.is_listed() {
                    *slot = i;
                }
            }
        }
        out
    }

    /// The listed local versions of `page` ("Adapted by"), by title.
    pub fn adapted_by(&self, page: &SitePage, site: &Site) -> Vec<Link> {
        let Some(locals) = self.by_base.get(&page.parsed.source.rel_path) else {
            return Vec::new();
        };
        let mut links: Vec<Link> = locals
            .iter()
            .filter_map(|&i| site.pages.get(i))
            .map(|l| Link {
                title: l.meta().title().to_string(),
                url: l.url.clone(),
            })
            .collect();
        links.sort_by(|a, b| a.title.cmp(&b.title));
        links
    }
}

/// The "Local version" panel for `page`, if it adapts a playbook.
pub fn local_version(
    page: &SitePage,
    site: &Site,
    adaptations: &Adaptations,
    strings: &Strings,
) -> Option<LocalVersionView> {
    use crate::content::overlay::ChangeKind;
    let a = page.parsed.adaptation.as_ref()?;
    let p = page.meta().playbook()?;
    let adapts = p.adapts.as_ref()?;
    let base_url = adaptations
        .bases
        .get(&a.base_source.rel_path)
        .and_then(|&i| site.pages.get(i))
        .map(|b| b.url.clone());
    let changes = a
        .changes
        .iter()
        .map(|c| match &c.kind {
            ChangeKind::Changed => strings.fill("local.changed", &[("what", &c.what)]),
            ChangeKind::Added => strings.fill("local.added", &[("what", &c.what)]),
            ChangeKind::Removed(reason) => strings.fill(
                "local.removed",
                &[("what", &c.what), ("reason", reason.trim())],
            ),
        })
        .collect();
    Some(LocalVersionView {
        base_title: a.base_title.clone(),
        base_url,
        adapted_version: adapts.version.clone(),
        base_version_now: a.base_version.clone().filter(|v| *v != adapts.version),
        changes,
        replaces_body: p.body == Some(crate::content::model::BodyMode::Replace),
    })
}
