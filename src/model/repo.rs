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
/// documents, CI definitions, dependency-update bot configs.
pub fn is_repo_text(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    name.ends_with(".md")
        || name.ends_with(".markdown")
        || (lower.contains(".github/workflows/") && yaml)
        || (yaml
            && matches!(
                name.split('.').next(),
                Some("dependabot" | ".gitlab-ci" | "azure-pipelines" | "bitbucket-pipelines" | ".travis")
            ))
        || (lower.contains(".circleci/") && yaml)
        || (lower.contains(".gitlab/") && yaml)
        || name.starts_with("renovate.json")
        || name.starts_with(".renovaterc")
        || name == "jenkinsfile"
        || (lower.contains(".woodpecker") && yaml)
        || (lower.contains(".buildkite/") && yaml)
        // Kustomize generates ConfigMaps and Secrets that no manifest defines; a Helm chart's
        // dependencies define objects that no template in the repository shows.
        || matches!(name, "kustomization.yaml" | "kustomization.yml" | "kustomization")
        || path == "Chart.yaml"
        || path.ends_with("/Chart.yaml")
}

/// The folder part of a `/`-separated path (`""` at the top).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
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
