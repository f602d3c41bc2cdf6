use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// An Ingress that serves plain HTTP: no `tls` section, or hosts the `tls` section leaves out.
pub struct IngressWithoutTls;

impl Rule for IngressWithoutTls {
    fn name(&self) -> &'static str {
        "k8s/ingress-without-tls"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("Ingress")) {
            // Cloud load balancers take their certificates from annotations, not spec.tls.
            if CERTIFICATE_ANNOTATIONS.iter().any(|a| obj.annotations.contains_key(*a)) {
                continue;
            }
            let Some(spec) = obj.spec_entry() else { continue };
            let tls = spec.value.get("tls").and_then(Node::as_seq).unwrap_or_default();
            if tls.is_empty() {
                out.report(spec.key.span, format!("{} has no tls section", obj.describe()))
                    .help("add spec.tls with the hosts and a certificate Secret (cert-manager can issue it) so that traffic is encrypted");
                continue;
            }
            if tls.iter().any(|t| t.get("hosts").is_none()) {
                continue; // a tls entry without hosts is the certificate for every host
            }
            let covered: Vec<&str> = tls
                .iter()
                .filter_map(|t| t.get("hosts").and_then(Node::as_seq))
                .flatten()
                .filter_map(Node::as_str)
                .collect();
            let rules = spec.value.get("rules").and_then(Node::as_seq).unwrap_or_default();
            for host in rules.iter().filter_map(|r| r.get("host")) {
                let Some(name) = host.as_str() else { continue };
                if !covered.iter().any(|c| host_matches(c, name)) {
                    out.report(
                        host.span,
                        format!("host `{name}` of {} is not covered by its tls section", obj.describe()),
                    )
                    .help("list the host under spec.tls[].hosts with a certificate for it");
                }
            }
        }
    }
}

/// GKE managed or pre-shared certificates, AWS Load Balancer Controller ACM certificates.
const CERTIFICATE_ANNOTATIONS: &[&str] = &[
    "networking.gke.io/managed-certificates",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "alb.ingress.kubernetes.io/certificate-arn",
];

/// `*.example.com` covers `a.example.com`.
fn host_matches(pattern: &str, host: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(suffix) => host.split_once('.').is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(suffix)),
        None => pattern.eq_ignore_ascii_case(host),
    }
}
