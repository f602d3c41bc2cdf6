//! Rules: the `Rule` trait, what a rule reports into, and the registry of every rule.
//!
//! A rule reads the model and reports diagnostics; it never prints, never touches files, never
//! knows the output format or the config file (its options arrive as a typed struct).

pub mod catalog;

pub mod alertmanager;
pub mod andon;
pub mod appconfig;
pub mod compose;
pub mod declarative;
pub mod dockerfile;
pub mod env;
pub mod k8s;
pub mod project;
pub mod prometheus;
pub(crate) mod schema;

use crate::diagnostic::{Diagnostic, Fix, Label, Severity};
use crate::kind::FileKind;
use crate::model::project::{Graph, Runtime};
use crate::model::repo::RepoIndex;
use crate::model::File;
use crate::source::Span;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One check. `name` keys its catalog entry (`rules/<kind>/<rule-name>.yaml`), which holds its
/// id, severity, checklist item, options and docs.
pub trait Rule: Send + Sync {
    fn name(&self) -> &'static str;

    /// Checks one file. Most rules look at one kind of file and return at once for others.
    fn check_file(&self, _file: &File, _out: &mut Sink) {}

    /// Checks what only the whole repository shows, once every file is parsed.
    fn check_project(&self, _project: &Project, _out: &mut Sink) {}
}

/// Everything a project rule sees; file rules see it too, through [`Sink::project`], to judge a
/// file by what the rest of the deployment does with it (an image's user that every runtime
/// overrides).
pub struct Project<'a> {
    pub files: &'a [File],
    pub repo: &'a RepoIndex,
    graph: OnceLock<Graph>,
    /// File indices by path and by folder, built on first use: rules ask per file and per
    /// service, so a scan of all files each time would make the run quadratic.
    /// Owned keys: a borrowed `&'a str` would make `Project` invariant in `'a`.
    by_path: OnceLock<HashMap<String, usize>>,
    by_folder: OnceLock<HashMap<String, Vec<usize>>>,
    by_kind: OnceLock<HashMap<FileKind, Vec<usize>>>,
}

impl<'a> Project<'a> {
    pub fn new(files: &'a [File], repo: &'a RepoIndex) -> Self {
        Project {
            files,
            repo,
            graph: OnceLock::new(),
            by_path: OnceLock::new(),
            by_folder: OnceLock::new(),
            by_kind: OnceLock::new(),
        }
    }

    pub fn file(&self, path: &str) -> Option<&'a File> {
        let files = self.files;
        // Built from the end: the first file of a path wins, as a scan would find it.
        let index = self
            .by_path
            .get_or_init(|| files.iter().enumerate().rev().map(|(i, f)| (f.path().to_string(), i)).collect());
        index.get(path).map(|&i| &files[i])
    }

    /// The run's files directly in `folder` (`""` for the top), in run order.
    pub fn files_in(&self, folder: &str) -> impl Iterator<Item = &'a File> + '_ {
        let files = self.files;
        let index = self.by_folder.get_or_init(|| {
            let mut by: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, f) in files.iter().enumerate() {
                by.entry(f.path().rsplit_once('/').map_or("", |(d, _)| d).to_string())
                    .or_default()
                    .push(i);
            }
            by
        });
        index.get(folder).into_iter().flatten().map(move |&i| &files[i])
    }

    /// The run's files of one kind, in run order.
    pub fn of_kind(&self, kind: FileKind) -> impl Iterator<Item = &'a File> + '_ {
        let files = self.files;
        let index = self.by_kind.get_or_init(|| {
            let mut by: HashMap<FileKind, Vec<usize>> = HashMap::new();
            for (i, f) in files.iter().enumerate() {
                by.entry(f.kind).or_default().push(i);
            }
            by
        });
        index.get(&kind).into_iter().flatten().map(move |&i| &files[i])
    }

    /// The project graph, built on first use and shared by every rule of the run.
    pub fn graph(&self) -> &Graph {
        self.graph.get_or_init(|| Graph::build(self.files))
    }

    /// The production application configs a Compose service or Kubernetes container reads
    /// (bind-mounted, or copied into the repository image it runs).
    pub fn configs_of(&self, runtime: &Runtime) -> Vec<&File> {
        self.graph().configs_of(runtime, self.files)
    }
}

