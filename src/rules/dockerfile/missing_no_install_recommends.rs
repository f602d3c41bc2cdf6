use super::insert_after;
use crate::diagnostic::Fix;
use crate::model::dockerfile::{run_commands, tool_calls, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `apt-get install` without `--no-install-recommends`: every "recommended" package comes
/// along, in every stage.
pub struct MissingNoInstallRecommends;

impl Rule for MissingNoInstallRecommends {
    fn name(&self) -> &'static str {
        "dockerfile/missing-no-install-recommends"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for stage in &df.stages {
            let commands = run_commands(df, stage);
            // A stage that turned recommends off in apt's configuration needs no flag. Each script
            // is read once, at its first command: a RUN of 50,000 commands took 44 s.
            if commands
                .iter()
                .any(|c| c.position == 0 && c.script.text().contains("Install-Recommends"))
            {
                continue;
            }
            for call in tool_calls(&commands).iter().filter(|c| lacks_flag(c)) {
                let install = call.operands[0];
                out.report(
                    call.run.span(),
                    "`apt-get install` without `--no-install-recommends` also installs every recommended package",
                )
                .help("add `--no-install-recommends` and list the packages the image really needs")
                .fix(Fix::safe(
                    "add `--no-install-recommends`",
                    insert_after(call.run, install, "--no-install-recommends"),
                ));
            }
        }
    }
}

fn lacks_flag(call: &ToolCall) -> bool {
    matches!(call.tool, Tool::AptGet | Tool::Apt) && call.subcommand() == Some("install") && !call.has_flag("no-install-recommends", None)
}
