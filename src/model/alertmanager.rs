//! Typed view of alertmanager.yml: the route tree, receivers with their integrations, inhibit
//! rules and the values that hold credentials. Every value keeps its span.

use super::prometheus::Spanned;
use super::{File, FromFile};
use crate::kind::FileKind;
use crate::source::Span;
use crate::syntax::promql::label_regex_error;
use crate::syntax::tree::{Document, Node, NodeKind};

#[derive(Clone, Debug, Default)]
pub struct AmConfig {
    /// The first key of the file (whole-file findings go there).
    pub first_key: Span,
    pub route: Option<Route>,
    pub receivers_key: Option<Span>,
    pub receivers: Vec<Receiver>,
    /// Entries of `receivers:` without a `name` (their first key, or the entry).
    pub unnamed_receivers: Vec<Span>,
    /// Every value anywhere in the file that holds a credential inline (not `*_file`).
    pub credentials: Vec<Credential>,
    /// Every matcher as written, in routes and inhibit rules, for syntax checks.
    pub written_matchers: Vec<WrittenMatcher>,
    /// The keys of `global:` set to a value (see [`set_keys`]).
    pub global_set: Vec<SetKey>,
    /// The named intervals of `time_intervals:` and `mute_time_intervals:`, in file order.
    pub time_intervals: Vec<NamedInterval>,
}

/// One entry of `time_intervals:` (or the older `mute_time_intervals:`).
#[derive(Clone, Debug, Default)]
pub struct NamedInterval {
    /// `None` when the entry has no `name:` (or it is not a string).
    pub name: Option<Spanned>,
    /// The entry's first key, or the entry when it is empty.
    pub place: Span,
    pub specs: Vec<IntervalSpec>,
}

/// One item of a named interval's `time_intervals:` list.
#[derive(Clone, Debug, Default)]
pub struct IntervalSpec {
    pub times: Vec<TimeRange>,
    /// Every string of `weekdays`, `days_of_month`, `months` and `years`, and `location`,
    /// with the key it was written under.
    pub values: Vec<(String, Spanned)>,
}

/// One entry of `times:`.
#[derive(Clone, Debug, Default)]
pub struct TimeRange {
    pub place: Span,
    pub start: Option<Spanned>,
    pub end: Option<Spanned>,
}

/// A matcher as written in the file: one entry of `match`/`match_re` (and their `source_`/
/// `target_` forms in inhibit rules), or one string of a `matchers` list.
#[derive(Clone, Debug, PartialEq)]
pub struct WrittenMatcher {
    /// The key holding it: `match`, `match_re`, `matchers`, `source_matchers`, …
    pub key: String,
    /// The label, for `match`/`match_re` entries.
    pub label: Option<String>,
    /// Where that label is written (the entry's key).
    pub label_span: Option<Span>,
    /// The value (a string of a `matchers` list); `None` when it is not a string (`null`, a
    /// number, a list).
    pub value: Option<String>,
    pub span: Span,
}

impl WrittenMatcher {
    /// Is this a regex entry of the old syntax (`match_re`, `source_match_re`, …)?
    pub fn is_regex_map(&self) -> bool {
        self.key.ends_with("match_re")
    }
}

