use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Dockerfile;

/// `COPY --from=name` where `name` is no earlier stage: a later stage, a typo, or an image
/// named without registry or tag.
pub struct UnknownCopyFrom;

impl Rule for UnknownCopyFrom {
    fn name(&self) -> &'static str {
        "dockerfile/unknown-copy-from"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            if !inst.is("COPY") {
                continue;
            }
            let Some(flag) = inst.flag("from") else { continue };
            let Some(value) = flag.value.as_deref() else { continue };
            let current = df.stage_of(index).map_or(0, |s| s.index);
            if let Some(why) = problem(df, current, value) {
                out.report(flag.span, format!("`--from={value}` {why}"))
                    .help("name a stage defined earlier in this file (`FROM … AS name`), or a full image reference with a tag");
            }
        }
    }
}

/// What is wrong with `--from=value` in the stage at `current`, if anything.
fn problem(df: &Dockerfile, current: usize, value: &str) -> Option<&'static str> {
    let resolved = df.substitute_args(value, None).to_ascii_lowercase();
    if resolved.contains('$') {
        return None;
    }
    if let Ok(n) = resolved.parse::<usize>() {
        return (n >= current).then_some("refers to a stage by a number that is not an earlier stage");
    }
    match df.stage_by_name(&resolved) {
        Some(s) if s.index >= current => Some("names this stage or a later one: COPY can only read from stages before it"),
        Some(_) => None,
        // Looks like an image: a registry, a path or a tag.
        None if resolved.contains(['/', ':', '@', '.']) => None,
        None if df.stages.is_empty() => None,
        None => Some("names no stage of this file, so Docker pulls an image of that name (or needs a `--build-context` of it)"),
    }
}
