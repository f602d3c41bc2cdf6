//! Every path of the repository, not only deployment files, so that project rules can ask
//! "is there a README, a .dockerignore beside this Dockerfile, a CI workflow" without touching
//! the file system.

use std::collections::BTreeSet;

#[derive(Debug, Default, Clone)]
pub struct RepoIndex {
    paths: BTreeSet<String>,
    /// (path, text) of the documents and CI files project rules search (README and other
    /// Markdown, CI workflows, dependabot/renovate config: see [`is_repo_text`]). Filled by
    /// `app`, which alone reads files; empty in runs that do not read them.
    pub texts: Vec<(String, String)>,
    /// The scanned folders that look like a repository's top (they hold `.git` or a README), as
    /// path prefixes: `""` or `"examples/demo/"`. Repository-level rules run only under these, so
    /// that `andon check k8s/` is not told the repository has no CI.
    pub roots: Vec<String>,
}

impl RepoIndex {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Self {
        RepoIndex {
            paths: paths.into_iter().collect(),
            texts: Vec::new(),
            roots: Vec::new(),
        }
    }

    /// The text of a file read into [`RepoIndex::texts`].
    pub fn text(&self, path: &str) -> Option<&str> {
        self.texts.iter().find(|(p, _)| p == path).map(|(_, t)| t.as_str())
    }

    pub fn contains(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(String::as_str)
    }

    /// Paths in the folder `dir` (`""` for the top), not descending.
    pub fn in_dir<'a>(&'a self, dir: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.paths().filter(move |p| parent(p) == dir)
    }

    /// Is there a file named `name` in the folder of `path`?
    pub fn sibling_exists(&self, path: &str, name: &str) -> bool {
        let dir = parent(path);
        let candidate = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        self.contains(&candidate)
    }
}

/// Files whose text project rules read although they are not deployment files: Markdown
/// documents, CI definitions, dependency-update bot configs, shell scripts and Makefiles (which
/// install, build and copy files into place).
pub fn is_repo_text(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    name.ends_with(".md")
        || name.ends_with(".markdown")
        || is_ci_definition(path)
        || name.ends_with(".sh")
        || is_makefile(path)
        || is_dependency_bot_config(path)
        // Kustomize generates ConfigMaps and Secrets that no manifest defines; a Helm chart's
        // dependencies define objects that no template in the repository shows.
        || is_kustomization(path)
        || path == "Chart.yaml"
        || path.ends_with("/Chart.yaml")
        // Near the top, the package manifests whose dependencies say whether there is
        // anything to audit (a root package.json may hold only the docs linter).
        || (matches!(name, "package.json" | "pyproject.toml") && path.matches('/').count() <= 1)
}

/// A Makefile, by the name `make` looks for (any case).
pub fn is_makefile(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|n| n.eq_ignore_ascii_case("makefile"))
}

/// A Renovate or Dependabot config: it names every file with a version in it.
pub fn is_dependency_bot_config(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    (name.ends_with(".yml") || name.ends_with(".yaml")) && name.starts_with("dependabot")
        || name.starts_with("renovate.json")
        || name.starts_with(".renovaterc")
}

/// A Kustomize kustomization, by the names `kustomize build` looks for.
pub fn is_kustomization(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(name, "kustomization.yaml" | "kustomization.yml" | "Kustomization")
}

/// A CI pipeline definition: GitHub Actions, GitLab, CircleCI, Azure, Bitbucket, Travis,
/// Jenkins, Woodpecker, Buildkite, and GoReleaser's release config.
pub fn is_ci_definition(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    let ci_folder = [".github/workflows/", ".circleci/", ".gitlab/", ".woodpecker", ".buildkite/"]
        .iter()
        .any(|f| lower.contains(f));
    let ci_name = matches!(
        name.split('.').next(),
        Some(".gitlab-ci" | "azure-pipelines" | "bitbucket-pipelines" | ".travis")
    ) || name.starts_with(".goreleaser");
    yaml && (ci_folder || ci_name) || name == "jenkinsfile"
}

/// Whether the `/`-separated `path` lies below the folder `dir` (`a/b/c` below `a/b`, not
/// `a/bc`).
pub fn is_below(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// The folder part of a `/`-separated path (`""` at the top).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
}

/// `folder` joined with the relative `path`, `.` and `..` resolved (`a/b` + `../c/./d` →
/// `a/c/d`); `None` when it climbs out of the repository.
pub fn join(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siblings_and_folders() {
        let idx = RepoIndex::new(["app/Dockerfile".to_string(), "app/.dockerignore".into(), "README.md".into()]);
        assert!(idx.sibling_exists("app/Dockerfile", ".dockerignore"));
        assert!(!idx.sibling_exists("README.md", ".dockerignore"));
        assert_eq!(idx.in_dir("").collect::<Vec<_>>(), vec!["README.md"]);
    }
}
