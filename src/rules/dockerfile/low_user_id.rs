use super::runtime;
use crate::model::dockerfile::{is_windows, user_of};
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

/// The shipped image's USER is a numeric UID below the minimum: a system user's UID, which a
/// node may share.
pub struct LowUserId;

#[derive(Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct Options {
    min_uid: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_uid: 1000 }
    }
}

impl Rule for LowUserId {
    fn name(&self) -> &'static str {
        "dockerfile/low-user-id"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let Some((inst, user)) = user_of(df, stage) else { return };
        if is_windows(df, stage) {
            return;
        }
        let min = out.options::<Options>().min_uid;
        // UID 0 is runs-as-root's finding; names are user-by-name's.
        let Ok(uid) = user.parse::<u64>() else { return };
        if uid > 0 && uid < min {
            out.report(
                inst.span,
                format!("the final stage runs as UID {uid}, below {min}: a system user's UID, which the node may share"),
            )
            .help(format!("use a UID of {min} or more (`useradd --uid 10001 app`, then `USER 10001`)"));
        }
    }
}
