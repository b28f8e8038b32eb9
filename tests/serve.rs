//! `playbook serve` end to end: the real binary on a free port, spoken to over raw HTTP (so that
//! paths like `/../` reach the server exactly as written, which HTTP clients would tidy up).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Long enough for a debug build on a busy machine; tests wait for events, never for time.
const PATIENCE: Duration = Duration::from_secs(60);

struct Server {
    child: Child,
    port: u16,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    _site: tempfile::TempDir,
    root: std::path::PathBuf,
}

impl Server {
    /// Copies the bundled site into a temporary folder and serves it on a free port.
    fn start(args: &[&str]) -> Server {
        let site = tempfile::tempdir().expect("temp dir");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(repo.join("site.toml"), site.path().join("site.toml")).expect("site.toml");
        common::copy_dir(&repo.join("national"), &site.path().join("national"));
        common::copy_dir(&repo.join("content"), &site.path().join("content"));
        common::copy_dir(&repo.join("themes"), &site.path().join("themes"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .args(args)
            .env("PLAYBOOK_TODAY", "2026-11-22")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start playbook serve");
        let stdout = lines(child.stdout.take().expect("stdout"));
        let stderr = lines(child.stderr.take().expect("stderr"));
        let root = site.path().to_path_buf();
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
            _site: site,
            root,
        };
        let line = server.wait_for_line("Serving ");
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        server.port = port;
        server
    }

    /// Waits for a line of standard output containing `text`, and returns it.
    fn wait_for_line(&self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => break,
            }
        }
        let errors: Vec<String> = self.stderr.try_iter().collect();
        panic!(
            "serve never printed {text:?}; stderr:\n{}",
            errors.join("\n")
        );
    }

    fn get(&self, path: &str) -> Reply {
        self.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Reply {
            status,
            head: head.to_lowercase(),
            body: body.to_string(),
        }
    }

    /// Opens the live-reload event stream, as the browser script does, and waits for its hello.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let request = format!(
            "GET /__playbook/events HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
            self.port
        );
        stream.write_all(request.as_bytes()).expect("send");
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        events.wait_for("event: hello");
        events
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.root.join(rel)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(pipe: impl Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    /// Waits until the stream carries `text` after what was already consumed, and consumes it.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut buffer = [0u8; 4096];
        loop {
            if let Some(at) = self.seen.find(text) {
                let rest = self.seen[at + text.len()..].to_string();
                let upto = self.seen[..at + text.len()].to_string();
                self.seen = rest;
                return upto;
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the event stream; got {:?}",
                self.seen
            );
            match self.stream.read(&mut buffer) {
                Ok(0) => panic!("the event stream closed; got {:?}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => {} // timed out: look again
            }
        }
    }
}

/// Saves a file the way many editors do: a temporary file beside it, renamed over it.
fn atomic_save(path: &Path, text: &str) {
    let temporary = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temporary, text).expect("write temporary");
    std::fs::rename(&temporary, path).expect("rename over");
}

const PAGE: &str = "content/playbooks/covid-oximetry-at-home.md";
const PAGE_URL: &str = "/playbooks/covid-oximetry-at-home/";

