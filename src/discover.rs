//! Finding files: a gitignore-aware walk that records every path, then a first classification
//! by name. Content-based classification of YAML/JSON happens in `classify` once parsed.

pub use crate::kind::{ConfigFormat, FileKind};
use ignore::WalkBuilder;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How a file's text is to be parsed, decided from its name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Dockerfile,
    Yaml,
    Json,
    Toml,
    DotEnv,
    /// Not a format andon reads: the reason is shown by `--show-files`.
    Skip(&'static str),
}

/// Folders never descended into, whatever .gitignore says.
const SKIPPED_DIRS: &[&str] = &[".git", "target", "node_modules", ".hg", ".svn", "vendor", "__pycache__", ".venv"];

/// Every file found under the given roots.
#[derive(Debug, Default)]
pub struct Walk {
    /// (absolute path, output path) of each regular file, sorted by output path.
    pub files: Vec<WalkedFile>,
    /// Paths seen but not read: (output path, reason).
    pub skipped: Vec<(String, String)>,
    /// Files and folders the operating system refused, with its reason: reported, not skipped.
    pub refused: Vec<(WalkedFile, Refused)>,
}

#[derive(Debug, Clone)]
pub struct Refused {
    pub folder: bool,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct WalkedFile {
    pub abs: PathBuf,
    pub display: String,
    /// The path below the folder the user named (its file name when a file was named): path
    /// conventions of what ships apply to this part only.
    pub rel: String,
}

/// Walks `roots`, honouring .gitignore but keeping hidden files. Symlinks are not followed, so
/// a link loop cannot trap the walk; FIFOs, sockets and devices are recorded as skipped.
pub fn walk(roots: &[PathBuf], base: &Path) -> Walk {
    let mut out = Walk::default();
    let mut seen = BTreeSet::new();
    for root in roots {
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false)
            .follow_links(false)
            .git_global(false)
            .require_git(false)
            .filter_entry(|e| {
                let name = e.file_name().to_string_lossy();
                !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref()))
            });
        for entry in builder.build() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    if let Some(r) = refused(&err, root, base) {
                        if seen.insert(r.0.display.clone()) {
                            out.refused.push(r);
                        }
                    }
                    continue;
                }
            };
            let path = entry.path();
            let display = display_path(path, root, base);
            let Some(ft) = entry.file_type() else {
                continue;
            };
            if ft.is_dir() {
                continue;
            }
            if !seen.insert(display.clone()) {
                continue;
            }
            if ft.is_symlink() {
                out.skipped.push((display, "symbolic link (not followed)".into()));
            } else if !ft.is_file() {
                out.skipped.push((display, "not a regular file (FIFO, socket or device)".into()));
            } else {
                out.files.push(WalkedFile {
                    abs: path.to_path_buf(),
                    rel: below(path, root),
                    display,
                });
            }
        }
    }
    out.files.sort_by(|a, b| a.display.cmp(&b.display));
    out.refused.sort_by(|a, b| a.0.display.cmp(&b.0.display));
    out.skipped.sort();
    out
}

/// A file or folder the walk could not read, from the walker's error: only errors of the
/// operating system on a path (a `.gitignore` that does not parse is not one).
fn refused(err: &ignore::Error, root: &Path, base: &Path) -> Option<(WalkedFile, Refused)> {
    fn path_of(err: &ignore::Error) -> Option<&Path> {
        match err {
            ignore::Error::WithPath { path, .. } => Some(path),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => path_of(err),
            _ => None,
        }
    }
    let io = err.io_error()?;
    let path = path_of(err)?;
    let folder = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    let file = WalkedFile {
        abs: path.to_path_buf(),
        rel: below(path, root),
        display: display_path(path, root, base),
    };
    Some((
        file,
        Refused {
            folder,
            reason: io.kind().to_string(),
        },
    ))
}

