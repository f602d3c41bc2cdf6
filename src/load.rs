//! Reading a run's files: discovery, reading with limits, parsing and classifying each file,
//! then checking them all. With `app`, the only module that touches the file system.

use crate::classify::classify_tree;
use crate::config::Config;
use crate::discover::{self, ConfigFormat, FileKind, Syntax};
use crate::engine::{self, Finding, RuleSet};
use crate::model::repo::RepoIndex;
use crate::model::{File, Parsed, ReadError};
use crate::source::SourceFile;
use crate::surface::Placement;
use crate::syntax::{self, Limits};
use crate::timings::Timings;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The outcome of checking: files and findings, before any formatting.
pub struct Checked {
    pub files: Vec<File>,
    pub findings: Vec<Finding>,
    /// Findings a suppression covers, with its reason.
    pub suppressed: Vec<(Finding, crate::engine::SuppressedBy)>,
    pub skipped: Vec<(String, String)>,
}

/// Largest file read unless `--max-file-size` says otherwise: a deployment file is far smaller,
/// and a stray dump must not exhaust memory.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// How files are read for one run.
#[derive(Default)]
pub struct LoadOptions {
    pub max_file_size: u64,
    pub config: Config,
    /// Texts to use instead of the files on disk (by output path): fixes in progress, or an
    /// editor's buffer read from standard input.
    pub texts: HashMap<String, String>,
    /// Bumped once per file read, for the progress line.
    pub progress: Option<Arc<AtomicUsize>>,
    /// The kind of every file, whatever its name or content (`--stdin-kind`).
    pub kind: Option<FileKind>,
    /// `--all-production`: every file is judged as shipping.
    pub all_production: bool,
    /// What the run's documents and scripts say of its files (copies into place, deploy
    /// commands, test-only use): see `surface::evidence`.
    pub told: crate::surface::evidence::Instructions,
    /// Where reading and parsing time goes, by kind (`--timings`).
    pub timings: Option<Arc<Timings>>,
}

impl LoadOptions {
    pub fn new(max_file_size: u64, config: Config) -> Self {
        LoadOptions {
            max_file_size,
            config,
            texts: HashMap::new(),
            progress: None,
            kind: None,
            all_production: false,
            told: Default::default(),
            timings: None,
        }
    }
}

/// Discovers, parses and checks `paths` with `rules`.
pub fn check_paths(paths: &[PathBuf], base: &Path, rules: &RuleSet, opts: &mut LoadOptions) -> Result<Checked, String> {
    // A path that is not there is a usage error; one the operating system will not show (in a
    // folder without search access) is reported by the walk, as AND002.
    for p in paths {
        if std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
            return Err(format!("{}: no such file or folder", p.display()));
        }
    }
    let started = Instant::now();
    let walk = discover::walk(paths, base);
    let mut repo = RepoIndex::new(walk.files.iter().map(|f| f.display.clone()));
    repo.texts = repo_texts(&walk, opts.max_file_size);
    repo.roots = repo_roots(paths, base);
    opts.told = crate::surface::evidence::instructions(&repo);
    stage(opts, "discover", started);
    let opts = &*opts;
    let started = Instant::now();
    let mut skipped = walk.skipped;
    let loaded: Vec<Result<File, (String, String)>> = walk.files.par_iter().map(|w| load_walked(w, opts)).collect();
    stage(opts, "read and parse", started);
    let started = Instant::now();
    let graph = crate::model::kustomize::Graph::new(&repo);
    let patches: std::collections::HashSet<&str> = graph.kustomizations().flat_map(|k| k.patch_files()).collect();
    let labelled = kustomize_selector_resources(&repo);
    let pinned: std::sync::Arc<std::collections::BTreeSet<String>> = std::sync::Arc::new(
        kustomizations(&repo)
            .flat_map(|(_, text)| crate::model::k8s::kustomize_pinned_images(text))
            .collect(),
    );
    let mut files = Vec::new();
    for l in loaded {
        match l {
            Ok(mut f) => {
                f.kustomize_patch = patches.contains(f.path());
                f.kustomize_images = pinned.clone();
                f.kustomize_selector = labelled
                    .iter()
                    .any(|r| f.path() == r || r.ends_with('/') && f.path().starts_with(r.as_str()));
                files.push(f);
            }
            Err(skip) => skipped.push(skip),
        }
    }
    attach_overlays(&mut files, &graph);
    for (w, refused) in &walk.refused {
        let placement = Placement::of(&w.rel, opts.config.production_setting(&w.abs, &w.display), opts.all_production);
        let source = SourceFile::new(&w.display, w.abs.clone(), String::new());
        let mut file = File::new(source, FileKind::Other, Parsed::None, placement);
        file.read_error = Some(if refused.folder {
            ReadError::Folder(refused.reason.clone())
        } else {
            ReadError::Io(refused.reason.clone())
        });
        files.push(file);
    }
    crate::surface::evidence::apply(&mut files, &repo, &opts.told);
    crate::surface::evidence::apply_rendered_bases(&mut files, &graph);
    // Env templates that production Compose files read in place of the `.env` they lack.
    for (path, why) in crate::surface::evidence::env_templates(&files, &repo) {
        let Some(w) = walk.files.iter().find(|w| w.display == path) else {
            continue;
        };
        let mut forced = LoadOptions::new(opts.max_file_size, opts.config.clone());
        forced.kind = Some(FileKind::DotEnv);
        if let Ok(mut f) = load(&w.abs, &w.display, &w.rel, &forced) {
            f.placement.ships_by_evidence(why);
            skipped.retain(|(p, _)| *p != path);
            files.push(f);
        }
    }
    files.sort_by(|a, b| a.path().cmp(b.path()));
    skipped.sort();
    stage(opts, "overlays and production surface", started);
    let outcome = engine::run(&files, &repo, rules);
    Ok(Checked {
        files,
        findings: outcome.findings,
        suppressed: outcome.suppressed,
        skipped,
    })
}

