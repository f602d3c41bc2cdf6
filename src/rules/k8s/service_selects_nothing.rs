use super::{has_unknown_owners, selects, HelmCharts, ProjectObjects};
use crate::rules::{Project, Rule, Sink};

/// A Service whose selector matches no pod template of its namespace.
pub struct ServiceSelectsNothing;

impl Rule for ServiceSelectsNothing {
    fn name(&self) -> &'static str {
        "k8s/service-selects-nothing"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let charts = HelmCharts::new(project);
        let objects = ProjectObjects::new(project.files);
        for (path, svc) in objects.iter() {
            // System namespaces hold Services for static control-plane pods no manifest defines.
            if !svc.is("Service") || svc.in_system_namespace() || charts.may_define_pods(path) {
                continue;
            }
            let Some(selector) = svc.spec().and_then(|s| s.get("selector")) else {
                continue;
            };
            if selector.as_map().is_none_or(<[_]>::is_empty) {
                continue;
            }
            // Only judged where the project defines the namespace's workloads at all.
            let mut pods = objects
                .iter()
                .map(|(_, o)| o)
                .filter(|o| o.namespace == svc.namespace)
                .filter_map(|o| o.pod.as_ref())
                .peekable();
            if pods.peek().is_none() || has_unknown_owners(&objects, &svc.namespace) {
                continue;
            }
            if !pods.any(|p| selects(selector, &p.labels)) {
                out.report_in(path, selector.span, format!("the selector of {} matches no pod template in namespace `{}`", svc.describe(), svc.namespace))
                    .help("make the selector match the labels of the workload's pod template (spec.template.metadata.labels): a Service that selects nothing has no endpoints");
            }
        }
    }
}
