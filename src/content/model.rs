//! The typed front matter of playbooks, guides and section indexes: what `playbook-format.md`
//! says a page may hold, as Rust types. Templates and the JSON outputs read these directly.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Defines a closed set of kebab-case values with its list of valid spellings and labels.
macro_rules! value_set {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every valid spelling, in the spec's order.
            pub const ALL: &'static [&'static str] = &[$($text),+];

            /// Every value, in the spec's order.
            pub const VALUES: &'static [Self] = &[$(Self::$variant),+];

            /// The spelling used in front matter.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            /// The name people read.
            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }
    };
}

value_set! {
    /// What kind of technology is being adopted.
    TechnologyKind {
        /// Digital therapy
        DigitalTherapy = "digital-therapy" / "Digital therapy",
        /// Remote monitoring
        RemoteMonitoring = "remote-monitoring" / "Remote monitoring",
        /// AI diagnostic
        AiDiagnostic = "ai-diagnostic" / "AI diagnostic",
        /// Decision support
        DecisionSupport = "decision-support" / "Decision support",
        /// Virtual consultation
        VirtualConsultation = "virtual-consultation" / "Virtual consultation",
        /// Patient portal
        PatientPortal = "patient-portal" / "Patient portal",
        /// Anything else
        Other = "other" / "Other",
    }
}

value_set! {
    /// Digital Technology Assessment Criteria status.
    DtacStatus {
        /// Passed
        Passed = "passed" / "Passed",
        /// In progress
        InProgress = "in-progress" / "In progress",
        /// Not started
        NotStarted = "not-started" / "Not started",
        /// Not applicable
        NotApplicable = "not-applicable" / "Not applicable",
    }
}

value_set! {
    /// NICE Evidence Standards Framework (2022) tier: what the technology does, which sets the
    /// evidence it needs. Self-management of a diagnosed condition is an intervention (C), not
    /// "understanding and communicating" (B).
    EsfTier {
        /// System services, with no direct patient outcome
        A = "A" / "Tier A: system services",
        /// Information, simple monitoring and communication
        B = "B" / "Tier B: understanding and communicating",
        /// Preventing or managing a diagnosed condition: self-management, treating, active
        /// monitoring, calculating, diagnosing
        C = "C" / "Tier C: interventions",
    }
}

value_set! {
    /// NICE early-use (Early Value Assessment) outcome.
    NiceEva {
        /// Conditionally recommended while evidence is generated
        ConditionallyRecommended = "conditionally-recommended" / "Conditionally recommended",
        /// Research only
        ResearchOnly = "research-only" / "Research only",
        /// Not recommended
        NotRecommended = "not-recommended" / "Not recommended",
        /// Under assessment
        UnderAssessment = "under-assessment" / "Under assessment",
        /// Not assessed
        NotAssessed = "not-assessed" / "Not assessed",
    }
}

value_set! {
    /// The supplier's latest Data Security and Protection Toolkit outcome (1.1).
    DsptStatus {
        /// Standards met
        StandardsMet = "standards-met" / "Standards met",
        /// Approaching standards
        ApproachingStandards = "approaching-standards" / "Approaching standards",
        /// Standards not met
        StandardsNotMet = "standards-not-met" / "Standards not met",
        /// No assessment published
        NotPublished = "not-published" / "Not published",
    }
}

value_set! {
    /// Medical device class under UK MDR (1.1); `not-a-device` when it is not one.
    DeviceClass {
        /// Not a medical device
        NotADevice = "not-a-device" / "Not a medical device",
        /// Class I
        I = "I" / "Class I",
        /// Class IIa
        IIa = "IIa" / "Class IIa",
        /// Class IIb
        IIb = "IIb" / "Class IIb",
        /// Class III
        III = "III" / "Class III",
    }
}

value_set! {
    /// Progress of a safety case or DPIA.
    ProgressStatus {
        /// Complete
        Complete = "complete" / "Complete",
        /// In progress
        InProgress = "in-progress" / "In progress",
        /// Not started
        NotStarted = "not-started" / "Not started",
        /// Not applicable
        NotApplicable = "not-applicable" / "Not applicable",
    }
}

value_set! {
    /// Publication status of a page.
    Status {
        /// Validated always, built only with `--drafts`
        Draft = "draft" / "Draft",
        /// Built and listed
        Published = "published" / "Published",
        /// Built with a banner, listed nowhere
        Retired = "retired" / "Retired",
    }
}

