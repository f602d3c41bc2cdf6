use super::runtime;
use crate::model::dockerfile::{is_root_user, is_windows, user_of};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// The shipped image's USER is a name: Kubernetes cannot check `runAsNonRoot` against it, and
/// the UID behind it is whatever the base image's /etc/passwd says.
pub struct UserByName;

impl Rule for UserByName {
    fn name(&self) -> &'static str {
        "dockerfile/user-by-name"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let Some((inst, user)) = user_of(df, stage) else { return };
        // Root is runs-as-root's; an unresolved ARG is chosen by whoever builds.
        if is_root_user(&user) || user.contains('$') || user.is_empty() || is_windows(df, stage) {
            return;
        }
        if user.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        out.report(
            inst.span,
            format!(
                "the final stage runs as the user name `{user}`, not a numeric UID: Kubernetes cannot verify `runAsNonRoot` for a name"
            ),
        )
        .help(format!(
            "create the user with a fixed UID (`useradd --uid 10001 {user}`) and write `USER 10001` (or `USER 10001:10001`)"
        ));
    }
}