#[test]
fn serves_pages_with_the_reload_script_and_only_get_and_head() {
    let server = Server::start(&[]);
    let home = server.get("/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert!(
        home.head.contains("content-type: text/html"),
        "{}",
        home.head
    );
    assert!(home.body.contains("Digital adoption playbooks"));
    assert!(home.body.contains("/__playbook/live-reload.js"));
    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("COVID-19 pulse oximetry at home"));
    let css = server.get("/assets/playbook.css");
    assert_eq!(css.status, 200);
    assert!(css.head.contains("content-type: text/css"), "{}", css.head);
    let script = server.get("/__playbook/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(script.body.contains("EventSource"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let folder = server.get("/playbooks");
    assert_eq!(folder.status, 301);
    assert!(
        folder.head.contains("location: playbooks/"),
        "{}",
        folder.head
    );

    let head = server.request(&format!(
        "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.head
            .contains(&format!("content-length: {}", home.body.len())),
        "{}",
        head.head
    );
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = server.request(&format!(
            "{method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 405, "{method}");
        assert!(reply.head.contains("allow: get, head"), "{}", reply.head);
    }
}

#[test]
fn an_edit_sends_a_reload_and_serves_the_new_page() {
    let server = Server::start(&[]);
    let mut events = server.events();
    let path = server.path(PAGE);
    let text = std::fs::read_to_string(&path).unwrap();
    atomic_save(
        &path,
        &text.replacen("## ", "A sentence added while serving.\n\n## ", 1),
    );
    events.wait_for("event: reload");
    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("A sentence added while serving."));
    let line = server.wait_for_line("rebuilt in");
    assert!(line.contains(PAGE), "{line}");
    // The page and its Welsh address (the English page with a notice) change, nothing else.
    assert!(line.contains("2 files changed"), "{line}");
    let welsh = server.get(&format!("/cy{PAGE_URL}"));
    assert!(welsh.body.contains("A sentence added while serving."));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_with_an_overlay_until_fixed() {
    let server = Server::start(&[]);
    let mut events = server.events();
    let path = server.path(PAGE);
    let good = std::fs::read_to_string(&path).unwrap();
    let broken = good
        .replacen("status: retired", "statuz: retired", 1)
        .replacen("## ", "This sentence is in the broken version.\n\n## ", 1);
    atomic_save(&path, &broken);
    events.wait_for("event: reload");
    server.wait_for_line("build failed");

    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("playbook-serve-overlay"));
    assert!(
        page.body.contains(&format!("{PAGE}:17:1")),
        "the overlay names file:line:column"
    );
    assert!(page.body.contains("unknown field `statuz`"));
    assert!(page.body.contains("help: "));
    assert!(page.body.contains("COVID-19 pulse oximetry at home"));
    assert!(!page
        .body
        .contains("This sentence is in the broken version."));
    let home = server.get("/");
    assert!(home.body.contains("playbook-serve-overlay"), "every page");

    atomic_save(
        &path,
        &good.replacen("## ", "This sentence is in the fixed version.\n\n## ", 1),
    );
    events.wait_for("event: reload");
    server.wait_for_line("the errors are fixed");
    let page = server.get(PAGE_URL);
    assert!(!page.body.contains("playbook-serve-overlay"));
    assert!(page.body.contains("This sentence is in the fixed version."));
}

#[test]
fn a_site_that_never_built_shows_its_errors_and_recovers() {
    let site = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let toml = std::fs::read_to_string(repo.join("site.toml")).unwrap();
    // Not a Server::start: this site starts broken.
    std::fs::write(
        site.path().join("site.toml"),
        toml.replacen("title", "titel", 1),
    )
    .unwrap();
    common::copy_dir(&repo.join("content"), &site.path().join("content"));
    common::copy_dir(&repo.join("national"), &site.path().join("national"));
    let server = {
        let mut child = Command::new(env!("CARGO_BIN_EXE_playbook"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.path())
            .env("PLAYBOOK_TODAY", "2026-11-22")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
            _site: tempfile::tempdir().unwrap(),
            root: site.path().to_path_buf(),
        };
        let line = server.wait_for_line("Serving ");
        server.port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap();
        server
    };
    let page = server.get("/");
    assert_eq!(page.status, 500);
    assert!(page.body.contains("playbook-serve-overlay"));
    assert!(page.body.contains("site.toml:"));
    let mut events = server.events();
    atomic_save(&server.path("site.toml"), &toml);
    events.wait_for("event: reload");
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("playbook-serve-overlay"));
}

