//! The role view (`/roles/<id>/`): for one role, every training module it must take and every
//! checklist item it owns, across all published playbooks, grouped by playbook. Its checkboxes
//! carry the owning playbook's URL, checklist id and item id, so a tick there is the same saved
//! tick as on the playbook's own page.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::content::model::{ChecklistItem, Phase};
use crate::content::PageMeta;
use crate::site::Site;

use super::i18n::Strings;
use super::view::{
    checklist_view_where, ordered_modules_where, ChecklistView, ModuleView, Named, PhaseGroup,
};
use super::{map_value, NamedValues};

/// What `role.html` shows besides the list of playbooks.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    /// Playbooks that train this role or give it checklist items, by title.
    pub playbooks: Vec<RolePlaybook>,
    /// Training modules across all of them.
    pub module_count: usize,
    /// Minutes of training across all of them.
    pub total_minutes: u32,
    /// Checklist items this role owns across all of them.
    pub item_count: usize,
    /// Changes (1.1) of listed playbooks that name this role in `retrain`, newest first.
    pub retrain: Vec<RetrainNotice>,
}

/// A change to a playbook after which this role must retake training.
#[derive(Debug, Clone, Serialize)]
pub struct RetrainNotice {
    /// The playbook's title.
    pub title: String,
    /// The playbook's URL.
    pub url: String,
    /// The change's version.
    pub version: String,
    /// "6 August 2026".
    pub date: String,
    /// `2026-08-06`.
    pub date_iso: String,
    /// What changed, as inline HTML.
    pub summary_html: String,
}

/// Every change of a listed playbook that asks `role` to retrain, newest first (then by
/// playbook title).
pub fn retrain_notices(site: &Site, role: &str, strings: &Strings) -> Vec<RetrainNotice> {
    let mut notices: Vec<(crate::content::model::IsoDate, RetrainNotice)> = site
        .listed_pages()
        .filter_map(|page| page.meta().playbook().map(|p| (page, p)))
        .flat_map(|(page, p)| {
            p.changes
                .iter()
                .filter(|c| c.retrain.iter().any(|r| r == role))
                .map(move |c| {
                    (
                        c.date,
                        RetrainNotice {
                            title: p.title.clone(),
                            url: page.url.clone(),
                            version: c.version.clone(),
                            date: strings.date(c.date),
                            date_iso: c.date.iso(),
                            summary_html: crate::markdown::render_inline(
                                &c.summary,
                                &site.config.base_path,
                            ),
                        },
                    )
                })
        })
        .collect();
    notices.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.title.cmp(&y.title)));
    notices.into_iter().map(|(_, n)| n).collect()
}

/// One playbook's share of a role's work.
#[derive(Debug, Clone, Serialize)]
pub struct RolePlaybook {
    /// Playbook title.
    pub title: String,
    /// Playbook URL.
    pub url: String,
    /// The `data-playbook` of its checkboxes here: the URL its ticks are kept under (the
    /// original's, in every language).
    pub ticks_url: String,
    /// Position among the role's playbooks (1-based), to keep DOM ids unique on the page.
    pub number: usize,
    /// The role's modules in the order to take them, numbered from 1 for this role.
    pub modules: Vec<ModuleView>,
    /// Sum of the modules' durations.
    pub total_minutes: u32,
    /// Checklists holding items this role owns (only those items), by phase.
    pub phases: Vec<PhaseGroup>,
    /// How many items this role owns here.
    pub item_count: usize,
    /// The playbook's renamed checklist items (1.1) for checklists.js, as on its own page.
    pub renamed_json: Option<String>,
}

/// Builds the role view of `role` from every listed (published) playbook, in the language of
/// `strings`.
///
/// Each playbook's share is made in parallel: role views render one at a time (see
/// `render_site`), so this is where a core left idle at the end of the render can help.
pub fn role_view(site: &Site, role: &str, strings: &Strings) -> RoleView {
    let mut playbooks: Vec<RolePlaybook> = site
        .pages
        .par_iter()
        .filter(|page| page.is_listed())
        .filter_map(|page| match page.meta() {
            PageMeta::Playbook(p) => Some((page, p)),
            PageMeta::Guide(_) => None,
        })
        .filter(|(_, p)| {
            // Most playbooks have nothing for a given role: skip them before building views.
            p.training.iter().any(|t| t.roles.iter().any(|r| r == role))
                || p.checklists
                    .iter()
                    .flat_map(|c| &c.items)
                    .any(|item| owned_by(item, role))
        })
        .filter_map(|(page, p)| {
            let modules = ordered_modules_where(&p.training, &site.config, strings, |m| {
                m.roles.iter().any(|r| r == role)
            });
            let checklists: Vec<ChecklistView> = p
                .checklists
                .iter()
                .enumerate()
                // Most checklists have nothing for a given role: skip them before their view.
                .filter(|(_, c)| c.items.iter().any(|item| owned_by(item, role)))
                .map(|(i, c)| {
                    checklist_view_where(c, i + 1, &site.config, strings, |item| {
                        owned_by(item, role)
                    })
                })
                .collect();
            if modules.is_empty() && checklists.is_empty() {
                return None;
            }
            Some(RolePlaybook {
                title: p.title.clone(),
                url: page.url.clone(),
                ticks_url: site.ticks_url(page).to_string(),
                number: 0,
                total_minutes: modules.iter().map(|m| m.duration_minutes).sum(),
                modules,
                item_count: checklists.iter().map(|c| c.items.len()).sum(),
                phases: by_phase(checklists),
                renamed_json: super::view::renamed_json(p),
            })
        })
        .collect();
    playbooks.sort_by_key(|p| p.title.to_lowercase());
    for (i, playbook) in playbooks.iter_mut().enumerate() {
        playbook.number = i + 1;
    }
    RoleView {
        retrain: retrain_notices(site, role, strings),
        module_count: playbooks.iter().map(|p| p.modules.len()).sum(),
        total_minutes: playbooks.iter().map(|p| p.total_minutes).sum(),
        item_count: playbooks.iter().map(|p| p.item_count).sum(),
        playbooks,
    }
}

