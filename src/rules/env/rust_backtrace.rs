use super::{literal_values, where_set};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// `RUST_BACKTRACE=1` or `full` in production: a backtrace captured on every error.
pub struct RustBacktrace;

impl Rule for RustBacktrace {
    fn name(&self) -> &'static str {
        "env/rust-backtrace"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for v in literal_values(file) {
            let on = matches!(v.effective.trim(), "1" | "full" | "true");
            if v.key == "RUST_BACKTRACE" && on {
                out.report(
                    v.value_span,
                    format!("`RUST_BACKTRACE={}`{} captures a backtrace on every panic and `anyhow` error", v.effective.trim(), where_set(&v)),
                )
                .help("leave it unset (or 0) in production, or set RUST_LIB_BACKTRACE=0 to keep panic backtraces only; decide deliberately and document it");
            }
        }
    }
}
