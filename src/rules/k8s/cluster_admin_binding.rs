use super::manifests;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A binding that gives its subjects the cluster-admin role.
pub struct ClusterAdminBinding;

impl Rule for ClusterAdminBinding {
    fn name(&self) -> &'static str {
        "k8s/cluster-admin-binding"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(m) = manifests(file) else { return };
        for obj in m.whole().filter(|o| o.is("ClusterRoleBinding") || o.is("RoleBinding")) {
            let Some(name) = obj.node.get_path(&["roleRef", "name"]) else {
                continue;
            };
            if name.as_str() == Some("cluster-admin")
                && obj.node.get_path(&["roleRef", "kind"]).and_then(Node::as_str) == Some("ClusterRole")
            {
                out.report(name.span, format!("{} grants cluster-admin", obj.describe()))
                    .help("bind a Role or ClusterRole that lists only the resources and verbs the subjects need; cluster-admin can read every Secret and change everything");
            }
        }
    }
}