/// Where a rule reports. It knows the rule, the current file and the rule's options.
pub struct Sink<'a> {
    rule: &'static str,
    severity: Severity,
    path: &'a str,
    options: &'a serde_json::Value,
    project: &'a Project<'a>,
    out: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(rule: &'static str, severity: Severity, path: &'a str, options: &'a serde_json::Value, project: &'a Project<'a>) -> Self {
        Sink {
            rule,
            severity,
            path,
            options,
            project,
            out: Vec::new(),
        }
    }

    /// The run's files as a whole. When the run was given single files rather than folders,
    /// that is just those files.
    pub fn project(&self) -> &'a Project<'a> {
        self.project
    }

    /// The rule's options, catalog defaults overlaid by configuration.
    pub fn options<T: DeserializeOwned + Default>(&self) -> T {
        serde_json::from_value(self.options.clone()).unwrap_or_default()
    }

    /// Reports at `span` of the current file.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> Report<'_> {
        let path = self.path.to_string();
        self.report_in(&path, span, message)
    }

    /// Reports at `span` of the file at `path` (for project rules).
    pub fn report_in(&mut self, path: &str, span: Span, message: impl Into<String>) -> Report<'_> {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity: self.severity,
            path: path.to_string(),
            span,
            message: message.into(),
            labels: Vec::new(),
            help: None,
            fix: None,
            secrets: Vec::new(),
        });
        let last = self.out.len() - 1;
        Report(&mut self.out[last])
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.out
    }
}

/// Adds details to a diagnostic just reported.
pub struct Report<'a>(&'a mut Diagnostic);

impl Report<'_> {
    pub fn help(self, help: impl Into<String>) -> Self {
        self.0.help = Some(help.into());
        self
    }

    pub fn label(self, span: Span, message: impl Into<String>) -> Self {
        self.0.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn fix(self, fix: Fix) -> Self {
        self.0.fix = Some(fix);
        self
    }

    pub fn fix_opt(self, fix: Option<Fix>) -> Self {
        self.0.fix = fix;
        self
    }

    /// Marks `span` as holding a secret: no output shows it in full.
    pub fn secret(self, span: Span) -> Self {
        self.0.secrets.push(span);
        self
    }

    /// Overrides the catalog severity for this one finding (e.g. a milder variant).
    pub fn severity(self, severity: Severity) -> Self {
        self.0.severity = severity;
        self
    }
}

/// Every rule andon has, from each kind's registry.
pub fn registry() -> Vec<&'static dyn Rule> {
    let mut all = Vec::new();
    all.extend(alertmanager::rules());
    all.extend(andon::rules());
    all.extend(appconfig::rules());
    all.extend(compose::rules());
    all.extend(dockerfile::rules());
    all.extend(env::rules());
    all.extend(k8s::rules());
    all.extend(project::rules());
    all.extend(prometheus::rules());
    all
}

/// A known key one edit, one swap of neighbouring letters or one plural away (`annotation` →
/// `annotations`, `group_wiat` → `group_wait`).
pub(crate) fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let name = name.to_ascii_lowercase();
    known.iter().copied().find(|k| {
        k.strip_suffix('s') == Some(name.as_str()) || name.strip_suffix('s') == Some(k) || edit_distance(&name, k) <= 1 || swapped(&name, k)
    })
}

/// Are `a` and `b` the same but for two neighbouring letters swapped?
fn swapped(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    matches!(diff[..], [i, j] if j == i + 1 && a[i] == b[j] && a[j] == b[i])
}

/// The Levenshtein distance between two names, for "did you mean" hints.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
