use super::{selects, ProjectObjects};
use crate::rules::{Project, Rule, Sink};

/// A container behind a Service with no preStop hook: it gets SIGTERM while endpoints still send
/// it requests.
pub struct MissingPrestopHook;

impl Rule for MissingPrestopHook {
    fn name(&self) -> &'static str {
        "k8s/missing-prestop-hook"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.whole() {
            let Some(pod) = &obj.pod else { continue };
            if obj.runs_to_completion() || pod.labels.is_empty() {
                continue;
            }
            let service = objects.of_kind("Service", &obj.namespace).find(|s| {
                s.spec()
                    .and_then(|sp| sp.get("selector"))
                    .is_some_and(|sel| sel.as_map().is_some_and(|m| !m.is_empty()) && selects(sel, &pod.labels))
            });
            let Some(service) = service else { continue };
            for c in pod.regular().filter(|c| !c.ports.is_empty()) {
                if c.node.get_path(&["lifecycle", "preStop"]).is_some_and(|n| !n.is_null()) {
                    continue;
                }
                out.report_in(path, c.at, format!("{} is behind {} but has no preStop hook", c.describe(), service.describe()))
                    .help("add lifecycle.preStop (e.g. sleep 5-10 s) so that endpoints are removed before the process gets SIGTERM and in-flight requests finish");
            }
        }
    }
}
