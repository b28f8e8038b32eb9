//! Writes a deterministic benchmark corpus: a `playbook` site with N playbooks and M guides
//! (rich front matter by the format spec, 800 to 1,500 words of body each with headings, lists,
//! tables, task lists, callouts, footnotes and links between pages), and optionally the guides'
//! same files as a minimal Hugo site, so both tools build the same Markdown.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --playbooks 1000 --guides 1000 --out /tmp/site \
//!     [--hugo /tmp/hugo-site] [--seed 42] [--teams 200] [--local-versions 2000]
//!
//! `--teams N` writes `progress/team-NNN.yaml` for N teams, each recording items done and a
//! decision on 20 playbooks (the team records benchmark).
//! `--local-versions N` adds N local versions (`adapts:`) of the first published playbooks, in
//! content/local/: each changes an item's text and the escalation route, adds a checklist,
//! removes an item with a reason and has a short body of its own.
//! ```
//!
//! The same seed and counts always write the same bytes. A hand-written xorshift keeps the
//! crate's dependency tree free of a random-number crate for the sake of one example.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// xorshift64*: tiny, fast and good enough to vary text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Never zero, and well mixed even for small seeds.
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() - 1)]
    }

    /// Between `lo` and `hi` distinct items, in the order of `items`.
    fn some<T: Copy>(&mut self, items: &[T], lo: usize, hi: usize) -> Vec<T> {
        let n = self.range(lo, hi);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < n.min(items.len()) {
            let i = self.range(0, items.len() - 1);
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i]).collect()
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const STAGES: &[(&str, &str)] = &[
    ("prevention", "Prevention and awareness"),
    ("referral", "Referral"),
    ("triage", "Triage"),
    ("diagnosis", "Diagnosis"),
    ("treatment", "Treatment"),
    ("self-management", "Self-management"),
    ("monitoring", "Monitoring"),
    ("follow-up", "Follow-up"),
    ("discharge", "Discharge"),
];

const SETTINGS: &[(&str, &str)] = &[
    ("primary-care", "Primary care"),
    ("acute", "Acute hospital"),
    ("community", "Community services"),
    ("mental-health", "Mental health services"),
    ("social-care", "Social care"),
    ("virtual-ward", "Virtual ward"),
    ("ambulance", "Ambulance service"),
];

const ROLES: &[(&str, &str)] = &[
    ("gp", "GP"),
    ("practice-nurse", "Practice nurse"),
    ("pharmacist", "Pharmacist"),
    ("hca", "Healthcare assistant"),
    ("receptionist", "Receptionist"),
    ("practice-manager", "Practice manager"),
    ("ig-lead", "Information governance lead"),
    ("digital-lead", "Digital lead"),
    ("clinical-safety-officer", "Clinical safety officer"),
    ("service-manager", "Service manager"),
    ("consultant", "Consultant"),
    ("ward-nurse", "Ward nurse"),
    ("community-nurse", "Community nurse"),
    ("clinical-lead", "Clinical lead"),
    ("patient", "Patient"),
    ("carer", "Carer"),
    ("paramedic", "Paramedic"),
    ("physiotherapist", "Physiotherapist"),
    ("care-coordinator", "Care coordinator"),
];

const KINDS: &[&str] = &[
    "digital-therapy",
    "remote-monitoring",
    "ai-diagnostic",
    "decision-support",
    "virtual-consultation",
    "patient-portal",
    "other",
];
const DTAC: &[&str] = &["passed", "in-progress", "not-started", "not-applicable"];
const EVA: &[&str] = &[
    "conditionally-recommended",
    "research-only",
    "not-recommended",
    "under-assessment",
    "not-assessed",
];
const SAFETY: &[&str] = &["complete", "in-progress", "not-started", "not-applicable"];
const MATURITY: &[&str] = &["initial", "developing", "established", "advanced"];
const FORMATS: &[&str] = &[
    "e-learning",
    "workshop",
    "shadowing",
    "video",
    "simulation",
    "peer-support",
    "reading",
];
const PHASES: &[&str] = &["prepare", "pilot", "go-live", "scale", "sustain"];
const NPT: &[&str] = &[
    "coherence",
    "cognitive-participation",
    "collective-action",
    "reflexive-monitoring",
];
const FACTORS: &[&str] = &[
    "skills-and-knowledge",
    "motivation-and-attitudes",
    "user-centred-design",
    "ways-of-working",
    "safety-and-equity",
    "resources-and-infrastructure",
    "culture-and-leadership",
];
const STRATEGIES: &[&str] = &[
    "local-opinion-leaders",
    "educational-materials",
    "educational-meetings",
    "educational-outreach-visits",
    "audit-and-feedback",
    "reminders",
    "other",
];
const DIMENSIONS: &[&str] = &[
    "reach",
    "effectiveness",
    "adoption",
    "implementation",
    "maintenance",
];
const RISK_KINDS: &[&str] = &[
    "safety",
    "equity",
    "information-governance",
    "operational",
    "other",
];

