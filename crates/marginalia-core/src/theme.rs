//! The CSS rules that give each tag of a [`TagSet`] its colours and its
//! underline style. Pure text, built from validated ids and hex colours only,
//! so nothing a host supplies can escape into the stylesheet.

use crate::tag::TagSet;
use std::fmt::Write;

/// Underline styles by tag position: with the label, a second signal
/// besides colour for the first five tags.
const UNDERLINES: [&str; 5] = ["solid", "dashed", "dotted", "double", "wavy"];

/// Rules keyed on `data-tag`, for highlights, labels and tag buttons.
pub fn tag_rules(tags: &TagSet) -> String {
    let mut css = String::new();
    for (i, def) in tags.defs().iter().enumerate() {
        let (id, color, ink) = (def.tag.as_str(), def.color.as_str(), def.color.text_on());
        let underline = UNDERLINES[i % UNDERLINES.len()];
        // Writing to a String cannot fail.
        let _ = write!(
            css,
            "mark.hl[data-tag=\"{id}\"]{{background:color-mix(in srgb,{color} 28%,transparent);\
             text-decoration-color:{color};text-decoration-style:{underline}}}\n\
             mark.hl[data-tag=\"{id}\"][data-label]::before,.tag-label[data-tag=\"{id}\"]{{background:{color};color:{ink}}}\n\
             .tag-button[data-tag=\"{id}\"]{{border-color:{color}}}\n",
            ink = ink.as_str()
        );
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tag::{Color, Tag, TagDef};

    #[test]
    fn standard_rules_name_every_tag_with_its_own_underline() {
        let css = tag_rules(&TagSet::standard());
        for (id, style) in [("claim", "solid"), ("quote", "dashed"), ("caption", "dotted")] {
            assert!(css.contains(&format!("mark.hl[data-tag=\"{id}\"]{{")), "{id}");
            assert!(css.contains(&format!("text-decoration-style:{style}")), "{style}");
        }
        assert!(css.contains(".tag-label[data-tag=\"quote\"]{background:#0b4f8a;color:#ffffff}"));
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
