use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A Role or ClusterRole rule granting every verb or every resource.
pub struct RbacWildcard;

impl Rule for RbacWildcard {
    fn name(&self) -> &'static str {
        "k8s/rbac-wildcard"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("Role") || o.is("ClusterRole")) {
            let rules = obj.node.get("rules").and_then(Node::as_seq).unwrap_or_default();
            for rule in rules {
                for field in ["verbs", "resources"] {
                    let items = rule.get(field).and_then(Node::as_seq).unwrap_or_default();
                    if let Some(star) = items.iter().find(|i| i.as_str() == Some("*")) {
                        out.report(star.span, format!("{} grants every one of its {field} (`*`)", obj.describe()))
                            .help(format!("list the {field} the subject needs: a wildcard also grants those added in later Kubernetes versions and by CRDs"));
                    }
                }
            }
        }
    }
}
