use super::config;
use crate::model::alertmanager::{IntervalSpec, NamedInterval};
use crate::model::prometheus::Spanned;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A time interval Alertmanager cannot read (a time outside 00:00–24:00, an end before its
/// start, an unknown weekday or month, a day of the month out of range, an unknown time zone)
/// or that has no name or the name of another: Alertmanager refuses the whole configuration.
pub struct InvalidTimeInterval;

const HELP: &str = "Alertmanager refuses this configuration (`amtool check-config` says the same); see https://prometheus.io/docs/alerting/latest/configuration/#time_interval";

impl Rule for InvalidTimeInterval {
    fn name(&self) -> &'static str {
        "alertmanager/invalid-time-interval"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        for (i, interval) in cfg.time_intervals.iter().enumerate() {
            check_name(&cfg.time_intervals[..i], interval, out);
            for spec in &interval.specs {
                check_spec(spec, out);
            }
        }
    }
}

fn check_name(earlier: &[NamedInterval], interval: &NamedInterval, out: &mut Sink) {
    let Some(name) = &interval.name else {
        out.report(interval.place, "time interval has no `name`").help(HELP);
        return;
    };
    if earlier.iter().any(|e| e.name.as_ref().is_some_and(|n| n.value == name.value)) {
        out.report(name.span, format!("time interval `{}` is defined twice", name.value))
            .help(format!("rename or merge one of them; {HELP}"));
    }
}

fn check_spec(spec: &IntervalSpec, out: &mut Sink) {
    for t in &spec.times {
        let (Some(start), Some(end)) = (&t.start, &t.end) else {
            out.report(t.place, "a `times` entry needs both `start_time` and `end_time`")
                .help(HELP);
            continue;
        };
        let (s, e) = (minutes(&start.value), minutes(&end.value));
        for (v, key, parsed) in [(start, "start_time", s), (end, "end_time", e)] {
            if parsed.is_none() {
                out.report(
                    v.span,
                    format!("`{key}` `{}` is not a time of day `HH:MM` from 00:00 to 24:00", v.value),
                )
                .help(HELP);
            }
        }
        if let (Some(s), Some(e)) = (s, e) {
            if s >= e {
                out.report(
                    end.span,
                    format!("`end_time` {} is not after `start_time` {}", end.value, start.value),
                )
                .help(format!(
                    "a range over midnight is two entries (`22:00`–`24:00` and `00:00`–`06:00`); {HELP}"
                ));
            }
        }
    }
    for (key, v) in &spec.values {
        let problem = match key.as_str() {
            "weekdays" => range(&v.value, weekday).and_then(|(b, e)| ordered(b, e, "weekday")),
            "days_of_month" => range(&v.value, day_of_month).and_then(|(b, e)| days_in_order(b, e)),
            "months" => range(&v.value, month).and_then(|(b, e)| ordered(b, e, "month")),
            "years" => range(&v.value, year).and_then(|(b, e)| ordered(b, e, "year")),
            "location" => time_zone(&v.value),
            _ => Ok(()),
        };
        if let Err(why) = problem {
            report_value(out, key, v, &why);
        }
    }
}

fn report_value(out: &mut Sink, key: &str, v: &Spanned, why: &str) {
    let what = if key == "location" { "" } else { " entry" };
    out.report(v.span, format!("`{key}`{what} `{}`: {why}", v.value)).help(HELP);
}

