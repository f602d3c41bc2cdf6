use super::{has_unknown_owners, may_share_namespace, selects, HelmCharts, ProjectObjects};
use crate::model::k8s::Object;
use crate::rules::{Project, Rule, Sink};
use crate::syntax::tree::Node;

/// A HorizontalPodAutoscaler whose scaleTargetRef names a workload the repository does not
/// define, or a PodDisruptionBudget whose selector matches no pod template.
pub struct TargetsNothing;

/// The kinds an autoscaler may scale that andon reads as workloads.
const SCALABLE: &[&str] = &["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"];

impl Rule for TargetsNothing {
    fn name(&self) -> &'static str {
        "k8s/targets-nothing"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let charts = HelmCharts::new(project);
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.whole() {
            if obj.is("HorizontalPodAutoscaler") {
                let target = obj
                    .spec()
                    .and_then(|s| s.get_path(&["scaleTargetRef", "kind"]))
                    .and_then(Node::as_str);
                if !charts.may_define(path, target.unwrap_or("")) {
                    check_autoscaler(&objects, path, obj, out);
                }
            } else if obj.is("PodDisruptionBudget") && !charts.may_define_pods(path) {
                check_budget(&objects, path, obj, out);
            }
        }
    }
}

fn check_autoscaler(objects: &ProjectObjects, path: &str, hpa: &Object, out: &mut Sink) {
    let Some(target) = hpa.spec().and_then(|s| s.get("scaleTargetRef")) else {
        return;
    };
    let (Some(kind), Some(name_node)) = (target.get("kind").and_then(Node::as_str), target.get("name")) else {
        return;
    };
    let Some(name) = name_node.as_str() else { return };
    // Only judged where the repository defines workloads of that kind at all.
    let defines_kind = objects
        .iter()
        .any(|(_, o)| o.is(kind) && o.pod.is_some() && may_share_namespace(o, hpa));
    if !SCALABLE.contains(&kind) || !defines_kind || objects.named(kind, name, hpa).next().is_some() {
        return;
    }
    out.report_in(
        path,
        name_node.span,
        format!(
            "{} scales {kind} `{name}`, which no manifest defines in namespace `{}`",
            hpa.describe(),
            hpa.namespace
        ),
    )
    .help("name the workload as its metadata.name says (and its kind): an autoscaler whose target is missing scales nothing");
}

fn check_budget(objects: &ProjectObjects, path: &str, pdb: &Object, out: &mut Sink) {
    let Some(selector) = pdb.spec().and_then(|s| s.get("selector")) else {
        return;
    };
    // An empty selector selects every pod of the namespace.
    if selector.as_map().is_none_or(<[_]>::is_empty) || pdb.in_system_namespace() {
        return;
    }
    let mut pods = objects.in_namespace(&pdb.namespace).filter_map(|o| o.pod.as_ref()).peekable();
    if pods.peek().is_none() || has_unknown_owners(objects, &pdb.namespace) {
        return;
    }
    if !pods.any(|p| selects(selector, &p.labels)) {
        out.report_in(path, selector.span, format!("the selector of {} matches no pod template in namespace `{}`", pdb.describe(), pdb.namespace))
            .help("make the selector match the labels of the workload's pod template: a budget that selects nothing protects nothing during node drains");
    }
}
