use crate::diagnostic::{Edit, Fix};
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::dockerfile::Instruction;

/// ADD where COPY says what happens: local files that are not archives, or a remote URL
/// downloaded without `--checksum`.
pub struct AddInsteadOfCopy;

impl Rule for AddInsteadOfCopy {
    fn name(&self) -> &'static str {
        "dockerfile/add-instead-of-copy"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for inst in df.instructions.iter().filter(|i| i.is("ADD")) {
            let words = inst.words();
            let Some((_dest, sources)) = words.split_last() else { continue };
            if sources.is_empty() && inst.heredocs.is_empty() {
                continue;
            }
            let remote: Vec<&str> = sources.iter().map(|w| w.text.as_str()).filter(|s| is_url(s)).collect();
            if !remote.is_empty() {
                if inst.flag("checksum").is_none() && !remote.iter().all(|s| is_git(s)) {
                    out.report(
                        inst.span,
                        "ADD downloads a URL without verifying it: the image contains whatever the server sent",
                    )
                    .help("add `--checksum=sha256:…`, or download in a RUN with curl/wget and check the hash");
                }
                continue;
            }
            if sources.iter().any(|w| is_archive(&w.text)) {
                continue;
            }
            out.report(
                inst.span,
                "ADD of local files: ADD also unpacks archives and fetches URLs, COPY only copies",
            )
            .help("use COPY, which does only what it says")
            .fix_opt(copy_fix(inst));
        }
    }
}

fn is_url(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") || s.starts_with("ssh://")
}

fn is_git(s: &str) -> bool {
    s.starts_with("git@") || s.ends_with(".git") || s.contains(".git#")
}

/// Local archives ADD unpacks (or may: a variable could name one).
fn is_archive(s: &str) -> bool {
    let s = s.to_ascii_lowercase();
    s.contains('$')
        || [
            ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2", ".xz",
        ]
        .iter()
        .any(|ext| s.ends_with(ext))
}

/// `ADD` → `COPY`, when no flag means something only ADD knows.
fn copy_fix(inst: &Instruction) -> Option<Fix> {
    if inst
        .flags
        .iter()
        .any(|f| !matches!(f.name.as_str(), "chown" | "chmod" | "link" | "from"))
    {
        return None;
    }
    Some(Fix::safe(
        "use COPY",
        vec![Edit {
            span: inst.keyword_span,
            replacement: "COPY".into(),
        }],
    ))
}
