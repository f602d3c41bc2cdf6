use super::{compose_runs_prometheus_alone, is_localhost, prom_config};
use crate::rules::{Project, Rule, Sink};

/// When Compose runs Prometheus in its own container, `localhost` in a scrape target is that
/// container: the application's metrics are never scraped.
pub struct LocalhostScrapeTarget;

/// Prometheus's own port: `localhost:9090` is Prometheus scraping itself, which is right.
const OWN_PORT: &str = "9090";

impl Rule for LocalhostScrapeTarget {
    fn name(&self) -> &'static str {
        "prometheus/localhost-scrape-target"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        for file in project.files {
            let Some(cfg) = prom_config(file) else { continue };
            if !compose_runs_prometheus_alone(project.files, file.path()) {
                continue;
            }
            for job in &cfg.scrape_configs {
                for t in job.targets.iter().filter(|t| is_localhost(&t.target) && !is_self(&t.target)) {
                    out.report_in(
                        file.path(),
                        t.span,
                        format!(
                            "scrape target `{}` is Prometheus's own container: the Compose deployment runs it alone there",
                            t.target
                        ),
                    )
                    .help("use the Compose service name (`app:8000`), or `host.docker.internal:8000` (with `extra_hosts: [\"host.docker.internal:host-gateway\"]`) for a process on the host");
                }
            }
        }
    }
}

fn is_self(target: &str) -> bool {
    target.rsplit_once(':').is_some_and(|(_, port)| port == OWN_PORT)
}
