//! The HTTP side of `serve` (axum on hyper): answers GET and HEAD from the site in memory, sends
//! rebuild events over server-sent events, and refuses what a preview server should never do:
//! requests for another Host (DNS rebinding), paths that try to climb (`..` in any encoding),
//! and any method that is not GET or HEAD.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::overlay;
use super::{LiveEvent, ServeState};

const SCRIPT: &str = include_str!("live-reload.js");

/// The whole server: one handler, so every request passes the same checks in the same order.
pub fn router(state: Arc<ServeState>) -> Router {
    Router::new().fallback(handle).with_state(state)
}

async fn handle(State(state): State<Arc<ServeState>>, request: Request) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    if !host.is_some_and(|h| host_allowed(h, state.bound)) {
        return text(
            StatusCode::FORBIDDEN,
            "refused: the Host header does not name this server. playbook serve answers only to \
             localhost and the address it listens on, so that other web sites cannot reach it \
             through DNS rebinding.\n",
        );
    }
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are served\n",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let head = method == Method::HEAD;
    let path = request.uri().path();
    let response = match path {
        overlay::SCRIPT_PATH => bytes_response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            Bytes::from_static(SCRIPT.as_bytes()),
        ),
        "/__playbook/events" => events(&state),
        _ if path.starts_with("/__playbook/") => text(StatusCode::NOT_FOUND, "not found\n"),
        _ => match site_path(path) {
            Ok(key) => site_file(&state, &key, path),
            Err(why) => text(StatusCode::BAD_REQUEST, &format!("refused: {why}\n")),
        },
    };
    if head {
        // The headers of a GET, its length included, without the body.
        let length = response.body().size_hint().exact();
        let (mut parts, _) = response.into_parts();
        if let Some(length) = length {
            parts.headers.insert(header::CONTENT_LENGTH, length.into());
        }
        return Response::from_parts(parts, Body::empty());
    }
    response
}

/// Whether a Host header names this server: `localhost`, a loopback address, or the address it
/// was bound to. Bound to every interface (0.0.0.0 or ::), any IP address is accepted, since
/// DNS rebinding needs a host *name*; names other than localhost never are.
pub fn host_allowed(host: &str, bound: IpAddr) -> bool {
    let name = strip_port(host.trim()).trim_end_matches('.');
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    match ip.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound || bound.is_unspecified(),
        Err(_) => false,
    }
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        // [v6]:port
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.contains(':') => {
            name
        }
        _ => host,
    }
}

/// Turns a request path into a key of the site in memory (`playbooks/x/index.html`), refusing
/// anything that could name a file outside it: `.` and `..` segments, written plainly or
/// percent-encoded, encoded slashes and backslashes, NUL, empty segments and invalid escapes.
pub fn site_path(raw: &str) -> Result<String, &'static str> {
    let Some(rest) = raw.strip_prefix('/') else {
        return Err("the path must start with /");
    };
    let mut decoded = Vec::with_capacity(rest.len());
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b'/' | b'\\' | 0) => return Err("encoded separators are not allowed"),
                    Some(b) => decoded.push(b),
                    None => return Err("invalid percent-encoding"),
                }
                i += 3;
            }
            b'\\' | 0 => return Err("backslashes are not allowed"),
            b => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    let decoded = String::from_utf8(decoded).map_err(|_| "the path is not UTF-8")?;
    let segments: Vec<&str> = decoded.split('/').collect();
    for (n, segment) in segments.iter().enumerate() {
        let last = n + 1 == segments.len();
        if *segment == "." || *segment == ".." {
            return Err("`.` and `..` are not allowed in paths");
        }
        if segment.is_empty() && !last {
            return Err("empty path segments are not allowed");
        }
        if segment.contains(':') && n == 0 {
            return Err("drive-style paths are not allowed");
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        Ok(format!("{decoded}index.html"))
    } else {
        Ok(decoded)
    }
}

