//! The command line.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The version with the commit it was built from (`unknown` outside a git checkout), so that a
/// bug report names the exact build.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("ANDON_GIT_COMMIT"), ")");

#[derive(Parser, Debug)]
#[command(
    name = "andon",
    version = VERSION,
    about = "Production-readiness linter for deployment files",
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check deployment files under PATHs (default: the current folder).
    Check(CheckArgs),
    /// Print the production checklist with each item's state: pass, fail, n/a, manual.
    Checklist(ChecklistArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print a rule's documentation and options.
    Explain {
        /// A rule id (DKR001) or name (dockerfile/runs-as-root).
        rule: String,
    },
    /// Write a commented starter .andon.yaml for the repository here.
    Init {
        /// Replace an existing .andon.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Print a JSON Schema andon uses.
    Schema {
        #[arg(value_enum)]
        which: SchemaKind,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand into DIR.
    Man {
        /// Write andon.1, andon-check.1, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
    /// Regenerate the rule documentation from the catalog (maintainers).
    #[command(hide = true)]
    GenerateDocs {
        #[arg(default_value = "docs/rules")]
        dir: PathBuf,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The schema of `.andon.yaml` / `.andon.toml`.
    Config,
    /// The schema of `--format json` reports.
    Report,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder); `-` reads standard input.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of standard output (with `--format github`: append a
    /// Markdown summary to FILE, such as $GITHUB_STEP_SUMMARY; annotations still go to standard
    /// output).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// SARIF `automationDetails.id`: give each andon run on one repository its own category so
    /// that code scanning does not replace one run's alerts with another's.
    #[arg(long, default_value = "andon/", value_name = "CATEGORY")]
    pub sarif_category: String,
    /// The lowest severity that makes the run fail (exit 1) [default: error, or the config's].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Only these rules: ids, names or prefixes (DKR, dockerfile), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Not these rules: ids, names or prefixes, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Print only the summary line (human format).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print how many findings each rule has.
    #[arg(long)]
    pub statistics: bool,
    /// List every file seen with its kind, or why it was skipped, and why a file was judged
    /// not to ship (or to ship against its path's conventions).
    #[arg(long)]
    pub show_files: bool,
    /// Judge every file as production: examples, docs, tests and development files too.
    #[arg(long)]
    pub all_production: bool,
    /// Base folder for paths in the output.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Exit 2 when no deployment file is found.
    #[arg(long)]
    pub error_on_empty: bool,
    /// Largest file read, in bytes.
    #[arg(long, default_value_t = crate::load::DEFAULT_MAX_FILE_SIZE, value_name = "BYTES")]
    pub max_file_size: u64,
    /// Configuration file [default: the nearest .andon.yaml or .andon.toml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Apply every safe fix, then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply fixes that may change behaviour.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the unified diff of what --fix would do; write nothing (exit 1 when there is a fix).
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
    /// Ignore peers' suppressions (hadolint, kube-linter, kube-score, Polaris, checkov).
    #[arg(long)]
    pub no_foreign_ignores: bool,
    /// Report suppressions that give no `-- reason`.
    #[arg(long)]
    pub require_reasons: bool,
    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE as the baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Read the file from standard input and check it as NAME (for editors): its kind comes
    /// from NAME, no other file is read, and project-wide rules are skipped.
    #[arg(long, value_name = "NAME", conflicts_with_all = ["fix", "diff"])]
    pub stdin_filename: Option<PathBuf>,
    /// With the path `-`: the kind of what standard input holds (`helm template … | andon check -
    /// --stdin-kind kubernetes`). The stream is checked as a whole deployment, project rules
    /// included; without this its kind comes from its content.
    #[arg(long, value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(crate::config::KIND_NAMES), conflicts_with_all = ["fix", "diff"])]
    pub stdin_kind: Option<String>,
    /// Print on standard error where the time went: each stage, parsing by kind, the most
    /// expensive rules.
    #[arg(long)]
    pub timings: bool,
    /// Only read and parse the files, then print how many (benchmarks: the floor a full check
    /// is measured against).
    #[arg(long, hide = true)]
    pub parse_only: bool,
}

impl CheckArgs {
    /// The paths to check: those given, else the current folder.
    pub fn targets(&self) -> Vec<PathBuf> {
        if self.paths.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.paths.clone()
        }
    }
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF readers.
    Sarif,
    /// GitHub Actions annotations; `--output` writes a Markdown job summary.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML: one testsuite per file, one failure per finding.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
    /// One line per finding, `path:line:column: severity ID message`, for editors and grep.
    Concise,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct ChecklistArgs {
    /// Files or folders to check (give the repository's top for the repository items).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ChecklistFormat::Human)]
    pub format: ChecklistFormat,
    /// Write the checklist to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Base folder for paths in the output.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Configuration file [default: the nearest .andon.yaml or .andon.toml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChecklistFormat {
    /// A readable table.
    Human,
    /// Markdown, for a release pull request or `$GITHUB_STEP_SUMMARY`.
    Markdown,
    Json,
    /// One self-contained HTML page.
    Html,
}
