//! Output formats. A reporter formats findings and rule metadata; it never sees a syntax tree.

pub mod human;
pub mod json;

use crate::engine::Finding;
use crate::source::SourceFile;
use std::collections::BTreeMap;

/// What every reporter gets.
pub struct ReportInput<'a> {
    pub findings: &'a [Finding],
    /// The text of each checked file, by output path, for snippets.
    pub sources: BTreeMap<&'a str, &'a SourceFile>,
    /// Deployment files checked, by kind name.
    pub files_by_kind: BTreeMap<&'static str, usize>,
    pub files_checked: usize,
}

impl ReportInput<'_> {
    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.findings.iter().filter(|f| f.diag.severity == severity).count()
    }

    pub fn fixable(&self) -> usize {
        self.findings.iter().filter(|f| f.diag.fix.is_some()).count()
    }
}

/// The text of a diagnostic field with every secret of the finding masked. Rules never put a
/// secret in a message; this is the second line of defence for snippets and replacements.
pub fn masked_slice(source: &SourceFile, finding: &Finding, span: crate::source::Span) -> String {
    let red = crate::redact::Redacted::new(&source.text, &finding.diag.secrets);
    let s = red.map_span(span);
    red.text.get(s.range()).unwrap_or("").to_string()
}
