use super::insert_after;
use crate::diagnostic::Fix;
use crate::model::dockerfile::{all_run_commands, tool_calls, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `apt-get install` without `-y`: the build stops at "Do you want to continue?" and aborts.
pub struct AptWithoutYes;

impl Rule for AptWithoutYes {
    fn name(&self) -> &'static str {
        "dockerfile/apt-without-yes"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        // `APT::Get::Assume-Yes` in apt's configuration answers for every call.
        if df.instructions.iter().any(|i| i.rest.text.contains("Assume-Yes")) {
            return;
        }
        let commands = all_run_commands(df);
        for call in tool_calls(&commands).iter().filter(|c| asks(c)) {
            let sub = call.operands[0];
            out.report(
                call.run.span(),
                format!(
                    "`apt-get {}` without `-y` waits for a confirmation no one can give, and the build aborts",
                    sub.text
                ),
            )
            .help("add `-y` (or `--yes`)")
            .fix(Fix::safe("add `-y`", insert_after(call.run, sub, "-y")));
        }
    }
}

/// Whether the call changes packages and may ask: install, upgrade or removal of at least one
/// package, without an option that answers yes (`-y`, `--yes`, `--assume-yes`, `-qq`).
fn asks(call: &ToolCall) -> bool {
    if !matches!(call.tool, Tool::AptGet | Tool::Apt) {
        return false;
    }
    let sub = call.subcommand().unwrap_or("");
    let changes = match sub {
        "install" | "remove" | "purge" => !call.packages().is_empty(),
        "upgrade" | "dist-upgrade" | "full-upgrade" | "autoremove" => true,
        _ => false,
    };
    let quiet2 = call
        .args
        .iter()
        .any(|w| w.text == "-qq" || w.text == "-q=2" || w.text == "--quiet=2");
    changes && !quiet2 && !call.has_flag("yes", Some('y')) && !call.has_flag("assume-yes", None) && !call.has_flag("force-yes", None)
}