/// The problem with one string of a `matchers` list (`severity="critical"`, `team=~"a|b"`,
/// `{a="b"}`): no label, no operator, an unclosed quote, or a regex that does not compile.
pub fn matcher_syntax_error(text: &str) -> Option<String> {
    let inner = text.trim();
    let inner = match (inner.strip_prefix('{'), inner.ends_with('}')) {
        (Some(rest), true) => &rest[..rest.len() - 1],
        (None, false) => inner,
        _ => return Some("unbalanced `{` `}`".into()),
    };
    for part in split_outside_quotes(inner) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some(at) = part.find(['=', '!', '~']) else {
            return Some(format!("`{part}` has no operator (`=`, `!=`, `=~`, `!~`)"));
        };
        let label = part[..at].trim();
        if label.is_empty() {
            return Some(format!("`{part}` has no label name"));
        }
        let rest = &part[at..];
        let Some(op) = ["=~", "!~", "!=", "="].into_iter().find(|op| rest.starts_with(op)) else {
            return Some(format!("`{rest}` is not an operator (`=`, `!=`, `=~`, `!~`)"));
        };
        let raw = rest[op.len()..].trim();
        let value = match raw.strip_prefix('"') {
            Some(q) => match q.strip_suffix('"') {
                Some(v) if !v.ends_with('\\') || v.ends_with("\\\\") => v.replace("\\\"", "\""),
                _ => return Some(format!("the value of `{label}` opens a quote it never closes")),
            },
            None => raw.to_string(),
        };
        if op.ends_with('~') {
            if let Some(e) = label_regex_error(&value) {
                return Some(format!("the regex of `{label}` does not compile: {e}"));
            }
        }
    }
    None
}

/// One node of the route tree.
#[derive(Clone, Debug, Default)]
pub struct Route {
    /// The `route:` key for the root, the item for child routes.
    pub place: Span,
    pub receiver: Option<Spanned>,
    /// Label matchers from `match`, `match_re` and `matchers`, as (label, operator, value).
    pub matchers: Vec<Matcher>,
    pub group_by: Option<Spanned>,
    /// The labels of `group_by`, each with its span.
    pub group_by_labels: Vec<Spanned>,
    pub group_wait: Option<Spanned>,
    pub group_interval: Option<Spanned>,
    pub repeat_interval: Option<Spanned>,
    pub continue_: bool,
    /// The names in `mute_time_intervals:` and `active_time_intervals:`.
    pub mute_time_intervals: Vec<Spanned>,
    pub active_time_intervals: Vec<Spanned>,
    pub routes: Vec<Route>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matcher {
    pub label: String,
    /// `=`, `!=`, `=~` or `!~`.
    pub op: String,
    pub value: String,
    pub span: Span,
}

impl Matcher {
    /// Does this matcher accept the label value `v`? Regexes are anchored, as Alertmanager
    /// anchors them; an invalid regex accepts nothing.
    pub fn accepts(&self, v: &str) -> bool {
        let re = || regex::Regex::new(&format!("^(?:{})$", self.value)).ok();
        match self.op.as_str() {
            "=" => self.value == v,
            "!=" => self.value != v,
            "=~" => re().is_some_and(|r| r.is_match(v)),
            "!~" => re().is_some_and(|r| !r.is_match(v)),
            _ => false,
        }
    }
}

impl Route {
    /// This route and every route below it, depth first.
    pub fn walk<'a>(&'a self, f: &mut dyn FnMut(&'a Route)) {
        f(self);
        for r in &self.routes {
            r.walk(f);
        }
    }
}

#[derive(Clone, Debug)]
pub struct Receiver {
    pub name: Spanned,
    pub span: Span,
    pub integrations: Vec<Integration>,
}

/// One `*_configs` list of a receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct Integration {
    /// `pagerduty`, `slack`, `webhook`, … (the key without `_configs`).
    pub kind: String,
    pub key: Span,
    /// How many entries the list has.
    pub count: usize,
    /// The `url` values of webhook configs, to recognise paging services behind webhooks.
    pub urls: Vec<String>,
    /// The entries of the list, in order.
    pub items: Vec<IntegrationItem>,
}

/// One entry of a `*_configs` list.
#[derive(Clone, Debug, PartialEq)]
pub struct IntegrationItem {
    /// The entry's first key, or the entry when it is empty or not a map.
    pub place: Span,
    /// The keys set to a value (see [`set_keys`]), and `http_config.authorization` when the
    /// entry's `http_config` sets it.
    pub set: Vec<SetKey>,
}

impl IntegrationItem {
    /// The first of `names` set on the entry.
    pub fn get(&self, names: &[&str]) -> Option<&SetKey> {
        self.set.iter().find(|k| names.contains(&k.name.as_str()))
    }
}

