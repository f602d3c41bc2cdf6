use super::{check_container_flag, ContainerFlag};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A container that does not set `allowPrivilegeEscalation: false`.
pub struct PrivilegeEscalationAllowed;

const FLAG: ContainerFlag = ContainerFlag {
    key: "allowPrivilegeEscalation",
    wanted: false,
    help: "set securityContext.allowPrivilegeEscalation: false so that setuid binaries and file capabilities cannot give the process more privileges than it started with",
};

impl Rule for PrivilegeEscalationAllowed {
    fn name(&self) -> &'static str {
        "k8s/privilege-escalation-allowed"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        check_container_flag(file, out, &FLAG);
    }
}
