use super::insert_after;
use crate::diagnostic::Fix;
use crate::model::dockerfile::{has_cache_mount, run_commands, same_run, shipped_stages, tool_calls, RunCommand, Tool, ToolCall};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Dockerfile;

/// A package manager's cache left in a layer of the shipped image: apt lists not removed in
/// the RUN that downloaded them, `apk add` without `--no-cache`, `pip install` without
/// `--no-cache-dir`. Builder stages are not judged: their layers never ship.
pub struct PackageCacheKept;

impl Rule for PackageCacheKept {
    fn name(&self) -> &'static str {
        "dockerfile/package-cache-kept"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        let pip_cache_off = pip_cache_disabled(df);
        for stage in shipped_stages(df) {
            let commands = run_commands(df, stage);
            for call in tool_calls(&commands) {
                let span = call.run.span();
                match (call.tool, call.subcommand()) {
                    (Tool::AptGet | Tool::Apt, Some("update")) if !apt_lists_removed(&commands, call.run) => {
                        out.report(
                            span,
                            "the apt package lists downloaded here stay in the image: this RUN does not remove /var/lib/apt/lists",
                        )
                        .help(
                            "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`, or use `--mount=type=cache,target=/var/lib/apt/lists`",
                        );
                    }
                    (Tool::Apk, Some("add")) if !apk_cache_off(&commands, &call) => {
                        out.report(span, "`apk add` without `--no-cache` leaves the package index in the image")
                            .help("use `apk add --no-cache`")
                            .fix(Fix::safe(
                                "add `--no-cache`",
                                insert_after(call.run, call.operands[0], "--no-cache"),
                            ));
                    }
                    (Tool::Pip, Some("install")) if !pip_cache_off && !pip_cache_skipped(&call) => {
                        out.report(
                            span,
                            "`pip install` without `--no-cache-dir` keeps pip's download cache in the image",
                        )
                        .help("use `pip install --no-cache-dir`, or set `ENV PIP_NO_CACHE_DIR=1`")
                        .fix(Fix::safe(
                            "add `--no-cache-dir`",
                            insert_after(call.run, call.operands[0], "--no-cache-dir"),
                        ));
                    }
                    _ => {}
                }
            }
        }
    }
}

fn removes(run: &RunCommand, path: &str) -> bool {
    run.command.is("rm") && run.command.args().iter().any(|a| a.text.starts_with(path))
}

fn apt_lists_removed(commands: &[RunCommand], update: &RunCommand) -> bool {
    has_cache_mount(update.inst, &["/var/lib/apt/lists", "/var/lib/apt"])
        || same_run(commands, update, |c| {
            removes(c, "/var/lib/apt/lists") || (c.command.is("apt-get") && c.command.subcommand().is_some_and(|s| s.text == "dist-clean"))
        })
}

fn apk_cache_off(commands: &[RunCommand], call: &ToolCall) -> bool {
    call.has_flag("no-cache", None)
        || call.has_flag("no-network", None)
        || has_cache_mount(call.run.inst, &["/var/cache/apk", "/etc/apk/cache"])
        || same_run(commands, call.run, |c| removes(c, "/var/cache/apk"))
}

fn pip_cache_skipped(call: &ToolCall) -> bool {
    call.has_flag("no-cache-dir", None)
        || has_cache_mount(call.run.inst, &["/root/.cache/pip", "/root/.cache"])
        || call
            .run
            .command
            .assignments()
            .iter()
            .any(|a| a.text.starts_with("PIP_NO_CACHE_DIR="))
}

/// `ENV PIP_NO_CACHE_DIR=1` (or any value pip reads as off) anywhere before.
fn pip_cache_disabled(df: &Dockerfile) -> bool {
    df.instructions
        .iter()
        .filter(|i| i.is("ENV") || i.is("ARG"))
        .flat_map(|i| &i.pairs)
        .any(|p| p.key == "PIP_NO_CACHE_DIR")
}