/// A key set to a value (see [`set_keys`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SetKey {
    pub name: String,
    pub key: Span,
    /// The scalar's text; empty for a list or a map.
    pub value: String,
}

/// A value that holds a credential inline.
#[derive(Clone, Debug, PartialEq)]
pub struct Credential {
    /// The key holding it (`api_key`, `slack_api_url`, `password`, …).
    pub field: String,
    pub value: String,
    pub key: Span,
    pub span: Span,
}

impl FromFile for AmConfig {
    fn build(file: &File) -> Option<Self> {
        if file.kind != FileKind::AlertmanagerConfig {
            return None;
        }
        let tree = file.tree()?;
        let doc = tree.docs.iter().find(|d| d.root.is_some())?;
        let root = doc.resolve(doc.root.as_ref()?);
        let first_key = root.as_map()?.first().map(|e| e.key.span)?;
        let mut out = AmConfig {
            first_key,
            ..AmConfig::default()
        };
        if let Some(r) = root.entry("route") {
            out.route = Some(build_route(doc, &r.value, r.key.span, 0));
            written_matchers(doc, &r.value, 0, &mut out.written_matchers);
        }
        if let Some(inhibit) = doc.get(root, "inhibit_rules") {
            for rule in doc.items(inhibit) {
                written_matchers(doc, rule, MAX_ROUTE_DEPTH, &mut out.written_matchers);
            }
        }
        if let Some(rs) = root.entry("receivers") {
            out.receivers_key = Some(rs.key.span);
            for r in doc.items(&rs.value) {
                match Spanned::from_entry(doc, r, "name").filter(|n| !n.value.is_empty()) {
                    Some(name) => out.receivers.push(Receiver {
                        name,
                        span: r.span,
                        integrations: integrations(doc, r),
                    }),
                    None => out.unnamed_receivers.push(first_key_of(doc, r)),
                }
            }
        }
        if let Some(global) = doc.get(root, "global") {
            out.global_set = set_keys(doc, global);
        }
        for key in ["mute_time_intervals", "time_intervals"] {
            if let Some(list) = doc.get(root, key) {
                out.time_intervals
                    .extend(doc.items(list).into_iter().map(|n| named_interval(doc, n)));
            }
        }
        out.time_intervals.sort_by_key(|t| t.place.start);
        collect_credentials(doc, root, None, None, 0, &mut out.credentials);
        Some(out)
    }
}

/// Child routes nested deeper than this are not read (a hostile file cannot recurse forever).
const MAX_ROUTE_DEPTH: usize = 64;

fn build_route(doc: &Document, node: &Node, place: Span, depth: usize) -> Route {
    let node = doc.resolve(node);
    let mut route = Route {
        place,
        receiver: Spanned::from_entry(doc, node, "receiver"),
        matchers: matchers(doc, node),
        group_by: Spanned::from_entry(doc, node, "group_by"),
        group_by_labels: strings(doc, node, "group_by"),
        group_wait: Spanned::from_entry(doc, node, "group_wait"),
        group_interval: Spanned::from_entry(doc, node, "group_interval"),
        repeat_interval: Spanned::from_entry(doc, node, "repeat_interval"),
        continue_: doc.get(node, "continue").and_then(Node::as_bool).unwrap_or(false),
        mute_time_intervals: strings(doc, node, "mute_time_intervals"),
        active_time_intervals: strings(doc, node, "active_time_intervals"),
        routes: Vec::new(),
    };
    if depth < MAX_ROUTE_DEPTH {
        if let Some(children) = doc.get(node, "routes") {
            for c in doc.items(children) {
                route.routes.push(build_route(doc, c, c.span, depth + 1));
            }
        }
    }
    route
}

