use super::{for_each_pod, set_path, Scope};
use crate::diagnostic::{Edit, Fix, Severity};
use crate::model::k8s::{Container, ContainerKind, Object, PodSpec};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A pod or container that runs without a seccomp profile: `Unconfined` written out, or no
/// `seccompProfile` at all (which the kubelet also runs unconfined unless the node enables
/// SeccompDefault).
pub struct UnconfinedSeccomp;

impl Rule for UnconfinedSeccomp {
    fn name(&self) -> &'static str {
        "k8s/unconfined-seccomp"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_pod(file, Scope::Written, |obj, pod| check(file, obj, pod, out));
    }
}

fn profile_type(security_context: Option<&Node>) -> Option<&Node> {
    security_context?.get_path(&["seccompProfile", "type"]).filter(|n| !n.is_null())
}

fn is_unconfined(node: &Node) -> bool {
    node.as_str().is_some_and(|t| t.eq_ignore_ascii_case("Unconfined"))
}

fn check(file: &File, obj: &Object, pod: &PodSpec, out: &mut Sink) {
    const HELP: &str = "set securityContext.seccompProfile.type: RuntimeDefault (or Localhost with a profile): the runtime's default profile blocks the rarely needed system calls most kernel exploits use";
    let pod_type = profile_type(pod.get("securityContext"));
    if let Some(t) = pod_type.filter(|t| is_unconfined(t)) {
        out.report(
            t.span,
            format!("{} sets seccompProfile type Unconfined for the whole pod", obj.describe()),
        )
        .help(HELP)
        .fix_opt(replace_fix(obj, t));
    }
    let containers: Vec<&Container> = pod.containers.iter().filter(|c| c.kind != ContainerKind::Ephemeral).collect();
    let mut unset = Vec::new();
    for c in &containers {
        match profile_type(c.security_context.as_ref().map(|e| &e.value)) {
            Some(t) if is_unconfined(t) => {
                out.report(t.span, format!("{} sets seccompProfile type Unconfined", c.describe()))
                    .help(HELP)
                    .fix_opt(replace_fix(obj, t));
            }
            Some(_) => {}
            None if pod_type.is_none() => unset.push(*c),
            None => {}
        }
    }
    // What a patch leaves out is set by the object it patches.
    if unset.is_empty() || obj.partial {
        return;
    }
    if unset.len() == containers.len() {
        let fix = (!obj.shared_spans)
            .then(|| {
                set_path(
                    file.text(),
                    pod.node(),
                    &["securityContext", "seccompProfile", "type"],
                    "RuntimeDefault",
                )
            })
            .flatten()
            .map(|edit| Fix::unsafe_("set the pod's seccompProfile type to RuntimeDefault", vec![edit]));
        out.report(
            pod.entry.key.span,
            format!("{} sets no seccompProfile: its containers run unconfined", obj.describe()),
        )
        .help(HELP)
        .severity(Severity::Info)
        .fix_opt(fix);
        return;
    }
    for c in unset {
        out.report(
            c.at,
            format!("{} sets no seccompProfile while other containers of the pod do", c.describe()),
        )
        .help(HELP)
        .severity(Severity::Info);
    }
}

fn replace_fix(obj: &Object, t: &Node) -> Option<Fix> {
    (!obj.shared_spans).then(|| {
        Fix::unsafe_(
            "use the runtime's default seccomp profile",
            vec![Edit {
                span: t.span,
                replacement: "RuntimeDefault".to_string(),
            }],
        )
    })
}
