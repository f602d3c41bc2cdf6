//! Rules for Prometheus rule files (plain `groups:` files and PrometheusRule objects) and
//! prometheus.yml, and what they share: the rule file of a file, the scrape interval the
//! project's prometheus.yml sets, and the fix that adds a key to a rule.

mod absent_never_matches;
mod alert_without_for;
mod alert_without_runbook;
mod alert_without_severity;
mod alert_without_summary;
mod alerting_not_wired;
mod comparison_with_nan;
mod config_schema_violation;
mod duplicate_group_name;
mod duplicate_job_name;
mod duplicate_rule;
mod error_rate_not_ratio;
mod hardcoded_secret;
mod high_cardinality_grouping;
mod histogram_quantile_without_rate;
mod invalid_promql;
mod invalid_relabel_config;
mod invalid_template;
mod irate_in_alert;
mod localhost_scrape_target;
mod no_cert_expiry_alert;
mod no_disk_alert;
mod no_error_rate_alert;
mod no_latency_alert;
mod no_memory_alert;
mod no_retention_limit;
mod no_service_down_alert;
mod rate_of_gauge;
mod rate_window_too_short;
mod ratio_of_series_to_itself;
mod rule_file_not_loaded;
mod scrape_interval_out_of_range;
mod scrape_timeout_exceeds_interval;
mod template_uses_dropped_label;
mod unconventional_record_name;
mod unknown_rule_key;

use super::{Project, Rule, Sink};
use crate::diagnostic::{Edit, Fix};
use crate::model::prometheus::{rule_files, Group, Pair, PromConfig, PromRule, RuleExpr, RuleFile};
use crate::model::File;
use crate::source::Span;
use crate::syntax::promql::{format_duration, parse_duration};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &absent_never_matches::AbsentNeverMatches,
        &alert_without_for::AlertWithoutFor,
        &alert_without_runbook::AlertWithoutRunbook,
        &alert_without_severity::AlertWithoutSeverity,
        &alert_without_summary::AlertWithoutSummary,
        &alerting_not_wired::AlertingNotWired,
        &comparison_with_nan::ComparisonWithNan,
        &config_schema_violation::ConfigSchemaViolation,
        &duplicate_group_name::DuplicateGroupName,
        &duplicate_job_name::DuplicateJobName,
        &duplicate_rule::DuplicateRule,
        &error_rate_not_ratio::ErrorRateNotRatio,
        &hardcoded_secret::HardcodedSecret,
        &high_cardinality_grouping::HighCardinalityGrouping,
        &histogram_quantile_without_rate::HistogramQuantileWithoutRate,
        &invalid_promql::InvalidPromql,
        &invalid_relabel_config::InvalidRelabelConfig,
        &invalid_template::InvalidTemplate,
        &irate_in_alert::IrateInAlert,
        &localhost_scrape_target::LocalhostScrapeTarget,
        &no_cert_expiry_alert::NoCertExpiryAlert,
        &no_disk_alert::NoDiskAlert,
        &no_error_rate_alert::NoErrorRateAlert,
        &no_latency_alert::NoLatencyAlert,
        &no_memory_alert::NoMemoryAlert,
        &no_retention_limit::NoRetentionLimit,
        &no_service_down_alert::NoServiceDownAlert,
        &rate_of_gauge::RateOfGauge,
        &rate_window_too_short::RateWindowTooShort,
        &rule_file_not_loaded::RuleFileNotLoaded,
        &ratio_of_series_to_itself::RatioOfSeriesToItself,
        &scrape_interval_out_of_range::ScrapeIntervalOutOfRange,
        &scrape_timeout_exceeds_interval::ScrapeTimeoutExceedsInterval,
        &template_uses_dropped_label::TemplateUsesDroppedLabel,
        &unconventional_record_name::UnconventionalRecordName,
        &unknown_rule_key::UnknownRuleKey,
    ]
}

/// The `min` and `max` options of a rule that wants a duration within a range (scrape
/// intervals, Alertmanager's route timings). The defaults live in the rule's catalog entry.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DurationRange {
    pub min: String,
    pub max: String,
}

