use crate::diagnostic::{Edit, Fix};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::source::Span;

/// COPY or ADD of several sources to a destination without a trailing `/`: Docker refuses
/// the build, since several files cannot become one.
pub struct CopySourcesToFile;

impl Rule for CopySourcesToFile {
    fn name(&self) -> &'static str {
        "dockerfile/copy-sources-to-file"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("COPY") || i.is("ADD")) {
            let words = inst.words();
            let Some((dest, sources)) = words.split_last() else { continue };
            let d = dest.text.as_str();
            if sources.len() < 2 || d.ends_with(['/', '\\']) || matches!(d, "." | "..") || d.contains('$') {
                continue;
            }
            // In exec form the destination is a JSON string: the `/` goes inside its quotes.
            let at = if inst.exec().is_some() { dest.span.end - 1 } else { dest.span.end } as usize;
            out.report(
                dest.span,
                format!(
                    "{} of {} sources to `{d}`: the destination must be a directory ending in `/`",
                    inst.keyword,
                    sources.len()
                ),
            )
            .help(format!("write `{d}/`"))
            .fix(Fix::safe(
                "end the destination with `/`",
                vec![Edit {
                    span: Span::empty(at),
                    replacement: "/".to_string(),
                }],
            ));
        }
    }
}
