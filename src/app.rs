//! One run of andon: from command-line arguments to a report and an exit code. With `load`
//! (reading) and `fix` (writing), the only module that touches the file system.

use crate::cli::{CheckArgs, ChecklistArgs, ChecklistFormat, Cli, Color, Command, FailOn, Format, ListFormat, SchemaKind};
use crate::config::Config;
use crate::diagnostic::Severity;
use crate::discover;
use crate::engine::{self, RuleSet};
use crate::load::{check_paths, is_repository_top, load, Checked, LoadOptions};
use crate::model::repo::RepoIndex;
use crate::report::{self, ReportInput};
use clap::CommandFactory;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Rules listed by `--timings`, most expensive first.
const TIMINGS_TOP: usize = 10;

const REPORT_SCHEMA: &str = include_str!("../schemas/andon-report.schema.json");

/// Runs the command; `Ok` carries the exit code, `Err` a one-line reason for exit 2.
pub fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Checklist(args) => checklist(&args),
        Command::Rules(args) => {
            print(&crate::explain::rules_list(catalog_here()?, args.format == ListFormat::Json));
            Ok(0)
        }
        Command::Explain { rule } => {
            print(&crate::explain::explain(catalog_here()?, &rule)?);
            Ok(0)
        }
        Command::Init { force } => {
            let path = Path::new(".andon.yaml");
            if path.exists() && !force {
                return Err(".andon.yaml already exists (use --force to replace it)".into());
            }
            let text = crate::init::starter(Path::new("."))?;
            std::fs::write(path, text).map_err(|e| format!(".andon.yaml: {e}"))?;
            eprintln!("andon: wrote .andon.yaml");
            Ok(0)
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Config => crate::config::schema::config_schema()?,
                SchemaKind::Report => serde_json::from_str(REPORT_SCHEMA).map_err(|e| e.to_string())?,
            };
            print(&format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()));
            Ok(0)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "andon", &mut out);
            print(&String::from_utf8_lossy(&out));
            Ok(0)
        }
        Command::Man { out_dir: None } => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| format!("cannot render the man page: {e}"))?;
            print(&String::from_utf8_lossy(&out));
            Ok(0)
        }
        Command::Man { out_dir: Some(dir) } => {
            let cannot = |e: std::io::Error| format!("cannot write man pages to {}: {e}", dir.display());
            std::fs::create_dir_all(&dir).map_err(cannot)?;
            clap_mangen::generate_to(Cli::command(), &dir).map_err(cannot)?;
            Ok(0)
        }
        Command::GenerateDocs { dir } => {
            let written = crate::docs::write(&dir)?;
            eprintln!("andon: wrote {written} files under {}", dir.display());
            Ok(0)
        }
    }
}

fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`andon rules | head`) is not an error worth a message.
    let _ = out.write_all(s.as_bytes());
}

/// The folder the config search starts from: the common folder of the paths checked.
fn common_folder(paths: &[PathBuf]) -> PathBuf {
    let abs: Vec<PathBuf> = paths.iter().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect();
    let Some(first) = abs.first() else { return PathBuf::from(".") };
    let mut common = if first.is_dir() {
        first.clone()
    } else {
        first.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    for p in &abs[1..] {
        while !p.starts_with(&common) {
            if !common.pop() {
                break;
            }
        }
    }
    common
}

/// The rules known in the current folder: the built-in catalog and the rule files of the
/// config found from here.
fn catalog_here() -> Result<&'static [crate::rules::catalog::RuleMeta], String> {
    let (_, config) = base_and_config(None, None, &[PathBuf::from(".")])?;
    Ok(RuleSet::build(&[], &[], &config)?.catalog())
}

/// The base folder for output paths (`--root`, else the current folder) and the run's config
/// (`--config`, else the nearest one above the scanned paths).
fn base_and_config(root: Option<&Path>, explicit: Option<&Path>, scanned: &[PathBuf]) -> Result<(PathBuf, Config), String> {
    let base = match root {
        Some(r) => r.to_path_buf(),
        None => std::env::current_dir().map_err(|e| format!("cannot read the current folder: {e}"))?,
    };
    let config = match crate::config::find(explicit, &common_folder(scanned)) {
        Some(path) => crate::config::load(&path)?,
        None => Config::default(),
    };
    Ok((base, config))
}

