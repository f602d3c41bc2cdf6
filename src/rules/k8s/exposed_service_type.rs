use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A Service of type NodePort or LoadBalancer: reachable from outside the cluster.
pub struct ExposedServiceType;

impl Rule for ExposedServiceType {
    fn name(&self) -> &'static str {
        "k8s/exposed-service-type"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("Service")) {
            let Some(ty) = obj.spec().and_then(|s| s.get("type")) else {
                continue;
            };
            let Some(name @ ("NodePort" | "LoadBalancer")) = ty.as_str() else {
                continue;
            };
            out.report(ty.span, format!("{} is exposed outside the cluster as a {name}", obj.describe()))
                .help("use a ClusterIP Service behind an Ingress or gateway that terminates TLS, unless this port must be reachable directly (then restrict it with loadBalancerSourceRanges or firewall rules)");
        }
    }
}
