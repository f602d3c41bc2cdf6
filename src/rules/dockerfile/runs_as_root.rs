use super::{every_runtime, runtime};
use crate::model::dockerfile::{base_image, is_base_image, is_root_user, last_in_chain, stage_chain, start_command, user_of};
use crate::model::repo::{join, parent, RepoIndex};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::{Dockerfile, Stage};

/// The image that ships runs as root: no USER in its final stage, or USER root/0. Not when
/// every Compose service and Kubernetes container that runs it sets a non-root user.
pub struct RunsAsRoot;

impl Rule for RunsAsRoot {
    fn name(&self) -> &'static str {
        "dockerfile/runs-as-root"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        if every_runtime(out, file, |r| r.sets_non_root_user())
            || is_layer_for_others(file.path(), df, stage)
            || entrypoint_drops_privileges(file.path(), df, stage, out.project().repo)
        {
            return;
        }
        match user_of(df, stage) {
            Some((user, name)) if is_root_user(&name) => {
                out.report(
                    user.span,
                    format!("the final stage switches to `{name}`, so the container runs as root"),
                )
                .help("end the final stage with `USER <uid>` of a non-root user (a numeric UID of 1000 or more)");
            }
            Some(_) => {}
            None if !non_root_by_default(df, stage) => {
                let span = stage.from_inst(df).map_or(stage.image.span, |from| from.span);
                out.report(span, "the final stage sets no USER, so the container runs as root")
                    .help("create a non-root user and add `USER <uid>` (a numeric UID of 1000 or more) before ENTRYPOINT/CMD");
            }
            None => {}
        }
    }
}

/// A base image of the project's own (`Dockerfile.base`, `base/Dockerfile`) that runs nothing
/// itself: no ENTRYPOINT or CMD in its final stage's chain. The images built FROM it are what
/// run, and are judged themselves (harbor's `harbor-core-base` under `Dockerfile` with USER).
fn is_layer_for_others(path: &str, df: &Dockerfile, stage: &Stage) -> bool {
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path).to_ascii_lowercase();
    let folder = parts.next().unwrap_or("").to_ascii_lowercase();
    let named_base = folder == "base" || name.split(['.', '-', '_']).any(|w| w == "base");
    named_base && last_in_chain(df, stage, "ENTRYPOINT").is_none() && last_in_chain(df, stage, "CMD").is_none()
}

/// Commands that start a program as another user, as entrypoint scripts drop root with them.
const PRIVILEGE_DROPS: &[&str] = &[
    "gosu ",
    "su-exec ",
    "setpriv ",
    "s6-setuidgid ",
    "chpst -u",
    "runuser -u",
    "sudo -u",
];

/// Whether the script the image starts (its ENTRYPOINT, else its CMD: `start.sh`,
/// `docker-entrypoint.sh`), copied in from the repository, starts the service as another user
/// (`exec gosu app "$@"`, `sudo -u \#10000 rsyslogd`): root only long enough to drop it. The
/// script is found by name among the stage chain's COPY and ADD sources, resolved from the
/// Dockerfile's folder and each folder above it (the build context is one of them).
fn entrypoint_drops_privileges(path: &str, df: &Dockerfile, stage: &Stage, repo: &RepoIndex) -> bool {
    let words = start_command(df, stage);
    let program = match words.first().map(String::as_str) {
        Some("sh" | "bash" | "/bin/sh" | "/bin/bash") => words.get(1),
        _ => words.first(),
    };
    let Some(script) = program.and_then(|p| p.rsplit('/').next()).filter(|n| !n.is_empty()) else {
        return false;
    };
    let sources: Vec<&str> = stage_chain(df, stage)
        .iter()
        .flat_map(|s| s.instructions(df))
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
        .flat_map(|i| {
            let words = i.words();
            words
                .split_last()
                .map_or(&[][..], |(_, sources)| sources)
                .iter()
                .map(|w| w.text.as_str())
        })
        .filter(|src| src.rsplit('/').next() == Some(script))
        .collect();
    let mut dir = parent(path);
    loop {
        for src in &sources {
            let text = join(dir, src.trim_start_matches("./")).and_then(|p| repo.text(&p));
            if text.is_some_and(|t| PRIVILEGE_DROPS.iter().any(|d| t.contains(d))) {
                return true;
            }
        }
        if dir.is_empty() {
            return false;
        }
        dir = parent(dir);
    }
}

/// Images that do not run their process as root without a USER: base images that set a
/// non-root user or drop privileges in their entrypoint (`images::runs_non_root`: Prometheus',
/// Grafana's, distroless and Chainguard `nonroot`, the official postgres and redis images),
/// stages that install `gosu` or `su-exec` to do the same; and base images whose command is a bare
/// interpreter (`CMD ["python3"]`), where the image built on them chooses the user.
fn non_root_by_default(df: &Dockerfile, stage: &Stage) -> bool {
    let base = base_image(df, stage).to_ascii_lowercase();
    if base.contains("nonroot") || crate::model::images::runs_non_root(&base) || is_base_image(df, stage) {
        return true;
    }
    stage_chain(df, stage)
        .iter()
        .flat_map(|s| s.instructions(df))
        .filter(|i| i.is("RUN") || i.is("COPY") || i.is("ADD"))
        .any(|i| {
            let text = i.rest.text.as_str();
            text.contains("gosu") || text.contains("su-exec")
        })
}