/// The matchers written in `node` (a route, and its child routes below `MAX_ROUTE_DEPTH`, or an
/// inhibit rule).
fn written_matchers(doc: &Document, node: &Node, depth: usize, out: &mut Vec<WrittenMatcher>) {
    for e in doc.entries(node) {
        let Some(key) = e.key.as_str() else { continue };
        let value = doc.resolve(&e.value);
        if key.ends_with("match") || key.ends_with("match_re") {
            for m in doc.entries(value) {
                out.push(WrittenMatcher {
                    key: key.to_string(),
                    label: m.key.as_str().map(str::to_string),
                    label_span: Some(m.key.span),
                    value: doc.resolve(&m.value).as_str().map(str::to_string),
                    span: if m.value.span.is_empty() { m.key.span } else { m.value.span },
                });
            }
        } else if key.ends_with("matchers") {
            for item in doc.items(value) {
                out.push(WrittenMatcher {
                    key: key.to_string(),
                    label: None,
                    label_span: None,
                    value: item.as_str().map(str::to_string),
                    span: item.span,
                });
            }
        } else if key == "routes" && depth < MAX_ROUTE_DEPTH {
            for child in doc.items(value) {
                written_matchers(doc, child, depth + 1, out);
            }
        }
    }
}

fn matchers(doc: &Document, route: &Node) -> Vec<Matcher> {
    let mut out = Vec::new();
    for (key, op) in [("match", "="), ("match_re", "=~")] {
        if let Some(m) = doc.get(route, key) {
            for e in doc.entries(m) {
                let (Some(label), Some(value)) = (e.key.as_str(), doc.resolve(&e.value).as_str()) else {
                    continue;
                };
                out.push(Matcher {
                    label: label.to_string(),
                    op: op.to_string(),
                    value: value.to_string(),
                    span: e.key.span.cover(e.value.span),
                });
            }
        }
    }
    if let Some(list) = doc.get(route, "matchers") {
        for item in doc.items(list) {
            if let Some(text) = item.as_str() {
                out.extend(parse_matchers(text, item.span));
            }
        }
    }
    out
}

/// Parses `severity="critical"`, `team=~"a|b"`, `{a="b", c!="d"}` (the new matcher syntax; the
/// value may also be unquoted).
pub fn parse_matchers(text: &str, span: Span) -> Vec<Matcher> {
    let inner = text.trim().trim_start_matches('{').trim_end_matches('}');
    split_outside_quotes(inner)
        .into_iter()
        .filter_map(|part| {
            let part = part.trim();
            let at = part.find(['=', '!'])?;
            let label = part[..at].trim();
            let rest = &part[at..];
            let op = ["=~", "!~", "!=", "="].into_iter().find(|op| rest.starts_with(op))?;
            let raw = rest[op.len()..].trim();
            let value = raw
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(raw)
                .replace("\\\"", "\"");
            if label.is_empty() {
                return None;
            }
            Some(Matcher {
                label: label.trim_matches('"').to_string(),
                op: op.to_string(),
                value,
                span,
            })
        })
        .collect()
}

