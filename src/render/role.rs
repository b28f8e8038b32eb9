//! The role view (`/roles/<id>/`): for one role, every training module it must take and every
//! checklist item it owns, across all published playbooks, grouped by playbook. Its checkboxes
//! carry the owning playbook's URL, checklist id and item id, so a tick there is the same saved
//! tick as on the playbook's own page.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::config::SiteConfig;
use crate::content::model::{ChecklistItem, Phase, PlaybookMeta, TrainingModule};
use crate::content::PageMeta;
use crate::markdown::render_inline;
use crate::site::{Site, SitePage};

use super::i18n::Strings;
use super::view::{ordered_modules_where, ItemParts, ModuleView};
use super::{map_value, NamedValues};

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

/// The template value `role` of the role view of `role` (see `role.html` and the theme
/// guide), made from every listed (published) playbook in the language of `strings`:
///
/// `{ playbooks, module_count, total_minutes, item_count, retrain }`, where each playbook is
/// `{ title, url, ticks_url, number, modules, total_minutes, phases, item_count,
/// renamed_json }`: the role's modules in the order to take them (numbered from 1 for this
/// role) and, by phase, the checklists holding items it owns (only those items), as on the
/// playbook's own page. `ticks_url` is the URL its ticks are kept under (the original's, in
/// every language) and `number` its position among the role's playbooks, which keeps DOM ids
/// unique on the page.
///
/// Made straight from the front matter into template values, with each owner, NPT mechanism,
/// factor and phase made once (per thread) and shared by every item showing it: a role view
/// of 10,000 playbooks holds some 9,000 items, and making each item's view first and then its
/// value (the strings copied twice) was a tenth of such a build's CPU time. The playbooks'
/// parts are made in parallel: role views render one at a time (see `render_site`), so this
/// is where a core left idle at the end of the render can help.
pub fn role_value(site: &Site, role: &str, strings: &Strings) -> Value {
    let mut listed: Vec<(String, &SitePage, &PlaybookMeta)> = site
        .pages
        .par_iter()
        .filter(|page| page.is_listed())
        .filter_map(|page| match page.meta() {
            PageMeta::Playbook(p) => Some((page, &**p)),
            PageMeta::Guide(_) => None,
        })
        // Most playbooks have nothing for a given role.
        .filter(|(_, p)| {
            p.training.iter().any(|t| trains(t, role))
                || p.checklists
                    .iter()
                    .flat_map(|c| &c.items)
                    .any(|item| owned_by(item, role))
        })
        .map(|(page, p)| (p.title.to_lowercase(), page, p))
        .collect();
    // By title; a stable sort, so equal titles stay in page order.
    listed.sort_by(|a, b| a.0.cmp(&b.0));
    let shares: Vec<RoleShare> = listed
        .par_iter()
        .enumerate()
        .map_init(NamedValues::default, |named, (i, (_, page, p))| {
            role_share(site, role, strings, named, i + 1, page, p)
        })
        .collect();
    let module_count: usize = shares.iter().map(|share| share.modules).sum();
    let total_minutes: u32 = shares.iter().map(|share| share.minutes).sum();
    let item_count: usize = shares.iter().map(|share| share.items).sum();
    let playbooks: Vec<Value> = shares.into_iter().map(|share| share.value).collect();
    map_value([
        ("playbooks", Value::from(playbooks)),
        ("module_count", Value::from(module_count)),
        ("total_minutes", Value::from(total_minutes)),
        ("item_count", Value::from(item_count)),
        (
            "retrain",
            Value::try_from_serializable(&retrain_notices(site, role, strings))
                .unwrap_or_else(|_| Value::none()),
        ),
    ])
}

/// One playbook's share of a role's work as a template value, with what the role view counts.
struct RoleShare {
    value: Value,
    /// Training modules.
    modules: usize,
    /// Minutes of training.
    minutes: u32,
    /// Checklist items owned.
    items: usize,
}

