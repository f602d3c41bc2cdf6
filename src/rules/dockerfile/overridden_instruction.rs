use crate::model::File;
use crate::rules::{Rule, Sink};

/// Instructions of which only the last in a stage takes effect.
const LAST_WINS: &[&str] = &["CMD", "ENTRYPOINT", "HEALTHCHECK"];

/// A second CMD, ENTRYPOINT or HEALTHCHECK in one stage: the earlier one is silently ignored,
/// which is rarely what its author meant.
pub struct OverriddenInstruction;

impl Rule for OverriddenInstruction {
    fn name(&self) -> &'static str {
        "dockerfile/overridden-instruction"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for stage in &df.stages {
            let insts = stage.instructions(df);
            for keyword in LAST_WINS {
                let same: Vec<_> = insts.iter().filter(|i| i.is(keyword)).collect();
                let Some((last, earlier)) = same.split_last() else { continue };
                for inst in earlier {
                    out.report(
                        inst.span,
                        format!("this {keyword} has no effect: a later {keyword} in the same stage replaces it"),
                    )
                    .label(last.span, format!("the {keyword} that takes effect"))
                    .help(format!("keep one {keyword} per stage (combine the commands into one, or a script)"));
                }
            }
        }
    }
}