value_set! {
    /// Digital maturity stage an organisation needs first.
    MaturityStage {
        /// Initial
        Initial = "initial" / "Initial",
        /// Developing
        Developing = "developing" / "Developing",
        /// Established
        Established = "established" / "Established",
        /// Advanced
        Advanced = "advanced" / "Advanced",
    }
}

value_set! {
    /// The phases a checklist belongs to, in the order teams go through them.
    Phase {
        /// Prepare
        Prepare = "prepare" / "Prepare",
        /// Pilot
        Pilot = "pilot" / "Pilot",
        /// Go-live
        GoLive = "go-live" / "Go-live",
        /// Scale
        Scale = "scale" / "Scale",
        /// Sustain
        Sustain = "sustain" / "Sustain",
    }
}

value_set! {
    /// Normalisation Process Theory mechanisms.
    NptMechanism {
        /// Coherence
        Coherence = "coherence" / "Coherence",
        /// Cognitive participation
        CognitiveParticipation = "cognitive-participation" / "Cognitive participation",
        /// Collective action
        CollectiveAction = "collective-action" / "Collective action",
        /// Reflexive monitoring
        ReflexiveMonitoring = "reflexive-monitoring" / "Reflexive monitoring",
    }
}

value_set! {
    /// The seven implementation factors.
    Factor {
        /// Skills and knowledge
        SkillsAndKnowledge = "skills-and-knowledge" / "Skills and knowledge",
        /// Motivation and attitudes
        MotivationAndAttitudes = "motivation-and-attitudes" / "Motivation and attitudes",
        /// User-centred design
        UserCentredDesign = "user-centred-design" / "User-centred design",
        /// Ways of working
        WaysOfWorking = "ways-of-working" / "Ways of working",
        /// Safety and equity
        SafetyAndEquity = "safety-and-equity" / "Safety and equity",
        /// Resources and infrastructure
        ResourcesAndInfrastructure = "resources-and-infrastructure" / "Resources and infrastructure",
        /// Culture and leadership
        CultureAndLeadership = "culture-and-leadership" / "Culture and leadership",
    }
}

value_set! {
    /// How a training module is delivered.
    TrainingFormat {
        /// E-learning
        ELearning = "e-learning" / "E-learning",
        /// Workshop
        Workshop = "workshop" / "Workshop",
        /// Shadowing
        Shadowing = "shadowing" / "Shadowing",
        /// Video
        Video = "video" / "Video",
        /// Simulation
        Simulation = "simulation" / "Simulation",
        /// Peer support
        PeerSupport = "peer-support" / "Peer support",
        /// Reading
        Reading = "reading" / "Reading",
    }
}

value_set! {
    /// Implementation strategies.
    StrategyKind {
        /// Local opinion leaders
        LocalOpinionLeaders = "local-opinion-leaders" / "Local opinion leaders",
        /// Educational materials
        EducationalMaterials = "educational-materials" / "Educational materials",
        /// Educational meetings
        EducationalMeetings = "educational-meetings" / "Educational meetings",
        /// Educational outreach visits
        EducationalOutreachVisits = "educational-outreach-visits" / "Educational outreach visits",
        /// Audit and feedback
        AuditAndFeedback = "audit-and-feedback" / "Audit and feedback",
        /// Reminders
        Reminders = "reminders" / "Reminders",
        /// Other
        Other = "other" / "Other",
    }
}

value_set! {
    /// RE-AIM evaluation dimensions.
    ReAimDimension {
        /// Reach
        Reach = "reach" / "Reach",
        /// Effectiveness
        Effectiveness = "effectiveness" / "Effectiveness",
        /// Adoption
        Adoption = "adoption" / "Adoption",
        /// Implementation
        Implementation = "implementation" / "Implementation",
        /// Maintenance
        Maintenance = "maintenance" / "Maintenance",
    }
}

value_set! {
    /// Kinds of risk.
    RiskKind {
        /// Patient safety
        Safety = "safety" / "Safety",
        /// Equity of access and outcome
        Equity = "equity" / "Equity",
        /// Information governance
        InformationGovernance = "information-governance" / "Information governance",
        /// Operational
        Operational = "operational" / "Operational",
        /// Other
        Other = "other" / "Other",
    }
}

value_set! {
    /// How a local version's body joins the base's (1.1).
    BodyMode {
        /// The base's body, then the local one under "How we do it here" (the default)
        Append = "append" / "Append",
        /// Only the local body
        Replace = "replace" / "Replace",
    }
}

