use super::{documents, readme, under, WHOLE_FILE};
use crate::model::prometheus::rule_files;
use crate::model::repo::parent;
use crate::rules::{Project, Rule, Sink};

/// A repository with no deployment guide or runbook, or an alert whose runbook_url names a file
/// of the repository that does not exist.
pub struct MissingDeploymentGuide;

/// Words of a document's name or of a README heading that say it tells how to deploy or operate.
const GUIDE_WORDS: &[&str] = &[
    "deploy",
    "runbook",
    "production",
    "operat",
    "install",
    "running",
    "self-host",
    "hosting",
    "kubernetes",
    "docker",
    "helm",
    "playbook",
    "release",
];

impl Rule for MissingDeploymentGuide {
    fn name(&self) -> &'static str {
        "project/missing-deployment-guide"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        for root in &project.repo.roots {
            if !has_guide(project, root) {
                let (path, what) = match readme(project, root) {
                    Some(r) => (
                        r.to_string(),
                        "the README has no deployment section and there is no deployment guide or runbook",
                    ),
                    None => (first_file(project, root), "no README, deployment guide or runbook"),
                };
                if !path.is_empty() {
                    out.report_in(&path, WHOLE_FILE, what).help(
                        "write down how to deploy, roll back and operate the service: a `## Deployment` section in the README, or docs/deployment.md and runbooks under docs/runbooks/",
                    );
                }
            }
            check_runbook_paths(project, root, out);
        }
    }
}

fn has_guide(project: &Project, root: &str) -> bool {
    documents(project, root).any(|(path, text)| {
        let rel = path[root.len().min(path.len())..].to_ascii_lowercase();
        let name_says = GUIDE_WORDS.iter().any(|w| rel.contains(w));
        let heading_says = text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with('#') && {
                let lower = l.to_ascii_lowercase();
                GUIDE_WORDS.iter().any(|w| lower.contains(w))
            }
        });
        name_says || heading_says
    })
}

fn first_file(project: &Project, root: &str) -> String {
    project
        .files
        .iter()
        .map(|f| f.path())
        .filter(|p| under(p, root))
        .min()
        .unwrap_or_default()
        .to_string()
}

/// A `runbook_url` that is a path rather than a URL must name a file of the repository.
fn check_runbook_paths(project: &Project, root: &str, out: &mut Sink) {
    for (file, rules) in rule_files(project.files) {
        if !under(file.path(), root) {
            continue;
        }
        for rule in rules.groups.iter().flat_map(|g| &g.rules) {
            let Some(url) = rule.annotation("runbook_url") else { continue };
            let target = url.value.trim();
            if target.is_empty() || target.contains("://") || target.contains("{{") || target.starts_with('#') {
                continue;
            }
            let target = target.split('#').next().unwrap_or(target);
            if !looks_like_path(target) {
                continue;
            }
            // Relative to the rule file's folder or any folder above it (monorepos keep runbooks
            // at the top or beside the service).
            let mut dirs = vec![parent(file.path()).to_string()];
            while let Some(d) = dirs.last().filter(|d| !d.is_empty()).map(|d| parent(d).to_string()) {
                dirs.push(d);
            }
            let exists = dirs.iter().any(|d| {
                let c = resolve(d, target.trim_start_matches('/'));
                project.repo.contains(&c) || project.repo.paths().any(|p| p.starts_with(&format!("{c}/")))
            });
            if !exists {
                out.report_in(
                    file.path(),
                    url.span,
                    format!("runbook `{target}` does not exist in the repository"),
                )
                .help("write the runbook at that path, or point runbook_url at where it lives");
            }
        }
    }
}

/// `docs/runbooks/x.md`, `./runbook.md`: a path, not prose such as `ask someone`.
fn looks_like_path(s: &str) -> bool {
    !s.contains(char::is_whitespace) && (s.contains('/') || [".md", ".html", ".txt", ".adoc", ".rst"].iter().any(|e| s.ends_with(e)))
}

/// `dir` joined with the relative `path`, `..` resolved.
fn resolve(dir: &str, path: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}
