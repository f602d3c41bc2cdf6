//! `.andon.yaml` / `.andon.toml`: one per run, validated against its JSON Schema (generated from
//! the rule catalog, so schema, `andon explain` and docs share one source), every error at its
//! exact place in the config file.

pub mod schema;

use crate::diagnostic::Severity;
use crate::kind::FileKind;
use crate::source::SourceFile;
use crate::syntax::value::{node_at_pointer, to_json, unexpected_key};
use crate::syntax::{toml, yaml, Limits};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

pub const FILE_NAMES: &[&str] = &[".andon.yaml", ".andon.yml", ".andon.toml"];

/// A rule's setting: on or off, a severity, options.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSetting {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
    pub options: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Settings for paths matching `files`.
#[derive(Clone, Debug)]
pub struct Override {
    pub files: GlobSet,
    pub rules: Vec<(String, RuleSetting)>,
}

/// Findings on objects a config names are dropped (vendored manifests that cannot carry comments).
#[derive(Clone, Debug)]
pub struct ObjectIgnore {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub namespace: Option<String>,
    pub path: Option<GlobSet>,
    pub rules: Vec<String>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from (for messages).
    pub path: Option<PathBuf>,
    /// The folder holding it, absolute: its globs are relative to it.
    pub folder: Option<PathBuf>,
    pub fail_on: Option<String>,
    /// (selector, setting) in file order: ids, names or prefixes.
    pub rules: Vec<(String, RuleSetting)>,
    pub exclude: Option<GlobSet>,
    /// `production:` globs: these files ship, whatever their path says (they win over
    /// `non-production:`).
    pub production: Option<GlobSet>,
    /// `non-production:` globs: these files do not ship, besides what the conventions say.
    pub non_production: Option<GlobSet>,
    pub kinds: Vec<(GlobSet, FileKind)>,
    pub overrides: Vec<Override>,
    pub ignore: Vec<ObjectIgnore>,
    /// JSON Schemas for application configs: files matching the globs are validated.
    pub schemas: Vec<MappedSchema>,
    /// Declarative rules from the files `rule-files:` names.
    pub rule_files: Vec<crate::rules::catalog::RuleMeta>,
}

/// A JSON Schema from the repository, and the files it describes.
#[derive(Clone, Debug)]
pub struct MappedSchema {
    pub files: GlobSet,
    /// The globs as written, for the rule's options.
    pub globs: Vec<String>,
    pub schema: serde_json::Value,
    /// Where the schema came from, for messages.
    pub source: String,
}

/// Finds the config for a run: `--config FILE`, else the nearest `.andon.*` from `start` upward
/// to the repository root (a folder holding `.git`).
pub fn find(explicit: Option<&Path>, start: &Path) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let start = std::path::absolute(start).ok()?;
    let mut dir = if start.is_dir() { start } else { start.parent()?.to_path_buf() };
    loop {
        for name in FILE_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
    }
}

/// Reads and validates a config file. `Err` is the message for exit 2, naming the place.
pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read config: {e}", path.display()))?;
    parse(&text, path)
}

