use super::unscraped_metrics_port::{container_port_scraped, is_metrics_name};
use crate::model::project::{host_name, SetVar};
use crate::rules::{Project, Rule, Sink};

/// A service this repository builds that shows no metrics endpoint: no port named for metrics,
/// no `prometheus.io` annotation, no metrics setting, and nothing scrapes it.
pub struct NoMetricsEndpoint;

impl Rule for NoMetricsEndpoint {
    fn name(&self) -> &'static str {
        "project/no-metrics-endpoint"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        for c in &g.containers {
            let runs_to_completion = c.object.starts_with("Job ") || c.object.starts_with("CronJob ");
            if runs_to_completion || !g.container_image_is_built_here(c) {
                continue;
            }
            let named = c.ports.iter().any(|(name, _, _)| name.as_deref().is_some_and(is_metrics_name));
            let annotated = c.pod_annotations.keys().any(|k| k.starts_with("prometheus.io/"));
            if named || annotated || configures_metrics(&c.env) || container_port_scraped(g, c, None, None) {
                continue;
            }
            out.report_in(
                &c.at.path,
                c.at.span,
                format!(
                    "container `{}` of {} exposes no metrics endpoint",
                    c.name.as_deref().unwrap_or("?"),
                    c.object
                ),
            )
            .help("serve Prometheus metrics and declare the port (`name: metrics`), or annotate the pod with `prometheus.io/scrape`/`prometheus.io/port`, so that it can be scraped");
        }
        for s in g.services.iter().filter(|s| g.image_of_service(s).is_some()) {
            let scraped = g.jobs.iter().flat_map(|j| &j.targets).any(|(h, _, _)| host_name(h) == s.name);
            if s.ports.iter().any(|p| p.metrics) || configures_metrics(&s.env) || scraped {
                continue;
            }
            out.report_in(&s.at.path, s.at.span, format!("service `{}` exposes no metrics endpoint", s.name))
                .help(
                    "serve Prometheus metrics on a port (mark it `# metrics`, or set a METRICS_PORT variable) and add it to a scrape job",
                );
        }
    }
}

/// Whether a variable turns metrics on or places them (`METRICS_PORT`, `PROMETHEUS_ENABLED`,
/// `OTEL_METRICS_EXPORTER` …).
fn configures_metrics(env: &[SetVar]) -> bool {
    env.iter().any(|v| {
        let n = v.name.to_ascii_uppercase();
        n.contains("METRICS") || n.contains("PROMETHEUS")
    })
}
