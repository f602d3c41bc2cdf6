use super::{selects, ProjectObjects};
use crate::model::k8s::PodSpec;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;

/// A Service whose named targetPort no container of the selected pods declares.
pub struct ServicePortNotDeclared;

impl Rule for ServicePortNotDeclared {
    fn name(&self) -> &'static str {
        "k8s/service-port-not-declared"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, svc) in objects.iter() {
            if !svc.is("Service") {
                continue;
            }
            let Some(spec) = svc.spec() else { continue };
            let Some(selector) = spec.get("selector").filter(|s| s.as_map().is_some_and(|m| !m.is_empty())) else {
                continue;
            };
            let pods: Vec<&PodSpec> = objects
                .in_namespace(&svc.namespace)
                .filter_map(|o| o.pod.as_ref())
                .filter(|p| selects(selector, &p.labels))
                .collect();
            if pods.is_empty() {
                continue; // k8s/service-selects-nothing reports it
            }
            let ports = spec.get("ports").and_then(Node::as_seq).unwrap_or_default();
            for target in ports.iter().filter_map(|p| p.get("targetPort")) {
                let Some(name) = target.as_str().filter(|n| n.parse::<i64>().is_err()) else {
                    continue;
                };
                let declared = pods.iter().any(|p| p.containers.iter().any(|c| c.has_port(target)));
                if !declared {
                    out.report_in(path, target.span, format!("targetPort `{name}` of {} is not a port the selected containers declare", svc.describe()))
                        .help("use the name of a port declared under the container's ports (or its number): a Service on an unknown named port has no endpoints for it");
                }
            }
        }
    }
}