pub fn parse(text: &str, path: &Path) -> Result<Config, String> {
    let display = path.display().to_string();
    let source = SourceFile::new(display.clone(), path.to_path_buf(), text.to_string());
    let is_toml = path.extension().is_some_and(|e| e == "toml");
    let tree = if is_toml {
        toml::parse(text, &Limits::default())
    } else {
        yaml::parse(text, &Limits::default())
    };
    let at = |offset: u32| {
        let p = source.position(offset);
        format!("{display}:{}:{}", p.line, p.column)
    };
    if let Some(e) = tree.errors.first() {
        return Err(format!("{}: {}", at(e.span.start), e.message));
    }
    let Some(doc) = tree.docs.first() else {
        return Ok(Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        });
    };
    let Some(root) = &doc.root else {
        return Ok(Config {
            path: Some(path.to_path_buf()),
            ..Config::default()
        });
    };
    let mut value = to_json(doc, root);
    // A key left empty (`rules:` with every entry commented out) means "nothing set".
    if let Some(map) = value.as_object_mut() {
        map.retain(|_, v| !v.is_null());
    }
    let schema = schema::config_schema()?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| format!("config schema: {e}"))?;
    if let Some(err) = validator.iter_errors(&value).next() {
        let pointer = err.instance_path().to_string();
        let span = node_at_pointer(doc, root, &pointer, unexpected_key(&err.to_string()).as_deref());
        return Err(format!("{}: {}", at(span.start), describe(&err.to_string(), &pointer)));
    }
    build(&value, path).map_err(|(pointer, msg)| {
        let span = node_at_pointer(doc, root, &pointer, None);
        format!("{}: {msg}", at(span.start))
    })
}

fn describe(msg: &str, pointer: &str) -> String {
    if pointer.is_empty() {
        msg.to_string()
    } else {
        format!("{msg} (at {pointer})")
    }
}

type BuildError = (String, String);

fn build(v: &serde_json::Value, path: &Path) -> Result<Config, BuildError> {
    let mut c = Config {
        path: Some(path.to_path_buf()),
        folder: path.parent().and_then(|p| std::path::absolute(p).ok()),
        ..Config::default()
    };
    c.fail_on = v.get("fail-on").and_then(|x| x.as_str()).map(str::to_string);
    if let Some(rules) = v.get("rules").and_then(|r| r.as_object()) {
        c.rules = rule_settings(rules, "/rules")?;
    }
    c.exclude = v.get("exclude").map(|g| globs(g, "/exclude")).transpose()?;
    c.production = v.get("production").map(|g| globs(g, "/production")).transpose()?;
    c.non_production = v.get("non-production").map(|g| globs(g, "/non-production")).transpose()?;
    if let Some(kinds) = v.get("kinds").and_then(|k| k.as_object()) {
        for (glob, kind) in kinds {
            let pointer = format!("/kinds/{}", glob.replace('~', "~0").replace('/', "~1"));
            let set = globs(&serde_json::Value::String(glob.clone()), &pointer)?;
            let kind = kind_named(kind.as_str().unwrap_or("")).ok_or((pointer, "unknown kind".to_string()))?;
            c.kinds.push((set, kind));
        }
    }
    for (i, o) in v.get("overrides").and_then(|o| o.as_array()).into_iter().flatten().enumerate() {
        let base = format!("/overrides/{i}");
        let files = globs(o.get("files").unwrap_or(&serde_json::Value::Null), &format!("{base}/files"))?;
        let rules = match o.get("rules").and_then(|r| r.as_object()) {
            Some(r) => rule_settings(r, &format!("{base}/rules"))?,
            None => Vec::new(),
        };
        c.overrides.push(Override { files, rules });
    }
    if let Some(schemas) = v.get("schemas").and_then(|x| x.as_object()) {
        let folder = path.parent().unwrap_or(Path::new("."));
        for (glob, file) in schemas {
            let pointer = format!("/schemas/{}", glob.replace('~', "~0").replace('/', "~1"));
            let file = file.as_str().unwrap_or("");
            let schema = load_schema(&folder.join(file)).map_err(|e| (pointer.clone(), e))?;
            let files = globs(&serde_json::Value::String(glob.clone()), &pointer)?;
            c.schemas.push(MappedSchema {
                files,
                globs: vec![glob.clone()],
                schema,
                source: file.to_string(),
            });
        }
    }
    for (i, file) in v.get("rule-files").and_then(|o| o.as_array()).into_iter().flatten().enumerate() {
        let pointer = format!("/rule-files/{i}");
        let file = file.as_str().unwrap_or("");
        let full = path.parent().unwrap_or(Path::new(".")).join(file);
        let text = std::fs::read_to_string(&full).map_err(|e| (pointer.clone(), format!("cannot read rule file {file}: {e}")))?;
        let mut meta = crate::rules::catalog::parse_entry(file, &text).map_err(|e| (pointer.clone(), e))?;
        meta.custom = true;
        if meta.select.is_none() {
            return Err((
                pointer,
                format!("{file}: a rule file holds a declarative rule, with `select:` and `check:`"),
            ));
        }
        if let Some(item) = meta
            .checklist
            .as_deref()
            .filter(|c| !crate::checklist::items().iter().any(|i| i.id == *c))
        {
            return Err((
                pointer,
                format!("{file}: `checklist: {item}` is not an item of the checklist (see `andon checklist`)"),
            ));
        }
        c.rule_files.push(meta);
    }
    for (i, o) in v.get("ignore").and_then(|o| o.as_array()).into_iter().flatten().enumerate() {
        let text = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
        c.ignore.push(ObjectIgnore {
            kind: text("kind"),
            name: text("name"),
            namespace: text("namespace"),
            path: o.get("path").map(|g| globs(g, &format!("/ignore/{i}/path"))).transpose()?,
            rules: o
                .get("rules")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect(),
            reason: text("reason"),
        });
    }
    Ok(c)
}

