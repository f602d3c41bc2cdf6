//! Applying fixes to text: edits never overlap, and applying is a pure function of the text,
//! so that `--fix` and the fixture tests share it.

use crate::diagnostic::Edit;
use std::io::Write;
use std::path::Path;

/// Applies edits to a file's text, writing new lines the way the file does (CRLF stays CRLF).
pub fn apply_in_file(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    if !text.contains("\r\n") {
        return apply(text, edits);
    }
    let crlf: Vec<Edit> = edits
        .iter()
        .map(|e| Edit {
            span: e.span,
            replacement: e.replacement.replace("\r\n", "\n").replace('\n', "\r\n"),
        })
        .collect();
    apply(text, &crlf)
}

/// A unified diff of one file, `a/` and `b/` prefixed as `git apply` expects.
pub fn unified_diff(path: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Replaces the file at `path` with `text` atomically: a temporary file in the same folder,
/// written and synced, given the original's permissions and (where the user may) its owner,
/// then renamed over it. A symbolic link is written through: its target is replaced, the link
/// stays. A read-only file is refused and left untouched. Temporary files that a killed run
/// left beside it are removed first.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let path = &std::fs::canonicalize(path).map_err(|e| format!("cannot read: {e}"))?;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.permissions().readonly() {
        return Err("file is read-only; nothing was written".into());
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_stale_temporaries(dir, &name);
    let tmp = dir.join(format!(".{name}.andon-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::set_permissions(&tmp, meta.permissions())?;
        // Only root may give a file away; anyone else's fixed file is theirs, as any editor
        // would leave it.
        let _ = std::os::unix::fs::chown(&tmp, Some(meta.uid()), Some(meta.gid()));
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write: {e}")
    })
}

/// Removes `.NAME.andon-PID.tmp` files of `name` whose run is over (no process PID). Only
/// where `/proc` tells which processes run: elsewhere another run's file might be taken.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.andon-");
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".tmp")) else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Applies `edits` (byte spans into `text`) from last to first. An edit that overlaps one already
/// taken, or lies outside the text or inside a character, is left out and returned.
pub fn apply(text: &str, edits: &[Edit]) -> (String, Vec<Edit>) {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut taken: Vec<&Edit> = Vec::new();
    let mut rejected = Vec::new();
    for e in sorted {
        let valid = (e.span.end as usize) <= text.len()
            && text.is_char_boundary(e.span.start as usize)
            && text.is_char_boundary(e.span.end as usize);
        let overlaps = taken.last().is_some_and(|last| {
            e.span.start < last.span.end || (e.span.start == last.span.start && e.span.is_empty() && last.span.is_empty())
        });
        if valid && !overlaps {
            taken.push(e);
        } else {
            rejected.push(e.clone());
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    for e in taken {
        out.push_str(&text[at..e.span.start as usize]);
        out.push_str(&e.replacement);
        at = e.span.end as usize;
    }
    out.push_str(&text[at..]);
    (out, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn edit(s: usize, e: usize, r: &str) -> Edit {
        Edit {
            span: Span::new(s, e),
            replacement: r.into(),
        }
    }

    #[test]
    fn applies_in_order_and_rejects_overlaps() {
        let (out, rejected) = apply("hello world", &[edit(6, 11, "there"), edit(0, 5, "hi"), edit(4, 7, "x")]);
        assert_eq!(out, "hi there");
        assert_eq!(rejected.len(), 1);
    }

    #[test]
    fn crlf_files_get_crlf_insertions() {
        let (out, _) = apply_in_file("a: 1\r\nb: 2\r\n", &[edit(6, 6, "x: 0\n")]);
        assert_eq!(out, "a: 1\r\nx: 0\r\nb: 2\r\n");
    }

    #[test]
    fn atomic_write_keeps_permissions_and_refuses_read_only() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f.yaml");
        std::fs::write(&p, "old").expect("write");
        write_atomically(&p, "new").expect("written");
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        let mut perms = std::fs::metadata(&p).expect("meta").permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&p, perms).expect("chmod");
        assert!(write_atomically(&p, "newer").is_err());
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "new");
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1, "no temp file left");
    }

    #[test]
    fn refuses_edits_inside_a_character() {
        let (out, rejected) = apply("é", &[edit(1, 2, "x")]);
        assert_eq!(out, "é");
        assert_eq!(rejected.len(), 1);
    }
}
