use super::{HelmCharts, ProjectObjects};
use crate::model::k8s::{int_value, Object};
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;

/// An Ingress backend naming a Service, or a port of a Service, that the repository does not
/// define, while it defines Services.
pub struct UndefinedIngressBackend;

impl Rule for UndefinedIngressBackend {
    fn name(&self) -> &'static str {
        "k8s/undefined-ingress-backend"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let charts = HelmCharts::new(project);
        let objects = ProjectObjects::new(project.files);
        for (path, ingress) in objects.iter() {
            if !ingress.is("Ingress") || ingress.partial || !objects.defines_any("Service", ingress) || charts.may_define(path, "Service") {
                continue;
            }
            for (name, port) in backends(ingress) {
                let Some(service_name) = name.as_str() else { continue };
                let services: Vec<&Object> = objects.named("Service", service_name, ingress).collect();
                let Some(service) = services.first() else {
                    out.report_in(path, name.span, format!("{} routes to Service `{service_name}`, which no manifest defines in namespace `{}`", ingress.describe(), ingress.namespace))
                        .help("correct the Service name, or define the Service beside the Ingress: requests for this path get 503 while it is missing");
                    continue;
                };
                if let Some(port) = port.filter(|p| !services.iter().any(|s| serves(s, p))) {
                    out.report_in(path, port.span, format!("{} routes to port `{}` of {}, which the Service does not define", ingress.describe(), port.as_str().unwrap_or("…"), service.describe()))
                        .help("use a port (number or name) listed under the Service's spec.ports: the Ingress controller has no endpoint for an unknown port");
                }
            }
        }
    }
}

/// Every Service backend of an Ingress, `networking.k8s.io/v1` (`service: {name, port}`) or the
/// older `extensions/v1beta1` shape (`serviceName`, `servicePort`): its name and port nodes.
fn backends(ingress: &Object) -> Vec<(&Node, Option<&Node>)> {
    let Some(spec) = ingress.spec() else { return Vec::new() };
    let mut all: Vec<&Node> = ["defaultBackend", "backend"].iter().filter_map(|k| spec.get(k)).collect();
    for rule in spec.get("rules").and_then(Node::as_seq).unwrap_or_default() {
        let paths = rule.get_path(&["http", "paths"]).and_then(Node::as_seq).unwrap_or_default();
        all.extend(paths.iter().filter_map(|p| p.get("backend")));
    }
    all.into_iter()
        .filter_map(|b| match b.get("service") {
            Some(s) => Some((
                s.get("name")?,
                s.get("port").and_then(|p| p.get("number").or_else(|| p.get("name"))),
            )),
            None => Some((b.get("serviceName")?, b.get("servicePort"))),
        })
        .collect()
}

/// Whether `port` (a number or a name) is one of the Service's ports.
fn serves(service: &Object, port: &Node) -> bool {
    let ports = service
        .spec()
        .and_then(|s| s.get("ports"))
        .and_then(Node::as_seq)
        .unwrap_or_default();
    match int_value(port) {
        Some(n) => ports.iter().any(|p| p.get("port").and_then(int_value) == Some(n)),
        None => port
            .as_str()
            .is_none_or(|name| ports.iter().any(|p| p.get("name").and_then(Node::as_str) == Some(name))),
    }
}
