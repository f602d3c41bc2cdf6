//! PromQL and the small languages around it: Prometheus durations, the PromQL expression tree
//! (through `promql-parser`, which keeps no positions), and Go-template actions in labels and
//! annotations.

use promql_parser::label::{MatchOp, Matchers};
use promql_parser::parser::token::{T_BOTTOMK, T_COUNT_VALUES, T_DIV, T_GTE, T_GTR, T_LAND, T_LIMITK, T_LIMIT_RATIO, T_LOR, T_TOPK};
use promql_parser::parser::value::ValueType;
use promql_parser::parser::{self, Expr, LabelModifier, VectorMatchCardinality, VectorSelector};
use std::collections::BTreeSet;
use std::time::Duration;

pub use promql_parser::parser::Expr as PromExpr;

/// Most operators (binary and unary) an expression may hold to be parsed. promql-parser takes
/// time quadratic in a chain of operators (measured on 0.11.1: 8,000 `up + …` terms 0.5 s,
/// 16,000 terms 2 s; 8,000 unary minus 80 ms, 200 KB of them 40 s), and its tree, like andon's
/// walks over it, is as deep as the chain is long. The crate offers no limit of its own, so
/// the expression is measured before it is handed over; real expressions have tens.
pub const MAX_OPERATORS: usize = 1_000;
/// Deepest nesting of parentheses and brackets an expression may have to be parsed.
pub const MAX_NESTING: usize = 256;

/// Why an expression is beyond what andon parses (see [`MAX_OPERATORS`], [`MAX_NESTING`]), or
/// `None`. One pass over the text, outside strings and label matchers: an overestimate of the
/// tree's depth, never an underestimate.
pub fn beyond_limits(expr: &str) -> Option<String> {
    let b = expr.as_bytes();
    let (mut operators, mut depth, mut deepest) = (0usize, 0usize, 0usize);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q != b'`' { 2 } else { 1 };
                }
            }
            b'{' => {
                // Label matchers hold strings and `=~`, no operators.
                while i < b.len() && b[i] != b'}' {
                    if matches!(b[i], b'"' | b'\'' | b'`') {
                        let q = b[i];
                        i += 1;
                        while i < b.len() && b[i] != q {
                            i += if b[i] == b'\\' && q != b'`' { 2 } else { 1 };
                        }
                    }
                    i += 1;
                }
            }
            b'(' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'<' | b'>' => operators += 1,
            b'=' | b'!' if b.get(i + 1) == Some(&b'=') => {
                operators += 1;
                i += 1;
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b':') {
                    i += 1;
                }
                if matches!(&expr[start..i], "and" | "or" | "unless" | "atan2") {
                    operators += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if operators > MAX_OPERATORS {
        Some(format!("more than {MAX_OPERATORS} operators ({operators})"))
    } else if deepest > MAX_NESTING {
        Some(format!("parentheses nested more than {MAX_NESTING} deep ({deepest})"))
    } else {
        None
    }
}

/// Why an expression was not parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unparsed {
    /// promql-parser's message, without a position.
    Invalid(String),
    /// Why the expression is [`beyond_limits`]: it may well be valid, andon does not check it.
    TooComplex(String),
}

/// Parses a PromQL expression.
pub fn parse(expr: &str) -> Result<Expr, Unparsed> {
    if let Some(why) = beyond_limits(expr) {
        return Err(Unparsed::TooComplex(why));
    }
    // The parser is a generated LALR parser over arbitrary input: a panic inside it must not
    // take the run down, so it becomes an ordinary error.
    let input = expr.to_string();
    std::panic::catch_unwind(move || parser::parse(&input))
        .unwrap_or_else(|_| Err("the PromQL parser failed on this expression".to_string()))
        .map_err(Unparsed::Invalid)
}

/// A Prometheus duration: `1h30m`, `5m`, `90s`, `500ms`, `1d`, `2w`, `1y` (units in descending
/// order, each at most once). Plain seconds (`300`) are not durations in rule files.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let s = text.trim();
    if s.is_empty() {
        return None;
    }
    if s == "0" {
        return Some(Duration::ZERO);
    }
    const UNITS: [(&str, u64); 8] = [
        ("y", 365 * 86_400_000),
        ("w", 7 * 86_400_000),
        ("d", 86_400_000),
        ("h", 3_600_000),
        ("m", 60_000),
        ("s", 1_000),
        ("ms", 1),
        ("", 0),
    ];
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    let mut last_unit = 0usize;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return None;
        }
        let n: u64 = s[start..i].parse().ok()?;
        let ustart = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &s[ustart..i];
        let pos = UNITS[..7].iter().position(|(u, _)| *u == unit)?;
        // `ms` sorts after `s` in the table, so order is checked on the table index.
        if pos < last_unit || (total > 0 && pos == last_unit) {
            return None;
        }
        last_unit = pos;
        total = total.checked_add(n.checked_mul(UNITS[pos].1)?)?;
    }
    Some(Duration::from_millis(total))
}

/// Formats a duration the way Prometheus prints it (`1m30s`, `5m`, `250ms`).
pub fn format_duration(d: Duration) -> String {
    let mut ms = d.as_millis() as u64;
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, size) in [("d", 86_400_000u64), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
        if ms >= size {
            out.push_str(&format!("{}{unit}", ms / size));
            ms %= size;
        }
    }
    out
}

/// Calls `f` on every node of the expression, parents before children.
pub fn walk<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(expr);
    match expr {
        Expr::Aggregate(a) => {
            if let Some(p) = &a.param {
                walk(p, f);
            }
            walk(&a.expr, f);
        }
        Expr::Unary(u) => walk(&u.expr, f),
        Expr::Binary(b) => {
            walk(&b.lhs, f);
            walk(&b.rhs, f);
        }
        Expr::Paren(p) => walk(&p.expr, f),
        Expr::Subquery(s) => walk(&s.expr, f),
        Expr::Call(c) => c.args.args.iter().for_each(|a| walk(a, f)),
        Expr::Extension(e) => e.expr.children().iter().for_each(|c| walk(c, f)),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::VectorSelector(_) | Expr::MatrixSelector(_) => {}
    }
}

