//! An oracle for "nothing from content runs in a reader's browser": tokenizes built HTML with
//! html5ever (the same tokenizer browsers follow) and lists everything that could run a script.
//! Shared by the hostile-site tests and the fuzz targets (`fuzz/` includes this file by path).
#![allow(dead_code)]

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Elements that must never be in a page built from untrusted content.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
];
/// Attributes that hold a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
];

#[derive(Default)]
struct State {
    findings: Vec<String>,
    /// Inside a `<script>` element: whether it is a JSON data block, and its text so far.
    script: Option<(bool, String)>,
}

struct Sink(RefCell<State>);

/// True for `javascript:`, `vbscript:` and `data:` URLs however they are spelt (as a browser reads
/// them: ASCII whitespace and control characters are ignored).
pub fn runs_script(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                for attr in &tag.attrs {
                    let attr_name = attr.name.local.to_string().to_ascii_lowercase();
                    if attr_name.starts_with("on") {
                        state.findings.push(format!(
                            "line {line}: <{name}> has the event handler `{attr_name}`"
                        ));
                    }
                    if URL_ATTRIBUTES.contains(&attr_name.as_str()) && runs_script(&attr.value) {
                        state.findings.push(format!(
                            "line {line}: <{name} {attr_name}=\"{}\"> runs a script",
                            attr.value
                        ));
                    }
                    if name == "meta"
                        && attr_name == "http-equiv"
                        && attr.value.eq_ignore_ascii_case("refresh")
                    {
                        state
                            .findings
                            .push(format!("line {line}: <meta http-equiv=refresh>"));
                    }
                }
                let attr = |n: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| a.name.local.to_string().eq_ignore_ascii_case(n))
                        .map(|a| a.value.to_string())
                };
                // The theme's own search and filter forms (class `pb-…`, same-site action or
                // none) are the only forms allowed: the sanitiser removes any from content.
                let theme_form = name == "form"
                    && attr("class").is_some_and(|c| c.starts_with("pb-"))
                    && attr("action").is_none_or(|a| a.starts_with('/'));
                if FORBIDDEN_ELEMENTS.contains(&name.as_str()) && !theme_form {
                    state
                        .findings
                        .push(format!("line {line}: forbidden element <{name}>"));
                }
                match name.as_str() {
                    "script" => {
                        let kind = attr("type").unwrap_or_default().to_ascii_lowercase();
                        let is_data = kind == "application/json" || kind == "application/ld+json";
                        let same_site_src = attr("src").is_some_and(|s| s.starts_with('/'));
                        if !is_data && !same_site_src {
                            state.findings.push(format!(
                                "line {line}: a <script> that is neither a site script nor JSON data"
                            ));
                        }
                        state.script = Some((is_data, String::new()));
                        return TokenSinkResult::RawData(RawKind::ScriptData);
                    }
                    "style" | "xmp" | "noembed" | "noframes" => {
                        if name == "style" {
                            state
                                .findings
                                .push(format!("line {line}: a <style> element"));
                        }
                        return TokenSinkResult::RawData(RawKind::Rawtext);
                    }
                    "title" | "textarea" => {
                        return TokenSinkResult::RawData(RawKind::Rcdata);
                    }
                    "plaintext" => return TokenSinkResult::Plaintext,
                    _ => {}
                }
            }
            Token::TagToken(tag) if &*tag.name == "script" => {
                if let Some((is_data, text)) = state.script.take() {
                    if is_data {
                        if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                            state.findings.push(format!(
                                "line {line}: a JSON <script> block is cut short or is not JSON (was `</script>` left unescaped?)"
                            ));
                        }
                        if text.contains("<!--") {
                            state
                                .findings
                                .push(format!("line {line}: a JSON <script> block holds `<!--`"));
                        }
                    } else if !text.trim().is_empty() {
                        state
                            .findings
                            .push(format!("line {line}: an inline script: {}", text.trim()));
                    }
                }
            }
            Token::CharacterTokens(text) => {
                if let Some((_, buffer)) = state.script.as_mut() {
                    buffer.push_str(&text);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Everything in `html` that could run a script or load a foreign frame; empty when safe.
pub fn unsafe_findings(html: &str) -> Vec<String> {
    let sink = Sink(RefCell::new(State::default()));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.0.take();
    state.findings
}
