use super::{for_each_pod, Scope};
use crate::diagnostic::Severity;
use crate::model::k8s::{Object, PodSpec};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A pod that runs as the namespace's `default` service account, or mounts its service account
/// token without needing it.
pub struct DefaultServiceAccount;

impl Rule for DefaultServiceAccount {
    fn name(&self) -> &'static str {
        "k8s/default-service-account"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_pod(file, Scope::Whole, |obj, pod| check(obj, pod, out));
    }
}

fn check(obj: &Object, pod: &PodSpec, out: &mut Sink) {
    let automount = pod.get("automountServiceAccountToken").and_then(Node::as_bool);
    if automount == Some(false) {
        return;
    }
    let account = pod
        .get("serviceAccountName")
        .or_else(|| pod.get("serviceAccount"))
        .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
    match account {
        // `automountServiceAccountToken: true` on the pod of a dedicated account says the
        // process uses its token (kube-prometheus turns it off on the ServiceAccount and back on
        // for the pods that call the API).
        Some(name) if name.as_str() != Some("default") && automount == Some(true) => {}
        Some(name) if name.as_str() != Some("default") => {
            // A dedicated account may need its token (operators, controllers): a hint only.
            out.report(
                name.span,
                format!(
                    "{} mounts the token of service account `{}`",
                    obj.describe(),
                    name.as_str().unwrap_or("")
                ),
            )
            .help("set automountServiceAccountToken: false on the pod (or the ServiceAccount) unless the process calls the Kubernetes API")
            .severity(Severity::Info);
        }
        Some(name) => {
            out.report(name.span, format!("{} runs as the `default` service account with its token mounted", obj.describe()))
                .help("create a dedicated ServiceAccount with only the permissions the workload needs, and set automountServiceAccountToken: false unless it calls the Kubernetes API");
        }
        None => {
            out.report(pod.entry.key.span, format!("{} runs as the `default` service account with its token mounted", obj.describe()))
                .help("set serviceAccountName to a dedicated ServiceAccount, and automountServiceAccountToken: false unless the process calls the Kubernetes API");
        }
    }
}