fn site_file(state: &ServeState, key: &str, raw_path: &str) -> Response {
    let snapshot = state.snapshot();
    if let Some(bytes) = snapshot.files.get(key) {
        let mime = mime_guess::from_path(key).first_or_octet_stream();
        if mime.essence_str() == "text/html" {
            let html = overlay::inject(bytes, snapshot.overlay.as_deref());
            return bytes_response(StatusCode::OK, "text/html; charset=utf-8", html.into());
        }
        let content_type = match mime.type_() {
            mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
            _ if mime.essence_str() == "application/javascript" => {
                "text/javascript; charset=utf-8".to_string()
            }
            _ => mime.essence_str().to_string(),
        };
        let body = Bytes::from_owner(Arc::clone(bytes));
        return bytes_response(StatusCode::OK, &content_type, body);
    }
    // `/playbooks/x` for the folder `/playbooks/x/`: redirect, relative so a base path survives.
    if !key.ends_with("index.html") || !raw_path.ends_with('/') {
        let folder = format!("{key}/index.html");
        if snapshot.files.contains_key(&folder) {
            let last = raw_path.rsplit('/').next().unwrap_or("");
            let mut response = text(StatusCode::MOVED_PERMANENTLY, "moved\n");
            if let Ok(location) = HeaderValue::from_str(&format!("{last}/")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            return response;
        }
    }
    if snapshot.files.is_empty() {
        // Nothing has built yet: say why on every page.
        if let Some(overlay) = &snapshot.overlay {
            let page = overlay::inject(overlay::failure_page(overlay).as_bytes(), None);
            return bytes_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                page.into(),
            );
        }
    }
    match snapshot.files.get("404.html") {
        Some(page) => {
            let html = overlay::inject(page, snapshot.overlay.as_deref());
            bytes_response(
                StatusCode::NOT_FOUND,
                "text/html; charset=utf-8",
                html.into(),
            )
        }
        None => text(StatusCode::NOT_FOUND, "not found\n"),
    }
}

fn events(state: &ServeState) -> Response {
    let receiver = state.events.subscribe();
    let hello = Event::default()
        .event("hello")
        .data(state.snapshot().version.clone());
    let first = stream::once(async move { Ok::<Event, Infallible>(hello) });
    let rest = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(event) => event,
            // Missed some: a reload catches up with all of them.
            Err(broadcast::error::RecvError::Lagged(_)) => LiveEvent::Reload {
                version: String::new(),
            },
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<Event, Infallible>(sse_event(event)), receiver))
    });
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(first.chain(rest));
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn sse_event(event: LiveEvent) -> Event {
    match event {
        LiveEvent::Reload { version } => Event::default().event("reload").data(version),
        LiveEvent::Css { version, paths } => {
            let data = serde_json::json!({ "version": version, "paths": paths }).to_string();
            Event::default().event("css").data(data)
        }
    }
}

fn text(status: StatusCode, body: &str) -> Response {
    bytes_response(
        status,
        "text/plain; charset=utf-8",
        Bytes::copy_from_slice(body.as_bytes()),
    )
}

fn bytes_response(status: StatusCode, content_type: &str, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must always show the latest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_keys() {
        assert_eq!(site_path("/").unwrap(), "index.html");
        assert_eq!(
            site_path("/playbooks/x/").unwrap(),
            "playbooks/x/index.html"
        );
        assert_eq!(
            site_path("/assets/playbook.css").unwrap(),
            "assets/playbook.css"
        );
        assert_eq!(site_path("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn traversal_in_any_encoding_is_refused() {
        for bad in [
            "/../site.toml",
            "/a/../../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/.%2e/site.toml",
            "/a%2f..%2f..%2fsite.toml",
            "/a%5c..%5csite.toml",
            "/..\\site.toml",
            "//etc/passwd",
            "/./index.html",
            "/%00",
            "/%zz",
            "/C:/Windows/win.ini",
            "etc/passwd",
            "/%c0%ae%c0%ae/site.toml",
        ] {
            assert!(site_path(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn only_local_and_bound_hosts_are_allowed() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "127.0.0.1:8080",
            "[::1]:1111",
            "127.0.0.2",
        ] {
            assert!(host_allowed(ok, local), "{ok} refused");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.20",
            "",
            "[::1",
        ] {
            assert!(!host_allowed(bad, local), "{bad} allowed");
        }
        let lan: IpAddr = "192.168.1.20".parse().unwrap();
        assert!(host_allowed("192.168.1.20:1111", lan));
        assert!(!host_allowed("192.168.1.21", lan));
        let all: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed("10.0.0.5:1111", all));
        assert!(!host_allowed("evil.example", all));
    }
}
