use super::insert_after;
use crate::diagnostic::Fix;
use crate::model::dockerfile::{run_commands, tool_calls, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A build that may resolve different dependency versions than the lockfile says:
/// `cargo build` without `--locked`, `npm install` instead of `npm ci`, `yarn install`
/// without a frozen lockfile.
pub struct UnlockedBuild;

impl Rule for UnlockedBuild {
    fn name(&self) -> &'static str {
        "dockerfile/unlocked-build"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for stage in &df.stages {
            let commands = run_commands(df, stage);
            for call in tool_calls(&commands) {
                match call.tool {
                    Tool::Cargo if cargo_unlocked(&call) => {
                        let sub = call.operands[0];
                        out.report(
                            call.run.span(),
                            format!(
                                "`cargo {}` without `--locked` may update Cargo.lock and build other dependency versions than were tested",
                                sub.text
                            ),
                        )
                        .help("add `--locked` (the build then fails instead of silently changing Cargo.lock)")
                        .fix(Fix::unsafe_("add `--locked`", insert_after(call.run, sub, "--locked")));
                    }
                    Tool::Npm if npm_install_from_lockfile(&call) => {
                        out.report(
                            call.run.span(),
                            "`npm install` may rewrite package-lock.json and install other versions than were tested",
                        )
                        .help("use `npm ci`, which installs exactly the lockfile (add `--omit=dev` for runtime images)");
                    }
                    Tool::Yarn if yarn_unfrozen(&call) => {
                        out.report(
                            call.run.span(),
                            "`yarn install` without a frozen lockfile may install other versions than were tested",
                        )
                        .help("use `yarn install --frozen-lockfile` (Yarn 1) or `yarn install --immutable` (Yarn 2+)");
                    }
                    _ => {}
                }
            }
        }
    }
}

fn cargo_unlocked(call: &ToolCall) -> bool {
    matches!(call.subcommand(), Some("build" | "install" | "test" | "run" | "b" | "t" | "r"))
        && !call.has_flag("locked", None)
        && !call.has_flag("frozen", None)
        && !call.has_flag("offline", None)
    // `cargo install name` fetches a crate from the registry; only --locked makes it use
    // the crate's own lockfile, which is still worth asking for.
}

fn npm_install_from_lockfile(call: &ToolCall) -> bool {
    matches!(call.subcommand(), Some("install" | "i" | "add")) && call.packages().is_empty() && !call.has_flag("global", Some('g'))
}

fn yarn_unfrozen(call: &ToolCall) -> bool {
    let bare = call.args.is_empty();
    (bare || (call.subcommand() == Some("install") && call.packages().is_empty()))
        && !call.has_flag("frozen-lockfile", None)
        && !call.has_flag("immutable", None)
        && !call.has_flag("pure-lockfile", None)
}
