use super::{compose_runs_containerised, prom_config, Loader};
use crate::model::prometheus::{rule_files, PromConfig};
use crate::rules::{Project, Rule, Sink};

/// A Prometheus that loads no rules evaluates no alert; one that knows no Alertmanager (or one
/// it cannot reach) delivers none.
pub struct AlertingNotWired;

impl Rule for AlertingNotWired {
    fn name(&self) -> &'static str {
        "prometheus/alerting-not-wired"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let has_alerts = rule_files(project.files)
            .iter()
            .any(|(_, rf)| rf.groups.iter().flat_map(|g| &g.rules).any(|r| r.is_alert()));
        for file in project.files {
            let Some(cfg) = prom_config(file) else { continue };
            if is_agent(file.path()) {
                continue;
            }
            let path = file.path();
            let no_am = cfg.alertmanagers.is_empty() && !cfg.alertmanagers_discovered;
            match (cfg.rule_files_key, no_am) {
                (None, true) => {
                    out.report_in(
                        path,
                        cfg.first_key,
                        "Prometheus loads no rule files and knows no Alertmanager: nothing is evaluated, nothing is delivered",
                    )
                    .help("add `rule_files:` naming the alert rule files and `alerting.alertmanagers` with the Alertmanager's address");
                }
                (None, false) => {
                    out.report_in(path, cfg.first_key, "Prometheus loads no rule files: no alert is ever evaluated")
                        .help("add `rule_files:` naming the alert rule files");
                }
                (Some(key), true) if has_alerts => {
                    out.report_in(
                        path,
                        key,
                        "rules are loaded but `alerting.alertmanagers` is not set: alerts fire and are delivered to nobody",
                    )
                    .help("add `alerting.alertmanagers` with the Alertmanager's address");
                }
                _ => {}
            }
            for entry in &cfg.rule_files {
                if !matches_repo(project, &entry.value) {
                    out.report_in(
                        path,
                        entry.span,
                        format!("rule_files entry `{}` matches no rule file in the repository", entry.value),
                    )
                    .help(
                        "correct the path or glob, or add the rule file; Prometheus silently loads nothing for a glob that matches nothing",
                    );
                }
            }
            if compose_runs_containerised(project.files, path, "alertmanager") {
                report_localhost_alertmanager(path, &cfg, out);
            }
        }
    }
}

/// Agent-mode Prometheus evaluates no rules by design.
fn is_agent(path: &str) -> bool {
    path.rsplit('/').next().unwrap_or(path).contains("agent")
}

fn matches_repo(project: &Project, entry: &str) -> bool {
    let loader = Loader::new(entry);
    project.repo.paths().any(|p| loader.loads(p))
}

/// In a Compose deployment Prometheus runs in its own container: `localhost` there is
/// Prometheus itself, not the Alertmanager container.
fn report_localhost_alertmanager(path: &str, cfg: &PromConfig, out: &mut Sink) {
    for t in &cfg.alertmanagers {
        if super::is_localhost(&t.target) {
            out.report_in(
                path,
                t.span,
                format!(
                    "Alertmanager target `{}` is Prometheus's own container: the Compose deployment runs Alertmanager in another one",
                    t.target
                ),
            )
            .help("use the Compose service name (e.g. `alertmanager:9093`), which resolves on the shared network");
        }
    }
}