fn stage(opts: &LoadOptions, name: &'static str, started: Instant) {
    if let Some(t) = &opts.timings {
        t.stage(name, started);
    }
}

/// Loads a discovered file unless the config excludes it.
fn load_walked(w: &discover::WalkedFile, opts: &LoadOptions) -> Result<File, (String, String)> {
    if opts.config.is_excluded(&w.abs, &w.display) {
        return Err((w.display.clone(), "excluded by the config".to_string()));
    }
    let started = Instant::now();
    let loaded = load_caught(&w.abs, &w.display, || load(&w.abs, &w.display, &w.rel, opts));
    if let (Some(t), Ok(file)) = (&opts.timings, &loaded) {
        t.parsed(file.kind.as_str(), started.elapsed());
    }
    if let Some(count) = &opts.progress {
        count.fetch_add(1, Ordering::Relaxed);
    }
    loaded
}

/// Discovers, reads and parses `paths` as [`check_paths`] does, checking nothing: the floor
/// that a full check is measured against (`check --parse-only`, for benchmarks). Returns the
/// number of deployment files and their bytes.
pub fn parse_only(paths: &[PathBuf], base: &Path, opts: &LoadOptions) -> (usize, u64) {
    let walk = discover::walk(paths, base);
    walk.files
        .par_iter()
        .filter_map(|w| load_walked(w, opts).ok())
        .map(|f| (1, f.text().len() as u64))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// `load` with a panic (a bug in a parser or classifier) turned into a file that
/// andon/internal-error reports, so the run goes on and ends with exit 2 instead of aborting.
fn load_caught(abs: &Path, display: &str, load: impl FnOnce() -> Result<File, (String, String)>) -> Result<File, (String, String)> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(load)).unwrap_or_else(|payload| {
        let kind = match discover::syntax_for(display) {
            Syntax::Dockerfile => Some(FileKind::Dockerfile),
            Syntax::DotEnv => Some(FileKind::DotEnv),
            _ => guess_kind_by_name(display, None),
        };
        let source = SourceFile::new(display, abs.to_path_buf(), String::new());
        let mut file = File::new(
            source,
            kind.unwrap_or(FileKind::Other),
            Parsed::None,
            crate::surface::Placement::production(),
        );
        file.read_error = Some(ReadError::Internal(crate::engine::panic_message(&*payload)));
        Ok(file)
    })
}

