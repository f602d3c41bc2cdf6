use super::{for_each_container, set_path, Scope};
use crate::diagnostic::Fix;
use crate::model::images::runs_non_root;
use crate::model::k8s::{int_value, Container, ContainerKind, PodSpec};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// A container that may run as root: neither `runAsNonRoot: true` nor a non-zero `runAsUser`,
/// at pod or container level, and an image that does not run as its own user
/// ([`runs_non_root`], or a Dockerfile of the repository that ends with a non-root `USER`). `runAsUser: 0` is reported whatever the image.
pub struct RunAsRootAllowed;

impl Rule for RunAsRootAllowed {
    fn name(&self) -> &'static str {
        "k8s/run-as-root-allowed"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Whole, |obj, pod, c| {
            if c.kind == ContainerKind::Ephemeral {
                return;
            }
            let built_non_root = c
                .image_ref()
                .and_then(|i| out.project().graph().image_for_ref(i))
                .is_some_and(|i| i.non_root_user);
            let Some(problem) = detect(pod, c, built_non_root) else {
                return;
            };
            let (span, message) = describe(c, &problem);
            let fix = (!obj.shared_spans && problem.0 != Problem::RootUser)
                .then(|| fix(file.text(), c))
                .flatten();
            out.report(span, message)
                .help("set securityContext.runAsNonRoot: true (and runAsUser ≥ 1000) so that the kubelet refuses to start the container as root")
                .fix_opt(fix);
        });
    }
}

#[derive(Debug, PartialEq)]
enum Problem {
    /// `runAsUser: 0`, at this span.
    RootUser,
    /// `runAsNonRoot: false`, at this span.
    RootAllowed,
    Unset,
}

/// `built_non_root`: the image is built from a Dockerfile of the repository whose final stage
/// sets a non-root USER.
fn detect(pod: &PodSpec, c: &Container, built_non_root: bool) -> Option<(Problem, Span)> {
    let non_root = c.effective_security(pod, "runAsNonRoot");
    if non_root.is_some_and(|(n, _)| n.as_bool() == Some(true)) {
        return None;
    }
    let user = c.effective_security(pod, "runAsUser");
    match user.and_then(|(n, _)| int_value(n).map(|u| (u, n.span))) {
        Some((0, span)) => Some((Problem::RootUser, span)),
        Some(_) => None,
        None => match non_root {
            Some((n, _)) if n.as_bool() == Some(false) => Some((Problem::RootAllowed, n.span)),
            _ if built_non_root || c.image_ref().is_some_and(runs_non_root) => None,
            _ => Some((Problem::Unset, c.at)),
        },
    }
}

fn describe(c: &Container, (problem, span): &(Problem, Span)) -> (Span, String) {
    let who = c.describe();
    let message = match problem {
        Problem::RootUser => format!("{who} runs as root (runAsUser: 0)"),
        Problem::RootAllowed => format!("{who} is allowed to run as root (runAsNonRoot: false)"),
        Problem::Unset => {
            format!("{who} may run as root: no runAsNonRoot: true or non-zero runAsUser")
        }
    };
    (*span, message)
}

/// Adds `runAsNonRoot: true` to the container's securityContext: unsafe, as an image whose USER
/// is root then fails to start.
fn fix(text: &str, c: &Container) -> Option<Fix> {
    let edit = set_path(text, &c.node, &["securityContext", "runAsNonRoot"], "true")?;
    Some(Fix::unsafe_("set runAsNonRoot: true", vec![edit]))
}