/// `view` as the template value `role`: what serialising it gives, but with each owner, NPT
/// mechanism, factor and phase made once (per thread) and shared by every item showing it. A
/// role view of 10,000 playbooks holds some 9,000 items, and their small maps were most of
/// the memory a role page took while it rendered. Each playbook's part of `view` is let go as
/// soon as it is converted, so the view and its value are not both held whole; the parts are
/// converted in parallel.
pub fn role_value(view: RoleView) -> Value {
    let playbooks: Vec<Value> = view
        .playbooks
        .into_par_iter()
        .map_init(NamedValues::default, playbook_value)
        .collect();
    map_value([
        ("playbooks", Value::from(playbooks)),
        ("module_count", Value::from(view.module_count)),
        ("total_minutes", Value::from(view.total_minutes)),
        ("item_count", Value::from(view.item_count)),
        (
            "retrain",
            Value::try_from_serializable(&view.retrain).unwrap_or_else(|_| Value::none()),
        ),
    ])
}

/// One playbook's share of a role view as a template value, with each owner, NPT mechanism,
/// factor and phase taken from `shared` (each thread of `role_value` has its own).
fn playbook_value(shared: &mut NamedValues, playbook: RolePlaybook) -> Value {
    let mut named = |n: &Named| shared.value(n);
    let optional = |v: Option<Value>| v.unwrap_or_else(Value::none);
    let mut phases = Vec::with_capacity(playbook.phases.len());
    for group in &playbook.phases {
        let mut checklists = Vec::with_capacity(group.checklists.len());
        for checklist in &group.checklists {
            let items: Vec<Value> = checklist
                .items
                .iter()
                .map(|item| {
                    map_value([
                        ("id", Value::from(item.id.as_str())),
                        ("text_html", Value::from(item.text_html.as_str())),
                        ("text", Value::from(item.text.as_str())),
                        ("owner", optional(item.owner.as_ref().map(&mut named))),
                        ("npt", optional(item.npt.as_ref().map(&mut named))),
                        ("factor", optional(item.factor.as_ref().map(&mut named))),
                        ("due", Value::from(item.due.as_deref())),
                        ("evidence", Value::from(item.evidence.as_deref())),
                    ])
                })
                .collect();
            checklists.push(map_value([
                ("id", Value::from(checklist.id.as_str())),
                ("title", Value::from(checklist.title.as_str())),
                ("phase", named(&checklist.phase)),
                ("number", Value::from(checklist.number)),
                ("items", Value::from(items)),
            ]));
        }
        phases.push(map_value([
            ("phase", named(&group.phase)),
            ("checklists", Value::from(checklists)),
        ]));
    }
    map_value([
        ("title", Value::from(playbook.title.as_str())),
        ("url", Value::from(playbook.url.as_str())),
        ("ticks_url", Value::from(playbook.ticks_url.as_str())),
        ("number", Value::from(playbook.number)),
        (
            "modules",
            Value::try_from_serializable(&playbook.modules).unwrap_or_else(|_| Value::none()),
        ),
        ("total_minutes", Value::from(playbook.total_minutes)),
        ("phases", Value::from(phases)),
        ("item_count", Value::from(playbook.item_count)),
        (
            "renamed_json",
            Value::from(playbook.renamed_json.as_deref()),
        ),
    ])
}

/// Whether `role` owns `item`.
fn owned_by(item: &ChecklistItem, role: &str) -> bool {
    item.owner.as_deref() == Some(role)
}

/// Checklists grouped by phase, in the order teams go through the phases.
fn by_phase(checklists: Vec<ChecklistView>) -> Vec<PhaseGroup> {
    let mut groups: Vec<Vec<ChecklistView>> = Phase::ALL.iter().map(|_| Vec::new()).collect();
    for checklist in checklists {
        let n = Phase::ALL.iter().position(|p| checklist.phase.id == *p);
        if let Some(group) = n.and_then(|n| groups.get_mut(n)) {
            group.push(checklist);
        }
    }
    groups
        .into_iter()
        .filter_map(|group| {
            let phase: Named = group.first()?.phase.clone();
            Some(PhaseGroup {
                phase,
                checklists: group,
            })
        })
        .collect()
}