/// Reads, parses and classifies one file; `Err` for files that are not deployment files. `rel`
/// is its path below the folder the user named, where the conventions of what ships apply.
pub(crate) fn load(abs: &Path, display: &str, rel: &str, opts: &LoadOptions) -> Result<File, (String, String)> {
    let forced = opts.kind.or_else(|| opts.config.kind_for(abs, display));
    let copy = opts.told.copies.get(display);
    let syntax = match (forced, copy) {
        (Some(kind), _) => syntax_of_kind(kind, display),
        // An `env.example` copied to `.env` is the environment file it becomes.
        (None, Some(c)) => match discover::syntax_for(display) {
            Syntax::Skip(_) => discover::syntax_for(&c.dest_name),
            own => own,
        },
        (None, None) => discover::syntax_for(display),
    };
    if let Syntax::Skip(why) = syntax {
        return Err((display.to_string(), why.to_string()));
    }
    let mut placement = Placement::of(rel, opts.config.production_setting(abs, display), opts.all_production);
    // A copy says an example or template is the file put in place; of any other file it says
    // nothing (a build script copies its Dockerfile into a temporary context).
    if let Some(c) = copy.filter(|_| placement.by == crate::surface::By::Name) {
        placement.ships_by_evidence(format!("copied into place as {} by {}", c.dest_name, c.at));
    }
    let named_kind = match syntax {
        Syntax::Dockerfile => Some(FileKind::Dockerfile),
        Syntax::DotEnv => Some(FileKind::DotEnv),
        _ => None,
    };
    let (text, read_error) = match opts.texts.get(display) {
        Some(t) => (t.clone(), None),
        None => read_text(abs, opts.max_file_size),
    };
    if let Some(err) = read_error {
        // A YAML/JSON/TOML file that cannot be read cannot be classified by its content: its
        // name may say what it is; a file too large to parse, its first bytes; and one the
        // operating system refuses is reported whatever it is, as andon could not look.
        let kind = named_kind.or_else(|| guess_kind_by_name(display, None)).or_else(|| match &err {
            ReadError::TooLarge { .. } => crate::classify::kind_from_head(&read_head(abs)),
            ReadError::Io(_) => Some(FileKind::Other),
            _ => None,
        });
        let Some(kind) = kind else {
            return Err((
                display.to_string(),
                "unreadable, and neither its name nor its start says it is a deployment file".into(),
            ));
        };
        let mut file = File::new(SourceFile::new(display, abs.to_path_buf(), text), kind, Parsed::None, placement);
        file.read_error = Some(err);
        return Ok(file);
    }
    if matches!(syntax, Syntax::Yaml | Syntax::Json) && matches!(forced, None | Some(FileKind::Kubernetes)) {
        if let Some(offset) = crate::classify::template_syntax_at(display, &text) {
            return Ok(template_file(display, abs, text, placement, offset));
        }
    }
    let limits = Limits::default();
    let (kind, parsed) = match syntax {
        Syntax::Dockerfile => (FileKind::Dockerfile, Parsed::Dockerfile(Box::new(syntax::dockerfile::parse(&text)))),
        Syntax::DotEnv => {
            let tree = syntax::dotenv::parse(&text, &limits);
            // `.env` files are environment files whatever they hold, and a broken one is
            // reported; `variables.env` may be a shell or Make include that only shares the
            // suffix, and is left alone when it is not `KEY=value` lines.
            let named_dotenv = display
                .rsplit('/')
                .next()
                .is_some_and(|n| n.to_ascii_lowercase().starts_with(".env"));
            if !named_dotenv && !tree.errors.is_empty() {
                return Err((
                    display.to_string(),
                    "not KEY=value lines (a shell or Make include named *.env)".to_string(),
                ));
            }
            (FileKind::DotEnv, Parsed::Tree(tree))
        }
        Syntax::Yaml | Syntax::Json | Syntax::Toml => {
            let (tree, format) = match syntax {
                Syntax::Yaml => (syntax::yaml::parse(&text, &limits), ConfigFormat::Yaml),
                // App configs are read by loaders that take comments and trailing commas.
                Syntax::Json if matches!(forced, Some(FileKind::AppConfig(_))) || discover::is_app_config_path(display) => {
                    (syntax::json::parse_jsonc(&text, &limits), ConfigFormat::Json)
                }
                Syntax::Json => (syntax::json::parse(&text, &limits), ConfigFormat::Json),
                _ => (syntax::toml::parse(&text, &limits), ConfigFormat::Toml),
            };
            if format == ConfigFormat::Yaml && matches!(forced, None | Some(FileKind::Kubernetes)) {
                if let Some(offset) = crate::classify::structural_template_at(&text, &tree) {
                    return Ok(template_file(display, abs, text, placement, offset));
                }
            }
            let (mut kind, why) = match forced {
                Some(k) => (k, None),
                None => classify_tree(display, &text, &tree, format),
            };
            if kind == FileKind::Other && !tree.errors.is_empty() && !crate::classify::is_go_template(&text, &tree) {
                // A broken file named like a deployment file is reported, not skipped.
                kind = guess_kind_by_name(display, Some(&text)).unwrap_or(FileKind::Other);
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
        placement,
    ))
}

/// A manifest template, kept unparsed: andon/unrendered-template reports it once.
fn template_file(display: &str, abs: &Path, text: String, placement: Placement, offset: usize) -> File {
    let mut file = File::new(
        SourceFile::new(display, abs.to_path_buf(), text),
        FileKind::Kubernetes,
        Parsed::None,
        placement,
    );
    file.read_error = Some(ReadError::Template { offset });
    file
}

/// The parser for a kind the config assigns, whatever the file's name says.
fn syntax_of_kind(kind: FileKind, display: &str) -> Syntax {
    match kind {
        FileKind::Dockerfile => Syntax::Dockerfile,
        FileKind::DotEnv => Syntax::DotEnv,
        FileKind::AppConfig(ConfigFormat::Toml) => Syntax::Toml,
        FileKind::AppConfig(ConfigFormat::Json) => Syntax::Json,
        FileKind::Other => Syntax::Skip("mapped to `other` by the config"),
        _ if display.to_ascii_lowercase().ends_with(".json") => Syntax::Json,
        _ => Syntax::Yaml,
    }
}

/// For files that cannot be parsed: what their name says they are.
/// `text` is `None` when the file could not be read.
fn guess_kind_by_name(display: &str, text: Option<&str>) -> Option<FileKind> {
    let name = display.rsplit('/').next().unwrap_or(display).to_ascii_lowercase();
    if (name.starts_with("docker-compose") || name.starts_with("compose.")) && (name.ends_with(".yml") || name.ends_with(".yaml")) {
        Some(FileKind::Compose)
    } else if name.starts_with("alertmanager") {
        Some(FileKind::AlertmanagerConfig)
    } else if name.starts_with("prometheus") && !name.contains("rule") {
        Some(FileKind::PrometheusConfig)
    } else if (name.ends_with(".rules") || name.contains("rules.y") || name.contains("alerts.y"))
        && text.is_none_or(|t| t.contains("groups:"))
    {
        // Other tools' rule files share the name (Firebase's `firestore.rules`, udev's
        // `*.rules`) and are no YAML at all: only a file with a rule group is Prometheus's.
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
/// The first 64 KiB of a file, as far as they are UTF-8: enough for its top-level keys.
fn read_head(path: &Path) -> String {
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        let _ = f.take(64 * 1024).read_to_end(&mut head);
    }
    utf8_prefix(head).0
}

/// The bytes as text as far as they are UTF-8, and where the first invalid byte is, if any.
fn utf8_prefix(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            (String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned(), Some(offset))
        }
    }
}

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
    let (text, invalid) = utf8_prefix(bytes);
    (text, invalid.map(|offset| ReadError::NotUtf8 { offset }))
}

