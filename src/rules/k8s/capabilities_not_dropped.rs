use super::{for_each_container, set_path, Scope};
use crate::diagnostic::Fix;
use crate::model::k8s::{Container, ContainerKind};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;
use crate::syntax::tree::Node;

/// A container that keeps the runtime's default capabilities: no `capabilities.drop: [ALL]`.
pub struct CapabilitiesNotDropped;

impl Rule for CapabilitiesNotDropped {
    fn name(&self) -> &'static str {
        "k8s/capabilities-not-dropped"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Whole, |obj, _, c| {
            if c.kind == ContainerKind::Ephemeral {
                return;
            }
            let Some(span) = detect(c) else { return };
            let fix = (!obj.shared_spans)
                .then(|| set_path(file.text(), &c.node, &["securityContext", "capabilities", "drop"], "[ALL]"))
                .flatten()
                .map(|edit| Fix::unsafe_("drop all capabilities", vec![edit]));
            out.report(span, format!("{} does not drop all capabilities", c.describe()))
                .help("set securityContext.capabilities.drop: [ALL] and add back only what the process needs (e.g. NET_BIND_SERVICE)")
                .fix_opt(fix);
        });
    }
}

/// Where the missing `ALL` should be: the `drop` list, or the container's name.
fn detect(c: &Container) -> Option<Span> {
    match c.security("capabilities").and_then(|caps| caps.get("drop")) {
        Some(drop) => {
            let items = drop.as_seq().unwrap_or_default();
            let all = items.iter().filter_map(Node::as_str).any(|cap| cap.eq_ignore_ascii_case("ALL"));
            (!all).then_some(drop.span)
        }
        None => Some(c.at),
    }
}