#[test]
fn new_folders_deletes_renames_and_vim_saves_are_followed() {
    let server = Server::start(&[]);
    let mut events = server.events();

    // A new section folder with a page in it.
    std::fs::create_dir_all(server.path("content/pilots")).unwrap();
    std::fs::write(
        server.path("content/pilots/first.md"),
        "# First pilot\n\nNotes from the first pilot.\n",
    )
    .unwrap();
    events.wait_for("event: reload");
    let mut page = server.get("/pilots/first/");
    for _ in 0..50 {
        // The folder and the file may arrive as two rebuilds.
        if page.status == 200 {
            break;
        }
        events.wait_for("event: reload");
        page = server.get("/pilots/first/");
    }
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Notes from the first pilot."));

    // A rename: the old URL goes, the new one comes.
    std::fs::rename(
        server.path("content/pilots/first.md"),
        server.path("content/pilots/renamed.md"),
    )
    .unwrap();
    events.wait_for("event: reload");
    assert_eq!(server.get("/pilots/first/").status, 404);
    assert_eq!(server.get("/pilots/renamed/").status, 200);

    // A delete.
    std::fs::remove_file(server.path("content/pilots/renamed.md")).unwrap();
    events.wait_for("event: reload");
    assert_eq!(server.get("/pilots/renamed/").status, 404);

    // vim with `backupcopy=no`: probe file, the page renamed to a backup, a new file written,
    // the backup removed; a swap file written beside it all along.
    let path = server.path("content/guides/glossary.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let dir = server.path("content/guides");
    std::fs::write(dir.join(".glossary.md.swp"), "swap").unwrap();
    std::fs::write(dir.join("4913"), "").unwrap();
    std::fs::remove_file(dir.join("4913")).unwrap();
    std::fs::rename(&path, dir.join("glossary.md~")).unwrap();
    std::fs::write(
        &path,
        text.replacen("\n\n", "\n\nSaved the vim way.\n\n", 1),
    )
    .unwrap();
    std::fs::remove_file(dir.join("glossary.md~")).unwrap();
    events.wait_for("event: reload");
    let mut page = server.get("/guides/glossary/");
    for _ in 0..20 {
        if page.body.contains("Saved the vim way.") {
            break;
        }
        events.wait_for("event: reload");
        page = server.get("/guides/glossary/");
    }
    assert!(page.body.contains("Saved the vim way."));
    assert_eq!(server.get("/guides/glossary.md~").status, 404);
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let server = Server::start(&[]);
    let mut events = server.events();
    let css = server.path("themes/default/static/assets/playbook.css");
    let text = std::fs::read_to_string(&css).unwrap();
    atomic_save(
        &css,
        &format!("{text}\n.pb-test-marker {{ color: red; }}\n"),
    );
    let seen = events.wait_for("\n\n");
    let seen = if seen.contains("event:") {
        seen
    } else {
        events.wait_for("\n\n")
    };
    assert!(seen.contains("event: css"), "{seen}");
    assert!(seen.contains("/assets/playbook.css"), "{seen}");
    assert!(server
        .get("/assets/playbook.css")
        .body
        .contains(".pb-test-marker"));
}

#[test]
fn traversal_in_any_encoding_is_refused() {
    let server = Server::start(&[]);
    for path in [
        "/../site.toml",
        "/playbooks/../../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/site.toml",
        "/.%2e/site.toml",
        "/playbooks%2f..%2f..%2fsite.toml",
        "/..%5csite.toml",
        "/..\\site.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "http://127.0.0.1/../site.toml",
        "/%c0%ae%c0%ae/site.toml",
    ] {
        let reply = server.request(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        ));
        assert!(
            reply.status == 400 || reply.status == 404,
            "{path}: {}",
            reply.status
        );
        assert!(!reply.body.contains("base_url"), "{path} leaked site.toml");
        assert!(!reply.body.contains("root:"), "{path} leaked /etc/passwd");
    }
}

#[test]
fn a_wrong_host_is_refused() {
    let server = Server::start(&[]);
    for host in [
        "evil.example",
        "evil.example:1111",
        "localhost.evil.example",
    ] {
        let reply = server.request(&format!(
            "GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ));
        assert_eq!(reply.status, 403, "{host}");
        assert!(!reply.body.contains("Digital adoption playbooks"));
    }
    let no_host = server.request("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403);
    let local = server.request(&format!(
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        server.port
    ));
    assert_eq!(local.status, 200);
}

#[test]
fn listening_beyond_loopback_warns() {
    let server = Server::start(&["--bind", "0.0.0.0"]);
    let deadline = Instant::now() + PATIENCE;
    let mut warned = false;
    while Instant::now() < deadline && !warned {
        match server.stderr.recv_timeout(Duration::from_millis(500)) {
            Ok(line) => warned = line.contains("warning: listening on 0.0.0.0"),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(_) => break,
        }
    }
    assert!(warned, "no warning for a non-loopback address");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_base_url_with_a_path_is_still_previewed_at_the_root() {
    let server = Server::start(&[]);
    let mut events = server.events();
    let toml = server.path("site.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    atomic_save(
        &toml,
        &text.replacen(
            "base_url = \"https://playbooks.example.nhs.uk\"",
            "base_url = \"https://nhs-org.github.io/playbooks-site/\"",
            1,
        ),
    );
    events.wait_for("event: reload");
    let page = server.get(PAGE_URL);
    assert_eq!(page.status, 200);
    // The new address is taken (the printed address), but links stay at serve's root.
    assert!(page.body.contains(&format!(
        "https://nhs-org.github.io/playbooks-site{PAGE_URL}"
    )));
    assert!(!page.body.contains("data-base"));
    assert!(!page.body.contains("=\"/playbooks-site/"));
    assert!(page
        .body
        .contains("<link rel=\"stylesheet\" href=\"/assets/playbook.css\">"));
    assert_eq!(server.get("/playbooks-site/").status, 404);
}