/// `adapts:`: the playbook a local version adapts (1.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adapts {
    /// The base's site path, e.g. `national/playbooks/remote-monitoring-virtual-ward`.
    pub playbook: String,
    /// The base's version when it was adapted.
    pub version: String,
}

/// One entry of `remove:` (1.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removal {
    /// `list/id` or `list/parent-id/id`.
    pub id: String,
    /// Why it is dropped.
    pub reason: String,
}

value_set! {
    /// How a section orders its pages.
    SortBy {
        /// By weight, then title (the default)
        Weight = "weight" / "Weight",
        /// By title
        Title = "title" / "Title",
        /// Newest review first
        LastReviewed = "last_reviewed" / "Last reviewed",
    }
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate(pub time::Date);

const ISO_FORMAT: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl IsoDate {
    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as 2026-02-30.
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 10 {
            return None;
        }
        time::Date::parse(text, ISO_FORMAT).ok().map(IsoDate)
    }

    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        self.0.format(ISO_FORMAT).unwrap_or_default()
    }

    /// The NHS style for people: "6 August 2026".
    pub fn human(&self) -> String {
        format!("{} {} {}", self.0.day(), self.0.month(), self.0.year())
    }

    /// Whole days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(&self, other: IsoDate) -> i64 {
        (other.0 - self.0).whole_days()
    }
}

impl Serialize for IsoDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        IsoDate::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a date YYYY-MM-DD")))
    }
}

/// The product or service being adopted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Technology {
    /// Product or service name.
    pub name: String,
    /// What kind of technology it is.
    pub kind: TechnologyKind,
    /// Who supplies it.
    #[serde(default)]
    pub supplier: Option<String>,
}

/// Assurance status: DTAC, NICE, clinical safety and data protection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Assurance {
    /// Digital Technology Assessment Criteria.
    #[serde(default)]
    pub dtac: Option<DtacStatus>,
    /// NICE Evidence Standards Framework tier.
    #[serde(default)]
    pub nice_esf_tier: Option<EsfTier>,
    /// NICE early-use outcome.
    #[serde(default)]
    pub nice_eva: Option<NiceEva>,
    /// NICE guidance id(s), e.g. HTE13, or several where guidance differs by condition.
    #[serde(default)]
    pub nice_guidance_id: Option<GuidanceIds>,
    /// The deploying organisation's clinical safety case.
    #[serde(default)]
    pub dcb0160: Option<ProgressStatus>,
    /// Data protection impact assessment.
    #[serde(default)]
    pub dpia: Option<ProgressStatus>,
}

/// `assurance.nice_guidance_id`: one id (version 1) or a list of them (1.1). Kept in the shape
/// it was written, so `playbooks.json` reads like the front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GuidanceIds {
    /// `nice_guidance_id: HTE13`
    One(String),
    /// `nice_guidance_id: [HTE8, HTE9]`
    Many(Vec<String>),
}

impl GuidanceIds {
    /// Every id, in the order written.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            GuidanceIds::One(id) => vec![id.as_str()],
            GuidanceIds::Many(ids) => ids.iter().map(String::as_str).collect(),
        }
    }
}

/// The address of a piece of NICE guidance.
pub fn nice_guidance_url(id: &str) -> String {
    format!("https://www.nice.org.uk/guidance/{id}")
}

/// What a commissioner needs to know to fund and contract the technology (1.1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Commissioning {
    /// Where the money comes from.
    #[serde(default)]
    pub funding: Option<String>,
    /// What it costs a year, as written.
    #[serde(default)]
    pub annual_cost: Option<String>,
    /// When the current contract ends.
    #[serde(default)]
    pub contract_end: Option<IsoDate>,
    /// How it was or can be bought, e.g. a framework.
    #[serde(default)]
    pub procurement_route: Option<String>,
    /// The supplier's Data Security and Protection Toolkit outcome.
    #[serde(default)]
    pub dspt: Option<DsptStatus>,
    /// Medical device class.
    #[serde(default)]
    pub device_class: Option<DeviceClass>,
}