/// The documents and CI files project rules read (README, docs, workflows: see
/// [`crate::model::repo::is_repo_text`]), at most 1 MiB each and 500 in all.
fn repo_texts(walk: &discover::Walk, max: u64) -> Vec<(String, String)> {
    walk.files
        .iter()
        .filter(|w| crate::model::repo::is_repo_text(&w.display))
        .take(500)
        .filter_map(|w| match read_text(&w.abs, max.min(1024 * 1024)) {
            (text, None) => Some((w.display.clone(), text)),
            _ => None,
        })
        .collect()
}

/// Gives every manifest that a Kustomize overlay patches on its way the overlays that deploy
/// it, each patch read once from its file (or from the kustomization, written inline).
fn attach_overlays(files: &mut [File], graph: &crate::model::kustomize::Graph) {
    use crate::model::kustomize::{Patch, PatchRef, PatchSource};
    let by_path: HashMap<&str, &File> = files.iter().map(|f| (f.path(), f)).collect();
    let mut read_patches: HashMap<usize, std::sync::Arc<Patch>> = HashMap::new();
    let mut found = Vec::new();
    for (i, f) in files.iter().enumerate().filter(|(_, f)| f.kind == FileKind::Kubernetes) {
        let mut read = |r: &PatchRef| {
            let key = std::ptr::from_ref(r) as usize;
            let patch = read_patches.entry(key).or_insert_with(|| {
                let docs = match &r.source {
                    PatchSource::File(path) => by_path
                        .get(path.as_str())
                        .and_then(|p| p.tree())
                        .map(crate::model::k8s::resolved_documents)
                        .unwrap_or_default(),
                    PatchSource::Inline(text) => {
                        let tree = crate::syntax::yaml::parse(text, &crate::syntax::Limits::default());
                        crate::model::k8s::resolved_documents(&tree)
                    }
                };
                std::sync::Arc::new(Patch::read(r.target.clone(), docs))
            });
            patch.clone()
        };
        let overlays = graph.overlays_of(f.path(), &mut read);
        if !overlays.is_empty() {
            found.push((i, overlays));
        }
    }
    for (i, overlays) in found {
        files[i].overlays = overlays;
    }
}

