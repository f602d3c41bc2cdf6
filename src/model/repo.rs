//! Every path of the repository, not only deployment files, so that project rules can ask
//! "is there a README, a .dockerignore beside this Dockerfile, a CI workflow" without touching
//! the file system.

use std::collections::BTreeSet;

#[derive(Debug, Default, Clone)]
pub struct RepoIndex {
    paths: BTreeSet<String>,
}

impl RepoIndex {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Self {
        RepoIndex {
            paths: paths.into_iter().collect(),
        }
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
