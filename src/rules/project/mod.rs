//! Rules across files and about the repository as a whole: what only the project graph
//! ([`crate::model::project::Graph`]) or the repository's documents and CI files show.
//!
//! Repository-level rules run only under a scanned folder that is a repository's top (it holds
//! `.git` or a README: [`crate::model::repo::RepoIndex::roots`]), so that `andon check k8s/`
//! is not told the repository has no CI or no deployment guide.

mod alert_routed_nowhere;
mod healthcheck_tool_missing;
mod missing_deployment_guide;
mod no_backup_job;
mod no_dependency_audit;
mod no_image_scan;
mod no_metrics_endpoint;
mod port_not_exposed;
mod shutdown_outlasts_grace_period;
mod undocumented_env_var;
mod unscraped_metrics_port;

use super::{Project, Rule};
use crate::source::Span;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &alert_routed_nowhere::AlertRoutedNowhere,
        &healthcheck_tool_missing::HealthcheckToolMissing,
        &missing_deployment_guide::MissingDeploymentGuide,
        &no_backup_job::NoBackupJob,
        &no_dependency_audit::NoDependencyAudit,
        &no_image_scan::NoImageScan,
        &no_metrics_endpoint::NoMetricsEndpoint,
        &port_not_exposed::PortNotExposed,
        &shutdown_outlasts_grace_period::ShutdownOutlastsGracePeriod,
        &undocumented_env_var::UndocumentedEnvVar,
        &unscraped_metrics_port::UnscrapedMetricsPort,
    ]
}

/// Whether `path` lies under the repository root `root` (a prefix such as `""` or `"demo/"`).
pub fn under(path: &str, root: &str) -> bool {
    path.starts_with(root)
}

/// Markdown documents under `root`: (path, text).
pub fn documents<'a>(project: &'a Project, root: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    project.repo.texts.iter().filter_map(move |(p, t)| {
        let lower = p.to_ascii_lowercase();
        (under(p, root) && (lower.ends_with(".md") || lower.ends_with(".markdown"))).then_some((p.as_str(), t.as_str()))
    })
}

/// CI definitions under `root` (GitHub workflows, GitLab CI, CircleCI, Azure, Bitbucket, …):
/// (path, text).
pub fn ci_files<'a>(project: &'a Project, root: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    project.repo.texts.iter().filter_map(move |(p, t)| {
        // A workflow under fixtures/ or tests/ is test data, not the repository's CI.
        let test_data = crate::surface::conventions::is_test_data(p);
        (under(p, root) && crate::model::repo::is_ci_definition(p) && !test_data).then_some((p.as_str(), t.as_str()))
    })
}

/// The README at the top of `root`, if any.
pub fn readme<'a>(project: &'a Project, root: &'a str) -> Option<&'a str> {
    project.repo.in_dir(root.trim_end_matches('/')).find(|p| {
        let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
        name.starts_with("readme")
    })
}

/// Whether any of `needles` (lowercase) occurs in one of the texts.
pub fn mentions<'a>(mut texts: impl Iterator<Item = (&'a str, &'a str)>, needles: &[&str]) -> bool {
    texts.any(|(_, t)| {
        let lower = t.to_ascii_lowercase();
        needles.iter().any(|n| lower.contains(n))
    })
}

/// The whole file: for findings about something a file lacks, or a file andon does not parse.
pub const WHOLE_FILE: Span = Span { start: 0, end: 0 };
