//! The care pathway drawn as an inline SVG at build time: the site's stages top to bottom, in
//! site.toml's order, joined by a line. A playbook's drawing marks its own stages; the home
//! page's drawing links each stage to its list page and says how many playbooks sit there.
//!
//! Drawn top to bottom so stage names stay on one line at a readable size on a 360 px phone as
//! on a desktop; the SVG has an intrinsic size and shrinks (never grows) to fit. Colours are
//! presentation attributes (NHS blue, grey and text colours), so the drawing reads without the
//! stylesheet, and classes let a theme restyle it.

use crate::markdown::escape;

use super::i18n::Strings;

/// Height of one stage's row.
const ROW: usize = 40;
/// Space above the first row and below the last.
const PAD: usize = 8;
/// Where the circles' centres sit.
const CX: usize = 24;
const RADIUS: usize = 13;

const BLUE: &str = "#005eb8";
const PALE_BLUE: &str = "#e8f1f8";
const GREY: &str = "#4c6272";
const LINE_GREY: &str = "#aeb7bd";
const TEXT: &str = "#212b32";

/// A stage as the drawing needs it.
#[derive(Debug, Clone)]
pub struct StageMark<'a> {
    /// Stage id (for its list page's URL).
    pub id: &'a str,
    /// Stage name.
    pub name: &'a str,
    /// The playbook sits at this stage (placement drawing).
    pub selected: bool,
    /// Playbooks at this stage (overview drawing).
    pub count: usize,
}

fn svg_open(width: usize, height: usize, class: &str, extra: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" style=\"max-width:100%;height:auto\" {extra}>"
    )
}

/// Roughly how wide a 16 px name is, for the drawing's width (no font metrics at build time).
const CHAR_WIDTH: usize = 9;
/// Where stage names start.
const TEXT_X: usize = 48;

/// Just wide enough for the longest name plus `extra`, so the drawing shrinks as little as
/// possible on a narrow screen.
fn width_for(stages: &[StageMark], extra: usize) -> usize {
    let longest = stages
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0);
    (TEXT_X + longest * CHAR_WIDTH + extra).clamp(240, 640)
}

fn height_for(stages: usize) -> usize {
    PAD * 2 + ROW * stages.max(1)
}

fn centre_y(i: usize) -> usize {
    PAD + ROW / 2 + ROW * i
}

/// The line that joins the circles.
fn spine(count: usize) -> String {
    if count < 2 {
        return String::new();
    }
    format!(
        "<line class=\"pb-pathway__line\" x1=\"{CX}\" y1=\"{}\" x2=\"{CX}\" y2=\"{}\" stroke=\"{LINE_GREY}\" stroke-width=\"3\"/>",
        centre_y(0),
        centre_y(count - 1)
    )
}

