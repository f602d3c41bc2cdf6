//! The default report for people: miette snippets with the labelled place, the rule, help and a
//! link to the docs, then a summary line.

use super::ReportInput;
use crate::diagnostic::Severity;
use crate::engine::Finding;
use crate::redact::Redacted;
use crate::source::Span;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::fmt;

/// Lines shown above and below a snippet.
const CONTEXT_LINES: usize = 1;

/// Findings of one rule in one file shown with a snippet; the rest one line each, as compilers
/// cap repeated errors (JSON and SARIF carry every finding in full).
const SNIPPETS_PER_RULE_AND_FILE: usize = 50;

/// The lines of a file a snippet shows, every secret in them masked. miette finds lines by
/// scanning its source from the start, so it gets only these lines, and the line numbers it
/// prints are shifted to the file's: a report of thousands of findings in one large file then
/// costs time in proportion to its snippets, not to the file once per finding.
struct Window {
    name: String,
    text: String,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(&'a self, span: &SourceSpan, before: usize, after: usize) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// A finding as miette renders it, over the [`Window`] of its snippet.
struct Rendered<'a> {
    finding: &'a Finding,
    source: Window,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.diag.message)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.finding.diag.message)
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        // The word as well as the glyph: without colour a glyph alone is easy to misread.
        Some(Box::new(format!(
            "{} {} {}",
            self.finding.diag.severity.as_str(),
            self.finding.meta.id,
            self.finding.meta.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.meta.docs_url()))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

pub struct Options {
    pub color: bool,
    pub quiet: bool,
    pub statistics: bool,
}

pub fn render(input: &ReportInput, opts: &Options) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_context_lines(CONTEXT_LINES);
    let mut out = String::new();
    if !opts.quiet {
        let mut shown: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
        for f in input.findings {
            let n = shown.entry((f.diag.path.as_str(), f.meta.id.as_str())).or_default();
            *n += 1;
            if *n <= SNIPPETS_PER_RULE_AND_FILE {
                render_one(input, f, &handler, &mut out);
            } else {
                out.push_str(&one_line(input, f));
            }
        }
        let mut capped: Vec<_> = shown.into_iter().filter(|(_, n)| *n > SNIPPETS_PER_RULE_AND_FILE).collect();
        capped.sort();
        for ((path, id), n) in capped {
            out.push_str(&format!(
                "{path}: {n} {id} findings; after the first {SNIPPETS_PER_RULE_AND_FILE}, one line each (every format but this one shows them all in full)\n"
            ));
        }
    }
    if opts.statistics {
        out.push_str(&statistics(input));
    }
    out.push_str(&summary(input));
    out
}

/// `path:line:column: severity ID message`, as compilers print it: the lines past the cap, and
/// `--format concise`, for editors and grep.
fn one_line(input: &ReportInput, f: &Finding) -> String {
    format!(
        "{}:{}:{}: {} {} {}\n",
        f.diag.path,
        f.start.line,
        f.start.column,
        f.diag.severity.as_str(),
        f.meta.id,
        input.scrub(f, &f.diag.message)
    )
}

/// `--format concise`: one line per finding, then the summary.
pub fn concise(input: &ReportInput) -> String {
    let mut out: String = input.findings.iter().map(|f| one_line(input, f)).collect();
    out.push_str(&summary(input));
    out
}

fn render_one(input: &ReportInput, f: &Finding, handler: &GraphicalReportHandler, out: &mut String) {
    let d = &f.diag;
    let Some(source) = input.sources.get(d.path.as_str()) else {
        out.push_str(&one_line(input, f));
        return;
    };
    let places = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span));
    let (first, last) = places.fold((d.span, d.span), |(a, b), s| {
        (if s.start < a.start { s } else { a }, if s.end > b.end { s } else { b })
    });
    let index = &source.index;
    let first_line = index.line_of(first.start).saturating_sub(CONTEXT_LINES);
    let last_line = (index.line_of(last.end) + CONTEXT_LINES).min(index.line_count() - 1);
    let window = Span {
        start: index.line_span(&source.text, first_line).start,
        end: index.line_span(&source.text, last_line).end,
    };
    let red = Redacted::window(&source.text, window, input.secrets_of(f));
    let span = |s: Span| {
        let clipped = Span {
            start: s.start.clamp(window.start, window.end) - window.start,
            end: s.end.clamp(window.start, window.end) - window.start,
        };
        let m = red.map_span(clipped);
        SourceSpan::from(m.start as usize..m.end as usize)
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(Some(d.message.clone()), span(d.span))];
    labels.extend(
        d.labels
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), span(l.span))),
    );
    let mut help = d.help.clone().unwrap_or_default();
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            crate::diagnostic::Applicability::Safe => "safe",
            crate::diagnostic::Applicability::Unsafe => "unsafe: may change behaviour",
        };
        if !help.is_empty() {
            help.push('\n');
        }
        help.push_str(&format!("fix ({how}): {}", fix.description));
    }
    let help = format!("{help}{}docs: andon explain {}", if help.is_empty() { "" } else { "\n" }, f.meta.id);
    let rendered = Rendered {
        finding: f,
        source: Window {
            name: d.path.clone(),
            text: red.text,
            first_line,
        },
        labels,
        help: Some(help),
    };
    let mut buf = String::new();
    if handler.render_report(&mut buf, &rendered).is_err() {
        buf = one_line(input, f);
    }
    out.push_str(&buf);
    out.push('\n');
}

fn statistics(input: &ReportInput) -> String {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> = std::collections::BTreeMap::new();
    for f in input.findings {
        *counts.entry((f.meta.id.as_str(), f.meta.name.as_str())).or_default() += 1;
    }
    let mut out = String::new();
    for ((id, name), n) in counts {
        out.push_str(&format!("{n:>5}  {id}  {name}\n"));
    }
    out
}

fn summary(input: &ReportInput) -> String {
    let kinds: Vec<String> = input.files_by_kind.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let fixable = input.fixable();
    format!(
        "checked {} file{}{}: {} error{}, {} warning{}, {} info{}{}{}{}\n",
        input.files_checked,
        if input.files_checked == 1 { "" } else { "s" },
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        },
        input.count(Severity::Error),
        plural(input.count(Severity::Error)),
        input.count(Severity::Warning),
        plural(input.count(Severity::Warning)),
        input.count(Severity::Info),
        plural(input.count(Severity::Info)),
        if fixable > 0 {
            format!("; {fixable} with an automatic fix")
        } else {
            String::new()
        },
        if input.project_rules_skipped {
            "; project-wide rules skipped (files given, not folders)"
        } else {
            ""
        },
        match input.non_production_files {
            0 => String::new(),
            n => format!(
                "; {n} file{} judged not to ship, held only to validity rules (`--show-files` says why, `--all-production` checks them as production)",
                plural(n)
            ),
        },
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