/// A JSON Schema file (JSON or YAML) that compiles; never fetched from anywhere.
fn load_schema(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read schema {}: {e}", path.display()))?;
    let tree = if path.extension().is_some_and(|e| e == "json") {
        crate::syntax::json::parse(&text, &Limits::default())
    } else {
        yaml::parse(&text, &Limits::default())
    };
    let doc = tree
        .docs
        .first()
        .filter(|_| tree.errors.is_empty())
        .ok_or_else(|| format!("schema {} does not parse", path.display()))?;
    let root = doc.root.as_ref().ok_or_else(|| format!("schema {} is empty", path.display()))?;
    let schema = to_json(doc, root);
    jsonschema::validator_for(&schema).map_err(|e| format!("schema {} is not a valid JSON Schema: {e}", path.display()))?;
    Ok(schema)
}

/// `DKR001: off`, `k8s: warning`, `K8S012: {severity: info, options: {…}}`.
fn rule_settings(rules: &serde_json::Map<String, serde_json::Value>, base: &str) -> Result<Vec<(String, RuleSetting)>, BuildError> {
    let mut out = Vec::new();
    for (selector, value) in rules {
        let pointer = format!("{base}/{}", selector.replace('~', "~0").replace('/', "~1"));
        let setting = match value {
            serde_json::Value::String(s) => level(s).ok_or((pointer.clone(), format!("unknown setting `{s}`")))?,
            serde_json::Value::Bool(b) => RuleSetting {
                enabled: Some(*b),
                ..RuleSetting::default()
            },
            serde_json::Value::Object(o) => {
                let mut s = o.get("level").and_then(|l| l.as_str()).and_then(level).unwrap_or_default();
                if let Some(sev) = o.get("severity").and_then(|x| x.as_str()) {
                    s.severity = level(sev).and_then(|l| l.severity);
                    s.enabled.get_or_insert(true);
                }
                if let Some(e) = o.get("enabled").and_then(|x| x.as_bool()) {
                    s.enabled = Some(e);
                }
                s.options = o.get("options").and_then(|x| x.as_object()).cloned();
                s
            }
            _ => return Err((pointer, "expected off, on, a severity or a mapping".into())),
        };
        out.push((selector.clone(), setting));
    }
    Ok(out)
}

fn level(s: &str) -> Option<RuleSetting> {
    let on = |sev| {
        Some(RuleSetting {
            enabled: Some(true),
            severity: sev,
            options: None,
        })
    };
    match s {
        "off" => Some(RuleSetting {
            enabled: Some(false),
            ..RuleSetting::default()
        }),
        "on" => on(None),
        "error" => on(Some(Severity::Error)),
        "warning" => on(Some(Severity::Warning)),
        "info" => on(Some(Severity::Info)),
        _ => None,
    }
}

