use super::{is_app_service, report_services_lacking};
use crate::model::compose::Service;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The application keeps Docker's default capability set (CHOWN, NET_RAW, SETUID, …).
pub struct CapabilitiesNotDropped;

impl Rule for CapabilitiesNotDropped {
    fn name(&self) -> &'static str {
        "compose/capabilities-not-dropped"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        report_services_lacking(
            file,
            out,
            lacks_cap_drop_all,
            |s| format!("service `{}` keeps Docker's default capabilities", s.name),
            "add `cap_drop: [ALL]`, then `cap_add:` back only what the service needs",
        );
    }
}

/// Privileged services are reported by `compose/privileged`; third-party images are left alone.
fn lacks_cap_drop_all(s: &Service) -> bool {
    is_app_service(s)
        && s.privileged.as_ref().map(|p| p.value) != Some(true)
        && !s.cap_drop.iter().any(|c| c.value.eq_ignore_ascii_case("ALL"))
}
