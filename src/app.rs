//! One run of andon: from command-line arguments to a report and an exit code. Only this module
//! touches the file system after discovery.

use crate::classify::classify_tree;
use crate::cli::{CheckArgs, Cli, Color, Command, FailOn, Format, ListFormat};
use crate::diagnostic::Severity;
use crate::discover::{self, ConfigFormat, FileKind, Syntax};
use crate::engine::{self, Finding, RuleSet};
use crate::model::repo::RepoIndex;
use crate::model::{File, Parsed, ReadError};
use crate::report::{self, ReportInput};
use crate::source::SourceFile;
use crate::syntax::{self, Limits};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Runs the command; `Ok` carries the exit code, `Err` a one-line reason for exit 2.
pub fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Rules(args) => {
            print(&crate::explain::rules_list(args.format == ListFormat::Json)?);
            Ok(0)
        }
        Command::Explain { rule } => {
            print(&crate::explain::explain(&rule)?);
            Ok(0)
        }
    }
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`andon rules | head`) is not an error worth a message.
    let _ = out.write_all(s.as_bytes());
}

/// The outcome of checking: files and findings, before any formatting.
pub struct Checked {
    pub files: Vec<File>,
    pub findings: Vec<Finding>,
    pub skipped: Vec<(String, String)>,
}

/// Discovers, parses and checks `paths` with `rules`.
pub fn check_paths(paths: &[PathBuf], base: &Path, rules: &RuleSet, max_file_size: u64) -> Result<Checked, String> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    let walk = discover::walk(paths, base);
    let repo = RepoIndex::new(walk.files.iter().map(|f| f.display.clone()));
    let mut skipped = walk.skipped;
    let loaded: Vec<Result<File, (String, String)>> = walk.files.par_iter().map(|w| load(&w.abs, &w.display, max_file_size)).collect();
    let mut files = Vec::new();
    for l in loaded {
        match l {
            Ok(f) => files.push(f),
            Err(skip) => skipped.push(skip),
        }
    }
    skipped.sort();
    let findings = engine::run(&files, &repo, rules);
    Ok(Checked { files, findings, skipped })
}

/// Reads, parses and classifies one file; `Err` for files that are not deployment files.
fn load(abs: &Path, display: &str, max: u64) -> Result<File, (String, String)> {
    let syntax = discover::syntax_for(display);
    if let Syntax::Skip(why) = syntax {
        return Err((display.to_string(), why.to_string()));
    }
    let production = !discover::is_non_production(display);
    let named_kind = match syntax {
        Syntax::Dockerfile => Some(FileKind::Dockerfile),
        Syntax::DotEnv => Some(FileKind::DotEnv),
        _ => None,
    };
    let (text, read_error) = read_text(abs, max);
    if let Some(err) = read_error {
        // A YAML/JSON/TOML file that cannot be read cannot be classified either; report it only
        // when its name already says it is a deployment file.
        let kind = named_kind.or_else(|| guess_kind_by_name(display));
        let Some(kind) = kind else {
            return Err((
                display.to_string(),
                "unreadable, and its name does not say it is a deployment file".into(),
            ));
        };
        let mut file = File::new(SourceFile::new(display, abs.to_path_buf(), text), kind, Parsed::None, production);
        file.read_error = Some(err);
        return Ok(file);
    }
    let limits = Limits::default();
    let (kind, parsed) = match syntax {
        Syntax::Dockerfile => (FileKind::Dockerfile, Parsed::Dockerfile(Box::new(syntax::dockerfile::parse(&text)))),
        Syntax::DotEnv => (FileKind::DotEnv, Parsed::Tree(syntax::dotenv::parse(&text, &limits))),
        Syntax::Yaml | Syntax::Json | Syntax::Toml => {
            let (tree, format) = match syntax {
                Syntax::Yaml => (syntax::yaml::parse(&text, &limits), ConfigFormat::Yaml),
                Syntax::Json => (syntax::json::parse(&text, &limits), ConfigFormat::Json),
                _ => (syntax::toml::parse(&text, &limits), ConfigFormat::Toml),
            };
            let (mut kind, why) = classify_tree(display, &text, &tree, format);
            if kind == FileKind::Other && !tree.errors.is_empty() {
                // A broken file named like a deployment file is reported, not skipped.
                kind = guess_kind_by_name(display).unwrap_or(FileKind::Other);
            }
            if kind == FileKind::Other {
                return Err((display.to_string(), why.unwrap_or("not a deployment file").to_string()));
            }
            (kind, Parsed::Tree(tree))
        }
        Syntax::Skip(why) => return Err((display.to_string(), why.to_string())),
    };
    Ok(File::new(
        SourceFile::new(display, abs.to_path_buf(), text),
        kind,
        parsed,
        production,
    ))
}

