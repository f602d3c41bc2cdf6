use super::{replicas, ProjectObjects};
use crate::rules::{Project, Rule, Sink};

/// A workload that sets `replicas` while an autoscaler scales it: every apply resets the count.
pub struct ReplicasBesideAutoscaler;

impl Rule for ReplicasBesideAutoscaler {
    fn name(&self) -> &'static str {
        "k8s/replicas-beside-autoscaler"
    }

    fn check_project(&self, project: &Project, out: &mut Sink) {
        let objects = ProjectObjects::new(project.files);
        for (path, obj) in objects.iter() {
            let Some((_, Some(written))) = replicas(obj) else { continue };
            let Some(hpa) = objects.autoscaler_of(obj) else { continue };
            out.report_in(path, written.span, format!("{} sets replicas although {} scales it", obj.describe(), hpa.describe()))
                .help("remove spec.replicas: each kubectl apply or GitOps sync resets the replica count the autoscaler chose, until it scales again");
        }
    }
}