/// A playbook's placement: every stage in order, its own filled in with a tick and named in
/// bold. Its `<title>` and `<desc>` (ids `{id_prefix}-title`, `{id_prefix}-desc`, unique in the
/// page) are the drawing's text alternative, in the language of `strings`.
pub fn placement_svg(
    pathway_name: &str,
    stages: &[StageMark],
    id_prefix: &str,
    strings: &Strings,
) -> String {
    let width = width_for(stages, 16);
    let height = height_for(stages.len());
    let selected: Vec<String> = stages
        .iter()
        .filter(|s| s.selected)
        .map(|s| s.name.to_string())
        .collect();
    let selected = if selected.is_empty() {
        strings.text("pathway.no_stage").to_string()
    } else {
        strings.list(selected)
    };
    let title = strings.fill("pathway.title", &[("pathway", pathway_name)]);
    let in_order = stages
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} {}", i + 1, s.name))
        .collect::<Vec<_>>()
        .join(strings.text("list.separator"));
    let desc = strings.fill(
        "pathway.description",
        &[
            ("count", &stages.len().to_string()),
            ("stages", &in_order),
            ("selected", &selected),
        ],
    );
    let mut svg = svg_open(
        width,
        height,
        "pb-pathway__diagram",
        // What stages share is set once here and inherited, not repeated per stage.
        &format!(
            "font-size=\"16\" stroke-width=\"3\" stroke-linecap=\"round\" stroke-linejoin=\"round\" role=\"img\" aria-labelledby=\"{id_prefix}-title\" aria-describedby=\"{id_prefix}-desc\""
        ),
    );
    svg.push_str(&format!(
        "<title id=\"{id_prefix}-title\">{}</title><desc id=\"{id_prefix}-desc\">{}</desc>",
        escape(&title),
        escape(&desc)
    ));
    svg.push_str(&spine(stages.len()));
    // The other stages, in one group: their circles (in a group of their own colours), then
    // their names.
    if stages.iter().any(|s| !s.selected) {
        svg.push_str(&format!(
            "<g class=\"pb-pathway__stage\" fill=\"{GREY}\"><g fill=\"#fff\" stroke=\"{LINE_GREY}\">"
        ));
        for (i, _) in stages.iter().enumerate().filter(|(_, s)| !s.selected) {
            svg.push_str(&format!(
                "<circle cx=\"{CX}\" cy=\"{}\" r=\"{}\"/>",
                centre_y(i),
                RADIUS - 4
            ));
        }
        svg.push_str("</g>");
        for (i, stage) in stages.iter().enumerate().filter(|(_, s)| !s.selected) {
            svg.push_str(&format!(
                "<text x=\"{TEXT_X}\" y=\"{}\">{}</text>",
                centre_y(i) + 5,
                escape(stage.name)
            ));
        }
        svg.push_str("</g>");
    }
    // The playbook's own stages: each a pale band, a filled circle with a tick, the name in bold.
    for (i, stage) in stages.iter().enumerate().filter(|(_, s)| s.selected) {
        let cy = centre_y(i);
        svg.push_str(&format!(
            "<g class=\"pb-pathway__stage pb-pathway__stage--selected\">\
             <rect x=\"2\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{PALE_BLUE}\"/>\
             <circle cx=\"{CX}\" cy=\"{cy}\" r=\"{RADIUS}\" fill=\"{BLUE}\"/>\
             <path d=\"M{} {cy}l5 5 9-10\" fill=\"none\" stroke=\"#fff\"/>\
             <text x=\"{TEXT_X}\" y=\"{}\" font-weight=\"bold\" fill=\"{TEXT}\">{}</text></g>",
            cy - ROW / 2 + 3,
            width - 4,
            ROW - 6,
            CX - 7,
            cy + 5,
            escape(stage.name)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// The home page's pathway: every stage in order, each a link to its list page with the number
/// of playbooks there. Each link is named by its visible text (WCAG 2.5.3, label in name), so
/// the drawing is a group of links, not an image. Its links start with `base_path`; its words
/// are in the language of `strings`.
pub fn overview_svg(
    stages: &[StageMark],
    id_prefix: &str,
    base_path: &str,
    strings: &Strings,
) -> String {
    let width = width_for(stages, 130);
    let height = height_for(stages.len());
    let mut svg = svg_open(
        width,
        height,
        "pb-pathway__diagram pb-pathway__diagram--overview",
        &format!("role=\"group\" aria-labelledby=\"{id_prefix}-title\""),
    );
    svg.push_str(&format!(
        "<title id=\"{id_prefix}-title\">{}</title>",
        escape(strings.text("pathway.overview_title"))
    ));
    svg.push_str(&spine(stages.len()));
    for (i, stage) in stages.iter().enumerate() {
        let cy = centre_y(i);
        let count = match stage.count {
            0 => strings.text("count.playbooks_none").to_string(),
            n => strings.count("count.playbooks", n as i64, &[]),
        };
        let count = escape(&count);
        let (fill, text_fill) = if stage.count > 0 {
            (BLUE, "#ffffff")
        } else {
            ("#ffffff", GREY)
        };
        svg.push_str(&format!(
            "<a class=\"pb-pathway__stage\" href=\"{}/stages/{}/\">",
            escape(base_path),
            escape(stage.id)
        ));
        svg.push_str(&format!(
            "<rect x=\"2\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"#ffffff\" fill-opacity=\"0\"/>",
            cy - ROW / 2 + 2,
            width - 4,
            ROW - 4
        ));
        svg.push_str(&format!(
            "<circle cx=\"{CX}\" cy=\"{cy}\" r=\"{RADIUS}\" fill=\"{fill}\" stroke=\"{BLUE}\" stroke-width=\"2\"/>\
             <text x=\"{CX}\" y=\"{}\" font-size=\"14\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{text_fill}\">{}</text>",
            cy + 5,
            i + 1
        ));
        svg.push_str(&format!(
            "<text x=\"{TEXT_X}\" y=\"{}\" font-size=\"16\" fill=\"{BLUE}\" text-decoration=\"underline\">{}</text>",
            cy + 5,
            escape(stage.name)
        ));
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"15\" text-anchor=\"end\" fill=\"{GREY}\">{count}</text>",
            width - 10,
            cy + 5
        ));
        svg.push_str("</a>");
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stages() -> Vec<StageMark<'static>> {
        vec![
            StageMark {
                id: "referral",
                name: "Referral",
                selected: false,
                count: 0,
            },
            StageMark {
                id: "monitoring",
                name: "Monitoring & <review>",
                selected: true,
                count: 3,
            },
            StageMark {
                id: "discharge",
                name: "Discharge",
                selected: true,
                count: 1,
            },
        ]
    }

    #[test]
    fn placement_names_every_stage_marks_its_own_and_says_so_in_words() {
        let svg = placement_svg("Respiratory", &stages(), "pathway-svg", &Strings::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-labelledby=\"pathway-svg-title\""));
        assert!(svg.contains("<g class=\"pb-pathway__stage\" fill=\"#4c6272\">"));
        assert!(svg.contains("<circle cx=\"24\" cy=\"28\" r=\"9\"/>"));
        assert!(svg.contains("<text x=\"48\" y=\"33\">Referral</text>"));
        assert!(svg
            .contains("<text x=\"48\" y=\"73\" font-weight=\"bold\" fill=\"#212b32\">Monitoring"));
        assert!(svg.contains("Monitoring &amp; &lt;review&gt;"));
        assert_eq!(svg.matches("pb-pathway__stage--selected").count(), 2);
        assert!(
            svg.contains("This playbook sits at Monitoring &amp; &lt;review&gt; and Discharge.")
        );
    }

    #[test]
    fn overview_links_each_stage_with_its_count() {
        let en = Strings::default();
        let svg = overview_svg(&stages(), "home-pathway", "", &en);
        assert_eq!(svg.matches("<a ").count(), 3);
        // The link's name is its visible text (number, stage, count), so speech matches sight.
        assert!(svg.contains("href=\"/stages/monitoring/\">"));
        let under_a_path = overview_svg(&stages(), "home-pathway", "/playbooks", &en);
        assert!(under_a_path.contains("href=\"/playbooks/stages/monitoring/\">"));
        assert!(!svg.contains("aria-label=\""));
        assert!(svg.contains("&lt;review&gt;</text>") && !svg.contains("<review>"));
        assert!(svg.contains(">3 playbooks</text>"));
        assert!(svg.contains(">no playbooks</text>"));
        assert!(svg.contains(">1 playbook</text>"));
    }

    #[test]
    fn the_text_alternative_is_in_the_page_language() {
        let root = std::path::Path::new("/nonexistent");
        let cy = super::super::i18n::load(root, "default", &["en".into(), "cy".into()])
            .0
            .strings("cy");
        let mut marks = stages();
        marks[1].name = "Asesu";
        let svg = placement_svg("Anadlol", &marks, "pathway-svg", &cy);
        assert!(
            svg.contains(">Ble mae&#39;r llyfr chwarae hwn yn y llwybr Anadlol</title>"),
            "{svg}"
        );
        assert!(svg.contains(
            "Mae gan y llwybr 3 cam, yn eu trefn: 1 Referral, 2 Asesu, 3 Discharge. Mae&#39;r llyfr chwarae hwn yn perthyn i: Asesu a Discharge.</desc>"
        ), "{svg}");
        let overview = overview_svg(&marks, "home-pathway", "", &cy);
        assert!(
            overview.contains(">dim llyfrau chwarae</text>")
                && overview.contains(">3 llyfr chwarae</text>")
        );
        marks.iter_mut().for_each(|m| m.selected = false);
        assert!(placement_svg("Anadlol", &marks, "p", &cy).contains("perthyn i: dim cam."));
    }
}
