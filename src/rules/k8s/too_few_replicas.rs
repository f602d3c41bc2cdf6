use super::{replicas, ProjectObjects};
use crate::rules::{Project, Rule, Sink};
use serde::Deserialize;

/// A workload with fewer replicas than high availability needs (the minimum of its autoscaler,
/// when one scales it).
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
            if obj.partial && written.is_none() {
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

fn plural(n: i64) -> String {
    if n == 1 {
        "1 replica".to_string()
    } else {
        format!("{n} replicas")
    }
}