fn globs(v: &serde_json::Value, pointer: &str) -> Result<GlobSet, BuildError> {
    let list: Vec<&str> = match v {
        serde_json::Value::String(s) => vec![s.as_str()],
        serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect(),
        _ => return Err((pointer.to_string(), "expected a glob or a list of globs".into())),
    };
    let mut b = GlobSetBuilder::new();
    for g in list {
        let glob = Glob::new(g).map_err(|e| (pointer.to_string(), format!("bad glob `{g}`: {e}")))?;
        b.add(glob);
    }
    b.build().map_err(|e| (pointer.to_string(), e.to_string()))
}

pub fn kind_named(s: &str) -> Option<FileKind> {
    use crate::kind::ConfigFormat;
    Some(match s {
        "dockerfile" => FileKind::Dockerfile,
        "compose" => FileKind::Compose,
        "kubernetes" => FileKind::Kubernetes,
        "prometheus-rules" => FileKind::PrometheusRules,
        "prometheus-config" => FileKind::PrometheusConfig,
        "alertmanager" => FileKind::AlertmanagerConfig,
        "app-config-yaml" => FileKind::AppConfig(ConfigFormat::Yaml),
        "app-config-json" => FileKind::AppConfig(ConfigFormat::Json),
        "app-config-toml" => FileKind::AppConfig(ConfigFormat::Toml),
        "dotenv" => FileKind::DotEnv,
        "other" => FileKind::Other,
        _ => return None,
    })
}

pub const KIND_NAMES: &[&str] = &[
    "dockerfile",
    "compose",
    "kubernetes",
    "prometheus-rules",
    "prometheus-config",
    "alertmanager",
    "app-config-yaml",
    "app-config-json",
    "app-config-toml",
    "dotenv",
    "other",
];

/// The path a config's globs match for a file: relative to the config's folder (`folder`), as
/// a reader of the config expects wherever andon runs from; the output path (`display`) for
/// files outside that folder and for configs not read from a file.
pub fn glob_path<'a>(folder: Option<&Path>, abs: &Path, display: &'a str) -> Cow<'a, str> {
    let relative = folder.and_then(|f| {
        let abs = std::path::absolute(abs).ok()?;
        let rel = normalize(&abs).strip_prefix(normalize(f)).ok()?.to_path_buf();
        let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    });
    relative.map_or(Cow::Borrowed(display), Cow::Owned)
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks are not followed anyway).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

impl Config {
    /// The path this config's globs match for a file (see [`glob_path`]).
    pub fn glob_path<'a>(&self, abs: &Path, display: &'a str) -> Cow<'a, str> {
        glob_path(self.folder.as_deref(), abs, display)
    }

    pub fn is_excluded(&self, abs: &Path, display: &str) -> bool {
        self.exclude.as_ref().is_some_and(|g| g.is_match(&*self.glob_path(abs, display)))
    }

    pub fn kind_for(&self, abs: &Path, display: &str) -> Option<FileKind> {
        let path = self.glob_path(abs, display);
        self.kinds.iter().find(|(g, _)| g.is_match(&*path)).map(|(_, k)| *k)
    }

    /// What the `production:` and `non-production:` globs say of a file (`None`: neither
    /// matches, the conventions and evidence decide).
    pub fn production_setting(&self, abs: &Path, display: &str) -> crate::surface::Setting {
        if self.production.is_none() && self.non_production.is_none() {
            return None;
        }
        let path = self.glob_path(abs, display);
        let matches = |g: &Option<GlobSet>| g.as_ref().is_some_and(|g| g.is_match(&*path));
        if matches(&self.production) {
            Some(true)
        } else if matches(&self.non_production) {
            Some(false)
        } else {
            None
        }
    }
}
