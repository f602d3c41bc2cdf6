use super::{is_app_service, report_services_lacking};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Without no-new-privileges a setuid binary in the image can still gain root.
pub struct PrivilegeEscalationAllowed;

impl Rule for PrivilegeEscalationAllowed {
    fn name(&self) -> &'static str {
        "compose/privilege-escalation-allowed"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            |s| is_app_service(s) && !has_no_new_privileges(s),
            |s| format!("service `{}` does not set no-new-privileges", s.name),
            "add `security_opt: [\"no-new-privileges:true\"]`",
        );
    }
}

fn has_no_new_privileges(s: &Service) -> bool {
    s.security_opt.iter().any(|o| {
        let v = o.value.to_ascii_lowercase();
        v == "no-new-privileges" || v == "no-new-privileges:true" || v == "no-new-privileges=true"
    })
}