/// A range-vector function applied to a selector with a literal window: `rate(x[1m])`.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeCall {
    pub function: &'static str,
    pub metric: Option<String>,
    pub window: Duration,
    /// The value of an equality matcher on `job`, which names the scrape job.
    pub job: Option<String>,
}

/// Every `rate`/`irate`/`increase`/`delta`/… call over a matrix selector.
pub fn range_calls(expr: &Expr) -> Vec<RangeCall> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        if let Expr::Call(c) = e {
            for a in &c.args.args {
                if let Expr::MatrixSelector(m) = a.as_ref() {
                    let job =
                        m.vs.matchers
                            .matchers
                            .iter()
                            .find(|x| x.name == "job" && matches!(x.op, MatchOp::Equal));
                    out.push(RangeCall {
                        function: c.func.name,
                        metric: m.vs.name.clone(),
                        window: m.range,
                        job: job.map(|x| x.value.clone()),
                    });
                }
            }
        }
    });
    out
}

/// An aggregation's `by (…)` labels, with the operator's name.
#[derive(Clone, Debug, PartialEq)]
pub struct Grouping {
    pub op: String,
    pub by: Vec<String>,
}

/// Every `sum by (…)`, `count by (…)`, … in the expression (not `without`).
pub fn groupings(expr: &Expr) -> Vec<Grouping> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        if let Expr::Aggregate(a) = e {
            if let Some(LabelModifier::Include(ls)) = &a.modifier {
                out.push(Grouping {
                    op: a.op.to_string(),
                    by: ls.labels.clone(),
                });
            }
        }
    });
    out
}

/// The metric names the expression selects (from `name{…}` and `{__name__="name"}`).
pub fn metric_names(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let (name, matchers): (&Option<String>, &Matchers) = match e {
            Expr::VectorSelector(v) => (&v.name, &v.matchers),
            Expr::MatrixSelector(m) => (&m.vs.name, &m.vs.matchers),
            _ => return,
        };
        if let Some(n) = name {
            out.push(n.clone());
        }
        for m in &matchers.matchers {
            if m.name == "__name__" {
                out.push(m.value.clone());
            }
        }
    });
    out
}

/// The names of the functions the expression calls.
pub fn function_names(expr: &Expr) -> Vec<&'static str> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        if let Expr::Call(c) = e {
            out.push(c.func.name);
        }
    });
    out
}

/// `e` without the parentheses around it.
fn unparen(mut e: &Expr) -> &Expr {
    while let Expr::Paren(p) = e {
        e = &p.expr;
    }
    e
}

/// A selector or a function of one selector, reduced to what decides which series and which
/// samples it reads: the function, the selector without its label matchers, and the window.
fn series_shape(e: &Expr) -> Option<(&'static str, String, String)> {
    let key = |v: &VectorSelector| Some(format!("{:?} {:?} {:?}", v.name.as_ref()?, v.offset, v.at));
    match unparen(e) {
        Expr::VectorSelector(v) => Some(("", key(v)?, String::new())),
        Expr::MatrixSelector(m) => Some(("", key(&m.vs)?, format!("{:?}", m.range))),
        Expr::Call(c) if c.args.args.len() == 1 => {
            let (f, sel, range) = series_shape(&c.args.args[0])?;
            f.is_empty().then_some((c.func.name, sel, range))
        }
        _ => None,
    }
}

/// Divisions of a metric by itself, without aggregation or `on`/`ignoring`: one-to-one matching
/// pairs every series with itself, so the ratio is 1 wherever it exists, whatever label matchers
/// either side has (`rate(x{code!~"5.."}[5m]) / rate(x[5m])`). Returns the metric names.
pub fn self_ratios(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let Expr::Binary(b) = e else { return };
        if b.op.id() != T_DIV || b.modifier.as_ref().is_some_and(|m| m.matching.is_some()) {
            return;
        }
        if let (Some(l), Some(r)) = (series_shape(&b.lhs), series_shape(&b.rhs)) {
            if l == r {
                if let Some(name) = metric_names(&b.lhs).into_iter().next() {
                    out.push(name);
                }
            }
        }
    });
    out
}

/// `histogram_quantile` calls whose series argument reads no range at all (no `rate()` or other
/// range function, no subquery) and selects raw metrics, not recorded (`a:b:c`) ones: the
/// quantile of cumulative counters since process start. Returns the metric names.
pub fn quantiles_without_rate(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let Expr::Call(c) = e else { return };
        if c.func.name != "histogram_quantile" {
            return;
        }
        let Some(arg) = c.args.args.get(1) else { return };
        let mut ranged = false;
        walk(arg, &mut |x| ranged |= matches!(x, Expr::MatrixSelector(_) | Expr::Subquery(_)));
        let names = metric_names(arg);
        if !ranged && !names.is_empty() && names.iter().all(|n| !n.contains(':')) {
            out.extend(names);
        }
    });
    out
}

/// A comparison of a per-second rate with a fraction, `rate(errors_total[5m]) > 0.05`, where
/// nothing divides: a threshold that reads like a ratio applied to a rate. Returns the metric
/// read by the rate and the threshold.
pub fn rate_compared_with_fraction(expr: &Expr) -> Option<(String, f64)> {
    let Expr::Binary(b) = unparen(expr) else { return None };
    if !matches!(b.op.id(), T_GTR | T_GTE) {
        return None;
    }
    let Expr::NumberLiteral(n) = unparen(&b.rhs) else { return None };
    if !(n.val > 0.0 && n.val < 1.0) {
        return None;
    }
    let mut divides = false;
    walk(&b.lhs, &mut |x| divides |= matches!(x, Expr::Binary(_)));
    if divides {
        return None;
    }
    let call = range_calls(&b.lhs).into_iter().find(|c| matches!(c.function, "rate" | "irate"))?;
    Some((call.metric?, n.val))
}

