use crate::model::dockerfile::all_run_commands;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Dockerfile;

/// `setcap cap_…+ep` in a RUN: the binary gains capabilities whenever it runs, in every
/// container of the image.
pub struct SetcapAddsCapabilities;

impl Rule for SetcapAddsCapabilities {
    fn name(&self) -> &'static str {
        "dockerfile/setcap-adds-capabilities"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for run in all_run_commands(df) {
            if !run.command.is("setcap") {
                continue;
            }
            let Some(caps) = run.command.args().iter().find(|a| grants(&a.text)) else {
                continue;
            };
            let mut message = format!(
                "`setcap {}` gives the binary extra capabilities in every container that runs it",
                caps.text
            );
            if after_non_root_user(df, run.index) {
                message.push_str("; it also runs after a non-root USER, where setcap itself fails");
            }
            out.report(run.span(), message).help(
                "bind an unprivileged port (≥ 1024) instead of adding `cap_net_bind_service`; grant what is really needed at run time (`cap_add`, `securityContext.capabilities.add`) and drop the rest",
            );
        }
    }
}

/// A capability text that adds to the permitted or effective set (`cap_x+ep`, `cap_x=eip`).
fn grants(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("cap_") && (t.contains('+') || t.contains('=')) && !t.contains("-ep") && !t.ends_with('=')
}

/// Whether the last USER before instruction `index` (in its stage, or in the file when there
/// are no stages) is not root.
fn after_non_root_user(df: &Dockerfile, index: usize) -> bool {
    let start = df.stage_of(index).map_or(0, |s| s.instructions.start);
    df.instructions
        .get(start..index)
        .unwrap_or(&[])
        .iter()
        .rev()
        .find(|i| i.is("USER"))
        .and_then(crate::model::dockerfile::user_name)
        .is_some_and(|u| !crate::model::dockerfile::is_root_user(u))
}
