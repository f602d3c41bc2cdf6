use super::runtime;
use crate::model::dockerfile::stage_chain;
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    required: Vec<String>,
}

/// The shipped image carries no OCI labels: nothing says which source and version it was
/// built from.
pub struct MissingOciLabels;

impl Rule for MissingOciLabels {
    fn name(&self) -> &'static str {
        "dockerfile/missing-oci-labels"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some((df, stage)) = runtime(file) else { return };
        let options: Options = out.options();
        let labels: Vec<&str> = stage_chain(df, stage)
            .iter()
            .flat_map(|s| s.instructions(df))
            .filter(|i| i.is("LABEL"))
            .flat_map(|i| i.pairs.iter().map(|p| p.key.as_str()))
            .collect();
        let missing: Vec<&str> = options
            .required
            .iter()
            .map(String::as_str)
            .filter(|r| !labels.contains(r))
            .collect();
        if missing.is_empty() {
            return;
        }
        let span = stage.from_inst(df).map_or(stage.image.span, |i| i.span);
        let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        out.report(span, format!("the image has no {} label", list.join(", ")))
            .help("add `LABEL org.opencontainers.image.source=\"https://…\" org.opencontainers.image.version=\"…\"` to the final stage, or set them in CI with `docker build --label`");
    }
}
