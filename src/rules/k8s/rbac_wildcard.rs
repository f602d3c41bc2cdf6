use super::manifests;
use crate::kind::FileKind;
use crate::model::File;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;
use std::collections::BTreeSet;

/// A Role or ClusterRole rule granting every verb or every resource. Every resource is what
/// it means to grant on an API group that only the project's own CRDs define (the project's
/// objects, by design) and on the metrics APIs, whose resources are metric names made at run
/// time: there the wildcard is not reported.
pub struct RbacWildcard;

/// The aggregated metrics APIs: `resources` are metric names, unknown until run time.
const METRICS_GROUPS: &[&str] = &["metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io"];

impl Rule for RbacWildcard {
    fn name(&self) -> &'static str {
        "k8s/rbac-wildcard"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let files: Vec<&File> = project.of_kind(FileKind::Kubernetes).collect();
        let own = own_groups(&files);
        for file in files {
            let Some(m) = manifests(file) else { continue };
            for obj in m.whole().filter(|o| o.is("Role") || o.is("ClusterRole")) {
                let rules = obj.node.get("rules").and_then(Node::as_seq).unwrap_or_default();
                for rule in rules {
                    let groups: Vec<&str> = strings(rule, "apiGroups").filter_map(Node::as_str).collect();
                    let scoped = !groups.is_empty() && groups.iter().all(|g| own.contains(*g) || METRICS_GROUPS.contains(g));
                    for field in ["verbs", "resources"] {
                        if field == "resources" && scoped {
                            continue;
                        }
                        if let Some(star) = strings(rule, field).find(|i| i.as_str() == Some("*")) {
                            out.report_in(file.path(), star.span, format!("{} grants every one of its {field} (`*`)", obj.describe()))
                                .help(format!("list the {field} the subject needs: a wildcard also grants those added in later Kubernetes versions and by CRDs"));
                        }
                    }
                }
            }
        }
    }
}

fn strings<'a>(rule: &'a Node, field: &str) -> impl Iterator<Item = &'a Node> {
    rule.get(field).and_then(Node::as_seq).unwrap_or_default().iter()
}

/// The API groups of the CustomResourceDefinitions the project defines.
fn own_groups(files: &[&File]) -> BTreeSet<String> {
    let mut groups = BTreeSet::new();
    for file in files {
        let Some(m) = manifests(file) else { continue };
        let crds = m.objects.iter().filter(|o| o.kind == "CustomResourceDefinition");
        groups.extend(crds.filter_map(|o| o.spec()?.get("group")?.as_str().map(str::to_string)));
    }
    groups
}
