use super::{ci_files, mentions, under, WHOLE_FILE};
use crate::rules::{Project, Rule, Sink};

/// A repository with package dependencies whose CI never audits them, or with no dependabot or
/// renovate configuration to keep them current.
pub struct NoDependencyAudit;

/// Package manifests, by ecosystem: what there is to audit.
const MANIFESTS: &[&str] = &[
    "cargo.toml",
    "package.json",
    "go.mod",
    "requirements.txt",
    "pyproject.toml",
    "pipfile",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "gemfile",
    "composer.json",
    "mix.exs",
];

/// What a CI step that audits dependencies says (lowercase).
const AUDITS: &[&str] = &[
    "cargo audit",
    "cargo-audit",
    "cargo deny",
    "cargo-deny",
    "rustsec/audit-check",
    "npm audit",
    "yarn audit",
    "yarn npm audit",
    "pnpm audit",
    "pip-audit",
    "safety check",
    "safety scan",
    "govulncheck",
    "bundle audit",
    "bundler-audit",
    "osv-scanner",
    "dependency-review-action",
    "dependency-check",
    "snyk test",
    "trivy fs",
    "trivy repo",
    // An image scan reads the packages inside the image too, Go binaries' modules included.
    "trivy image",
    "aquasecurity/trivy-action",
    "grype dir:",
    "anchore/scan-action",
    "snyk/actions",
    // Software composition analysis services.
    "fossa-action",
    "fossa test",
    "composer audit",
    "mix deps.audit",
    "ossf/scorecard",
    "dependency_scanning",
    "dependency-scanning",
];

impl Rule for NoDependencyAudit {
    fn name(&self) -> &'static str {
        "project/no-dependency-audit"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        for root in &project.repo.roots {
            let Some(manifest) = shallowest_manifest(project, root) else {
                continue;
            };
            let name = manifest.rsplit('/').next().unwrap_or(manifest);
            const AUDIT_HELP: &str = "run the ecosystem's audit in CI (cargo audit or cargo deny, npm audit, pip-audit, govulncheck …) so that a known vulnerability fails the build";
            const BOT_HELP: &str =
                "add .github/dependabot.yml (or renovate.json) for this ecosystem so that security updates arrive as pull requests";
            // Both gaps are one finding at one place: the manifest.
            let (message, help) = match (mentions(ci_files(project, root), AUDITS), has_update_bot(project, root)) {
                (true, true) => continue,
                (false, true) => (format!("no CI job audits the dependencies of {name}"), AUDIT_HELP.to_string()),
                (true, false) => (
                    format!("no dependabot or renovate configuration keeps {name} up to date"),
                    BOT_HELP.to_string(),
                ),
                (false, false) => (
                    format!("no CI job audits the dependencies of {name}, and no dependabot or renovate configuration keeps it up to date"),
                    format!("{AUDIT_HELP}; {BOT_HELP}"),
                ),
            };
            out.report_in(manifest, WHOLE_FILE, message).help(help);
        }
    }
}

/// The package manifest nearest the top of `root` (fixtures and examples deeper down are not
/// what the repository ships).
fn shallowest_manifest<'a>(project: &'a Project, root: &str) -> Option<&'a str> {
    project
        .repo
        .paths()
        .filter(|p| under(p, root))
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
            MANIFESTS.contains(&name.as_str())
        })
        .filter(|p| crate::surface::conventions::non_production(p).is_none())
        .filter(|p| !project.repo.text(p).is_some_and(|t| declares_no_runtime_dependencies(p, t)))
        .min_by_key(|p| (p.matches('/').count(), *p))
}

/// A package.json without `dependencies`, or a pyproject.toml whose `[project]` and Poetry
/// dependencies are empty (Python itself aside): development tooling only, nothing that ships
/// to audit.
fn declares_no_runtime_dependencies(path: &str, text: &str) -> bool {
    use crate::syntax::{json, toml, Limits};
    let name = path.rsplit('/').next().unwrap_or(path);
    let (tree, groups): (_, &[&[&str]]) = match name {
        "package.json" => (
            json::parse(text, &Limits::default()),
            &[&["dependencies"], &["optionalDependencies"]],
        ),
        "pyproject.toml" => (
            toml::parse(text, &Limits::default()),
            &[&["project", "dependencies"], &["tool", "poetry", "dependencies"]],
        ),
        _ => return false,
    };
    let Some(root) = tree.docs.first().and_then(|d| d.root.as_ref()) else {
        return false;
    };
    if !tree.errors.is_empty() {
        return false;
    }
    groups.iter().all(|g| match root.get_path(g) {
        None => true,
        Some(n) => match (n.as_map(), n.as_seq()) {
            (Some(m), _) => m.iter().all(|e| e.key.as_str() == Some("python")),
            (_, Some(items)) => items.is_empty(),
            _ => false,
        },
    })
}

fn has_update_bot(project: &Project, root: &str) -> bool {
    project.repo.paths().any(|p| {
        let lower = p.to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or(&lower);
        under(p, root)
            && !crate::surface::conventions::is_test_data(p)
            && (name == "dependabot.yml"
                || name == "dependabot.yaml"
                || name.starts_with("renovate.json")
                || name.starts_with(".renovaterc"))
    })
}