const CONDITIONS: &[&str] = &[
    "type 2 diabetes",
    "heart failure",
    "COPD",
    "asthma",
    "hypertension",
    "atrial fibrillation",
    "depression",
    "anxiety",
    "chronic kidney disease",
    "frailty",
    "skin cancer",
    "back pain",
    "long COVID",
    "dementia",
    "stroke recovery",
    "pregnancy",
    "osteoarthritis",
    "insomnia",
];
const PRODUCTS: &[&str] = &[
    "CareBeacon",
    "WellPath",
    "ClearView",
    "Pulsewise",
    "MindBridge",
    "DermaScan",
    "HomeObs",
    "StepWell",
    "TalkSpace Plus",
    "RecordLink",
    "Breathe Easy",
    "HeartLog",
];
const VERBS: &[&str] = &[
    "agree", "check", "record", "review", "share", "train", "test", "publish", "measure",
    "explain", "plan", "confirm",
];
const NOUNS: &[&str] = &[
    "referral route",
    "alert threshold",
    "patient leaflet",
    "clinical safety case",
    "training plan",
    "data sharing agreement",
    "escalation protocol",
    "device stock",
    "rota",
    "dashboard",
    "feedback form",
    "consent process",
    "out-of-hours cover",
    "equality impact assessment",
    "handover note",
    "discharge summary",
];
const ADJECTIVES: &[&str] = &[
    "clear",
    "local",
    "named",
    "shared",
    "written",
    "weekly",
    "monthly",
    "safe",
    "simple",
    "agreed",
    "tested",
    "accessible",
];
const WORDS: &[&str] = &[
    "the",
    "team",
    "patients",
    "carers",
    "clinicians",
    "service",
    "practice",
    "ward",
    "pathway",
    "technology",
    "readings",
    "alerts",
    "staff",
    "referrers",
    "data",
    "record",
    "review",
    "care",
    "support",
    "people",
    "hours",
    "weeks",
    "evidence",
    "training",
    "champions",
    "risks",
    "home",
    "calls",
    "visits",
    "outcomes",
    "feedback",
    "access",
    "safety",
    "equity",
    "digital",
    "skills",
    "workload",
    "time",
    "plan",
    "process",
    "quality",
    "results",
    "routine",
    "devices",
    "system",
];
const CONNECTORS: &[&str] = &[
    "and", "so that", "because", "before", "after", "while", "when", "unless", "with", "for",
];
const TAGS: &[&str] = &[
    "virtual-wards",
    "respiratory",
    "heart-failure",
    "hospital-at-home",
    "diabetes",
    "mental-health",
    "primary-care",
    "pharmacy",
    "dermatology",
    "ai",
    "self-care",
    "digital-inclusion",
    "patient-access",
    "video",
    "triage",
    "long-term-conditions",
    "prevention",
    "frailty",
    "maternity",
    "musculoskeletal",
    "cardiology",
    "kidney",
    "sleep",
    "stroke",
    "cancer",
    "workforce",
    "information-governance",
    "clinical-safety",
    "interoperability",
    "remote-consultation",
];
const PEOPLE: &[&str] = &[
    "Dr Tom Adeyemi",
    "Sarah Whitfield",
    "Priya Natarajan",
    "James O'Connor",
    "Aisha Rahman",
    "Gareth Evans",
    "Mei Lin",
    "Chloe Barker",
    "Dr Kwame Mensah",
    "Fiona MacLeod",
];
/// Headings every body has, so links between pages can name an anchor that exists.
const FIRST_HEADING: &str = "Why this matters";
const HEADINGS: &[&str] = &[
    "Who it is for",
    "How it works day to day",
    "Before you start",
    "Running the pilot",
    "Going live",
    "What good looks like",
    "Keeping it going",
    "Working with suppliers",
    "Information governance",
    "Equity and inclusion",
    "Training the team",
    "Measuring success",
    "Common problems",
    "Handing back",
];