/// Where a duration falls outside a [`DurationRange`], with the bound it crosses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutOfRange {
    Below(Duration),
    Above(Duration),
}

impl DurationRange {
    /// Where `value` falls outside the range; `None` inside it, and when the value or a bound
    /// is not a duration (other rules report those).
    pub fn check(&self, value: &str) -> Option<OutOfRange> {
        let (min, max) = (parse_duration(&self.min)?, parse_duration(&self.max)?);
        let d = parse_duration(value)?;
        if d < min {
            Some(OutOfRange::Below(min))
        } else if d > max {
            Some(OutOfRange::Above(max))
        } else {
            None
        }
    }

    /// `15s–1m`, for help lines.
    pub fn describe(&self) -> String {
        let show = |s: &str| parse_duration(s).map(format_duration).unwrap_or_else(|| s.to_string());
        format!("{}–{}", show(&self.min), show(&self.max))
    }
}

/// The rule groups of a rule file or of the PrometheusRule objects of a Kubernetes file.
pub(crate) fn rule_file(file: &File) -> Option<Arc<RuleFile>> {
    file.model::<RuleFile>()
}

/// Every alerting rule of a file.
pub(crate) fn each_alert(file: &File, f: &mut dyn FnMut(&PromRule)) {
    let Some(rf) = rule_file(file) else { return };
    for g in &rf.groups {
        g.rules.iter().filter(|r| r.is_alert()).for_each(&mut *f);
    }
}

/// Every rule (alerting and recording) of a file, with its group.
pub(crate) fn each_rule(file: &File, f: &mut dyn FnMut(&Group, &PromRule)) {
    let Some(rf) = rule_file(file) else { return };
    for g in &rf.groups {
        for r in &g.rules {
            f(g, r);
        }
    }
}

/// Where `needle` (a token of the expression, e.g. `[1m]`) is written in the file, looked up in
/// the expression's source text so that quotes and block scalars need no mapping back; the
/// whole `expr` value when it cannot be found verbatim (folded or escaped).
pub(crate) fn expr_token_span(file: &File, expr: &RuleExpr, needle: &str) -> Span {
    find_expr_token(file, expr, needle).unwrap_or(expr.span)
}

/// Where `needle` is written verbatim in the expression's source text, if it is.
pub(crate) fn find_expr_token(file: &File, expr: &RuleExpr, needle: &str) -> Option<Span> {
    let raw = file.text().get(expr.span.range()).unwrap_or("");
    let at = crate::syntax::promql::find_word(raw, needle)?;
    Some(Span::new(
        expr.span.start as usize + at,
        expr.span.start as usize + at + needle.len(),
    ))
}

/// Where the `len` bytes at `offset` of a label or annotation value (a template) are written in
/// the file, when the value is written verbatim there (plain, quoted without escapes, or a line
/// of a block scalar); the whole value otherwise. With `len` 0, the word at `offset`.
pub(crate) fn template_place(file: &File, pair: &Pair, offset: usize, len: usize) -> Span {
    let raw = file.text().get(pair.span.range()).unwrap_or("");
    let rest = pair.value.get(offset..).unwrap_or("");
    let token: String = match len {
        0 => rest.chars().take_while(|c| !c.is_whitespace()).take(24).collect(),
        len => rest.get(..len).unwrap_or(rest).to_string(),
    };
    let context_start = pair.value[..offset].rfind("{{").unwrap_or(offset);
    let context = &pair.value[context_start..offset];
    match raw.find(&format!("{context}{token}")) {
        Some(at) if !token.is_empty() => {
            let start = pair.span.start as usize + at + context.len();
            Span::new(start, start + token.len())
        }
        _ => pair.span,
    }
}

/// prometheus.yml's model, for files of that kind.
pub(crate) fn prom_config(file: &File) -> Option<Arc<PromConfig>> {
    file.model::<PromConfig>()
}

/// Which repository files a `rule_files` entry loads. Paths in
/// prometheus.yml are usually where a container mounts the file, not repository paths: the
/// file-name part of the entry (a glob) is matched against the file's name. An entry that is
/// not a valid glob loads anything (another rule reports it).
/// Compiled once per entry: the project rules ask it of every file of the repository.
pub(crate) struct Loader {
    /// `None` for an entry that is not a valid glob.
    glob: Option<globset::GlobMatcher>,
}