fn split_outside_quotes(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quote = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => in_quote = !in_quote,
            ',' if !in_quote => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn integrations(doc: &Document, receiver: &Node) -> Vec<Integration> {
    doc.entries(receiver)
        .into_iter()
        .filter_map(|e| {
            let key = e.key.as_str()?;
            let kind = key.strip_suffix("_configs")?;
            let items = doc.items(&e.value);
            let urls = items
                .iter()
                .filter_map(|i| doc.get(i, "url").and_then(Node::as_str))
                .map(str::to_string)
                .collect();
            let items = items
                .into_iter()
                .map(|i| {
                    let mut set = set_keys(doc, i);
                    let http = doc.get(i, "http_config");
                    if let Some(auth) = http.into_iter().flat_map(|h| set_keys(doc, h)).find(|k| k.name == "authorization") {
                        set.push(SetKey {
                            name: "http_config.authorization".to_string(),
                            ..auth
                        });
                    }
                    IntegrationItem {
                        place: first_key_of(doc, i),
                        set,
                    }
                })
                .collect::<Vec<_>>();
            Some(Integration {
                kind: kind.to_string(),
                key: e.key.span,
                count: items.len(),
                urls,
                items,
            })
        })
        .collect()
}

/// The keys of a map set to a value: not null, not an empty string, not an empty list or map
/// (Alertmanager's decoder leaves such a field at its zero value, which it reads as unset).
pub fn set_keys(doc: &Document, map: &Node) -> Vec<SetKey> {
    doc.entries(map)
        .into_iter()
        .filter(|e| {
            let v = doc.resolve(&e.value);
            match &v.kind {
                NodeKind::Scalar(_) => v.as_str().is_some_and(|s| !s.is_empty()),
                NodeKind::Seq(items) => !items.is_empty(),
                NodeKind::Map(entries) => !entries.is_empty(),
                NodeKind::Alias(_) => true,
            }
        })
        .filter_map(|e| {
            Some(SetKey {
                name: e.key.as_str()?.to_string(),
                key: e.key.span,
                value: doc.resolve(&e.value).as_str().unwrap_or("").to_string(),
            })
        })
        .collect()
}

/// A map's first key, or the node itself when it has none.
fn first_key_of(doc: &Document, node: &Node) -> Span {
    doc.entries(node).first().map_or(node.span, |e| e.key.span)
}

/// The strings of the list at `key` of `map`, each with its span and the key's.
fn strings(doc: &Document, map: &Node, key: &str) -> Vec<Spanned> {
    let Some(entry) = doc.entries(map).into_iter().find(|e| e.key.as_str() == Some(key)) else {
        return Vec::new();
    };
    doc.items(&entry.value)
        .into_iter()
        .filter_map(|i| {
            Some(Spanned {
                value: i.as_str()?.to_string(),
                span: i.span,
                key: entry.key.span,
            })
        })
        .collect()
}

fn named_interval(doc: &Document, node: &Node) -> NamedInterval {
    let specs = doc
        .get(node, "time_intervals")
        .map(|list| doc.items(list).into_iter().map(|s| interval_spec(doc, s)).collect())
        .unwrap_or_default();
    NamedInterval {
        name: Spanned::from_entry(doc, node, "name").filter(|n| !n.value.is_empty()),
        place: first_key_of(doc, node),
        specs,
    }
}

fn interval_spec(doc: &Document, node: &Node) -> IntervalSpec {
    let mut spec = IntervalSpec::default();
    if let Some(times) = doc.get(node, "times") {
        for t in doc.items(times) {
            spec.times.push(TimeRange {
                place: first_key_of(doc, t),
                start: Spanned::from_entry(doc, t, "start_time").filter(|s| !s.value.is_empty()),
                end: Spanned::from_entry(doc, t, "end_time").filter(|s| !s.value.is_empty()),
            });
        }
    }
    for key in ["weekdays", "days_of_month", "months", "years"] {
        spec.values
            .extend(strings(doc, node, key).into_iter().map(|s| (key.to_string(), s)));
    }
    if let Some(location) = Spanned::from_entry(doc, node, "location") {
        spec.values.push(("location".to_string(), location));
    }
    spec
}

/// Keys whose value is a credential in Alertmanager's configuration (each has a `*_file` twin).
pub const CREDENTIAL_KEYS: &[&str] = &[
    "api_key",
    "api_secret",
    "api_url",
    "auth_password",
    "auth_secret",
    "bearer_token",
    "bot_token",
    "credentials",
    "opsgenie_api_key",
    "password",
    "routing_key",
    "secret_key",
    "service_key",
    "slack_api_url",
    "smtp_auth_password",
    "smtp_auth_secret",
    "telegram_bot_token",
    "token",
    "user_key",
    "victorops_api_key",
    "webhook_url",
    "wechat_api_secret",
];

/// URLs only count as credentials when the URL itself carries the secret (the token in the path
/// of a Slack/Teams/Discord hook, a token in the query, or userinfo); others (`api_url` of
/// OpsGenie or VictorOps, `url:` of a plain webhook) are endpoints.
/// `integration` is the nearest enclosing `*_configs` kind: the same key is a secret in one
/// integration and a plain setting in another (VictorOps' `routing_key` names a routing rule,
/// PagerDuty's is the integration key; Slack's `api_url` is the tokenised webhook).
fn collect_credentials(
    doc: &Document,
    node: &Node,
    key: Option<&Node>,
    integration: Option<&str>,
    depth: usize,
    out: &mut Vec<Credential>,
) {
    if depth > 32 {
        return;
    }
    let node = doc.resolve(node);
    match &node.kind {
        NodeKind::Map(_) => {
            for e in doc.entries(node) {
                let inner = e.key.as_str().and_then(|k| k.strip_suffix("_configs")).or(integration);
                collect_credentials(doc, &e.value, Some(&e.key), inner, depth + 1, out);
            }
        }
        NodeKind::Seq(items) => {
            for i in items {
                collect_credentials(doc, i, key, integration, depth + 1, out);
            }
        }
        NodeKind::Scalar(_) => {
            let (Some(k), Some(v)) = (key, node.as_str()) else {
                return;
            };
            let Some(field) = k.as_str() else { return };
            let credential = match (integration, field) {
                (Some("victorops"), "routing_key") => false,
                (Some("slack"), "api_url") => true,
                (_, "slack_api_url" | "webhook_url") => true,
                _ if field.ends_with("url") => url_carries_secret(v),
                _ => CREDENTIAL_KEYS.contains(&field),
            };
            if credential && !is_placeholder(v) {
                out.push(Credential {
                    field: field.to_string(),
                    value: v.to_string(),
                    key: k.span,
                    span: node.span,
                });
            }
        }
        NodeKind::Alias(_) => {}
    }
}

fn url_carries_secret(v: &str) -> bool {
    let Some((_, rest)) = v.split_once("://") else { return false };
    let authority = rest.split('/').next().unwrap_or("");
    let lower = rest.to_ascii_lowercase();
    let token_hosts = [
        "hooks.slack.com/services/",
        "discord.com/api/webhooks/",
        "discordapp.com/api/webhooks/",
        "webhook.office.com/",
        "outlook.office.com/webhook",
        "chat.googleapis.com/",
    ];
    let token_query = ["token=", "key=", "secret=", "signature=", "sig="];
    authority.contains('@')
        || token_hosts.iter().any(|h| lower.contains(h))
        || lower.split_once('?').is_some_and(|(_, q)| {
            q.split('&')
                .any(|p| token_query.iter().any(|t| p.starts_with(t) || p.contains(&format!("_{t}"))))
        })
}

/// Values that are not secrets: andon's placeholders ([`crate::redact::is_placeholder`]), and
/// what a config written for envsubst or a template carries anywhere in it — `$VAR`, `${VAR}`,
/// `{{ }}` — or a `<placeholder>` inside a URL (`https://hooks.slack.com/services/<id>`).
/// prometheus.yml's credentials follow the same policy.
pub(crate) fn is_placeholder(v: &str) -> bool {
    let v = v.trim();
    let angle_placeholder = v.find('<').is_some_and(|open| v[open..].contains('>'));
    crate::redact::is_placeholder(v)
        || v.is_empty()
        || v.starts_with('$')
        || angle_placeholder
        || v.contains("{{")
        || v.contains("${")
        || v.eq_ignore_ascii_case("secret")
}

/// The alertmanager configs of the project, in path order.
pub fn configs<'a>(files: impl Iterator<Item = &'a File>) -> Vec<(&'a File, std::sync::Arc<AmConfig>)> {
    let mut out: Vec<_> = files
        .filter(|f| f.kind == FileKind::AlertmanagerConfig)
        .filter_map(|f| f.model::<AmConfig>().map(|m| (f, m)))
        .collect();
    out.sort_by(|a, b| a.0.path().cmp(b.0.path()));
    out
}