/// The share of `p` (number `number` on the page) in the work of `role`, with each owner, NPT
/// mechanism, factor and phase taken from `shared` (each thread of `role_value` has its own).
fn role_share(
    site: &Site,
    role: &str,
    strings: &Strings,
    shared: &mut NamedValues,
    number: usize,
    page: &SitePage,
    p: &PlaybookMeta,
) -> RoleShare {
    let config = &site.config;
    let modules = ordered_modules_where(&p.training, config, strings, |m| trains(m, role));
    let minutes: u32 = modules.iter().map(|m| m.duration_minutes).sum();
    let module_values: Vec<Value> = modules.iter().map(|m| module_value(shared, m)).collect();
    // Checklists holding items the role owns, by phase in the order teams go through them.
    let mut phases: Vec<Vec<Value>> = Phase::VALUES.iter().map(|_| Vec::new()).collect();
    let mut items_owned = 0;
    for (i, c) in p.checklists.iter().enumerate() {
        let items: Vec<Value> = c
            .items
            .iter()
            .filter(|item| owned_by(item, role))
            .map(|item| item_value(shared, item, config, strings))
            .collect();
        if items.is_empty() {
            continue;
        }
        let Some(group) = Phase::VALUES
            .iter()
            .position(|phase| *phase == c.phase)
            .and_then(|n| phases.get_mut(n))
        else {
            continue;
        };
        items_owned += items.len();
        group.push(map_value([
            ("id", Value::from(c.id.as_str())),
            ("title", Value::from(c.title.as_str())),
            ("phase", phase_value(shared, c.phase, strings)),
            ("number", Value::from(i + 1)),
            ("items", Value::from(items)),
        ]));
    }
    let phases: Vec<Value> = Phase::VALUES
        .iter()
        .zip(phases)
        .filter(|(_, checklists)| !checklists.is_empty())
        .map(|(&phase, checklists)| {
            map_value([
                ("phase", phase_value(shared, phase, strings)),
                ("checklists", Value::from(checklists)),
            ])
        })
        .collect();
    let value = map_value([
        ("title", Value::from(p.title.as_str())),
        ("url", Value::from(page.url.as_str())),
        ("ticks_url", Value::from(site.ticks_url(page))),
        ("number", Value::from(number)),
        ("modules", Value::from(module_values)),
        ("total_minutes", Value::from(minutes)),
        ("phases", Value::from(phases)),
        ("item_count", Value::from(items_owned)),
        ("renamed_json", Value::from(super::view::renamed_json(p))),
    ]);
    RoleShare {
        value,
        modules: modules.len(),
        minutes,
        items: items_owned,
    }
}

/// A checklist item as its template value (what serialising its [`ItemView`] gives).
fn item_value(
    shared: &mut NamedValues,
    item: &ChecklistItem,
    config: &SiteConfig,
    strings: &Strings,
) -> Value {
    let parts = ItemParts::of(item, config, strings);
    let mut named = |part: Option<(&str, &str)>| match part {
        Some((id, name)) => shared.value_of(id, name),
        None => Value::none(),
    };
    map_value([
        ("id", Value::from(item.id.as_str())),
        (
            "text_html",
            Value::from(render_inline(&item.text, &config.base_path)),
        ),
        ("text", Value::from(item.text.as_str())),
        ("owner", named(parts.owner)),
        ("npt", named(parts.npt)),
        ("factor", named(parts.factor)),
        ("due", Value::from(item.due.as_deref())),
        ("evidence", Value::from(parts.evidence)),
    ])
}

/// A training module as its template value (what serialising it gives), its roles shared.
fn module_value(shared: &mut NamedValues, m: &ModuleView) -> Value {
    let roles: Vec<Value> = m.roles.iter().map(|r| shared.value(r)).collect();
    map_value([
        ("id", Value::from(m.id.as_str())),
        ("title", Value::from(m.title.as_str())),
        ("format", Value::from(m.format.as_str())),
        ("duration_minutes", Value::from(m.duration_minutes)),
        ("when", Value::from(m.when.as_deref())),
        ("refresher_months", Value::from(m.refresher_months)),
        (
            "requires",
            Value::from(m.requires.iter().map(String::as_str).collect::<Vec<_>>()),
        ),
        ("link", Value::from(m.link.as_deref())),
        ("order", Value::from(m.order)),
        ("roles", Value::from(roles)),
    ])
}

/// A phase as its shared `{id, name}` value, named in the language of `strings`.
fn phase_value(shared: &mut NamedValues, phase: Phase, strings: &Strings) -> Value {
    let id = phase.as_str();
    shared.value_of(id, strings.label("phase", id, phase.label()))
}