/// The path shown in output: relative to `base` (the current directory or `--root`) when the
/// file is under it, else relative to the scanned root; never absolute, never `..`.
pub fn display_path(path: &Path, root: &Path, base: &Path) -> String {
    let abs = absolute(path);
    let rel = abs
        .strip_prefix(absolute(base))
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let root = absolute(root);
            let root_dir = if root.is_file() {
                root.parent().map(Path::to_path_buf).unwrap_or(root)
            } else {
                root
            };
            abs.strip_prefix(&root_dir).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| PathBuf::from(path.file_name().unwrap_or_default()));
    let s = rel
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/");
    if s.is_empty() {
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    } else {
        s
    }
}

/// `path` below the walked `root`, `/`-separated; a root that is a file gives its name.
fn below(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).ok().filter(|r| !r.as_os_str().is_empty());
    let rel = rel.unwrap_or_else(|| Path::new(path.file_name().unwrap_or_default()));
    rel.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(p) => Some(p.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn lower_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

/// Decides from the name alone how to read a file.
pub fn syntax_for(path: &str) -> Syntax {
    let name = lower_name(path);
    if is_dockerfile_name(&name) {
        return Syntax::Dockerfile;
    }
    if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        // `.env.patch`, `.env.bak` or a sops/git-crypt `.env.enc` holds no `KEY=value` lines
        // to read.
        let not_env = [
            ".patch", ".diff", ".orig", ".rej", ".bak", ".swp", ".tmp", ".enc", ".gpg", ".age", ".sh", ".py", ".js", ".ts",
        ];
        if let Some(suffix) = not_env.iter().find(|s| name.ends_with(*s)) {
            return Syntax::Skip(match *suffix {
                ".enc" | ".gpg" | ".age" => "an encrypted environment file",
                ".sh" | ".py" | ".js" | ".ts" => "a script, not an environment file",
                _ => "a patch or backup of an environment file",
            });
        }
        return Syntax::DotEnv;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "yaml" | "yml" => Syntax::Yaml,
        "json" => {
            if is_lockfile_or_tooling(&name) {
                Syntax::Skip("package or tool metadata, not a deployment file")
            } else {
                Syntax::Json
            }
        }
        "toml" => Syntax::Toml,
        // Prometheus rule files are YAML whatever their extension.
        "rules" => Syntax::Yaml,
        _ => Syntax::Skip("not a deployment file format"),
    }
}

/// Extensions after `Dockerfile.` that make a file something else: source code about Dockerfiles
/// (`dockerfile.rs`), documentation, and templates that only render into a Dockerfile.
const NOT_DOCKERFILE_EXTENSIONS: &[&str] = &[
    "rs",
    "go",
    "py",
    "js",
    "ts",
    "java",
    "rb",
    "sh",
    "md",
    "txt",
    "rst",
    "adoc",
    "html",
    "json",
    "yaml",
    "yml",
    "toml",
    "j2",
    "jinja",
    "tmpl",
    "tpl",
    "template",
    "erb",
    "in",
    "bak",
    "orig",
    "swp",
    "dockerignore",
    "snap",
];

/// `Dockerfile`, `Dockerfile.prod`, `Dockerfile-dev`, `api.dockerfile`, `Containerfile` (lowercased).
fn is_dockerfile_name(name: &str) -> bool {
    if name.ends_with(".dockerfile") {
        return true;
    }
    let Some(rest) = name.strip_prefix("dockerfile").or_else(|| name.strip_prefix("containerfile")) else {
        return false;
    };
    match rest.chars().next() {
        None => true,
        Some('.') => !NOT_DOCKERFILE_EXTENSIONS.contains(&rest.rsplit('.').next().unwrap_or("")),
        Some('-' | '_') => !rest.contains('.') || !NOT_DOCKERFILE_EXTENSIONS.contains(&rest.rsplit('.').next().unwrap_or("")),
        Some(_) => false,
    }
}

fn is_lockfile_or_tooling(name: &str) -> bool {
    matches!(name, "package.json" | "package-lock.json" | "composer.json" | "composer.lock")
        || name.starts_with("tsconfig")
        || name.starts_with("jsconfig")
        || name.ends_with(".lock.json")
}