/// The resources the run's `kustomization.yaml`s add selector labels to.
fn kustomize_selector_resources(repo: &RepoIndex) -> Vec<String> {
    kustomizations(repo)
        .flat_map(|(p, text)| crate::model::k8s::kustomize_selector_resources(crate::model::repo::parent(p), text))
        .collect()
}

/// The run's `kustomization.yaml`s, as (path, text).
fn kustomizations(repo: &RepoIndex) -> impl Iterator<Item = &(String, String)> {
    repo.texts.iter().filter(|(p, _)| crate::model::repo::is_kustomization(p))
}

/// The scanned folders that are a repository's top, as output path prefixes.
fn repo_roots(paths: &[PathBuf], base: &Path) -> Vec<String> {
    paths
        .iter()
        .filter(|p| is_repository_top(p))
        .filter_map(|p| {
            // The output path of a file at the top of `p`, minus the file's name.
            let probe = discover::display_path(&p.join("x"), p, base);
            probe.strip_suffix('x').map(str::to_string)
        })
        .collect()
}

/// A folder holding `.git` or a README: the top of a repository, where repository-level items
/// (CI, documentation) are judged.
pub(crate) fn is_repository_top(dir: &Path) -> bool {
    if !dir.is_dir() {
        return false;
    }
    dir.join(".git").exists()
        || std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().to_ascii_lowercase().starts_with("readme") && e.path().is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic while reading a file is AND004 on that file, and the run goes on.
    #[test]
    fn a_panic_while_loading_is_an_internal_error_of_that_file() {
        let loaded = load_caught(Path::new("/x/Dockerfile"), "Dockerfile", || panic!("parser bug at byte 7"));
        let file = loaded.expect("a file, not a skip");
        assert_eq!(file.kind, FileKind::Dockerfile);
        let rules = RuleSet::build(&[], &[], &Config::default()).expect("rules");
        let repo = RepoIndex::new(["Dockerfile".to_string()]);
        let outcome = engine::run(std::slice::from_ref(&file), &repo, &rules);
        let internal: Vec<_> = outcome
            .findings
            .iter()
            .filter(|f| f.diag.rule == crate::rules::andon::INTERNAL_ERROR)
            .collect();
        assert_eq!(
            internal.len(),
            1,
            "{:?}",
            outcome.findings.iter().map(|f| f.diag.rule).collect::<Vec<_>>()
        );
        assert!(
            internal[0].diag.message.contains("parser bug at byte 7"),
            "{}",
            internal[0].diag.message
        );
        // Exit 2 even with `--fail-on never`: the report is incomplete.
        assert_eq!(crate::app::exit_code(&outcome.findings, None), 2);
    }
}