/// An alert on events in a counter's window: `increase(…[W]) > 0` (or `changes`, `resets`),
/// aggregated or not, alone or joined by `and` to other thresholds on such windows
/// (`increase(x[1h]) > 2 and increase(x[5m]) > 0`). One event keeps it true for the window,
/// so a blip cannot make it flap. A ratio or a rate is not such a window.
pub fn is_event_window(expr: &Expr) -> bool {
    let mut operands = Vec::new();
    let mut pending = vec![expr];
    while let Some(e) = pending.pop() {
        match unparen(e) {
            Expr::Binary(b) if b.op.id() == T_LAND => pending.extend([&*b.lhs, &*b.rhs]),
            other => operands.push(other),
        }
    }
    let thresholds: Option<Vec<f64>> = operands.iter().map(|e| window_threshold(e)).collect();
    thresholds.is_some_and(|t| t.contains(&0.0))
}

/// `N` of `increase(…[W]) > N` (or `changes`, `resets`) with nothing dividing or rating.
fn window_threshold(e: &Expr) -> Option<f64> {
    let Expr::Binary(b) = e else { return None };
    if b.op.id() != T_GTR {
        return None;
    }
    let Expr::NumberLiteral(n) = unparen(&b.rhs) else { return None };
    let (mut windowed, mut other) = (false, false);
    walk(&b.lhs, &mut |x| match x {
        Expr::Call(c) if matches!(c.func.name, "increase" | "changes" | "resets") => windowed = true,
        Expr::Call(c) if matches!(c.func.name, "rate" | "irate") => other = true,
        Expr::Binary(_) => other = true,
        _ => {}
    });
    (windowed && !other).then_some(n.val)
}

/// The labels the series of an expression's result can carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelSet {
    /// Any label but these: a selector's series, `without (…)`.
    AllBut(BTreeSet<String>),
    /// These at most: `sum by (…)`, `absent(x{job="a"})`, a number.
    Only(BTreeSet<String>),
}

impl LabelSet {
    fn any() -> Self {
        LabelSet::AllBut(BTreeSet::new())
    }

    fn only<'a>(labels: impl IntoIterator<Item = &'a String>) -> Self {
        LabelSet::Only(labels.into_iter().cloned().collect())
    }

    /// Can a series of the result carry `label`?
    pub fn has(&self, label: &str) -> bool {
        match self {
            LabelSet::AllBut(gone) => !gone.contains(label),
            LabelSet::Only(kept) => kept.contains(label),
        }
    }

    fn without<'a>(self, labels: impl IntoIterator<Item = &'a String>) -> Self {
        match self {
            LabelSet::AllBut(mut gone) => {
                gone.extend(labels.into_iter().cloned());
                LabelSet::AllBut(gone)
            }
            LabelSet::Only(mut kept) => {
                for l in labels {
                    kept.remove(l);
                }
                LabelSet::Only(kept)
            }
        }
    }

    fn with<'a>(self, labels: impl IntoIterator<Item = &'a String>) -> Self {
        match self {
            LabelSet::AllBut(mut gone) => {
                for l in labels {
                    gone.remove(l);
                }
                LabelSet::AllBut(gone)
            }
            LabelSet::Only(mut kept) => {
                kept.extend(labels.into_iter().cloned());
                LabelSet::Only(kept)
            }
        }
    }

    fn union(self, other: LabelSet) -> Self {
        match (self, other) {
            (LabelSet::Only(a), b) | (b, LabelSet::Only(a)) => b.with(&a),
            (LabelSet::AllBut(a), LabelSet::AllBut(b)) => LabelSet::AllBut(a.intersection(&b).cloned().collect()),
        }
    }
}