fn check(args: &CheckArgs) -> Result<u8, String> {
    let dash = args.paths.iter().any(|p| p.as_os_str() == "-");
    if dash && args.paths.len() > 1 {
        return Err("`-` (standard input) cannot be checked together with other paths".into());
    }
    if args.stdin_filename.is_some() && !args.paths.is_empty() && !dash {
        return Err("--stdin-filename reads standard input: give no paths, or `-`".into());
    }
    if args.stdin_kind.is_some() && !dash {
        return Err("--stdin-kind describes standard input: give the path `-`".into());
    }
    // `-` alone: a stream such as `helm template` output, named for its kind's usual file.
    let stdin_name = args.stdin_filename.clone().or_else(|| {
        dash.then(|| {
            PathBuf::from(if args.stdin_kind.as_deref() == Some("dockerfile") {
                "Dockerfile"
            } else {
                "stdin.yaml"
            })
        })
    });
    let scanned = match &stdin_name {
        Some(name) => vec![name.clone()],
        None => args.targets(),
    };
    let (base, config) = base_and_config(args.root.as_deref(), args.config.as_deref(), &scanned)?;
    // The config's value was checked against the same names by its schema.
    let from_config = config
        .fail_on
        .as_deref()
        .and_then(|v| <FailOn as clap::ValueEnum>::from_str(v, false).ok());
    let fail_on = args.fail_on.or(from_config).unwrap_or(FailOn::Error);
    let mut select = args.select.clone();
    if args.require_reasons && !select.is_empty() {
        select.push(crate::suppress::IGNORE_WITHOUT_REASON.to_string());
    }
    let mut rules = RuleSet::build(&select, &args.ignore, &config)?;
    if args.require_reasons {
        rules.turn_on(crate::suppress::IGNORE_WITHOUT_REASON);
    }
    rules.foreign_ignores = !args.no_foreign_ignores;
    // Files named one by one (a pre-commit hook passing filenames, an editor's buffer) are not
    // the repository: a project rule would report what merely was not passed.
    // An editor's buffer is one file of a repository; a `-` stream is a whole rendered deployment.
    rules.skip_project_rules = args.stdin_filename.is_some() || (!dash && args.targets().iter().all(|p| p.is_file()));
    let mut opts = LoadOptions::new(args.max_file_size, config);
    opts.all_production = args.all_production;
    if args.parse_only {
        let (files, bytes) = crate::load::parse_only(&args.targets(), &base, &opts);
        eprintln!("andon: parsed {files} files, {bytes} bytes");
        return Ok(0);
    }
    let timings = args.timings.then(|| std::sync::Arc::new(crate::timings::Timings::default()));
    rules.timings = timings.clone();
    opts.timings = timings.clone();
    let progress = crate::progress::Progress::on_stderr();
    opts.progress = Some(progress.counter());

    let fixing = args.fix || args.diff;
    opts.kind = args.stdin_kind.as_deref().and_then(crate::config::kind_named);
    let (mut checked, changed) = if let Some(name) = &stdin_name {
        (check_stdin(name, &base, &rules, &mut opts)?, Vec::new())
    } else if fixing {
        fix_until_stable(args, &base, &rules, &mut opts)?
    } else {
        (check_paths(&args.targets(), &base, &rules, &mut opts)?, Vec::new())
    };
    // Clears the progress line before anything else is printed.
    drop(progress);
    // Fixes that were not applied because they may change behaviour, said as ruff says it.
    let unsafe_left = if fixing && !args.unsafe_fixes {
        checked
            .findings
            .iter()
            .filter(|f| {
                f.diag
                    .fix
                    .as_ref()
                    .is_some_and(|fx| fx.applicability == crate::diagnostic::Applicability::Unsafe)
            })
            .count()
    } else {
        0
    };
    if unsafe_left > 0 {
        let (n, verb) = if unsafe_left == 1 {
            ("fix", "it may")
        } else {
            ("fixes", "they may")
        };
        eprintln!(
            "andon: {unsafe_left} more {n} available with `--unsafe-fixes` ({verb} change behaviour: review with `--diff --unsafe-fixes`)"
        );
    }
    if args.diff {
        let mut out = String::new();
        for c in &changed {
            let after_secrets: Vec<crate::source::Span> = (checked.findings.iter().chain(checked.suppressed.iter().map(|(f, _)| f)))
                .filter(|f| f.diag.path == c.path)
                .flat_map(|f| f.diag.secrets.iter().copied())
                .collect();
            let (before, after) = crate::redact::mask_versions((&c.before, &c.before_secrets), (&c.after, &after_secrets));
            out.push_str(&crate::fix::unified_diff(&c.path, &before, &after));
        }
        print(&out);
        return Ok(u8::from(!changed.is_empty()));
    }
    // Every file that can be written is; each one that cannot is named with why, its findings
    // are reported as they stand on disk, and the run ends with exit 2.
    let mut unwritten = 0;
    if args.fix {
        let mut written = 0;
        for c in &changed {
            let abs = checked.files.iter().find(|f| f.path() == c.path).map(|f| f.source.abs_path.clone());
            let Some(abs) = abs else { continue };
            match crate::fix::write_atomically(&abs, &c.after) {
                Ok(()) => written += 1,
                Err(e) => {
                    eprintln!("andon: could not fix {}: {e}", c.path);
                    opts.texts.remove(&c.path);
                    unwritten += 1;
                }
            }
        }
        if unwritten > 0 {
            // The report must show the files as they are, not as the fixes would have made them.
            checked = check_paths(&args.targets(), &base, &rules, &mut opts)?;
        }
        if !changed.is_empty() {
            let plural = |n: usize| if n == 1 { "" } else { "s" };
            match unwritten {
                0 => eprintln!("andon: fixed {written} file{}", plural(written)),
                n => eprintln!("andon: fixed {written} file{}; {n} could not be written", plural(written)),
            }
        }
    }

    if let Some(path) = &args.write_baseline {
        crate::baseline::write(path, &checked.findings)?;
        eprintln!(
            "andon: wrote {} findings to the baseline {}",
            checked.findings.len(),
            path.display()
        );
        return Ok(0);
    }
    let mut gone = 0;
    if let Some(path) = &args.baseline {
        let entries = crate::baseline::read(path)?;
        let (new, missing) = crate::baseline::filter(std::mem::take(&mut checked.findings), &entries);
        checked.findings = new;
        gone = missing;
    }

    if args.show_files {
        let mut listing = String::new();
        let mut rows: Vec<(String, String)> = checked
            .files
            .iter()
            .map(|f| match f.read_error {
                Some(crate::model::ReadError::Template { .. }) => (
                    f.path().to_string(),
                    format!("{}: template, not checked until rendered", f.kind.as_str()),
                ),
                _ => {
                    let mut what = f.kind.as_str().to_string();
                    for said in std::iter::once(f.placement.describe())
                        .chain(f.non_production_parts.iter().map(|(_, why)| format!("non-production part: {why}")))
                        .filter(|s| !s.is_empty())
                    {
                        what = format!("{what}, {said}");
                    }
                    (f.path().to_string(), what)
                }
            })
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
    let sources: BTreeMap<&str, &crate::source::SourceFile> = checked.files.iter().map(|f| (f.path(), &f.source)).collect();
    let secrets = report::secrets_by_path(&checked.findings, &checked.suppressed, &sources);
    let input = ReportInput {
        findings: &checked.findings,
        sources,
        files_by_kind,
        files_checked: checked.files.len(),
        non_production_files: checked.files.iter().filter(|f| !f.production()).count(),
        rules: rules.enabled.iter().map(|e| e.meta).collect(),
        suppressed: &checked.suppressed,
        project_rules_skipped: rules.skip_project_rules,
        secrets,
    };
    let started = std::time::Instant::now();
    let rendered = match args.format {
        Format::Json => report::json::render(&input),
        Format::Sarif => report::sarif::render(
            &input,
            &report::sarif::Options {
                category: &args.sarif_category,
            },
        ),
        Format::Github => report::github::render(&input),
        Format::Gitlab => report::gitlab::render(&input),
        Format::Junit => report::junit::render(&input),
        Format::Checkstyle => report::checkstyle::render(&input),
        Format::Concise => report::human::concise(&input),
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
    match (&args.output, args.format) {
        // Annotations only work on standard output; the file gets the job summary, appended
        // because $GITHUB_STEP_SUMMARY may already hold other steps' text.
        (Some(path), Format::Github) => {
            print(&rendered);
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(cannot)?;
            file.write_all(report::github::summary_markdown(&input).as_bytes())
                .map_err(cannot)?;
        }
        (Some(path), _) => {
            std::fs::write(path, rendered).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            // The report went to a file; the CI log still shows what happened.
            eprint!(
                "{}",
                report::human::render(
                    &input,
                    &report::human::Options {
                        color: false,
                        quiet: true,
                        statistics: false
                    }
                )
            );
        }
        (None, _) => print(&rendered),
    }
    if let Some(t) = &timings {
        t.stage("report", started);
        let names: Vec<&str> = rules.enabled.iter().map(|e| e.meta.name.as_str()).collect();
        eprint!("{}", t.render(&names, TIMINGS_TOP));
    }
    if gone > 0 {
        eprintln!("andon: {gone} baseline entr{} no longer occur", if gone == 1 { "y" } else { "ies" });
    }

    if checked.files.is_empty() {
        eprintln!(
            "andon: no deployment files found under {}",
            scanned.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        if args.error_on_empty {
            return Ok(2);
        }
    }
    let threshold = match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    if unwritten > 0 {
        return Ok(2);
    }
    Ok(exit_code(&checked.findings, threshold))
}

/// 2 when andon failed on some file (whatever `--fail-on` says: the report is incomplete), else
/// 1 when a finding reaches `threshold`, else 0.
pub(crate) fn exit_code(findings: &[crate::engine::Finding], threshold: Option<Severity>) -> u8 {
    if findings.iter().any(|f| f.diag.rule == crate::rules::andon::INTERNAL_ERROR) {
        2
    } else {
        u8::from(threshold.is_some_and(|t| findings.iter().any(|f| f.diag.severity >= t)))
    }
}

/// Checks standard input as the file `name` (an editor's buffer, saved or not): its kind comes
/// from `name`, and no file is read from disk.
fn check_stdin(name: &Path, base: &Path, rules: &RuleSet, opts: &mut LoadOptions) -> Result<Checked, String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(opts.max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > opts.max_file_size {
        return Err(format!(
            "standard input is larger than --max-file-size ({} bytes)",
            opts.max_file_size
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "standard input is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let display = discover::display_path(name, name, base);
    opts.texts.insert(display.clone(), text);
    let abs = std::path::absolute(name).unwrap_or_else(|_| name.to_path_buf());
    let loaded = if opts.config.is_excluded(&abs, &display) {
        Err((display.clone(), "excluded by the config".to_string()))
    } else {
        load(&abs, &display, &display, opts)
    };
    let (files, skipped) = match loaded {
        Ok(file) => (vec![file], Vec::new()),
        Err(skip) => (Vec::new(), vec![skip]),
    };
    let outcome = engine::run(&files, &RepoIndex::new([display]), rules);
    Ok(Checked {
        files,
        findings: outcome.findings,
        suppressed: outcome.suppressed,
        skipped,
    })
}

/// A file that fixes changed: its output path, its text before and after.
struct FileChange {
    path: String,
    before: String,
    after: String,
    /// The secrets findings marked in `before` (those of `after` are in the final check's).
    before_secrets: Vec<crate::source::Span>,
}

/// At most this many rounds of fixing: conflicting fixes are applied one per round, and the
/// files re-checked in between.
const MAX_FIX_PASSES: usize = 10;

/// Applies fixes in memory until no finding offers one (or only overlapping ones remain
/// unapplied), re-checking between rounds. Returns the final check and, per changed file,
/// (path, original text, fixed text). Nothing is written here.
fn fix_until_stable(args: &CheckArgs, base: &Path, rules: &RuleSet, opts: &mut LoadOptions) -> Result<(Checked, Vec<FileChange>), String> {
    let mut originals: BTreeMap<String, (String, Vec<crate::source::Span>)> = BTreeMap::new();
    for _ in 0..MAX_FIX_PASSES {
        let checked = check_paths(&args.targets(), base, rules, opts)?;
        let mut changed_any = false;
        for file in &checked.files {
            let edits: Vec<crate::diagnostic::Edit> = checked
                .findings
                .iter()
                .filter(|f| f.diag.path == file.path())
                .filter_map(|f| f.diag.fix.as_ref())
                .filter(|fx| fx.applicability == crate::diagnostic::Applicability::Safe || args.unsafe_fixes)
                .flat_map(|fx| fx.edits.iter().cloned())
                .collect();
            if edits.is_empty() {
                continue;
            }
            let (fixed, _deferred) = crate::fix::apply_in_file(file.text(), &edits);
            if fixed != file.text() {
                // The first change of a file is made on its original text, so this round's
                // findings mark the original's secrets.
                originals.entry(file.path().to_string()).or_insert_with(|| {
                    let secrets = checked
                        .findings
                        .iter()
                        .filter(|f| f.diag.path == file.path())
                        .flat_map(|f| f.diag.secrets.iter().copied());
                    (file.text().to_string(), secrets.collect())
                });
                opts.texts.insert(file.path().to_string(), fixed);
                changed_any = true;
            }
        }
        if !changed_any {
            let changed = originals
                .into_iter()
                .filter_map(|(path, (before, before_secrets))| {
                    let after = opts.texts.get(&path)?.clone();
                    (after != before).then_some(FileChange {
                        path,
                        before,
                        after,
                        before_secrets,
                    })
                })
                .collect();
            return Ok((checked, changed));
        }
    }
    Err(format!("fixes did not settle after {MAX_FIX_PASSES} rounds; nothing was written"))
}

/// `andon checklist`: one run with the configured rules, then each checklist item's state.
fn checklist(args: &ChecklistArgs) -> Result<u8, String> {
    let (base, config) = base_and_config(args.root.as_deref(), args.config.as_deref(), &args.paths)?;
    let rules = RuleSet::build(&[], &[], &config)?;
    let mut opts = LoadOptions::new(crate::load::DEFAULT_MAX_FILE_SIZE, config);
    let checked = check_paths(&args.paths, &base, &rules, &mut opts)?;
    let input = crate::checklist::Input {
        target: args.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" "),
        kinds: checked.files.iter().map(|f| f.kind).collect(),
        files_checked: checked.files.len(),
        has_prometheus_rules: !crate::model::prometheus::rule_files(&checked.files).is_empty(),
        repository: args.paths.iter().any(|p| is_repository_top(p)),
        catalog: rules.catalog(),
        enabled: rules.enabled.iter().filter(|e| e.on).map(|e| e.meta.name.clone()).collect(),
        findings: &checked.findings,
        suppressed: &checked.suppressed,
    };
    let list = crate::checklist::evaluate(&input);
    let rendered = match args.format {
        ChecklistFormat::Human => report::checklist_human::render(&list),
        ChecklistFormat::Markdown => report::checklist_md::render(&list),
        ChecklistFormat::Json => report::checklist_json::render(&list),
        ChecklistFormat::Html => report::checklist_html::render(&list),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, rendered).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            eprintln!("andon: {}", report::checklist_human::summary(&list));
        }
        None => print(&rendered),
    }
    // A report, not a gate (`andon check` is the gate): it succeeds whatever the states.
    Ok(0)
}
