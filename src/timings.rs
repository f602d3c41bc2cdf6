//! `check --timings`: where a run spends its time — each stage, the parsing of each kind of
//! file, and each rule — printed on standard error, as ruff's and eslint's `--timings` do.
//!
//! Times are summed over threads, so per-kind and per-rule figures are CPU time and may add up
//! to more than the run's wall time; the stages are wall time.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What one run measured. Shared by the threads of the run; each figure is a sum.
#[derive(Default)]
pub struct Timings {
    /// (files, nanoseconds) of reading and parsing, by kind name.
    parse: Mutex<BTreeMap<&'static str, (u64, u64)>>,
    /// Nanoseconds per rule, by the rule's index in the run's rule set.
    rules: Mutex<Vec<u64>>,
    /// Wall time of each stage, in the order they ran.
    stages: Mutex<Vec<(&'static str, Duration)>>,
}

impl Timings {
    pub fn parsed(&self, kind: &'static str, took: Duration) {
        let mut parse = self.parse.lock().unwrap_or_else(|e| e.into_inner());
        let entry = parse.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += nanos(took);
    }

    /// Adds the time each rule took on one file (or on the project): `took[i]` for rule `i`.
    pub fn ruled(&self, took: &[u64]) {
        let mut rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        if rules.len() < took.len() {
            rules.resize(took.len(), 0);
        }
        for (sum, t) in rules.iter_mut().zip(took) {
            *sum += t;
        }
    }

    pub fn stage(&self, name: &'static str, started: Instant) {
        self.stages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((name, started.elapsed()));
    }

    /// The report: stages, parsing by kind, and the `top` most expensive rules (`names[i]`
    /// names rule `i`).
    pub fn render(&self, names: &[&str], top: usize) -> String {
        let ms = |n: u64| n as f64 / 1e6;
        let mut out = String::from("andon timings (stages: wall time; kinds and rules: CPU time summed over threads)\n");
        for (name, took) in self.stages.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            out.push_str(&format!("  stage  {name:<44} {:>9.1} ms\n", took.as_secs_f64() * 1e3));
        }
        for (kind, (files, n)) in self.parse.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            out.push_str(&format!("  parse  {kind:<44} {:>9.1} ms  {files} files\n", ms(*n)));
        }
        let rules = self.rules.lock().unwrap_or_else(|e| e.into_inner());
        let mut by_cost: Vec<(usize, u64)> = rules.iter().copied().enumerate().collect();
        by_cost.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let total: u64 = rules.iter().sum();
        out.push_str(&format!("  rules  {:<44} {:>9.1} ms\n", "(all)", ms(total)));
        for (i, n) in by_cost.into_iter().take(top) {
            out.push_str(&format!(
                "  rule   {:<44} {:>9.1} ms\n",
                names.get(i).copied().unwrap_or("?"),
                ms(n)
            ));
        }
        out
    }
}

/// Runs `f`, adding its time to `took` when timings are on.
pub fn timed<T>(on: bool, took: &mut u64, f: impl FnOnce() -> T) -> T {
    if !on {
        return f();
    }
    let start = Instant::now();
    let value = f();
    *took += nanos(start.elapsed());
    value
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}