/// The labels the result of `expr` can carry, following Prometheus's evaluation: aggregations
/// keep their `by` labels (or drop their `without` ones), one-to-one matching `on (…)` keeps
/// only those, `group_left (…)` adds the listed ones, `absent()` keeps its selector's equality
/// matchers, `label_replace`/`label_join` add their target. Where unsure, any label.
pub fn output_labels(expr: &Expr) -> LabelSet {
    match expr {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => LabelSet::Only(BTreeSet::new()),
        Expr::VectorSelector(_) | Expr::MatrixSelector(_) | Expr::Extension(_) => LabelSet::any(),
        Expr::Paren(p) => output_labels(&p.expr),
        Expr::Unary(u) => output_labels(&u.expr),
        Expr::Subquery(s) => output_labels(&s.expr),
        Expr::Aggregate(a) => {
            let id = a.op.id();
            if [T_TOPK, T_BOTTOMK, T_LIMITK, T_LIMIT_RATIO].contains(&id) {
                return output_labels(&a.expr);
            }
            let mut set = match &a.modifier {
                Some(LabelModifier::Include(by)) => LabelSet::only(&by.labels),
                Some(LabelModifier::Exclude(without)) => output_labels(&a.expr).without(&without.labels),
                None => LabelSet::Only(BTreeSet::new()),
            };
            if id == T_COUNT_VALUES {
                if let Some(Expr::StringLiteral(l)) = a.param.as_deref() {
                    set = set.with([&l.val]);
                }
            }
            set
        }
        Expr::Call(c) => {
            let args = &c.args.args;
            let string_arg = |i: usize| match args.get(i).map(|a| a.as_ref()) {
                Some(Expr::StringLiteral(s)) => Some(s.val.clone()),
                _ => None,
            };
            match c.func.name {
                "absent" | "absent_over_time" => {
                    let selector = args.first().map(|a| unparen(a));
                    let vs = match selector {
                        Some(Expr::VectorSelector(v)) => Some(v),
                        Some(Expr::MatrixSelector(m)) => Some(&m.vs),
                        _ => None,
                    };
                    let names = vs
                        .map(|v| {
                            v.matchers
                                .matchers
                                .iter()
                                .filter(|m| matches!(m.op, MatchOp::Equal) && m.name != "__name__")
                                .map(|m| m.name.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    LabelSet::Only(names)
                }
                "label_replace" | "label_join" => {
                    let inner = args.first().map(|a| output_labels(a)).unwrap_or_else(LabelSet::any);
                    match string_arg(1) {
                        Some(dst) => inner.with([&dst]),
                        None => LabelSet::any(),
                    }
                }
                "histogram_quantile" | "histogram_fraction" => match args.last() {
                    Some(v) => output_labels(v).without([&"le".to_string()]),
                    None => LabelSet::any(),
                },
                _ if c.func.return_type == ValueType::Scalar => LabelSet::Only(BTreeSet::new()),
                _ => match args
                    .iter()
                    .find(|a| matches!(a.value_type(), ValueType::Vector | ValueType::Matrix))
                {
                    Some(v) => output_labels(v),
                    None => LabelSet::Only(BTreeSet::new()),
                },
            }
        }
        Expr::Binary(b) => {
            let (lhs, rhs) = (output_labels(&b.lhs), output_labels(&b.rhs));
            let scalar = |e: &Expr| e.value_type() == ValueType::Scalar;
            if scalar(&b.rhs) {
                return lhs;
            }
            if scalar(&b.lhs) {
                return rhs;
            }
            if b.op.is_set_operator() {
                return if b.op.id() == T_LOR { lhs.union(rhs) } else { lhs };
            }
            let Some(modifier) = &b.modifier else { return lhs };
            match &modifier.card {
                VectorMatchCardinality::ManyToOne(extra) => lhs.with(&extra.labels),
                VectorMatchCardinality::OneToMany(extra) => rhs.with(&extra.labels),
                _ => match &modifier.matching {
                    Some(LabelModifier::Include(on)) => LabelSet::only(&on.labels),
                    Some(LabelModifier::Exclude(ignoring)) => lhs.without(&ignoring.labels),
                    None => lhs,
                },
            }
        }
    }
}

/// Why a label regex (PromQL matchers, relabel steps, Alertmanager matchers, all anchored RE2)
/// does not compile, in the regex crate's words; `None` when it compiles.
pub fn label_regex_error(pattern: &str) -> Option<String> {
    let e = regex::Regex::new(&format!("^(?:{pattern})$")).err()?.to_string();
    let line = e.lines().rev().find(|l| l.starts_with("error:"));
    let line = line.unwrap_or_else(|| e.lines().next().unwrap_or(""));
    Some(line.trim_start_matches("error:").trim().to_string())
}

/// Comparisons with a NaN literal that filter (no `bool`): `x == NaN` keeps nothing and
/// `x != NaN` keeps everything, since NaN equals nothing, itself included. Returns the operators.
pub fn nan_comparisons(expr: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let Expr::Binary(b) = e else { return };
        if !b.op.is_comparison_operator() || b.modifier.as_ref().is_some_and(|m| m.return_bool) {
            return;
        }
        let nan = |x: &Expr| matches!(unparen(x), Expr::NumberLiteral(n) if n.val.is_nan());
        if nan(&b.lhs) || nan(&b.rhs) {
            out.push(b.op.to_string());
        }
    });
    out
}

/// Where `needle` first occurs in `text` as a whole word (not inside an identifier).
pub fn find_word(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut from = 0;
    while let Some(rel) = text.get(from..)?.find(needle) {
        let at = from + rel;
        let before = text[..at].chars().next_back();
        let after = text[at + needle.len()..].chars().next();
        let starts_word = needle.chars().next().is_some_and(is_ident);
        let ends_word = needle.chars().next_back().is_some_and(is_ident);
        if !(starts_word && before.is_some_and(is_ident) || ends_word && after.is_some_and(is_ident)) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// A problem in the Go-template actions of a label or annotation value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte offset into the value where the problem is.
    pub offset: usize,
    /// The length of the offending word, or 0 when the problem has no word of its own.
    pub len: usize,
    pub message: String,
}

/// Checks the `{{ … }}` actions of a template: every action closed, no action opened inside
/// another, quotes balanced within an action, and `if`/`range`/`with`/`define`/`block` balanced
/// with `end`. A structural check, not a full Go-template parser.
pub fn check_template(text: &str) -> Option<TemplateError> {
    let mut depth: Vec<(usize, &str)> = Vec::new();
    let mut rest = 0;
    while let Some(rel) = text[rest..].find("{{") {
        let open = rest + rel;
        let body_start = open + 2;
        let Some(close_rel) = find_action_end(&text[body_start..]) else {
            return Some(TemplateError {
                offset: open,
                len: 0,
                message: "`{{` is never closed with `}}`".into(),
            });
        };
        let body = &text[body_start..body_start + close_rel];
        let word = body
            .trim_start_matches('-')
            .trim()
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("");
        match word {
            "if" | "range" | "with" | "define" | "block" => depth.push((open, word_static(word))),
            "end" if depth.pop().is_none() => {
                return Some(TemplateError {
                    offset: open,
                    len: 0,
                    message: "`{{ end }}` without an open `if`, `range` or `with`".into(),
                });
            }
            _ => {}
        }
        rest = body_start + close_rel + 2;
    }
    if let Some((at, word)) = depth.pop() {
        return Some(TemplateError {
            offset: at,
            len: 0,
            message: format!("`{{{{ {word} }}}}` is never closed with `{{{{ end }}}}`"),
        });
    }
    None
}

/// The variables every Prometheus alert template has.
pub const TEMPLATE_VARIABLES: &[&str] = &["labels", "value", "externalLabels", "externalURL"];

/// `$name` variables used in the template's actions that are neither predefined (`$labels`,
/// `$value`, `$externalLabels`, `$externalURL`) nor declared earlier (`$x := …`,
/// `range $i, $e := …`). Go refuses such a template when it is parsed (`undefined variable`).
pub fn undefined_variables(text: &str) -> Vec<TemplateError> {
    let mut declared: Vec<&str> = TEMPLATE_VARIABLES.to_vec();
    let mut out = Vec::new();
    for (body_start, body) in actions(text) {
        let vars = action_variables(body);
        for (i, (at, name)) in vars.iter().enumerate() {
            if declared.contains(name) {
                continue;
            }
            if declares(body, &vars, i) {
                declared.push(name);
            } else {
                out.push(TemplateError {
                    offset: body_start + at,
                    len: 0,
                    message: format!("undefined variable `${name}`"),
                });
            }
        }
    }
    out
}

/// Go's own template functions and the ones Prometheus adds for alert and console templates
/// (prometheus/template/template.go, 2.x and 3.x). `tmpl` exists in console templates only but
/// is harmless to accept.
pub const TEMPLATE_FUNCTIONS: &[&str] = &[
    // text/template builtins
    "and",
    "call",
    "eq",
    "ge",
    "gt",
    "html",
    "index",
    "js",
    "le",
    "len",
    "lt",
    "ne",
    "not",
    "or",
    "print",
    "printf",
    "println",
    "slice",
    "urlquery",
    // Prometheus
    "args",
    "externalURL",
    "first",
    "graphLink",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "label",
    "match",
    "now",
    "parseDuration",
    "pathPrefix",
    "query",
    "reReplaceAll",
    "safeHtml",
    "sortByLabel",
    "stripDomain",
    "stripPort",
    "strvalue",
    "tableLink",
    "title",
    "tmpl",
    "toDuration",
    "toLower",
    "toTime",
    "toUpper",
    "urlQueryEscape",
    "value",
];

/// Words of the template language that are not functions.
const TEMPLATE_KEYWORDS: &[&str] = &[
    "block", "break", "continue", "define", "else", "end", "false", "if", "nil", "range", "template", "true", "with",
];

/// Calls of functions that neither Go nor Prometheus define (`humanise`, `upper`): Go refuses
/// the template when it is parsed (`function "humanise" not defined`). Each error spans the
/// function's name.
pub fn unknown_functions(text: &str) -> Vec<TemplateError> {
    let mut out = Vec::new();
    for (body_start, body) in actions(text) {
        for (at, word, before) in action_words(body) {
            let is_name = word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
            if !is_name || matches!(before, Some('.' | '$')) {
                continue;
            }
            if TEMPLATE_FUNCTIONS.contains(&word) || TEMPLATE_KEYWORDS.contains(&word) {
                continue;
            }
            out.push(TemplateError {
                offset: body_start + at,
                len: word.len(),
                message: format!("function `{word}` is not defined"),
            });
        }
    }
    out
}

/// A label of the alert read by the template: `$labels.x`, `.Labels.x`, `index $labels "x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelUse {
    /// Byte offset into the template of the label's name.
    pub offset: usize,
    pub name: String,
}

/// The alert labels a template reads.
pub fn template_label_uses(text: &str) -> Vec<LabelUse> {
    let mut out = Vec::new();
    for (body_start, body) in actions(text) {
        let words = action_words(body);
        for (i, (at, word, before)) in words.iter().enumerate() {
            let holder = (*word == "labels" && *before == Some('$')) || (*word == "Labels" && *before == Some('.'));
            if !holder {
                continue;
            }
            let end = at + word.len();
            if let Some((next_at, name, Some('.'))) = words.get(i + 1) {
                if *next_at == end + 1 {
                    out.push(LabelUse {
                        offset: body_start + next_at,
                        name: name.to_string(),
                    });
                    continue;
                }
            }
            // `index $labels "x"`: the word before the holder is `index`, the next token a string.
            let indexed = i > 0 && words[i - 1].1 == "index";
            let rest = body[end..].trim_start();
            if let (true, Some(quoted)) = (indexed, rest.strip_prefix('"')) {
                if let Some(close) = quoted.find('"') {
                    let offset = body_start + body.len() - rest.len() + 1;
                    out.push(LabelUse {
                        offset,
                        name: quoted[..close].to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The actions of a template, as (offset of the body, body) between `{{` and `}}`, comments
/// (`{{/* … */}}`) left out. Stops at the first action that is never closed.
fn actions(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(rel) = text[rest..].find("{{") {
        let body_start = rest + rel + 2;
        let Some(close_rel) = find_action_end(&text[body_start..]) else {
            break;
        };
        let body = &text[body_start..body_start + close_rel];
        if !body.trim_start_matches('-').trim_start().starts_with("/*") {
            out.push((body_start, body));
        }
        rest = body_start + close_rel + 2;
    }
    out
}

/// The words (runs of letters, digits and `_`) of an action body outside string and character
/// literals, with their offsets and the character just before each.
fn action_words(body: &str) -> Vec<(usize, &str, Option<char>)> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(q) = quote {
            if c == b'\\' && q != b'`' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else if matches!(c, b'"' | b'`' | b'\'') {
            quote = Some(c);
        } else if is_word(c) {
            let end = bytes[i..].iter().position(|&b| !is_word(b)).map(|e| i + e).unwrap_or(bytes.len());
            let before = body[..i].chars().next_back();
            // A number such as `1.5e3`: its parts are not words.
            let numeric = c.is_ascii_digit() || (before == Some('.') && body[..i - 1].ends_with(|ch: char| ch.is_ascii_digit()));
            if !numeric {
                out.push((i, &body[i..end], before));
            }
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// The `$name` variables of an action body outside string literals, with their offsets (of
/// the `$`). A bare `$` (the root context) is not a variable.
fn action_variables(body: &str) -> Vec<(usize, &str)> {
    action_words(body)
        .into_iter()
        .filter(|(_, _, before)| *before == Some('$'))
        .map(|(at, word, _)| (at - 1, word))
        .collect()
}

/// Is the `index`th variable declared here: followed by `:=`, or by `, $other :=`?
fn declares(body: &str, vars: &[(usize, &str)], index: usize) -> bool {
    let (at, name) = vars[index];
    let after = body[at + 1 + name.len()..].trim_start();
    if after.starts_with(":=") {
        return true;
    }
    after.starts_with(',') && index + 1 < vars.len() && declares(body, vars, index + 1)
}

fn word_static(word: &str) -> &'static str {
    match word {
        "if" => "if",
        "range" => "range",
        "with" => "with",
        "define" => "define",
        _ => "block",
    }
}

/// The offset of the `}}` that ends an action, skipping quoted strings inside it.
fn find_action_end(body: &str) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => {
                if c == b'"' || c == b'`' || c == b'\'' {
                    quote = Some(c);
                } else if c == b'}' && bytes.get(i + 1) == Some(&b'}') {
                    return Some(i);
                }
            }
        }
        i += 1;
    }
    None
}

/// The functions that read their samples as a counter: a drop is taken for a reset.
const COUNTER_FUNCTIONS: [&str; 3] = ["rate", "irate", "increase"];

/// A counter function over a selector whose metric name says it is a gauge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CounterCall {
    pub function: &'static str,
    pub metric: String,
}

/// Every `rate`/`irate`/`increase` over a selector of a metric [`names_gauge`] recognises.
pub fn counter_calls_on_gauges(expr: &Expr) -> Vec<CounterCall> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let Expr::Call(c) = e else { return };
        if !COUNTER_FUNCTIONS.contains(&c.func.name) {
            return;
        }
        for a in &c.args.args {
            if let Expr::MatrixSelector(m) = a.as_ref() {
                if let Some(name) = m.vs.name.as_deref().filter(|n| names_gauge(n)) {
                    out.push(CounterCall {
                        function: c.func.name,
                        metric: name.to_string(),
                    });
                }
            }
        }
    });
    out
}

/// Whether a metric name says the metric is a gauge: `up`, or a suffix the naming conventions
/// reserve for levels (a ratio, a percentage, a temperature, a timestamp, an info metric), or
/// `_bytes` on a name that measures a size or memory. Never the mere absence of `_total`: old
/// exporters name counters without it (`node_network_receive_bytes`,
/// `junos_interface_transmit_bytes`), which is also why traffic `_bytes` stay out.
pub fn names_gauge(name: &str) -> bool {
    const LEVEL_SUFFIXES: [&str; 10] = [
        "_ratio",
        "_percent",
        "_percentage",
        "_celsius",
        "_temperature",
        "_info",
        "_timestamp_seconds",
        "_timestamp",
        "_last_seen",
        "_last_seen_seconds",
    ];
    // Words of byte gauges: how much memory or space is in use, free or allowed. Not `_size`:
    // `http_request_size_bytes` may be a native histogram, which `rate()` takes.
    const SIZE_WORDS: [&str; 9] = [
        "memory",
        "memstats_heap",
        "filesystem",
        "capacity",
        "avail",
        "_free",
        "_used",
        "_usage",
        "_limit",
    ];
    let name = name.to_ascii_lowercase();
    if name == "up" || LEVEL_SUFFIXES.iter().any(|s| name.ends_with(s)) {
        return true;
    }
    name.ends_with("_bytes") && SIZE_WORDS.iter().any(|w| name.contains(w))
}

/// A matcher of an `absent()` selector that no series can satisfy together with the selector's
/// equality matcher on the same label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpossibleMatcher {
    pub function: &'static str,
    pub label: String,
    /// The value the equality matcher requires.
    pub required: String,
    /// The contradicting matcher as commonly written: `job="b"`.
    pub matcher: String,
}

/// The selectors of `absent()` and `absent_over_time()` that can never match a series: one
/// label is required to equal a value (the metric name counts as `__name__`) and another
/// matcher on that label rejects exactly that value (`job="a", job="b"`, `job="a", job!="a"`,
/// `job="", job=~".+"`). Selectors with `or` alternatives, and regexes the regex crate cannot
/// read, are left alone.
pub fn impossible_absent_selectors(expr: &Expr) -> Vec<ImpossibleMatcher> {
    let mut out = Vec::new();
    walk(expr, &mut |e| {
        let Expr::Call(c) = e else { return };
        if !matches!(c.func.name, "absent" | "absent_over_time") {
            return;
        }
        let Some(arg) = c.args.args.first() else { return };
        let vs = match arg.as_ref() {
            Expr::VectorSelector(v) => v,
            Expr::MatrixSelector(m) => &m.vs,
            _ => return,
        };
        if !vs.matchers.or_matchers.is_empty() {
            return;
        }
        let mut all: Vec<(&str, &MatchOp, &str)> = vs
            .matchers
            .matchers
            .iter()
            .map(|m| (m.name.as_str(), &m.op, m.value.as_str()))
            .collect();
        if let Some(name) = &vs.name {
            all.insert(0, ("__name__", &MatchOp::Equal, name.as_str()));
        }
        for (i, (label, op, required)) in all.iter().enumerate() {
            if !matches!(op, MatchOp::Equal) {
                continue;
            }
            let clash = all.iter().enumerate().find(|(j, (l, op, v))| {
                *j != i && l == label && (*j > i || !matches!(op, MatchOp::Equal)) && rejects(op, v, required) == Some(true)
            });
            if let Some((_, (l, op, v))) = clash {
                out.push(ImpossibleMatcher {
                    function: c.func.name,
                    label: label.to_string(),
                    required: required.to_string(),
                    matcher: format!("{l}{}\"{v}\"", op_text(op)),
                });
                return;
            }
        }
    });
    out
}

/// Whether a matcher rejects `value`; `None` when its regex cannot be read.
fn rejects(op: &MatchOp, pattern: &str, value: &str) -> Option<bool> {
    let full = |p: &str| regex::Regex::new(&format!("^(?:{p})$")).ok().map(|r| r.is_match(value));
    Some(match op {
        MatchOp::Equal => pattern != value,
        MatchOp::NotEqual => pattern == value,
        MatchOp::Re(_) => !full(pattern)?,
        MatchOp::NotRe(_) => full(pattern)?,
    })
}

fn op_text(op: &MatchOp) -> &'static str {
    match op {
        MatchOp::Equal => "=",
        MatchOp::NotEqual => "!=",
        MatchOp::Re(_) => "=~",
        MatchOp::NotRe(_) => "!~",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_alerts_on_a_window() {
        let event = |e: &str| parse(e).is_ok_and(|x| is_event_window(&x));
        assert!(event("sum(increase(loki_panic_total[10m])) by (job) > 0"));
        assert!(event("changes(process_start_time_seconds[1h]) > 0"));
        assert!(event(
            "sum(increase(x_errors_total[1h])) > 2 and sum(increase(x_errors_total[5m])) > 0"
        ));
        assert!(!event("increase(errors_total[5m]) > 10"));
        assert!(!event("increase(x_total[1h]) > 2 and up == 0"));
        assert!(!event("increase(errors_total[5m]) / increase(requests_total[5m]) > 0"));
        assert!(!event("rate(errors_total[5m]) > 0"));
        assert!(!event("up == 0"));
    }

    #[test]
    fn limits_count_operators_and_nesting_outside_strings() {
        assert_eq!(beyond_limits("sum by (job) (rate(x{a=\"+-*/\"}[5m])) > 0.5 and up == 1"), None);
        let quoted = format!("label_replace(up, \"a\", \"{}\", \"b\", \"c\")", "+".repeat(5_000));
        assert_eq!(beyond_limits(&quoted), None);
        let chain = vec!["up"; MAX_OPERATORS + 2].join(" + ");
        assert!(matches!(parse(&chain), Err(Unparsed::TooComplex(_))));
        assert!(beyond_limits(&format!("{}up", "-".repeat(200_000))).is_some());
        let parens = format!("{}up{}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert!(beyond_limits(&parens).is_some());
        assert!(beyond_limits(&vec!["a"; MAX_OPERATORS + 2].join(" or ")).is_some());
    }

    /// An expression at the limits parses, and every walk over it returns, on a test thread's
    /// 2 MiB stack in a debug build.
    #[test]
    fn expressions_at_the_limits_are_walked() {
        let chain = format!("{} > 0", vec!["rate(x[5m]) / rate(x[5m])"; MAX_OPERATORS / 2].join(" + "));
        let minus = format!("{}up", "-".repeat(MAX_OPERATORS));
        let nested = format!("{}up{}", "sum(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        for text in [chain, minus, nested] {
            assert_eq!(beyond_limits(&text), None);
            let expr = parse(&text).expect("parses");
            let _ = output_labels(&expr);
            let _ = (self_ratios(&expr), quantiles_without_rate(&expr), nan_comparisons(&expr));
            let _ = (
                metric_names(&expr),
                range_calls(&expr),
                groupings(&expr),
                rate_compared_with_fraction(&expr),
            );
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h30m"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1m30s500ms"), Some(Duration::from_millis(90_500)));
        assert_eq!(parse_duration("0s"), Some(Duration::ZERO));
        assert_eq!(parse_duration("0"), Some(Duration::ZERO));
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("m5"), None);
        assert_eq!(parse_duration("5m1h"), None);
        assert_eq!(parse_duration("5x"), None);
        assert_eq!(format_duration(Duration::from_secs(90)), "1m30s");
    }

    #[test]
    fn ranges_and_groupings() {
        let e = parse("sum by (job, user_id) (rate(http_requests_total[30s])) > 1").unwrap();
        let r = range_calls(&e);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].function, "rate");
        assert_eq!(r[0].window, Duration::from_secs(30));
        assert_eq!(groupings(&e)[0].by, vec!["job", "user_id"]);
        assert_eq!(metric_names(&e), vec!["http_requests_total"]);
    }

    #[test]
    fn parse_errors_are_errors() {
        assert!(parse("rate(x[5m]").is_err());
        assert!(parse("up == 0").is_ok());
    }

    #[test]
    fn words() {
        assert_eq!(find_word("foo_bar + bar", "bar"), Some(10));
        assert_eq!(find_word("rate(x[5m])", "[5m]"), Some(6));
    }

    #[test]
    fn templates() {
        assert_eq!(check_template("{{ $labels.job }} is {{ $value | humanize }}"), None);
        assert_eq!(check_template("{{ if gt $value 1.0 }}high{{ end }}"), None);
        assert_eq!(check_template(r#"{{ "}}" }}"#), None);
        assert!(check_template("{{ $labels.job } down").is_some());
        assert!(check_template("{{ if $value }}x").is_some());
        assert!(check_template("{{ end }}").is_some());
    }

    #[test]
    fn template_variables() {
        assert!(undefined_variables("{{ $labels.job }} {{ $value | humanize }} {{ $externalURL }}").is_empty());
        assert!(undefined_variables("{{ $x := 1 }}{{ $x }} {{ range $i, $e := .Labels }}{{ $e }}{{ end }}").is_empty());
        assert!(undefined_variables(r#"{{ "$label" }} {{ $.Labels.job }}"#).is_empty());
        let errs = undefined_variables("Instance {{ $label.foo }} down");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].offset, 12);
        assert_eq!(errs[0].message, "undefined variable `$label`");
    }

    #[test]
    fn template_functions() {
        let ok = r#"{{ $value | humanize }} {{ printf "%.1f" 1.5e3 }} {{ .Labels.job | toUpper }} {{/* nope() */}} {{ "humanise" }}"#;
        assert!(unknown_functions(ok).is_empty());
        let errs = unknown_functions("{{ $value | humanise }} {{ if true }}{{ upper $labels.job }}{{ end }}");
        let names: Vec<_> = errs.iter().map(|e| (e.offset, e.len)).collect();
        assert_eq!(names, vec![(12, 8), (40, 5)]);
    }

    #[test]
    fn result_labels() {
        let labels = |e: &str| output_labels(&parse(e).unwrap());
        assert!(labels("up == 0").has("instance"));
        assert!(!labels("sum by (job) (rate(x[5m])) > 1").has("instance"));
        assert!(labels("sum by (job) (rate(x[5m])) > 1").has("job"));
        assert!(!labels("sum without (instance) (x)").has("instance"));
        assert!(labels("sum without (instance) (x)").has("job"));
        assert!(!labels("sum(x) > 1").has("job"));
        assert!(labels("absent(up{job=\"a\"})").has("job"));
        assert!(!labels("absent(up{job=\"a\"})").has("instance"));
        assert!(!labels("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m]))) > 1").has("le"));
        assert!(labels("histogram_quantile(0.9, sum by (le, job) (rate(x_bucket[5m]))) > 1").has("job"));
        assert!(labels("label_replace(sum(x), \"svc\", \"$1\", \"job\", \"(.*)\")").has("svc"));
        assert!(!labels("a / on (job) b").has("instance"));
        assert!(labels("a / on (job) group_left (team) b").has("instance"));
        assert!(labels("a / on (job) group_left (team) b").has("team"));
        assert!(labels("sum by (job) (a) or sum by (instance) (b)").has("instance"));
        assert!(labels("topk(3, x)").has("pod"));
        assert!(!labels("1 - sum by (job) (x) / sum by (job) (y) > 0.1").has("pod"));
    }

    #[test]
    fn nan() {
        assert_eq!(nan_comparisons(&parse("x == NaN").unwrap()), vec!["=="]);
        assert_eq!(nan_comparisons(&parse("(x > 1) != nan").unwrap()), vec!["!="]);
        assert!(nan_comparisons(&parse("x == bool NaN").unwrap()).is_empty());
        assert!(nan_comparisons(&parse("x > 1").unwrap()).is_empty());
    }

    #[test]
    fn template_labels() {
        let uses = template_label_uses(r#"{{ $labels.instance }} {{ .Labels.job }} {{ index $labels "pod" }} {{ $labels }}"#);
        let names: Vec<_> = uses.iter().map(|u| (u.offset, u.name.as_str())).collect();
        assert_eq!(names, vec![(11, "instance"), (34, "job"), (59, "pod")]);
    }

    #[test]
    fn suspicious_expressions() {
        let e = parse(r#"1 - (rate(x{status!~"5.."}[30d]) / rate(x[30d])) > 0.001"#).unwrap();
        assert_eq!(self_ratios(&e), vec!["x"]);
        let e = parse("sum(rate(x{code=\"500\"}[5m])) / sum(rate(x[5m]))").unwrap();
        assert!(self_ratios(&e).is_empty());
        let e = parse("rate(x[5m]) / rate(x[1h])").unwrap();
        assert!(self_ratios(&e).is_empty());
        let e = parse("rate(x[5m]) / ignoring(code) group_left rate(x[5m])").unwrap();
        assert!(self_ratios(&e).is_empty());
        let e = parse("histogram_quantile(0.99, latency_seconds{}) > 1").unwrap();
        assert_eq!(quantiles_without_rate(&e), vec!["latency_seconds"]);
        let e = parse("histogram_quantile(0.99, sum by (le) (rate(latency_seconds_bucket[5m])))").unwrap();
        assert!(quantiles_without_rate(&e).is_empty());
        let e = parse("histogram_quantile(0.99, sum by (le) (job:latency_seconds_bucket:rate5m))").unwrap();
        assert!(quantiles_without_rate(&e).is_empty());
        let e = parse("rate(errors_total[5m]) > 0.05").unwrap();
        assert_eq!(rate_compared_with_fraction(&e), Some(("errors_total".to_string(), 0.05)));
        let e = parse("rate(errors_total[5m]) / rate(requests_total[5m]) > 0.05").unwrap();
        assert_eq!(rate_compared_with_fraction(&e), None);
        let e = parse("rate(errors_total[5m]) > 5").unwrap();
        assert_eq!(rate_compared_with_fraction(&e), None);
    }

    #[test]
    fn gauge_names() {
        for g in [
            "up",
            "node_memory_MemAvailable_bytes",
            "node_filesystem_avail_bytes",
            "cpu_usage_ratio",
            "disk_used_percent",
            "node_hwmon_temp_celsius",
            "kube_pod_info",
            "process_start_time_seconds_timestamp",
            "last_backup_timestamp_seconds",
        ] {
            assert!(names_gauge(g), "{g}");
        }
        for c in [
            "http_requests_total",
            "node_network_receive_bytes",
            "junos_interface_transmit_bytes",
            "http_request_size_bytes",
            "pg_stat_database_xact_commit",
            "container_memory_usage_bytes_total",
            "process_start_time_seconds",
            "upstream_errors",
        ] {
            assert!(!names_gauge(c), "{c}");
        }
        let e = parse("sum(rate(node_memory_Active_bytes[5m])) + increase(up{job=\"x\"}[1h]) + rate(x_total[5m]) + delta(cpu_ratio[5m])")
            .unwrap();
        let got: Vec<_> = counter_calls_on_gauges(&e).into_iter().map(|c| (c.function, c.metric)).collect();
        assert_eq!(
            got,
            [("rate", "node_memory_Active_bytes".to_string()), ("increase", "up".to_string())]
        );
    }

    #[test]
    fn impossible_absent() {
        let found = |q: &str| {
            impossible_absent_selectors(&parse(q).unwrap())
                .into_iter()
                .map(|m| m.matcher)
                .collect::<Vec<_>>()
        };
        assert_eq!(found(r#"absent(up{job="a", job="b"})"#), [r#"job="b""#]);
        assert_eq!(found(r#"absent(up{job="a", job!="a"})"#), [r#"job!="a""#]);
        assert_eq!(found(r#"absent(up{job!="a", job="a"})"#), [r#"job!="a""#]);
        assert_eq!(found(r#"absent(up{job="", job=~".+"})"#), [r#"job=~".+""#]);
        assert_eq!(found(r#"absent_over_time(up{job="api", job!~"a.*"}[5m])"#), [r#"job!~"a.*""#]);
        assert_eq!(found(r#"absent({__name__="up", __name__="down"})"#), [r#"__name__="down""#]);
        assert!(found(r#"absent(up{job="a", instance="b"})"#).is_empty());
        assert!(found(r#"absent(up{job="a", job=~"a|b"})"#).is_empty());
        assert!(found(r#"absent(up{job=~"a", job=~"b"})"#).is_empty());
        assert!(found(r#"up{job="a", job="b"}"#).is_empty());
    }
}