/// What the command line asked for.
struct Args {
    playbooks: usize,
    guides: usize,
    out: PathBuf,
    hugo: Option<PathBuf>,
    seed: u64,
    teams: usize,
    local_versions: usize,
    /// Write a Welsh translation (`x.cy.md`) of every page, and `[languages.cy]`.
    welsh: bool,
    /// With `welsh`: each translation repeats its whole original (every value, which a
    /// translation may), the worst case, instead of holding only its text.
    welsh_copy: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        playbooks: 100,
        guides: 100,
        out: PathBuf::from("bench-site"),
        hugo: None,
        seed: 42,
        teams: 0,
        local_versions: 0,
        welsh: false,
        welsh_copy: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--playbooks" => args.playbooks = value()?.parse().map_err(|e| format!("{e}"))?,
            "--guides" => args.guides = value()?.parse().map_err(|e| format!("{e}"))?,
            "--out" => args.out = PathBuf::from(value()?),
            "--hugo" => args.hugo = Some(PathBuf::from(value()?)),
            "--seed" => args.seed = value()?.parse().map_err(|e| format!("{e}"))?,
            "--teams" => args.teams = value()?.parse().map_err(|e| format!("{e}"))?,
            "--local-versions" => {
                args.local_versions = value()?.parse().map_err(|e| format!("{e}"))?
            }
            "--welsh" => args.welsh = true,
            "--welsh-copy" => {
                args.welsh = true;
                args.welsh_copy = true;
            }
            "-h" | "--help" => {
                return Err("usage: gen_corpus [--playbooks N] [--guides M] [--out DIR] [--hugo DIR] [--seed S] [--teams T] [--local-versions N] [--welsh | --welsh-copy]".into())
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: &Args) -> io::Result<()> {
    let content = args.out.join("content");
    if args.out.exists() {
        fs::remove_dir_all(&args.out)?;
    }
    fs::create_dir_all(&content)?;
    let mut toml = site_toml();
    if args.welsh {
        toml.push_str(&welsh_toml());
    }
    fs::write(args.out.join("site.toml"), toml)?;
    fs::write(
        content.join("_index.md"),
        "---\ntitle: \"Benchmark playbooks\"\nsummary: \"A generated site for measuring build speed.\"\n---\n\nGenerated pages for the benchmark.\n",
    )?;
    let hugo_content = match &args.hugo {
        Some(dir) => {
            if dir.exists() {
                fs::remove_dir_all(dir)?;
            }
            write_hugo_skeleton(dir)?;
            Some(dir.join("content"))
        }
        None => None,
    };
    let corpus = Corpus {
        playbooks: args.playbooks,
        guides: args.guides,
    };
    if args.playbooks > 0 {
        let dir = content.join("playbooks");
        fs::create_dir_all(&dir)?;
        fs::write(
            dir.join("_index.md"),
            "---\ntitle: \"Playbooks\"\nsummary: \"Every adoption playbook.\"\n---\n",
        )?;
        for i in 0..args.playbooks {
            let mut rng = Rng::new(args.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
            let text = corpus.playbook(i, &mut rng);
            write_file(&dir.join(format!("{}.md", playbook_name(i))), &text)?;
            if args.welsh {
                let welsh = in_welsh(&text, args.welsh_copy);
                write_file(&dir.join(format!("{}.cy.md", playbook_name(i))), &welsh)?;
            }
        }
    }
    if args.teams > 0 && args.playbooks > 0 {
        write_teams(args)?;
    }
    if args.local_versions > 0 {
        write_local_versions(args, &corpus, &content.join("local"))?;
    }
    if args.guides > 0 {
        let dir = content.join("guides");
        fs::create_dir_all(&dir)?;
        let index =
            "---\ntitle: \"Guides\"\nsummary: \"Guides to adopting digital technology.\"\n---\n";
        fs::write(dir.join("_index.md"), index)?;
        if let Some(hugo) = &hugo_content {
            fs::create_dir_all(hugo.join("guides"))?;
            fs::write(hugo.join("guides/_index.md"), index)?;
        }
        for i in 0..args.guides {
            let mut rng = Rng::new(!args.seed ^ (i as u64).wrapping_mul(0x9FB2_1C65_1E98_DF25));
            let text = corpus.guide(i, &mut rng);
            write_file(&dir.join(format!("{}.md", guide_name(i))), &text)?;
            if args.welsh {
                let welsh = in_welsh(&text, args.welsh_copy);
                write_file(&dir.join(format!("{}.cy.md", guide_name(i))), &welsh)?;
            }
            if let Some(hugo) = &hugo_content {
                write_file(&hugo.join(format!("guides/{}.md", guide_name(i))), &text)?;
            }
        }
    }
    eprintln!(
        "wrote {} playbooks and {} guides to {}{}",
        args.playbooks,
        args.guides,
        args.out.display(),
        match &args.hugo {
            Some(dir) => format!(" (and the guides as a Hugo site in {})", dir.display()),
            None => String::new(),
        }
    );
    Ok(())
}

/// `args.local_versions` local versions of the first published playbooks, in `dir`.
fn write_local_versions(args: &Args, corpus: &Corpus, dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join("_index.md"),
        "---\ntitle: \"Local versions\"\nsummary: \"Playbooks as one organisation runs them.\"\n---\n",
    )?;
    let bases = (0..args.playbooks).filter(|&i| playbook_status(i) == "published");
    for (n, i) in bases.take(args.local_versions).enumerate() {
        // The base's text again (same seed), for its version.
        let mut rng = Rng::new(args.seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let base = corpus.playbook(i, &mut rng);
        let version = base
            .lines()
            .find_map(|l| l.strip_prefix("version: "))
            .unwrap_or("\"1.0\"");
        let text = format!(
            "---\ntitle: \"Local version {n} of playbook {i}\"\nadapts:\n  playbook: playbooks/{base}\n  version: {version}\n\
             pathway:\n  escalation: \"Our single point of access, 8am to 8pm; 111 out of hours.\"\n\
             checklists:\n  - id: checklist-0\n    items:\n      - id: item-0\n        text: \"Do this our way, with the local team\"\n\
             \x20 - id: local-checks\n    title: \"Local checks\"\n    phase: prepare\n    items:\n      - id: wifi-survey\n        text: \"Survey Wi-Fi in our clinics\"\n\
             remove:\n  - id: checklists/checklist-1/item-1\n    reason: \"We do this another way\"\n---\n\n\
             We run this playbook with our own escalation route and one extra checklist.\n",
            base = playbook_name(i),
        );
        write_file(&dir.join(format!("local-{n:05}.md")), &text)?;
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let mut file = io::BufWriter::new(fs::File::create(path)?);
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// `progress/team-NNN.yaml`: each team records the first three items of the first checklist
/// (every generated playbook has them) and a `go` on 20 published playbooks.
fn write_teams(args: &Args) -> io::Result<()> {
    let dir = args.out.join("progress");
    fs::create_dir_all(&dir)?;
    for t in 0..args.teams {
        let mut rng = Rng::new(args.seed ^ (t as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let mut s = format!(
            "team: Team {t}\norganisation: Trust {}\nplaybooks:\n",
            t % 40
        );
        let mut chosen: Vec<usize> = Vec::new();
        // Twenty playbooks that are not drafts, or all there are on a small corpus.
        let published = (0..args.playbooks)
            .filter(|&i| playbook_status(i) != "draft")
            .count();
        while chosen.len() < 20.min(published) {
            let i = rng.range(0, args.playbooks - 1);
            if playbook_status(i) != "draft" && !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        for i in chosen {
            let _ = writeln!(s, "  playbooks/{}:\n    done:", playbook_name(i));
            for item in 0..3 {
                let _ = writeln!(
                    s,
                    "      - item: checklist-0/item-{item}\n        date: 2026-0{}-1{item}\n        by: gp\n        note: Done at the *monthly* board",
                    rng.range(1, 9)
                );
            }
            let _ = writeln!(
                s,
                "    decisions:\n      - phase: pilot\n        decision: go\n        date: 2026-10-01\n        by: [gp]"
            );
        }
        write_file(&dir.join(format!("team-{t:03}.yaml")), &s)?;
    }
    Ok(())
}

/// 2 in 100 playbooks are drafts and 2 retired, at fixed places so links can avoid drafts.
fn playbook_status(i: usize) -> &'static str {
    match i % 50 {
        17 => "draft",
        33 => "retired",
        _ => "published",
    }
}

fn playbook_name(i: usize) -> String {
    format!("playbook-{i:05}")
}

fn guide_name(i: usize) -> String {
    format!("guide-{i:05}")
}

fn site_toml() -> String {
    let mut s = String::from(
        "title = \"Benchmark playbooks\"\nbase_url = \"https://playbooks.example.nhs.uk\"\nlanguage = \"en-GB\"\ntheme = \"default\"\n\n[build]\noutput_dir = \"public\"\nraw_html = \"sanitize\"\n\n[review]\nwarn_within_days = 30\n",
    );
    for (id, name) in STAGES {
        let _ = write!(s, "\n[[stages]]\nid = \"{id}\"\nname = \"{name}\"\n");
    }
    s.push_str("\n[settings]\n");
    for (id, name) in SETTINGS {
        let _ = writeln!(s, "{id} = \"{name}\"");
    }
    s.push_str("\n[roles]\n");
    for (id, name) in ROLES {
        let _ = writeln!(s, "{id} = \"{name}\"");
    }
    s
}

/// `[languages.cy]` with a label for every stage, setting and role.
fn welsh_toml() -> String {
    let mut s = String::from(
        "\n[languages.cy]\nname = \"Cymraeg\"\ntitle = \"Llyfrau chwarae meincnod\"\nmissing = \"notice\"\n",
    );
    for (table, terms) in [("stages", STAGES), ("settings", SETTINGS), ("roles", ROLES)] {
        let _ = writeln!(s, "\n[languages.cy.{table}]");
        for (id, name) in terms {
            let _ = writeln!(s, "{id} = \"{name} (cy)\"");
        }
    }
    s
}

/// A page's Welsh translation for the benchmark: its body with common words swapped for Welsh
/// ones (so the Welsh index has words of its own), and front matter holding what a translator
/// writes: the title and summary, every checklist's title and items' text, and every training
/// module's title, each by its id (everything else comes from the original). With `copy`, the
/// whole original front matter instead (every value repeated: the worst case for the merge).
fn in_welsh(text: &str, copy: bool) -> String {
    const WORDS: &[(&str, &str)] = &[
        (" the ", " y "),
        (" and ", " a "),
        (" with ", " gyda "),
        (" for ", " ar gyfer "),
        (" patients ", " cleifion "),
        (" team ", " tîm "),
        (" care ", " gofal "),
        (" of ", " o "),
        (" to ", " i "),
        (" in ", " yn "),
        (" is ", " yw "),
    ];
    let (front, body) = match text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---\n"))
    {
        Some((front, body)) => (front.to_string(), body.to_string()),
        None => (String::new(), text.to_string()),
    };
    let mut body = body;
    for (english, welsh) in WORDS {
        body = body.replace(english, welsh);
    }
    if front.is_empty() {
        return body;
    }
    let front = if copy {
        front.replacen("title: \"", "title: \"Cymraeg: ", 1)
    } else {
        text_only(&front)
    };
    format!("---\n{front}\n---\n{body}")
}

/// The text a translator writes of a generated front matter (see `in_welsh`).
fn text_only(front: &str) -> String {
    let Ok(serde_yaml::Value::Mapping(original)) = serde_yaml::from_str::<serde_yaml::Value>(front)
    else {
        return String::new();
    };
    let welsh = |v: &serde_yaml::Value| match v.as_str() {
        Some(t) => serde_yaml::Value::from(format!("Cymraeg: {t}")),
        None => v.clone(),
    };
    let pick = |entry: &serde_yaml::Value, keys: &[&str], text: &[&str]| {
        let mut out = serde_yaml::Mapping::new();
        for key in keys {
            if let Some(v) = entry.get(*key) {
                let v = if text.contains(key) {
                    welsh(v)
                } else {
                    v.clone()
                };
                out.insert((*key).into(), v);
            }
        }
        serde_yaml::Value::Mapping(out)
    };
    let mut out = serde_yaml::Mapping::new();
    for key in ["title", "summary"] {
        if let Some(v) = original.get(key) {
            out.insert(key.into(), welsh(v));
        }
    }
    if let Some(serde_yaml::Value::Sequence(lists)) = original.get("checklists") {
        let lists: Vec<serde_yaml::Value> = lists
            .iter()
            .map(|list| {
                let mut entry = pick(list, &["id", "title"], &["title"]);
                if let (serde_yaml::Value::Mapping(map), Some(serde_yaml::Value::Sequence(items))) =
                    (&mut entry, list.get("items"))
                {
                    let items: Vec<serde_yaml::Value> = items
                        .iter()
                        .map(|i| pick(i, &["id", "text"], &["text"]))
                        .collect();
                    map.insert("items".into(), items.into());
                }
                entry
            })
            .collect();
        out.insert("checklists".into(), lists.into());
    }
    if let Some(serde_yaml::Value::Sequence(modules)) = original.get("training") {
        let modules: Vec<serde_yaml::Value> = modules
            .iter()
            .map(|m| pick(m, &["id", "title"], &["title"]))
            .collect();
        out.insert("training".into(), modules.into());
    }
    serde_yaml::to_string(&serde_yaml::Value::Mapping(out))
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

/// The minimal Hugo site: one config file and two templates.
fn write_hugo_skeleton(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir.join("content"))?;
    fs::create_dir_all(dir.join("layouts/_default"))?;
    fs::write(
        dir.join("config.toml"),
        "baseURL = \"https://playbooks.example.nhs.uk/\"\nlanguageCode = \"en-gb\"\ntitle = \"Benchmark playbooks\"\n",
    )?;
    fs::write(
        dir.join("content/_index.md"),
        "---\ntitle: \"Benchmark playbooks\"\n---\n\nGenerated pages for the benchmark.\n",
    )?;
    fs::write(
        dir.join("layouts/_default/single.html"),
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><meta charset=\"utf-8\"><title>{{ .Title }} – {{ .Site.Title }}</title></head>\n<body>\n<nav><a href=\"/\">{{ .Site.Title }}</a></nav>\n<main>\n<h1>{{ .Title }}</h1>\n{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}\n<nav>{{ .TableOfContents }}</nav>\n{{ .Content }}\n</main>\n</body>\n</html>\n",
    )?;
    fs::write(
        dir.join("layouts/_default/list.html"),
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head><meta charset=\"utf-8\"><title>{{ .Title }} – {{ .Site.Title }}</title></head>\n<body>\n<main>\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ with .Params.summary }}<p>{{ . }}</p>{{ end }}</li>\n{{ end }}</ul>\n</main>\n</body>\n</html>\n",
    )?;
    Ok(())
}

/// The sizes of the corpus, which links between pages must respect.
struct Corpus {
    playbooks: usize,
    guides: usize,
}

/// A YAML double-quoted string (the generated text holds no `"` or `\`).
fn q(text: &str) -> String {
    format!("\"{text}\"")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

/// A sentence of roughly `words` words.
fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = format!(
        "{} {} {} {}",
        capitalise(rng.pick(VERBS)),
        rng.pick(&["the", "a", "each", "every"]),
        rng.pick(ADJECTIVES),
        rng.pick(NOUNS)
    );
    let mut count = 4;
    while count < words {
        s.push(' ');
        if rng.chance(12) {
            s.push_str(rng.pick(CONNECTORS));
        } else {
            s.push_str(rng.pick(WORDS));
        }
        count += 1;
    }
    s.push('.');
    s
}

/// A paragraph; returns its word count too.
fn paragraph(rng: &mut Rng, out: &mut String) -> usize {
    let sentences = rng.range(3, 6);
    let mut words = 0;
    for i in 0..sentences {
        let n = rng.range(8, 20);
        let mut s = sentence(rng, n);
        if rng.chance(10) {
            s = s.replacen(" the ", " **the** ", 1);
        }
        if rng.chance(8) {
            s = s.replacen(" data", " `data`", 1);
        }
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&s);
        words += n;
    }
    out.push_str("\n\n");
    words
}

impl Corpus {
    /// A playbook's product and condition, fixed by its number (links name its title).
    fn playbook_subject(&self, i: usize) -> (&'static str, &'static str) {
        let mut rng = Rng::new(i as u64 + 7);
        (rng.pick(PRODUCTS), rng.pick(CONDITIONS))
    }

    fn playbook_title(&self, i: usize) -> String {
        let (product, condition) = self.playbook_subject(i);
        format!("{product} for {condition} ({})", i + 1)
    }

    fn guide_title(&self, i: usize) -> String {
        let mut rng = Rng::new(i as u64 + 11);
        format!(
            "{} the {} {} ({})",
            capitalise(rng.pick(VERBS)),
            rng.pick(ADJECTIVES),
            rng.pick(NOUNS),
            i + 1
        )
    }

    /// A link to another page of the corpus, written as authors write it (a relative `.md` path,
    /// sometimes with an anchor). `from_playbook` says which folder the link is written in.
    fn link(&self, rng: &mut Rng, from_playbook: bool) -> Option<String> {
        let to_playbook = self.playbooks > 0 && (self.guides == 0 || rng.chance(60));
        let (title, path) = if to_playbook {
            let mut j = rng.range(0, self.playbooks - 1);
            if playbook_status(j) == "draft" {
                // A link to a draft is an error in a build without --drafts.
                j = (j + 1) % self.playbooks;
            }
            let prefix = if from_playbook { "" } else { "../playbooks/" };
            (
                self.playbook_title(j),
                format!("{prefix}{}.md", playbook_name(j)),
            )
        } else if self.guides > 0 {
            let j = rng.range(0, self.guides - 1);
            let prefix = if from_playbook { "../guides/" } else { "" };
            (self.guide_title(j), format!("{prefix}{}.md", guide_name(j)))
        } else {
            return None;
        };
        let anchor = if rng.chance(40) {
            format!("#{}", slug(FIRST_HEADING))
        } else {
            String::new()
        };
        Some(format!("[{title}]({path}{anchor})"))
    }

    /// 800 to 1,500 words of Markdown.
    fn body(&self, rng: &mut Rng, from_playbook: bool) -> String {
        let target = rng.range(800, 1500);
        let mut out = String::with_capacity(target * 8);
        let mut words = 0;
        let _ = write!(out, "## {FIRST_HEADING}\n\n");
        words += paragraph(rng, &mut out);
        words += paragraph(rng, &mut out);
        let mut headings: Vec<&str> = rng.some(HEADINGS, 7, 7);
        let mut block = 0;
        while words < target {
            if block % 3 == 0 {
                let heading = if headings.is_empty() {
                    "More detail"
                } else {
                    headings.remove(0)
                };
                let _ = write!(out, "## {heading}\n\n");
            } else if rng.chance(30) {
                let _ = write!(out, "### {}\n\n", capitalise(rng.pick(NOUNS)));
            }
            words += paragraph(rng, &mut out);
            match block % 7 {
                0 => {
                    for _ in 0..rng.range(3, 6) {
                        let n = rng.range(5, 12);
                        let _ = writeln!(out, "- {}", sentence(rng, n));
                        words += n;
                    }
                    out.push('\n');
                }
                1 => {
                    let _ = write!(out, "| Step | Who | When | Notes |\n|---|---|---|---|\n");
                    for step in 1..=rng.range(3, 6) {
                        let _ = writeln!(
                            out,
                            "| {step} | {} | {} weeks before go-live | {} |",
                            rng.pick(ROLES).1,
                            rng.range(1, 12),
                            sentence(rng, 6)
                        );
                        words += 12;
                    }
                    out.push('\n');
                }
                2 => {
                    for n in 1..=rng.range(3, 5) {
                        let w = rng.range(6, 14);
                        let _ = writeln!(out, "{n}. {}", sentence(rng, w));
                        words += w;
                    }
                    out.push('\n');
                }
                3 => {
                    // A task list: a checklist in the body.
                    for _ in 0..rng.range(3, 6) {
                        let w = rng.range(5, 10);
                        let mark = if rng.chance(10) { "x" } else { " " };
                        let _ = writeln!(out, "- [{mark}] {}", sentence(rng, w));
                        words += w;
                    }
                    out.push('\n');
                }
                4 => {
                    let kind = rng.pick(&["NOTE", "TIP", "IMPORTANT", "WARNING"]);
                    let w = rng.range(15, 30);
                    let _ = write!(out, "> [!{kind}]\n> {}\n\n", sentence(rng, w));
                    words += w;
                }
                5 => {
                    if let Some(link) = self.link(rng, from_playbook) {
                        let _ = write!(
                            out,
                            "See {link} for how another team did this, and {} for the background.\n\n",
                            self.link(rng, from_playbook).unwrap_or_default()
                        );
                        words += 20;
                    }
                }
                _ => {
                    // About 1 page in 4 has raw HTML, as authors use `<details>` now and then.
                    if rng.chance(10) {
                        let _ = write!(
                            out,
                            "<details>\n<summary>Why we ask for this</summary>\n\n{}\n\n</details>\n\n",
                            sentence(rng, 20)
                        );
                        words += 24;
                    }
                }
            }
            block += 1;
        }
        if rng.chance(50) {
            let _ = write!(
                out,
                "The approach follows national guidance.[^guidance]\n\n[^guidance]: {}\n",
                sentence(rng, 12)
            );
        }
        out
    }

    fn guide(&self, i: usize, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(10_000);
        s.push_str("---\n");
        let _ = writeln!(s, "title: {}", q(&self.guide_title(i)));
        let _ = writeln!(s, "summary: {}", q(&sentence(rng, 18)));
        let (last, next) = review_dates(rng);
        let _ = writeln!(s, "last_reviewed: {last}\nnext_review_due: {next}");
        s.push_str("owners:\n");
        for _ in 0..rng.range(1, 2) {
            let _ = writeln!(
                s,
                "  - name: {}\n    role: {}",
                q(rng.pick(PEOPLE)),
                rng.pick(ROLES).0
            );
        }
        s.push_str("tags:\n");
        for tag in rng.some(TAGS, 1, 3) {
            let _ = writeln!(s, "  - {tag}");
        }
        let _ = writeln!(s, "weight: {}", rng.range(0, 100));
        s.push_str("---\n\n");
        s.push_str(&self.body(rng, false));
        s
    }

    fn playbook(&self, i: usize, rng: &mut Rng) -> String {
        let mut s = String::with_capacity(24_000);
        let (product, condition) = self.playbook_subject(i);
        s.push_str("---\n");
        let _ = writeln!(s, "title: {}", q(&self.playbook_title(i)));
        let _ = writeln!(s, "summary: {}", q(&sentence(rng, 30)));
        let kind = rng.pick(KINDS);
        let _ = writeln!(
            s,
            "technology:\n  name: {}\n  kind: {kind}\n  supplier: {}",
            q(&format!("{product} {}", capitalise(condition))),
            q(&format!("{product} Health Ltd"))
        );
        let dtac = if rng.chance(70) {
            "passed"
        } else {
            rng.pick(DTAC)
        };
        let tier = if dtac == "passed" {
            rng.pick(&["A", "B", "C"])
        } else {
            rng.pick(&["A", "B"])
        };
        let _ = writeln!(
            s,
            "assurance:\n  dtac: {dtac}\n  nice_esf_tier: {tier}\n  nice_eva: {}\n  nice_guidance_id: \"HTE{}\"\n  dcb0160: {}\n  dpia: {}",
            rng.pick(EVA),
            rng.range(1, 40),
            rng.pick(SAFETY),
            rng.pick(SAFETY)
        );
        // Audiences first: every other role field picks from them, so the page has no warnings.
        let audiences: Vec<&str> = rng.some(ROLES, 5, 10).into_iter().map(|r| r.0).collect();
        s.push_str("owners:\n");
        for _ in 0..rng.range(1, 3) {
            let name = rng.pick(PEOPLE);
            let _ = writeln!(
                s,
                "  - name: {}\n    role: {}\n    contact: {}",
                q(name),
                rng.pick(&audiences),
                q(&format!("{}@example.nhs.uk", slug(name)))
            );
        }
        let _ = writeln!(s, "status: {}", playbook_status(i));
        let (last, next) = review_dates(rng);
        let _ = writeln!(s, "last_reviewed: {last}\nnext_review_due: {next}");
        let _ = writeln!(
            s,
            "maturity:\n  minimum_stage: {}\n  prerequisites:",
            rng.pick(MATURITY)
        );
        for _ in 0..rng.range(2, 5) {
            let _ = writeln!(s, "    - {}", q(&sentence(rng, 10)));
        }
        let _ = writeln!(s, "pathway:\n  name: {}", q(&capitalise(condition)));
        s.push_str("  settings:\n");
        for (id, _) in rng.some(SETTINGS, 1, 4) {
            let _ = writeln!(s, "    - {id}");
        }
        s.push_str("  stages:\n");
        for (id, _) in rng.some(STAGES, 1, 4) {
            let _ = writeln!(s, "    - {id}");
        }
        for field in ["entry", "exit", "replaces", "escalation", "alternative"] {
            let _ = writeln!(s, "  {field}: {}", q(&sentence(rng, 35)));
        }
        s.push_str("  referrers:\n");
        for role in rng.some(&audiences, 1, 4) {
            let _ = writeln!(s, "    - {role}");
        }
        s.push_str("  eligibility:\n    include:\n");
        for _ in 0..rng.range(2, 4) {
            let _ = writeln!(s, "      - {}", q(&sentence(rng, 14)));
        }
        s.push_str("    exclude:\n");
        for _ in 0..rng.range(2, 4) {
            let _ = writeln!(s, "      - {}", q(&sentence(rng, 14)));
        }
        s.push_str("audiences:\n");
        for role in &audiences {
            let _ = writeln!(s, "  - {role}");
        }
        s.push_str("training:\n");
        let modules = rng.range(3, 5);
        for m in 0..modules {
            let _ = writeln!(
                s,
                "  - id: module-{m}\n    title: {}\n    roles:",
                q(&capitalise(&format!(
                    "{} the {}",
                    rng.pick(VERBS),
                    rng.pick(NOUNS)
                )))
            );
            for role in rng.some(&audiences, 1, 4) {
                let _ = writeln!(s, "      - {role}");
            }
            let _ = writeln!(
                s,
                "    format: {}\n    duration_minutes: {}\n    when: {}",
                rng.pick(FORMATS),
                rng.range(2, 24) * 5,
                rng.pick(PHASES)
            );
            if rng.chance(50) {
                let _ = writeln!(s, "    refresher_months: {}", rng.range(3, 24));
            }
            if m > 0 && rng.chance(60) {
                let _ = writeln!(s, "    requires:\n      - module-{}", rng.range(0, m - 1));
            }
            if rng.chance(50) {
                let _ = writeln!(
                    s,
                    "    link: \"https://learning.example.nhs.uk/{}/module-{m}\"",
                    slug(product)
                );
            }
        }
        s.push_str("champions:\n");
        for role in rng.some(&audiences, 1, 2) {
            let _ = writeln!(
                s,
                "  - role: {role}\n    count: {}\n    responsibilities:",
                rng.range(1, 4)
            );
            for _ in 0..rng.range(2, 4) {
                let _ = writeln!(s, "      - {}", q(&sentence(rng, 12)));
            }
            let _ = writeln!(
                s,
                "    time_commitment: \"About {} hours a week\"\n    how_to_become: {}\n    support: {}",
                rng.range(1, 4),
                q(&sentence(rng, 16)),
                q(&sentence(rng, 16))
            );
        }
        s.push_str("checklists:\n");
        for (c, phase) in rng.some(PHASES, 3, 5).into_iter().enumerate() {
            let _ = writeln!(
                s,
                "  - id: checklist-{c}\n    title: {}\n    phase: {phase}\n    items:",
                q(&capitalise(&format!(
                    "{} {}",
                    rng.pick(ADJECTIVES),
                    rng.pick(NOUNS)
                )))
            );
            for item in 0..rng.range(3, 6) {
                let w = rng.range(8, 16);
                let text = sentence(rng, w).replacen(" the ", " **the** ", 1);
                let _ = writeln!(
                    s,
                    "      - id: item-{item}\n        text: {}\n        owner: {}\n        npt: {}\n        factor: {}\n        due: \"{} weeks before go-live\"",
                    q(&text),
                    rng.pick(&audiences),
                    rng.pick(NPT),
                    rng.pick(FACTORS),
                    rng.range(1, 12)
                );
                if rng.chance(20) {
                    if self.guides > 0 && rng.chance(50) {
                        let j = rng.range(0, self.guides - 1);
                        let _ = writeln!(
                            s,
                            "        evidence: \"/guides/{}/#{}\"",
                            guide_name(j),
                            slug(FIRST_HEADING)
                        );
                    } else {
                        let _ = writeln!(
                            s,
                            "        evidence: \"https://evidence.example.nhs.uk/{}\"",
                            rng.range(1, 9999)
                        );
                    }
                }
            }
        }
        s.push_str("implementation_strategies:\n");
        for strategy in rng.some(STRATEGIES, 2, 5) {
            let _ = writeln!(
                s,
                "  - strategy: {strategy}\n    description: {}",
                q(&sentence(rng, 18))
            );
        }
        s.push_str("metrics:\n");
        for dimension in rng.some(DIMENSIONS, 3, 5) {
            let _ = writeln!(
                s,
                "  - dimension: {dimension}\n    measure: {}\n    target: \"{}% within 12 months\"\n    baseline: \"{}% before go-live\"\n    source: {}\n    frequency: {}",
                q(&sentence(rng, 14)),
                rng.range(50, 95),
                rng.range(5, 49),
                q(&capitalise(rng.pick(NOUNS))),
                q(rng.pick(&["Weekly", "Monthly", "Quarterly", "Every 6 months"]))
            );
        }
        s.push_str("risks:\n");
        for _ in 0..rng.range(2, 5) {
            let _ = writeln!(
                s,
                "  - risk: {}\n    mitigation: {}\n    kind: {}\n    owner: {}",
                q(&sentence(rng, 18)),
                q(&sentence(rng, 18)),
                rng.pick(RISK_KINDS),
                rng.pick(&audiences)
            );
        }
        let _ = writeln!(s, "version: \"{}.{}\"", rng.range(1, 4), rng.range(0, 9));
        s.push_str("tags:\n");
        for tag in rng.some(TAGS, 2, 4) {
            let _ = writeln!(s, "  - {tag}");
        }
        let _ = writeln!(s, "weight: {}", rng.range(0, 100));
        s.push_str("---\n\n");
        s.push_str(&self.body(rng, true));
        s
    }
}

/// A last review in 2026 and the next one 6 to 18 months later (all in the future for a build
/// run with `PLAYBOOK_TODAY=2026-06-01`, so the corpus builds with no warnings).
fn review_dates(rng: &mut Rng) -> (String, String) {
    let month = rng.range(1, 5);
    let day = rng.range(1, 28);
    let later = rng.range(6, 18);
    let (year, next_month) = (
        2026 + (month + later - 1) / 12,
        (month + later - 1) % 12 + 1,
    );
    (
        format!("2026-{month:02}-{day:02}"),
        format!("{year}-{next_month:02}-{day:02}"),
    )
}
