use super::in_builder;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A HEALTHCHECK left to Docker's default timing: a hung probe counts as healthy for 30 s,
/// and a failure is noticed only after three 30 s intervals.
pub struct HealthcheckWithoutTimeout;

impl Rule for HealthcheckWithoutTimeout {
    fn name(&self) -> &'static str {
        "dockerfile/healthcheck-without-timeout"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            let Some(check) = inst.healthcheck() else { continue };
            if check.none || in_builder(df, index) {
                continue;
            }
            let missing: Vec<&str> = ["timeout", "interval"]
                .into_iter()
                .filter(|f| inst.flag(f).is_none())
                .map(|f| if f == "timeout" { "`--timeout`" } else { "`--interval`" })
                .collect();
            if missing.is_empty() {
                continue;
            }
            out.report(
                inst.keyword_span,
                format!(
                    "this HEALTHCHECK has no {}: Docker's defaults (30 s each) let a hung probe pass for 30 s and notice a failure only after 90 s",
                    missing.join(" or ")
                ),
            )
            .help("set both to what the service needs, e.g. `HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD …`");
        }
    }
}