impl Loader {
    pub(crate) fn new(entry: &str) -> Loader {
        let name = entry.rsplit('/').next().unwrap_or(entry);
        Loader {
            glob: globset::Glob::new(name).ok().map(|g| g.compile_matcher()),
        }
    }

    pub(crate) fn loads(&self, path: &str) -> bool {
        self.glob
            .as_ref()
            .is_none_or(|g| g.is_match(path.rsplit('/').next().unwrap_or(path)))
    }
}

/// Does the config at `config` (prometheus.yml, alertmanager.yml) belong to the same deployment
/// as the rule file at `rule`: is the rule file in the config's folder or its parent's tree
/// (`prometheus/prometheus.yml` beside `prometheus/rules/a.yml` or `alerts/a.yml`)? Unrelated
/// deployments of a monorepo stay apart.
pub(crate) fn same_deployment(config: &str, rule: &str) -> bool {
    let parent = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
    let root = parent(&parent(config));
    root.is_empty() || rule.starts_with(&format!("{root}/"))
}

/// A fix adding `lines` (e.g. `["for: 5m"]`) to the rule's mapping, after its key `after` (else
/// after its last key), each line indented like the rule's keys. `None` for flow-style rules.
pub(crate) fn insert_rule_key_fix(file: &File, rule: &PromRule, after: &str, lines: &[&str], description: String) -> Option<Fix> {
    let text = file.text();
    let first = rule.keys.first()?;
    let indent = key_indent(text, first.key)?;
    let block = lines.iter().map(|l| format!("{indent}{l}")).collect::<Vec<_>>().join("\n");
    let pos = rule.keys.iter().position(|k| k.name == after).unwrap_or(rule.keys.len() - 1);
    let edit = match rule.keys.get(pos + 1) {
        Some(next) => {
            let start = line_start(text, next.key.start as usize);
            // The next key must sit alone at the start of its own line (block style).
            if text.get(start..next.key.start as usize)? != indent {
                return None;
            }
            Edit {
                span: Span::empty(start),
                replacement: format!("{block}\n"),
            }
        }
        None => {
            let value = rule.keys[pos].value;
            let body = text.get(..value.end as usize)?;
            let last = body.trim_end().len();
            let eol = text[last..].find('\n').map(|i| last + i).unwrap_or(text.len());
            Edit {
                span: Span::empty(eol),
                replacement: format!("\n{block}"),
            }
        }
    };
    Some(Fix::unsafe_(description, vec![edit]))
}

/// The indentation (as spaces) of a block-mapping key, counting a leading `- ` as indentation.
fn key_indent(text: &str, key: Span) -> Option<String> {
    let start = line_start(text, key.start as usize);
    let prefix = text.get(start..key.start as usize)?;
    if !prefix.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    Some(" ".repeat(prefix.len()))
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map(|i| i + 1).unwrap_or(0)
}

/// Is `target` (`host:port`) this machine?
pub(crate) fn is_localhost(target: &str) -> bool {
    let host = target.rsplit_once(':').map(|(h, _)| h).unwrap_or(target);
    matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "0.0.0.0")
}

/// Does a Compose file of the project run Prometheus in a container of its own (not on the host
/// network) beside a service whose image names `other`? Then `localhost` in prometheus.yml is
/// the Prometheus container, never `other`. Only Compose files in the folder of the
/// prometheus.yml at `config` or above it count: they are the ones that deploy it.
pub(crate) fn compose_runs_containerised(files: &[File], config: &str, other: &str) -> bool {
    compose_services(files, config)
        .iter()
        .any(|services| prometheus_in_own_container(services) && services.iter().any(|s| s.image.contains(other)))
}

/// Does a Compose file of the project run Prometheus in a container of its own whose network
/// namespace no other service joins (`network_mode: service:prometheus`)? Then `localhost` in
/// prometheus.yml is Prometheus alone.
pub(crate) fn compose_runs_prometheus_alone(files: &[File], config: &str) -> bool {
    compose_services(files, config)
        .iter()
        .any(|services| prometheus_in_own_container(services) && !services.iter().any(|s| s.shares_network))
}