/// One entry of a playbook's change history (1.1), newest first in `changes`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `MAJOR.MINOR`: the first entry's equals the playbook's `version`.
    pub version: String,
    /// When the change was made; not after `last_reviewed`.
    pub date: IsoDate,
    /// What changed (inline Markdown).
    pub summary: String,
    /// Role ids who must retake training because of this change.
    #[serde(default)]
    pub retrain: Vec<String>,
    /// Checklist items renamed by this change, `old-checklist/old-item` → `new-checklist/new-item`,
    /// in the order written: a reader's saved tick moves from the old id to the new one.
    #[serde(default)]
    pub renamed: indexmap::IndexMap<String, String>,
}

/// Someone who keeps a page true.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Owner {
    /// Person or team name.
    pub name: String,
    /// Role id from site.toml.
    pub role: String,
    /// Email or other contact.
    #[serde(default)]
    pub contact: Option<String>,
}

/// The digital maturity an organisation needs before adopting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Maturity {
    /// Minimum stage.
    #[serde(default)]
    pub minimum_stage: Option<MaturityStage>,
    /// Concrete prerequisites.
    #[serde(default)]
    pub prerequisites: Vec<String>,
}

/// Who the technology is and is not for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Who it is for.
    #[serde(default)]
    pub include: Vec<String>,
    /// Who it is not for.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Where the technology sits in the care pathway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pathway {
    /// The care pathway's name.
    pub name: String,
    /// Setting ids.
    pub settings: Vec<String>,
    /// Stage ids.
    pub stages: Vec<String>,
    /// How a patient arrives.
    #[serde(default)]
    pub entry: Option<String>,
    /// What happens when they leave.
    #[serde(default)]
    pub exit: Option<String>,
    /// The step or practice it changes.
    #[serde(default)]
    pub replaces: Option<String>,
    /// Role ids of who refers.
    #[serde(default)]
    pub referrers: Vec<String>,
    /// Inclusion and exclusion criteria.
    #[serde(default)]
    pub eligibility: Option<Eligibility>,
    /// Who responds to alerts, when, and out of hours.
    #[serde(default)]
    pub escalation: Option<String>,
    /// The non-digital route.
    #[serde(default)]
    pub alternative: Option<String>,
}

/// One module of the training plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingModule {
    /// Unique within the playbook.
    pub id: String,
    /// Module title.
    pub title: String,
    /// Role ids who take it.
    pub roles: Vec<String>,
    /// How it is delivered.
    pub format: TrainingFormat,
    /// Length in minutes.
    pub duration_minutes: u32,
    /// The phase by which it is done.
    #[serde(default)]
    pub when: Option<Phase>,
    /// Refresher interval.
    #[serde(default)]
    pub refresher_months: Option<u32>,
    /// Module ids to take first.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Where to take it.
    #[serde(default)]
    pub link: Option<String>,
}

/// A champion role and what it involves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Champion {
    /// Role id.
    pub role: String,
    /// How many are needed.
    #[serde(default)]
    pub count: Option<u32>,
    /// What they do.
    pub responsibilities: Vec<String>,
    /// How much time it takes.
    pub time_commitment: String,
    /// How to become one.
    #[serde(default)]
    pub how_to_become: Option<String>,
    /// What they get in return.
    #[serde(default)]
    pub support: Option<String>,
}

/// A checklist written in front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// Unique within the page; part of every item's saved-progress key.
    pub id: String,
    /// Heading shown above it.
    pub title: String,
    /// Adoption phase.
    pub phase: Phase,
    /// Items, at least one.
    pub items: Vec<ChecklistItem>,
}

/// One thing to do and tick off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Unique within the checklist; part of the saved-progress key.
    pub id: CompactString,
    /// Inline Markdown.
    pub text: String,
    /// Role id responsible.
    #[serde(default)]
    pub owner: Option<CompactString>,
    /// NPT mechanism it serves.
    #[serde(default)]
    pub npt: Option<NptMechanism>,
    /// Implementation factor it addresses.
    #[serde(default)]
    pub factor: Option<Factor>,
    /// When it is due, e.g. "4 weeks before go-live".
    #[serde(default)]
    pub due: Option<CompactString>,
    /// URL or site path of evidence.
    #[serde(default)]
    pub evidence: Option<String>,
    /// 1.1: must be done before a team records a decision to go ahead with this checklist's
    /// phase or a later one.
    #[serde(default)]
    pub gate: bool,
}

/// An implementation strategy and how it is used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    /// Which strategy.
    pub strategy: StrategyKind,
    /// How it is used here.
    pub description: String,
}

