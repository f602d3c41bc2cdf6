//! Output formats. A reporter formats findings and rule metadata; it never sees a syntax tree.

pub mod checklist_html;
pub mod checklist_human;
pub mod checklist_json;
pub mod checklist_md;
pub mod checkstyle;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::engine::Finding;
use crate::rules::catalog::RuleMeta;
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
    /// Of those, the files judged not to ship: production-only rules skipped them.
    pub non_production_files: usize,
    /// Every rule enabled for the run, findings or not: SARIF lists them so that code scanning
    /// can tell a fixed alert from a rule that was switched off.
    pub rules: Vec<&'static RuleMeta>,
    /// Findings a suppression covers, with its justification: SARIF shows them as suppressed.
    pub suppressed: &'a [(Finding, crate::engine::SuppressedBy)],
    /// Project-wide rules did not run (files were given, not folders): a clean report then
    /// says less than a full run's, and the summary says so.
    pub project_rules_skipped: bool,
    /// Every secret value any finding of the run (suppressed or not) marked, by path: a
    /// finding's snippet may show the line of another's secret, so all are masked everywhere.
    pub secrets: BTreeMap<&'a str, Vec<crate::source::Span>>,
}

/// The secrets of `findings` and `suppressed`, by path (for [`ReportInput::secrets`]), and in
/// each file with a finding every credential-shaped text ([`crate::redact::credential_spans`]):
/// a snippet may show a credential that no rule recognises.
pub fn secrets_by_path<'a>(
    findings: &'a [Finding],
    suppressed: &'a [(Finding, crate::engine::SuppressedBy)],
    sources: &BTreeMap<&'a str, &'a SourceFile>,
) -> BTreeMap<&'a str, Vec<crate::source::Span>> {
    let mut out: BTreeMap<&str, Vec<crate::source::Span>> = BTreeMap::new();
    for f in findings.iter().chain(suppressed.iter().map(|(f, _)| f)) {
        out.entry(f.diag.path.as_str()).or_default().extend(&f.diag.secrets);
    }
    for (path, spans) in &mut out {
        if let Some(source) = sources.get(path) {
            spans.extend(crate::redact::credential_spans(&source.text));
        }
    }
    out
}

impl ReportInput<'_> {
    pub fn count(&self, severity: crate::diagnostic::Severity) -> usize {
        self.findings.iter().filter(|f| f.diag.severity == severity).count()
    }

    pub fn fixable(&self) -> usize {
        self.findings.iter().filter(|f| f.diag.fix.is_some()).count()
    }

    /// The enabled rules plus any rule a finding came from (the engine may report for a rule
    /// that is always on, such as the internal-error one), once each, sorted by id.
    pub fn all_rules(&self) -> Vec<&'static RuleMeta> {
        let mut by_id: BTreeMap<&str, &'static RuleMeta> = BTreeMap::new();
        for m in self.rules.iter().copied().chain(self.findings.iter().map(|f| f.meta)) {
            by_id.entry(m.id.as_str()).or_insert(m);
        }
        by_id.into_values().collect()
    }

    /// The secrets known in the file of `finding`.
    pub fn secrets_of(&self, finding: &Finding) -> &[crate::source::Span] {
        self.secrets.get(finding.diag.path.as_str()).map_or(&[], Vec::as_slice)
    }

    /// `text` with every secret value of the file of `finding` masked. Rules never put a
    /// secret in a message, help or replacement; this is the second line of defence for free
    /// text.
    pub fn scrub(&self, finding: &Finding, text: &str) -> String {
        let Some(source) = self.sources.get(finding.diag.path.as_str()) else {
            return text.to_string();
        };
        let mut secrets: Vec<&str> = self
            .secrets_of(finding)
            .iter()
            .filter_map(|s| source.text.get(s.range()))
            .filter(|s| !s.is_empty())
            .collect();
        // Longest first, so a secret that contains another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = text.to_string();
        for s in secrets {
            if out.contains(s) {
                out = out.replace(s, &crate::redact::mask(s));
            }
        }
        out
    }

    /// Whether `text` holds any secret value of `finding`.
    pub fn leaks(&self, finding: &Finding, text: &str) -> bool {
        self.scrub(finding, text) != text
    }
}

/// The text of a diagnostic field with every secret of its file masked. Rules never put a
/// secret in a message; this is the second line of defence for snippets and replacements.
pub fn masked_slice(input: &ReportInput, source: &SourceFile, finding: &Finding, span: crate::source::Span) -> String {
    crate::redact::Redacted::window(&source.text, span, input.secrets_of(finding)).text
}

/// `s` made safe for XML 1.0 text and attribute values: markup characters become entities,
/// line breaks and tabs become character references (attribute normalisation would otherwise
/// turn them into spaces), and characters XML 1.0 cannot carry at all become U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Every checked path, whether or not it has findings, sorted: the XML formats list clean
/// files too, so that dashboards count them as passing.
pub fn checked_paths<'a>(input: &'a ReportInput) -> Vec<&'a str> {
    let mut paths: Vec<&str> = input.sources.keys().copied().collect();
    for f in input.findings {
        if !input.sources.contains_key(f.diag.path.as_str()) {
            paths.push(f.diag.path.as_str());
        }
    }
    paths.sort_unstable();
    paths.dedup();
    paths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_breaks_and_forbidden_characters() {
        assert_eq!(xml_escape("a<b>&\"c'\n\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;&#10;\u{FFFD}");
    }
}