/// `HH:MM` as minutes of the day, 00:00 to 24:00, as Alertmanager's `parseTime` reads it.
fn minutes(v: &str) -> Option<u32> {
    let (h, m) = v.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// A single member or a `begin:end` range, each side read by `member` (case-insensitive).
fn range(v: &str, member: fn(&str) -> Result<i64, String>) -> Result<(i64, i64), String> {
    let v = v.to_lowercase();
    match v.split(':').collect::<Vec<_>>()[..] {
        [one] => member(one).map(|n| (n, n)),
        [b, e] => Ok((member(b)?, member(e)?)),
        _ => Err("a range is `begin:end`".into()),
    }
}

fn ordered(begin: i64, end: i64, what: &str) -> Result<(), String> {
    if begin > end {
        return Err(format!("the end {what} comes before the start {what}"));
    }
    Ok(())
}

const WEEKDAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn weekday(v: &str) -> Result<i64, String> {
    let at = WEEKDAYS.iter().position(|d| *d == v);
    at.map(|i| i as i64)
        .ok_or_else(|| format!("`{v}` is not a weekday (`monday` … `sunday`)"))
}

/// A month name, or a number (Alertmanager does not check its range).
fn month(v: &str) -> Result<i64, String> {
    match MONTHS.iter().position(|m| *m == v) {
        Some(i) => Ok(i as i64 + 1),
        None => v
            .parse::<i64>()
            .map_err(|_| format!("`{v}` is not a month (`january` … `december` or a number)")),
    }
}

fn year(v: &str) -> Result<i64, String> {
    v.parse::<i64>().map_err(|_| format!("`{v}` is not a year"))
}

/// 1 to 31, or -31 to -1 counted from the end of the month.
fn day_of_month(v: &str) -> Result<i64, String> {
    let n = v.parse::<i64>().map_err(|_| format!("`{v}` is not a day of the month"))?;
    if n == 0 || !(-31..=31).contains(&n) {
        return Err(format!("{n} is not a day of the month (1 to 31, or -31 to -1 from the end)"));
    }
    Ok(n)
}

/// Alertmanager's check: a negative start needs a negative end, and on a 28-day month the
/// end may not come before the start.
fn days_in_order(begin: i64, end: i64) -> Result<(), String> {
    if begin < 0 && end > 0 {
        return Err("the end day must be negative when the start day is".into());
    }
    let on_28_days = |d: i64| if d < 0 { 28 + d } else { d };
    if on_28_days(begin) > on_28_days(end) {
        return Err(format!("the end day {end} is always before the start day {begin}"));
    }
    Ok(())
}

/// The IANA names Go's `time.LoadLocation` finds in a current time zone database.
const TIME_ZONES: &str = include_str!("../../../data/time-zones.txt");

/// `location`: empty or `UTC`, `Local`, or an IANA name (case matters; `posix/` and `right/`
/// are the database's own prefixes).
fn time_zone(v: &str) -> Result<(), String> {
    let name = v.strip_prefix("posix/").or_else(|| v.strip_prefix("right/")).unwrap_or(v);
    let known = |n: &str| TIME_ZONES.lines().any(|l| l == n);
    if v.is_empty() || v == "Local" || known(name) {
        return Ok(());
    }
    Err("not a time zone of the IANA database (such as `Europe/Berlin`, `America/New_York` or `UTC`; names are case-sensitive)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_follow_alertmanager() {
        assert_eq!(minutes("00:00"), Some(0));
        assert_eq!(minutes("24:00"), Some(1440));
        assert_eq!(minutes("24:30"), None);
        assert_eq!(minutes("9:00"), None);
        assert_eq!(minutes("12:60"), None);
    }

    #[test]
    fn day_ranges_follow_alertmanager() {
        assert!(range("1:-1", day_of_month).and_then(|(b, e)| days_in_order(b, e)).is_ok());
        assert!(range("-1:5", day_of_month).and_then(|(b, e)| days_in_order(b, e)).is_err());
        assert!(range("-3:-7", day_of_month).and_then(|(b, e)| days_in_order(b, e)).is_err());
        assert!(range("0", day_of_month).is_err());
        assert!(range("Monday:Friday", weekday).is_ok());
        assert!(range("monday:friday:sunday", weekday).is_err());
    }

    #[test]
    fn time_zones_are_iana_names() {
        for ok in ["Europe/Berlin", "UTC", "Local", "", "US/Eastern", "Etc/GMT+5", "posix/Asia/Tokyo"] {
            assert!(time_zone(ok).is_ok(), "{ok}");
        }
        for bad in ["Europe/Berln", "PST", "europe/berlin", "# IANA time zone names"] {
            assert!(time_zone(bad).is_err(), "{bad}");
        }
    }
}
