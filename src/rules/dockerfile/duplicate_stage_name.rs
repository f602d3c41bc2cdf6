use crate::model::File;
use crate::rules::{Rule, Sink};

/// Two stages with the same `AS` name: `COPY --from` and `--target` silently pick one.
pub struct DuplicateStageName;

impl Rule for DuplicateStageName {
    fn name(&self) -> &'static str {
        "dockerfile/duplicate-stage-name"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (i, stage) in df.stages.iter().enumerate() {
            let (Some(name), Some(span)) = (&stage.name, stage.name_span) else {
                continue;
            };
            let Some(first) = df.stages[..i].iter().find(|s| s.name.as_ref() == Some(name)) else {
                continue;
            };
            let report = out
                .report(span, format!("stage name `{name}` is already used by an earlier stage"))
                .help("give every stage its own name");
            if let Some(first_span) = first.name_span {
                report.label(first_span, "first defined here");
            }
        }
    }
}
