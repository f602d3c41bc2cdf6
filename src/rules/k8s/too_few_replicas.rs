use super::{replicas, ProjectObjects};
use crate::model::images::runs_data_store;
use crate::model::k8s::{Container, Object};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;
use serde::Deserialize;

/// A workload with fewer replicas than high availability needs (the minimum of its autoscaler,
/// when one scales it). A workload that runs one instance by design is left alone: more
/// replicas of it are not high availability (see [`single_instance_by_design`]). O(objects),
/// with the autoscaler lookup of [`ProjectObjects`].
pub struct TooFewReplicas;

#[derive(Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    min_replicas: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_replicas: 3 }
    }
}

impl Rule for TooFewReplicas {
    fn name(&self) -> &'static str {
        "k8s/too-few-replicas"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let min = out.options::<Options>().min_replicas;
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.iter() {
            if !matches!(obj.kind.as_str(), "Deployment" | "StatefulSet") {
                continue;
            }
            let Some((count, written)) = replicas(obj) else { continue };
            // A Kustomize patch that leaves replicas out keeps the base's count.
            if obj.partial && written.is_none() || count == 1 && single_instance_by_design(obj) {
                continue;
            }
            if let Some(hpa) = objects.autoscaler_of(obj) {
                if obj.partial {
                    continue; // the whole object reports the autoscaler's floor
                }
                let Some(spec) = hpa.spec() else { continue };
                let floor = spec.get("minReplicas");
                let n = floor.and_then(|f| f.as_i64()).unwrap_or(1);
                if n < min && hpa.is("HorizontalPodAutoscaler") {
                    let at = floor.map_or(hpa.at, |f| f.span);
                    let hpa_path = objects.iter().find(|(_, o)| std::ptr::eq(*o, hpa)).map_or(path, |(p, _)| p);
                    out.report_in(
                        hpa_path,
                        at,
                        format!("{} scales {} down to {}, below {min}", hpa.describe(), obj.describe(), plural(n)),
                    )
                    .help(format!(
                        "set minReplicas to at least {min} so that losing one pod or node leaves the service up"
                    ));
                }
                continue;
            }
            if count >= min {
                continue;
            }
            let at = match written {
                Some(node) => node.span,
                None => obj.spec_entry().map_or(obj.at, |s| s.key.span),
            };
            let what = match written {
                None => "1 replica (replicas is not set)".to_string(),
                Some(_) => plural(count),
            };
            out.report_in(path, at, format!("{} runs {what}, below {min}", obj.describe()))
                .help(format!("run at least {min} replicas (or an autoscaler with minReplicas ≥ {min}) so that losing one pod or node leaves the service up"));
        }
    }
}

/// A workload run as one replica whose extra replicas would not serve the same thing: a Deployment replaced
/// with `strategy: Recreate` (its author wants no two at once), or one running a data store or a server that keeps its own state
/// (a database, a broker, Prometheus, Alertmanager, kube-state-metrics, Jaeger all-in-one,
/// Grafana on its own SQLite file: [`keeps_own_state`]),
/// where each replica would be a separate store, scrape or notifier. Those need a replicated
/// setup (an operator, clustering flags), not a higher count. A controller that elects a leader
/// is still judged: a standby takes the lease in seconds, a rescheduled pod in minutes. So is
/// one already at two: its author means it to be replicated.
fn single_instance_by_design(obj: &Object) -> bool {
    let recreate = obj.spec().and_then(|s| s.get_path(&["strategy", "type"])).and_then(Node::as_str) == Some("Recreate");
    let Some(pod) = obj.pod.as_ref() else { return recreate };
    recreate || pod.regular().any(keeps_own_state)
}

/// Ports that only a data store listens on by default: MySQL, PostgreSQL, MongoDB, Redis,
/// InfluxDB, CouchDB.
const DATA_STORE_PORTS: &[i64] = &[3306, 5432, 27017, 6379, 8086, 5984];
const DATA_STORE_PORT_NAMES: &[&str] = &["mysql", "postgres", "postgresql", "mongo", "mongodb", "redis", "influxdb"];

/// A container whose replicas would each hold their own state: a data store (by image, or by
/// the port it serves: `weaveworksdemos/catalogue-db` on 3306), a monitoring server that
/// scrapes or notifies, or Grafana on its default SQLite database.
fn keeps_own_state(c: &Container) -> bool {
    let Some(image) = c.image_ref() else { return false };
    let name = crate::model::compose::ImageRef::parse(image).name().to_string();
    let serves_store = c.ports.iter().any(|p| {
        p.container_port.is_some_and(|n| DATA_STORE_PORTS.contains(&n))
            || p.name.as_deref().is_some_and(|n| DATA_STORE_PORT_NAMES.contains(&n))
    });
    let sqlite_grafana = matches!(name.as_str(), "grafana" | "grafana-oss" | "grafana-enterprise")
        && !c.env.iter().any(|e| e.name.starts_with("GF_DATABASE_"));
    (runs_data_store(image) || serves_store) && name != "memcached"
        || sqlite_grafana
        || matches!(
            name.as_str(),
            "prometheus" | "alertmanager" | "kube-state-metrics" | "all-in-one" | "pushgateway"
        )
}

fn plural(n: i64) -> String {
    if n == 1 {
        "1 replica".to_string()
    } else {
        format!("{n} replicas")
    }
}