/// For files that cannot be parsed: what their name says they are.
fn guess_kind_by_name(display: &str) -> Option<FileKind> {
    let name = display.rsplit('/').next().unwrap_or(display).to_ascii_lowercase();
    if (name.starts_with("docker-compose") || name.starts_with("compose.")) && (name.ends_with(".yml") || name.ends_with(".yaml")) {
        Some(FileKind::Compose)
    } else if name.starts_with("alertmanager") {
        Some(FileKind::AlertmanagerConfig)
    } else if name.starts_with("prometheus") && !name.contains("rule") {
        Some(FileKind::PrometheusConfig)
    } else if name.ends_with(".rules") || name.contains("rules.y") || name.contains("alerts.y") {
        Some(FileKind::PrometheusRules)
    } else if discover::is_app_config_path(display) {
        let format = if name.ends_with(".toml") {
            ConfigFormat::Toml
        } else if name.ends_with(".json") {
            ConfigFormat::Json
        } else {
            ConfigFormat::Yaml
        };
        Some(FileKind::AppConfig(format))
    } else {
        let in_k8s_dir = display
            .split('/')
            .any(|d| matches!(d, "k8s" | "kubernetes" | "manifests" | "deploy"));
        in_k8s_dir.then_some(FileKind::Kubernetes)
    }
}

/// The file's text, or why it could not be read. For invalid UTF-8 the valid prefix is kept so
/// that the error's place has a line and column.
fn read_text(path: &Path, max: u64) -> (String, Option<ReadError>) {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return (String::new(), Some(ReadError::Io(e.kind().to_string()))),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return (String::new(), Some(ReadError::TooLarge { size, limit: max }));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // Bounded read: a file that grows while read cannot exceed the limit either.
    if let Err(e) = file.take(max + 1).read_to_end(&mut bytes) {
        return (String::new(), Some(ReadError::Io(e.kind().to_string())));
    }
    if bytes.len() as u64 > max {
        return (
            String::new(),
            Some(ReadError::TooLarge {
                size: bytes.len() as u64,
                limit: max,
            }),
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return (String::new(), Some(ReadError::Utf16));
    }
    if bytes.iter().take(8192).any(|b| *b == 0) {
        return (String::new(), Some(ReadError::Binary));
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            (prefix, Some(ReadError::NotUtf8 { offset }))
        }
    }
}

fn check(args: &CheckArgs) -> Result<u8, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?;
    let base = args.root.clone().unwrap_or(cwd);
    let rules = RuleSet::new(&args.select, &args.ignore)?;
    let checked = check_paths(&args.paths, &base, &rules, args.max_file_size)?;

    if args.show_files {
        let mut listing = String::new();
        let mut rows: Vec<(String, String)> = checked
            .files
            .iter()
            .map(|f| (f.path().to_string(), f.kind.as_str().to_string()))
            .collect();
        rows.extend(checked.skipped.iter().map(|(p, why)| (p.clone(), format!("skipped: {why}"))));
        rows.sort();
        for (p, what) in rows {
            listing.push_str(&format!("{p}\t{what}\n"));
        }
        eprint!("{listing}");
    }

    let mut files_by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &checked.files {
        *files_by_kind.entry(f.kind.as_str()).or_default() += 1;
    }
    let input = ReportInput {
        findings: &checked.findings,
        sources: checked.files.iter().map(|f| (f.path(), &f.source)).collect(),
        files_by_kind,
        files_checked: checked.files.len(),
    };
    let rendered = match args.format {
        Format::Json => report::json::render(&input),
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    args.output.is_none() && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            report::human::render(
                &input,
                &report::human::Options {
                    color,
                    quiet: args.quiet,
                    statistics: args.statistics,
                },
            )
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, rendered).map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => print(&rendered),
    }

    if checked.files.is_empty() {
        eprintln!(
            "andon: no deployment files found under {}",
            args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        if args.error_on_empty {
            return Ok(2);
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let fails = threshold.is_some_and(|t| checked.findings.iter().any(|f| f.diag.severity >= t));
    Ok(u8::from(fails))
}
