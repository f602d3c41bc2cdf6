use crate::model::File;
use crate::rules::{Rule, Sink};

/// `WORKDIR app`: relative to whatever WORKDIR came before, often one set by the base image.
pub struct RelativeWorkdir;

impl Rule for RelativeWorkdir {
    fn name(&self) -> &'static str {
        "dockerfile/relative-workdir"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("WORKDIR")) {
            let Some(word) = inst.words().first() else { continue };
            if is_relative(&word.text) {
                out.report(
                    word.span,
                    format!(
                        "WORKDIR `{}` is relative: it depends on the WORKDIR before it, which may come from the base image",
                        word.text
                    ),
                )
                .help("use an absolute path (`WORKDIR /app`)");
            }
        }
    }
}

/// Relative, and not a variable (`$HOME`) or a Windows path (`C:\app`).
fn is_relative(path: &str) -> bool {
    let p = path.trim_matches('"');
    !(p.starts_with('/') || p.starts_with('$') || p.starts_with('\\') || p.get(1..2) == Some(":"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths() {
        assert!(super::is_relative("app"));
        assert!(!super::is_relative("/app"));
        assert!(!super::is_relative("$HOME/app"));
        assert!(!super::is_relative("C:\\app"));
    }
}