/// What these rules need to know of a Compose service.
struct ComposeService {
    /// The image, lower-cased.
    image: String,
    host_network: bool,
    /// Joins another container's network namespace (`service:…`, `container:…`).
    shares_network: bool,
}

/// The services of every Compose document in the folder of the file at `near` or above it, one
/// list per document.
fn compose_services(files: &[File], near: &str) -> Vec<Vec<ComposeService>> {
    let folder = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
    let near = folder(near);
    files
        .iter()
        .filter(|f| f.kind == crate::kind::FileKind::Compose)
        .filter(|f| {
            let dir = folder(f.path());
            dir.is_empty() || near == dir || near.starts_with(&format!("{dir}/"))
        })
        .filter_map(|f| f.tree())
        .flat_map(|t| &t.docs)
        .filter_map(|doc| {
            let services = doc.root.as_ref().and_then(|r| doc.get(r, "services"))?;
            Some(
                doc.entries(services)
                    .into_iter()
                    .map(|e| {
                        let text = |key: &str| doc.get(&e.value, key).and_then(|n| n.as_str()).unwrap_or("");
                        let mode = text("network_mode");
                        ComposeService {
                            image: text("image").to_ascii_lowercase(),
                            host_network: mode == "host",
                            shares_network: mode.starts_with("service:") || mode.starts_with("container:"),
                        }
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Prometheus's own image is named `prometheus` (`prom/prometheus`, `bitnami/prometheus`), unlike
/// the exporters published under the same organisation (`quay.io/prometheus/node-exporter`).
fn prometheus_in_own_container(services: &[ComposeService]) -> bool {
    services.iter().any(|s| {
        let name = s.image.rsplit('/').next().unwrap_or("");
        let name = name.split([':', '@']).next().unwrap_or("");
        name == "prometheus" && !s.host_network
    })
}

/// What the repository's own Prometheus scrapes, from the production scrape configs and
/// monitors of the project graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scraped {
    /// No scrape config or monitor ships.
    Nothing,
    /// Only exporters and monitoring components, by job name and target: Prometheus itself,
    /// node-exporter, cAdvisor, `*-exporter`, Alertmanager, Grafana, the Pushgateway.
    InfrastructureOnly,
    /// Anything else, discovery that may find anything, or a ServiceMonitor or PodMonitor.
    Applications,
}

impl Scraped {
    fn of(project: &Project) -> Scraped {
        let g = project.graph();
        let ships = |path: &str| project.file(path).is_some_and(|f| f.production());
        if g.monitors.iter().any(|m| ships(&m.path)) {
            return Scraped::Applications;
        }
        let jobs: Vec<_> = g.jobs.iter().filter(|j| ships(&j.path)).collect();
        if jobs.is_empty() {
            return Scraped::Nothing;
        }
        let infrastructure = |name: &str| {
            let n = name.to_ascii_lowercase();
            n.ends_with("exporter")
                || [
                    "prometheus",
                    "node",
                    "cadvisor",
                    "alertmanager",
                    "grafana",
                    "pushgateway",
                    "localhost",
                ]
                .contains(&n.as_str())
        };
        let only_infrastructure = jobs.iter().all(|j| {
            !j.kubernetes_sd
                && j.name.as_deref().is_some_and(infrastructure)
                && j.targets
                    .iter()
                    .all(|(host, _, _)| infrastructure(crate::model::project::host_name(host)))
        });
        if only_infrastructure {
            Scraped::InfrastructureOnly
        } else {
            Scraped::Applications
        }
    }
}

/// The kinds of alert the deployment checklist requires a repository to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    ServiceDown,
    ErrorRate,
    Latency,
    Disk,
    Memory,
    CertExpiry,
}

impl Category {
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Category::ServiceDown => ("service-down", "an alert on `up == 0` or `absent(up{job=\"…\"})` with `for: 1m`"),
            Category::ErrorRate => (
                "error-rate",
                "an alert on the ratio of failed to all requests (> 5 % over 5 minutes)",
            ),
            Category::Latency => (
                "latency",
                "an alert on `histogram_quantile(0.95, sum by (le) (rate(…_bucket[5m])))` above your objective",
            ),
            Category::Disk => (
                "disk-space",
                "an alert on `node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1`",
            ),
            Category::Memory => (
                "memory-pressure",
                "an alert on memory use above 80 % of the limit (`container_memory_working_set_bytes` / limit, or node memory available)",
            ),
            Category::CertExpiry => (
                "certificate-expiry",
                "an alert on `probe_ssl_earliest_cert_expiry - time() < 30 * 86400` (or cert-manager's expiration metric)",
            ),
        }
    }

    /// Recognised from the metric names and functions of the expression, and from the alert's
    /// name (an alert named for the category is taken at its word).
    fn matches(self, alert_name: &str, expr: &RuleExpr) -> bool {
        let name = alert_name.to_ascii_lowercase();
        let parsed = expr.parsed().ok();
        let metrics: Vec<String> = parsed
            .as_ref()
            .map(|e| crate::syntax::promql::metric_names(e))
            .unwrap_or_default()
            .into_iter()
            .map(|m| m.to_ascii_lowercase())
            .collect();
        let functions = parsed.map(crate::syntax::promql::function_names).unwrap_or_default();
        let metric = |words: &[&str]| metrics.iter().any(|m| words.iter().any(|w| m.contains(w)));
        let named = |words: &[&str]| words.iter().any(|w| name.contains(w));
        let text = expr.text.to_ascii_lowercase();
        match self {
            Category::ServiceDown => {
                metrics.iter().any(|m| m == "up" || m == "probe_success")
                    || functions.iter().any(|f| f.starts_with("absent"))
                    || named(&["down", "unreachable", "unavailable", "absent", "missing"])
            }
            Category::ErrorRate => {
                metric(&["error", "fail", "5xx"]) || text.contains("=~\"5") || text.contains("=\"500\"") || named(&["error", "fail", "5xx"])
            }
            Category::Latency => {
                functions.contains(&"histogram_quantile")
                    || metric(&["latency", "duration", "response_time"])
                    || named(&["latency", "slow"])
            }
            Category::Disk => metric(&["filesystem", "disk", "volume_stats", "storage"]) || named(&["disk", "filesystem", "volume"]),
            Category::Memory => metric(&["memory", "mem_", "oom"]) || named(&["memory", "oom"]),
            Category::CertExpiry => {
                metric(&["ssl", "cert", "tls"]) && (text.contains("expir") || text.contains("time()")) || named(&["cert", "ssl", "tls"])
            }
        }
    }
}

/// Reports `category` once for the project when none of its alerting rules is of that category,
/// at the `groups:` key of the first rule file.
pub(crate) fn report_missing_category(project: &Project, out: &mut Sink, category: Category) {
    let files = rule_files(project.files);
    let Some((first, first_rf)) = files.first() else { return };
    let scraped = Scraped::of(project);
    // Node and container alerts need node-exporter and cAdvisor series, which only a Prometheus
    // the repository deploys scrapes: rule files without one are a library (a mixin) for
    // other people's Prometheus, which brings its own. Error-rate and latency alerts need an
    // application: a stack that scrapes only exporters and monitoring components has none.
    let applies = match category {
        Category::Disk | Category::Memory => scraped != Scraped::Nothing,
        Category::ErrorRate | Category::Latency => scraped != Scraped::InfrastructureOnly,
        Category::ServiceDown | Category::CertExpiry => true,
    };
    if !applies {
        return;
    }
    let present = files.iter().any(|(_, rf)| {
        rf.groups
            .iter()
            .flat_map(|g| &g.rules)
            .filter(|r| r.is_alert())
            .any(|r| r.expr.as_ref().is_some_and(|e| category.matches(&r.name.value, e)))
    });
    if present {
        return;
    }
    let Some(place) = first_rf.groups_key else { return };
    let (name, example) = category.describe();
    let others = files.len() - 1;
    let scope = if others == 0 {
        "this rule file".to_string()
    } else {
        format!("the repository's {} rule files", files.len())
    };
    out.report_in(first.path(), place, format!("no {name} alert in {scope}"))
        .help(format!("add {example}"));
}
