use crate::model::dockerfile::all_run_commands;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `sudo` in a RUN: the build runs as root or as USER already; sudo in the image means a
/// user that can become root at run time.
pub struct SudoInRun;

impl Rule for SudoInRun {
    fn name(&self) -> &'static str {
        "dockerfile/sudo-in-run"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for run in all_run_commands(df).iter().filter(|r| r.command.is("sudo")) {
            out.report(
                run.span(),
                "`sudo` in a RUN: the image needs sudo and a user allowed to become root, which defeats running as non-root",
            )
            .help("switch with `USER root` for the steps that need it and back to the non-root `USER` afterwards");
        }
    }
}
