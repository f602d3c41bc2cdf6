use super::compose;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Capabilities that amount to root on the host, or to control of its network. Capabilities of
/// Docker's default set (`DAC_OVERRIDE`, `SETFCAP`, `CHOWN`, …) are not among them: adding one
/// back after `cap_drop: [ALL]` grants no more than a container has by default.
pub struct DangerousCapability;

const DANGEROUS: &[&str] = &[
    "ALL",
    "SYS_ADMIN",
    "SYS_MODULE",
    "SYS_PTRACE",
    "SYS_RAWIO",
    "SYS_BOOT",
    "SYS_TIME",
    "NET_ADMIN",
    "DAC_READ_SEARCH",
    "BPF",
    "MAC_ADMIN",
];

impl Rule for DangerousCapability {
    fn name(&self) -> &'static str {
        "compose/dangerous-capability"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(compose) = compose(file, out) else { return };
        for s in &compose.services {
            for c in s.cap_add.iter().filter(|c| is_dangerous(&c.value)) {
                out.report(c.span, format!("service `{}` adds capability {}", s.name, c.value))
                    .help("drop it, or document why the service needs it and isolate the service");
            }
        }
    }
}

fn is_dangerous(cap: &str) -> bool {
    let cap = cap.trim().to_ascii_uppercase();
    let cap = cap.strip_prefix("CAP_").unwrap_or(&cap);
    DANGEROUS.contains(&cap)
}