/// Paths that by name hold application configuration (DESIGN.md: the narrow AppConfig scope).
pub fn is_app_config_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower_name(&lower);
    let in_config_dir = lower
        .split('/')
        .rev()
        .skip(1)
        .any(|d| matches!(d, "config" | "configs" | "conf" | "settings"));
    let stem = name.split('.').next().unwrap_or("");
    let named = matches!(stem, "production" | "prod" | "staging" | "settings" | "config")
        || (stem.starts_with("application") && (name.ends_with(".yml") || name.ends_with(".yaml")))
        || (stem.starts_with("appsettings") && name.ends_with(".json"));
    let tooling = matches!(
        name.as_str(),
        "cargo.toml"
            | "pyproject.toml"
            | "rust-toolchain.toml"
            | "rustfmt.toml"
            | "clippy.toml"
            | "deny.toml"
            | "netlify.toml"
            | "chart.yaml"
            | "values.schema.json"
    ) || lower.contains(".github/")
        || lower.contains(".gitlab")
        // Editor, devcontainer and build tool settings (`.vscode/settings.json`, `.cargo/config.toml`).
        || [".vscode/", ".idea/", ".devcontainer/", ".zed/", ".cursor/", ".cargo/"].iter().any(|d| lower.starts_with(d) || lower.contains(&format!("/{d}")))
        // Translation catalogs (`config/locale/translations/en.json`): UI strings, not settings.
        || lower.split('/').rev().skip(1).any(|d| matches!(d, "locale" | "locales" | "i18n" | "l10n" | "translations" | "lang"))
        || name.starts_with("openapi")
        || name.starts_with("swagger")
        || name.starts_with(".pre-commit")
        || name.starts_with(".golangci")
        || name == ".andon.yaml"
        || name == ".andon.toml";
    (in_config_dir || named) && !tooling
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_syntax() {
        assert_eq!(syntax_for("a/Dockerfile.prod"), Syntax::Dockerfile);
        assert_eq!(syntax_for("api.dockerfile"), Syntax::Dockerfile);
        assert_eq!(syntax_for("Containerfile"), Syntax::Dockerfile);
        assert_eq!(syntax_for("Dockerfile-dev"), Syntax::Dockerfile);
        assert_eq!(syntax_for("Dockerfile.arm64"), Syntax::Dockerfile);
        assert!(matches!(syntax_for("src/model/dockerfile.rs"), Syntax::Skip(_)));
        assert!(matches!(syntax_for("docs/Dockerfile.md"), Syntax::Skip(_)));
        assert!(matches!(syntax_for("Dockerfile.j2"), Syntax::Skip(_)));
        assert!(matches!(syntax_for("dockerfiles"), Syntax::Skip(_)));
        assert_eq!(syntax_for(".env.production"), Syntax::DotEnv);
        assert!(matches!(syntax_for("patches/.env.patch"), Syntax::Skip(_)));
        assert!(matches!(syntax_for(".env.production.enc"), Syntax::Skip(_)));
        assert!(matches!(syntax_for("scripts/.env.sh"), Syntax::Skip(_)));
        assert_eq!(syntax_for("k8s/deploy.YML"), Syntax::Yaml);
        assert!(matches!(syntax_for("package.json"), Syntax::Skip(_)));
        assert!(matches!(syntax_for("main.rs"), Syntax::Skip(_)));
    }

    #[test]
    fn app_config_scope_is_narrow() {
        assert!(is_app_config_path("config/production.toml"));
        assert!(is_app_config_path("src/main/resources/application-prod.yml"));
        assert!(is_app_config_path("appsettings.Production.json"));
        assert!(!is_app_config_path(".vscode/settings.json"));
        assert!(!is_app_config_path("web/.devcontainer/config.json"));
        assert!(is_app_config_path("settings.yaml"));
        assert!(!is_app_config_path("Cargo.toml"));
        assert!(!is_app_config_path("data/random.yaml"));
        assert!(!is_app_config_path(".github/workflows/config.yml"));
        assert!(!is_app_config_path("app/config/locale/translations/en.json"));
        assert!(!is_app_config_path("config/locales/de.yml"));
        assert!(!is_app_config_path("src-tauri/.cargo/config.toml"));
    }
}
