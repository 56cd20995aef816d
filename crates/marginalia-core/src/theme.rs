//! The CSS rules that give each tag of a [`TagSet`] its colours and its
//! underline style. Pure text, built from validated ids and hex colours only,
//! so nothing a host supplies can escape into the stylesheet.

use crate::tag::TagSet;
use std::fmt::Write;

/// Underline styles by tag position: with the label, a second signal
/// besides colour for the first five tags.
const UNDERLINES: [&str; 5] = ["solid", "dashed", "dotted", "double", "wavy"];

/// The registry name of a tag's annotations in `CSS.highlights`.
pub fn highlight_name(tag: &str) -> String {
    format!("marginalia-{tag}")
}

/// The registry name of a tag's pending suggestions.
pub fn suggested_name(tag: &str) -> String {
    format!("marginalia-suggested-{tag}")
}

/// The registry name of the highlight that is shown, briefly or while
/// chosen: tag ids start with a letter or digit, so no tag can take it.
pub const ACTIVE: &str = "marginalia--active";

/// Rules keyed on `data-tag`, for labels, tag buttons and the fallback
/// painter's boxes.
pub fn tag_rules(tags: &TagSet) -> String {
    let mut css = String::new();
    for def in tags.defs() {
        let (id, color, ink) = (def.tag.as_str(), def.color.as_str(), def.color.text_on());
        // Writing to a String cannot fail.
        let _ = write!(
            css,
            ".hl-label[data-tag=\"{id}\"],.tag-label[data-tag=\"{id}\"]{{background:{color};color:{ink}}}\n\
             .tag-button[data-tag=\"{id}\"]{{border-color:{color}}}\n",
            ink = ink.as_str()
        );
    }
    css + &overlay_rules(tags)
}

/// The fallback painter's boxes, by tag: all the first paint needs (it
/// shows no label, so it carries no contrast computation for their text).
pub fn overlay_rules(tags: &TagSet) -> String {
    let mut css = String::new();
    for (i, def) in tags.defs().iter().enumerate() {
        let (id, color) = (def.tag.as_str(), def.color.as_str());
        // Borders have no wavy style: the fallback's boxes use a ridge for it.
        let border = match UNDERLINES[i % UNDERLINES.len()] {
            "wavy" => "ridge",
            other => other,
        };
        let _ = writeln!(
            css,
            ".overlay-box[data-tag=\"{id}\"]{{background:color-mix(in srgb,{color} 28%,transparent);\
             border-bottom-color:{color};border-bottom-style:{border}}}"
        );
    }
    css
}

/// The `::highlight()` rules painting each tag's annotations (a fill and
/// the tag's own underline style) and its pending suggestions (the
/// underline only, dashed where the tag's is solid, and no fill).
pub fn highlight_rules(tags: &TagSet) -> String {
    let mut css = String::new();
    for (i, def) in tags.defs().iter().enumerate() {
        let (id, color) = (def.tag.as_str(), def.color.as_str());
        let underline = UNDERLINES[i % UNDERLINES.len()];
        let pending = if underline == "solid" { "dashed" } else { underline };
        let _ = write!(
            css,
            "::highlight({name}){{background-color:color-mix(in srgb,{color} 28%,transparent);\
             text-decoration-line:underline;text-decoration-style:{underline};text-decoration-color:{color};\
             text-decoration-thickness:2px}}\n\
             ::highlight({suggested}){{text-decoration-line:underline;text-decoration-style:{pending};\
             text-decoration-color:{color};text-decoration-thickness:2px}}\n",
            name = highlight_name(id),
            suggested = suggested_name(id),
        );
    }
    let _ = writeln!(css, "::highlight({ACTIVE}){{background-color:rgba(26,95,208,.32)}}");
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::{Color, Tag, TagDef};

    #[test]
    fn standard_rules_name_every_tag_with_its_own_underline() {
        let css = highlight_rules(&TagSet::standard());
        for (id, style) in [("claim", "solid"), ("quote", "dashed"), ("caption", "dotted")] {
            let rule = format!("::highlight(marginalia-{id}){{");
            let at = css.find(&rule).unwrap_or_else(|| panic!("{id}: {css}"));
            let body = &css[at..at + css[at..].find('}').expect("closed")];
            assert!(body.contains(&format!("text-decoration-style:{style}")), "{id} {style}: {body}");
            assert!(css.contains(&format!("::highlight(marginalia-suggested-{id}){{")), "{id}");
        }
        assert_eq!(css.matches('{').count(), css.matches('}').count());
        let labels = tag_rules(&TagSet::standard());
        assert!(labels.contains(".tag-label[data-tag=\"quote\"]{background:#0b4f8a;color:#ffffff}"), "{labels}");
        // The first paint's boxes are the annotator's, rule for rule.
        let boxes = overlay_rules(&TagSet::standard());
        assert!(labels.ends_with(&boxes) && boxes.contains(".overlay-box[data-tag=\"caption\"]{"), "{boxes}");
    }

    #[test]
    fn a_light_host_colour_gets_dark_label_text() {
        let set = TagSet::new(vec![TagDef {
            tag: Tag::parse("hype").expect("valid"),
            label: "Hype".into(),
            color: Color::parse("#ffe066").expect("hex"),
        }])
        .expect("valid set");
        let css = tag_rules(&set);
        assert!(css.contains("{background:#ffe066;color:#000000}"), "{css}");
        assert_eq!(css.matches('{').count(), css.matches('}').count());
    }
}
