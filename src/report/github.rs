//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the changed lines of a pull request; and the Markdown job summary `--output` writes.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::engine::Finding;

/// GitHub keeps at most this many annotations of each level per step and drops the rest
/// silently, so andon annotates that many and says in the last one how many it left out.
pub const ANNOTATIONS_PER_LEVEL: usize = 10;

/// Rows of the Markdown summary; GitHub caps a step summary at 1 MiB.
const SUMMARY_ROWS: usize = 500;

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a workflow command's message, as the runner's `escapeData` does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command property value, as the runner's `escapeProperty` does.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(input: &ReportInput) -> String {
    const LEVELS: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];
    // A level over the limit gets one annotation fewer, and its last one says how many more.
    let room = LEVELS.map(|level| {
        let n = input.count(level);
        if n > ANNOTATIONS_PER_LEVEL {
            ANNOTATIONS_PER_LEVEL - 1
        } else {
            n
        }
    });
    let mut used = [0usize; 3];
    let mut out = String::new();
    // The report's order is kept; findings past a level's limit stay in the log as plain lines.
    for f in input.findings {
        let i = LEVELS.iter().position(|l| *l == f.diag.severity).unwrap_or(0);
        if used[i] < room[i] {
            used[i] += 1;
            out.push_str(&annotation(input, f));
        } else {
            out.push_str(&plain_line(input, f));
        }
    }
    for (i, level) in LEVELS.iter().enumerate() {
        let rest = input.count(*level) - used[i];
        if rest == 0 {
            continue;
        }
        out.push_str(&format!(
            "::{} title=andon::{}\n",
            command(*level),
            escape_data(&format!(
                "{rest} more {} finding{} not shown as annotations (GitHub shows {} per level); the job log lists every one",
                level.as_str(),
                if rest == 1 { "" } else { "s" },
                ANNOTATIONS_PER_LEVEL
            ))
        ));
    }
    out.push_str(&crate::report::human::render(
        input,
        &crate::report::human::Options {
            color: false,
            quiet: true,
            statistics: false,
        },
    ));
    out
}

fn annotation(input: &ReportInput, f: &Finding) -> String {
    let title = format!("{} {}", f.meta.id, f.meta.name);
    let mut message = f.diag.message.clone();
    if let Some(help) = f.diag.help.as_deref().filter(|h| !h.trim().is_empty()) {
        message.push_str(&format!("\nhelp: {}", help.trim()));
    }
    message.push_str(&format!("\ndocs: {}", f.meta.docs_url()));
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
        command(f.diag.severity),
        escape_property(&f.diag.path),
        f.start.line.max(1),
        f.start.column.max(1),
        f.end.line.max(f.start.line).max(1),
        f.end.column.max(1),
        escape_property(&title),
        escape_data(&input.scrub(f, &message))
    )
}

fn plain_line(input: &ReportInput, f: &Finding) -> String {
    // A line that starts with `::` would be read as a command; paths and messages never do,
    // but the data is escaped all the same so that one finding is one line.
    format!(
        "{}:{}:{}: {} {} {}: {}\n",
        escape_data(&f.diag.path),
        f.start.line,
        f.start.column,
        f.diag.severity.as_str(),
        f.meta.id,
        f.meta.name,
        escape_data(&input.scrub(f, &f.diag.message))
    )
}

/// The job summary: counts, then a table of findings, for `$GITHUB_STEP_SUMMARY`.
pub fn summary_markdown(input: &ReportInput) -> String {
    let mut out = String::from("## andon\n\n");
    out.push_str(&format!(
        "{} file{} checked: **{} error{}**, {} warning{}, {} info{}\n\n",
        input.files_checked,
        plural(input.files_checked),
        input.count(Severity::Error),
        plural(input.count(Severity::Error)),
        input.count(Severity::Warning),
        plural(input.count(Severity::Warning)),
        input.count(Severity::Info),
        plural(input.count(Severity::Info)),
    ));
    if input.findings.is_empty() {
        return out;
    }
    out.push_str("| severity | rule | place | message |\n|---|---|---|---|\n");
    for f in input.findings.iter().take(SUMMARY_ROWS) {
        out.push_str(&format!(
            "| {} | [{}]({}) {} | `{}:{}:{}` | {} |\n",
            f.diag.severity.as_str(),
            f.meta.id,
            f.meta.docs_url(),
            cell(&f.meta.name),
            f.diag.path.replace('`', "'"),
            f.start.line,
            f.start.column,
            cell(&input.scrub(f, &f.diag.message)),
        ));
    }
    if input.findings.len() > SUMMARY_ROWS {
        out.push_str(&format!(
            "\n{} more findings are in the job log.\n",
            input.findings.len() - SUMMARY_ROWS
        ));
    }
    out
}

/// Text that stays inside one Markdown table cell and renders as text, not HTML.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_does() {
        assert_eq!(escape_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
