use crate::model::project::{host_name, Container, Graph, KubeService, ScrapeJob, Service};
use crate::rules::{Project, Rule, Sink};

/// A metrics endpoint that no scrape job, ServiceMonitor or PodMonitor of the repository targets,
/// when the repository does configure scraping for that platform.
pub struct UnscrapedMetricsPort;

impl Rule for UnscrapedMetricsPort {
    fn name(&self) -> &'static str {
        "project/unscraped-metrics-port"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let g = project.graph();
        // Discovery andon cannot follow (files, DNS, Consul, Docker) may find anything.
        if !g.has_scrape_config() || g.jobs.iter().any(|j| j.other_sd) {
            return;
        }
        check_kubernetes(g, out);
        check_compose(g, out);
    }
}

/// A port name that says "metrics".
pub(super) fn is_metrics_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "metrics" || n == "prometheus" || n == "prom" || n.ends_with("-metrics") || n.starts_with("metrics-")
}

fn check_kubernetes(g: &Graph, out: &mut Sink) {
    // `kubernetes_sd_configs` with relabelling may select any pod: andon cannot tell which.
    if g.jobs.iter().any(|j| j.kubernetes_sd) {
        return;
    }
    let names_a_service = |j: &ScrapeJob| {
        j.targets
            .iter()
            .any(|(h, _, _)| g.kube_services.iter().any(|s| s.name == host_name(h)))
    };
    // Scraping of Kubernetes is configured here only if some monitor or static target is there.
    if g.monitors.is_empty() && !g.jobs.iter().any(names_a_service) {
        return;
    }
    for c in &g.containers {
        let mut reported = false;
        for (name, number, at) in &c.ports {
            if !name.as_deref().is_some_and(is_metrics_name) || container_port_scraped(g, c, name.as_deref(), *number) {
                continue;
            }
            reported = true;
            out.report_in(&at.path, at.span, format!("metrics port {} of {} is not scraped", describe_port(name.as_deref(), *number), c.object))
                .help("no scrape job, ServiceMonitor or PodMonitor in this repository targets it: add a ServiceMonitor selecting its Service (or a static target for it), or remove the port");
        }
        let annotated = c.pod_annotations.get("prometheus.io/scrape").filter(|(v, _)| v == "true");
        if let (false, Some((_, span))) = (reported, annotated) {
            let port = c.pod_annotations.get("prometheus.io/port").and_then(|(v, _)| v.parse::<i64>().ok());
            if !container_port_scraped(g, c, None, port) {
                out.report_in(&c.path, *span, format!("{} asks to be scraped, but nothing here scrapes it", c.object))
                    .help("`prometheus.io/scrape` annotations only work with a `kubernetes_sd_configs` job that keeps them; this repository's Prometheus has none and no monitor selects these pods");
            }
        }
    }
}

fn describe_port(name: Option<&str>, number: Option<i64>) -> String {
    match (name, number) {
        (Some(n), Some(p)) => format!("`{n}` ({p})"),
        (Some(n), None) => format!("`{n}`"),
        (None, Some(p)) => p.to_string(),
        (None, None) => String::new(),
    }
}

/// Whether the container's port (by name and/or number; both `None`: any port) is targeted by a
/// PodMonitor, a ServiceMonitor selecting a Service of these pods, or a static target naming such
/// a Service (or the port itself).
pub(super) fn container_port_scraped(g: &Graph, c: &Container, name: Option<&str>, number: Option<i64>) -> bool {
    if g.monitors.iter().any(|m| m.pods && m.selects(&c.namespace, &c.pod_labels)) {
        return true;
    }
    let fronting: Vec<&KubeService> = g.kube_services.iter().filter(|s| s.fronts(c)).collect();
    let by_monitor = fronting
        .iter()
        .any(|s| g.monitors.iter().any(|m| !m.pods && m.selects(&s.namespace, &s.labels)));
    if by_monitor {
        return true;
    }
    let service_ports: Vec<(&str, Option<i64>)> = fronting
        .iter()
        .flat_map(|s| {
            s.ports.iter().filter_map(|p| {
                let target_is_this = match p.target.as_deref() {
                    None => p.port.is_some() && p.port == number,
                    Some(t) => Some(t) == name || t.parse::<i64>().ok().is_some_and(|n| Some(n) == number),
                };
                (target_is_this || (name.is_none() && number.is_none())).then_some((s.name.as_str(), p.port))
            })
        })
        .collect();
    g.jobs.iter().flat_map(|j| &j.targets).any(|(host, port, _)| {
        let port = port.map(i64::from);
        let direct = port.is_some() && port == number;
        let via_service = service_ports
            .iter()
            .any(|(svc, p)| *svc == host_name(host) && (p.is_none() || port.is_none() || *p == port));
        via_service || (direct && fronting.iter().any(|s| s.name == host_name(host)))
    })
}

fn check_compose(g: &Graph, out: &mut Sink) {
    let names_a_service = |host: &str| g.services.iter().any(|s| s.name == host_name(host));
    // Only when this repository's Prometheus scrapes the Compose network at all.
    if !g.jobs.iter().flat_map(|j| &j.targets).any(|(h, _, _)| names_a_service(h)) {
        return;
    }
    for s in &g.services {
        for p in s.ports.iter().filter(|p| p.metrics) {
            if !service_port_scraped(g, s, p.number) {
                out.report_in(
                    &p.at.path,
                    p.at.span,
                    format!("metrics port {} of service `{}` is not scraped", p.number, s.name),
                )
                .help(format!(
                    "no scrape job in this repository targets `{}:{}`: add it to a job's static_configs targets",
                    s.name, p.number
                ));
            }
        }
    }
}

pub(super) fn service_port_scraped(g: &Graph, s: &Service, number: u16) -> bool {
    g.jobs
        .iter()
        .flat_map(|j| &j.targets)
        .any(|(h, port, _)| host_name(h) == s.name && port.is_none_or(|p| p == number))
}
