//! Data embedded in a page (a `<script type="application/json">` block: a search index, a
//! checklist's data) is read by the HTML parser before any JSON parser sees it, so `</script>`
//! or `<!--` inside a string would end or change the block. `json_for_script` writes JSON that
//! is safe anywhere inside such a block: `<`, `>` and `&` become `\u003c`, `\u003e` and `\u0026`
//! (still the same JSON strings), and U+2028 / U+2029 are escaped for older JavaScript parsers.
//! Insert its output with `| safe`: autoescaping would turn quotes into `&quot;` and break it.

use serde::Serialize;

/// `value` as JSON that cannot close or comment out the `<script>` element around it.
pub fn json_for_script<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let json = serde_json::to_string(value)?;
    Ok(escape_json_for_script(&json))
}

/// Escapes already-serialised JSON for a `<script>` block (see the module docs).
pub fn escape_json_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_tags_and_comments_cannot_escape_the_block() {
        let value = serde_json::json!({
            "title": "</script><script>alert(1)</script>",
            "summary": "<!-- & \u{2028} -->",
        });
        let json = json_for_script(&value).unwrap();
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'));
        assert!(!json.contains('\u{2028}'));
        // Still the same data once parsed.
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn ordinary_text_is_unchanged() {
        assert_eq!(
            json_for_script(&["Type 2 diabetes", "café"]).unwrap(),
            r#"["Type 2 diabetes","café"]"#
        );
    }
}