/// Whether `role` takes training module `m`.
fn trains(m: &TrainingModule, role: &str) -> bool {
    m.roles.iter().any(|r| r == role)
}

/// Whether `role` owns `item`.
fn owned_by(item: &ChecklistItem, role: &str) -> bool {
    item.owner.as_deref() == Some(role)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::view::{checklist_view_where, ChecklistView, Named, PhaseGroup};

    /// The role view as the theme guide describes it, made the plain way (views, then
    /// serialised): what `role_value` must give.
    #[derive(Serialize)]
    struct ExpectedView {
        playbooks: Vec<ExpectedPlaybook>,
        module_count: usize,
        total_minutes: u32,
        item_count: usize,
        retrain: Vec<RetrainNotice>,
    }

    #[derive(Serialize)]
    struct ExpectedPlaybook {
        title: String,
        url: String,
        ticks_url: String,
        number: usize,
        modules: Vec<ModuleView>,
        total_minutes: u32,
        phases: Vec<PhaseGroup>,
        item_count: usize,
        renamed_json: Option<String>,
    }

    fn expected_view(site: &Site, role: &str, strings: &Strings) -> ExpectedView {
        let mut playbooks: Vec<ExpectedPlaybook> = site
            .listed_pages()
            .filter_map(|page| Some((page, page.meta().playbook()?)))
            .filter_map(|(page, p)| {
                let modules =
                    ordered_modules_where(&p.training, &site.config, strings, |m| trains(m, role));
                let checklists: Vec<ChecklistView> = p
                    .checklists
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        checklist_view_where(c, i + 1, &site.config, strings, |item| {
                            owned_by(item, role)
                        })
                    })
                    .filter(|c| !c.items.is_empty())
                    .collect();
                if modules.is_empty() && checklists.is_empty() {
                    return None;
                }
                let mut phases: Vec<PhaseGroup> = Vec::new();
                for phase in Phase::VALUES {
                    let group: Vec<ChecklistView> = checklists
                        .iter()
                        .filter(|c| c.phase.id == phase.as_str())
                        .cloned()
                        .collect();
                    if let Some(first) = group.first() {
                        let phase: Named = first.phase.clone();
                        phases.push(PhaseGroup {
                            phase,
                            checklists: group,
                        });
                    }
                }
                Some(ExpectedPlaybook {
                    title: p.title.clone(),
                    url: page.url.clone(),
                    ticks_url: site.ticks_url(page).to_string(),
                    number: 0,
                    total_minutes: modules.iter().map(|m| m.duration_minutes).sum(),
                    item_count: checklists.iter().map(|c| c.items.len()).sum(),
                    modules,
                    phases,
                    renamed_json: crate::render::view::renamed_json(p),
                })
            })
            .collect();
        playbooks.sort_by_key(|p| p.title.to_lowercase());
        for (i, playbook) in playbooks.iter_mut().enumerate() {
            playbook.number = i + 1;
        }
        ExpectedView {
            retrain: retrain_notices(site, role, strings),
            module_count: playbooks.iter().map(|p| p.modules.len()).sum(),
            total_minutes: playbooks.iter().map(|p| p.total_minutes).sum(),
            item_count: playbooks.iter().map(|p| p.item_count).sum(),
            playbooks,
        }
    }

    #[test]
    fn role_values_are_the_serialised_views_in_each_language() {
        let site = crate::render::tests::bundled_site();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (translations, problems) =
            crate::render::i18n::load(root, "default", &["en-GB".into(), "cy".into()]);
        assert!(problems.is_empty(), "{problems:?}");
        let mut items = 0;
        let mut modules = 0;
        for code in ["en-GB", "cy"] {
            let strings = translations.strings(code);
            for role in &site.config.roles {
                let view = expected_view(&site, &role.id, &strings);
                items += view.item_count;
                modules += view.module_count;
                let expected = Value::try_from_serializable(&view).unwrap();
                let made = role_value(&site, &role.id, &strings);
                assert_eq!(made, expected, "role {} in {code}", role.id);
            }
        }
        assert!(items > 0, "the bundled site's roles own checklist items");
        assert!(modules > 0, "the bundled site's roles take training");
    }
}