/// A RE-AIM measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metric {
    /// RE-AIM dimension.
    pub dimension: ReAimDimension,
    /// What is measured.
    pub measure: String,
    /// Target value.
    #[serde(default)]
    pub target: Option<String>,
    /// Starting value.
    #[serde(default)]
    pub baseline: Option<String>,
    /// Where the data comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// How often it is measured.
    #[serde(default)]
    pub frequency: Option<String>,
}

/// A risk and its mitigation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// What could go wrong.
    pub risk: String,
    /// What reduces it.
    pub mitigation: String,
    /// Kind of risk.
    pub kind: RiskKind,
    /// Role id who owns it.
    #[serde(default)]
    pub owner: Option<String>,
}

/// The front matter of a playbook (a page with `pathway:`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaybookMeta {
    /// Page title.
    pub title: String,
    /// One or two sentences, ≤ 300 characters.
    pub summary: String,
    /// What is being adopted.
    pub technology: Technology,
    /// Assurance status.
    #[serde(default)]
    pub assurance: Option<Assurance>,
    /// Who keeps it true.
    pub owners: Vec<Owner>,
    /// Publication status.
    #[serde(default = "published")]
    pub status: Status,
    /// Last review date.
    pub last_reviewed: IsoDate,
    /// Next review date.
    pub next_review_due: IsoDate,
    /// Digital maturity needed.
    #[serde(default)]
    pub maturity: Option<Maturity>,
    /// Care pathway placement.
    pub pathway: Pathway,
    /// Role ids it is for.
    pub audiences: Vec<String>,
    /// Training plan.
    #[serde(default)]
    pub training: Vec<TrainingModule>,
    /// Champion roles.
    #[serde(default)]
    pub champions: Vec<Champion>,
    /// Checklists by phase.
    #[serde(default)]
    pub checklists: Vec<Checklist>,
    /// Implementation strategies.
    #[serde(default)]
    pub implementation_strategies: Vec<Strategy>,
    /// RE-AIM measures.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Risks.
    #[serde(default)]
    pub risks: Vec<Risk>,
    /// `MAJOR.MINOR`.
    #[serde(default)]
    pub version: Option<String>,
    /// The change history, newest first (1.1).
    #[serde(default)]
    pub changes: Vec<Change>,
    /// Funding, cost and contract facts for commissioners (1.1).
    #[serde(default)]
    pub commissioning: Option<Commissioning>,
    /// The playbook this one is a local version of (1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adapts: Option<Adapts>,
    /// Base entries a local version drops (1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<Removal>,
    /// How a local version's body joins the base's (1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyMode>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Order within the section.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Replaces the last URL segment.
    #[serde(default)]
    pub slug: Option<String>,
}

impl PlaybookMeta {
    /// The ids this playbook names from one of the site's vocabularies: its pathway's stages or
    /// settings, or the roles it is for (`audiences`). Lists, filters and role views read them
    /// through this one function.
    pub fn terms(&self, vocabulary: crate::vocabulary::Vocabulary) -> &[String] {
        use crate::vocabulary::Vocabulary;
        match vocabulary {
            Vocabulary::Stages => &self.pathway.stages,
            Vocabulary::Settings => &self.pathway.settings,
            Vocabulary::Roles => &self.audiences,
        }
    }
}

/// The front matter of a guide (any page without `pathway:`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuideMeta {
    /// Page title.
    pub title: String,
    /// Short description.
    #[serde(default)]
    pub summary: Option<String>,
    /// Publication status.
    #[serde(default = "published")]
    pub status: Status,
    /// Last review date.
    #[serde(default)]
    pub last_reviewed: Option<IsoDate>,
    /// Next review date.
    #[serde(default)]
    pub next_review_due: Option<IsoDate>,
    /// Who keeps it true.
    #[serde(default)]
    pub owners: Vec<Owner>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Order within the section.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Replaces the last URL segment.
    #[serde(default)]
    pub slug: Option<String>,
}

/// The front matter of a section's `_index.md` (or of the home page's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SectionMeta {
    /// Section title; defaults to the folder name.
    #[serde(default)]
    pub title: Option<String>,
    /// Short description.
    #[serde(default)]
    pub summary: Option<String>,
    /// Order among sections.
    #[serde(default)]
    pub weight: Option<i64>,
    /// How pages are listed.
    #[serde(default)]
    pub sort_by: Option<SortBy>,
}

fn published() -> Status {
    Status::Published
}
