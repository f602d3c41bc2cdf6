use crate::model::dockerfile::{run_commands, same_run, tool_call, tool_calls, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `RUN apt-get update` with no install in the same RUN: the layer is cached, and a later
/// `apt-get install` reads package lists of whatever age the cache holds.
pub struct AptUpdateAlone;

impl Rule for AptUpdateAlone {
    fn name(&self) -> &'static str {
        "dockerfile/apt-update-alone"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for stage in &df.stages {
            let commands = run_commands(df, stage);
            for call in tool_calls(&commands).iter().filter(|c| is_apt(c, "update")) {
                let installs = same_run(&commands, call.run, |c| {
                    tool_call(c).is_some_and(|t| is_apt(&t, "install") || is_apt(&t, "upgrade") || is_apt(&t, "dist-upgrade"))
                });
                if !installs {
                    out.report(
                        call.run.inst.span,
                        "`apt-get update` in a RUN of its own: the cached layer keeps stale package lists for every later install",
                    )
                    .help("run `apt-get update && apt-get install …` in the same RUN");
                }
            }
        }
    }
}

fn is_apt(call: &ToolCall, sub: &str) -> bool {
    matches!(call.tool, Tool::AptGet | Tool::Apt) && call.subcommand() == Some(sub)
}
