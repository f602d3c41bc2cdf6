use super::config;
use crate::model::alertmanager::SetKey;
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Two fields Alertmanager accepts only one of (a credential and its `*_file`, a Slack webhook
/// URL and an app token): Alertmanager refuses the configuration rather than pick one.
pub struct ConflictingFields;

/// Groups of keys of which at most one may be set, beyond the `x` / `x_file` pairs, per
/// integration (config/notifiers.go, notify/*/config.go, config/config.go at 68fb2d5).
const EXCLUSIVE: &[(&str, &[&str], &[&str])] = &[
    ("slack", &["api_url", "api_url_file"], &["app_token", "app_token_file"]),
    ("slack", &["http_config.authorization"], &["app_token", "app_token_file"]),
    (
        "incidentio",
        &["http_config.authorization"],
        &["alert_source_token", "alert_source_token_file"],
    ),
];

/// Where Alertmanager does not check `x` against `x_file`: an e-mail entry's password and
/// secret override the global ones whichever form they take.
const NO_FILE_CHECK: &[&str] = &["email"];

/// What `slack_app_url` is when `global:` does not set it.
const SLACK_APP_URL: &str = "https://slack.com/api/chat.postMessage";

impl Rule for ConflictingFields {
    fn name(&self) -> &'static str {
        "alertmanager/conflicting-fields"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        file_pairs(&cfg.global_set, "`global:`", out);
        if let Some((url, token)) = global_slack_conflict(&cfg.global_set) {
            report(out, "`global:`", url, token);
        }
        for receiver in &cfg.receivers {
            for integration in &receiver.integrations {
                let what = format!("`{}_configs` entry of receiver `{}`", integration.kind, receiver.name.value);
                for item in &integration.items {
                    if !NO_FILE_CHECK.contains(&integration.kind.as_str()) {
                        file_pairs(&item.set, &what, out);
                    }
                    if integration.kind == "slack" {
                        if let Some(url) = update_without_bot_api(&item.set) {
                            out.report(url.key, format!("{what} sets `update_message` with a webhook `api_url`: Alertmanager refuses the configuration"))
                                .help(format!("updating a sent message needs Slack's bot API: set `api_url: {SLACK_APP_URL}` with the bot token in `http_config.authorization` (or `app_token_file`), or drop `update_message`"));
                        }
                    }
                    for (_, a, b) in EXCLUSIVE.iter().filter(|(kind, _, _)| *kind == integration.kind) {
                        if let (Some(a), Some(b)) = (item.get(a), item.get(b)) {
                            report(out, &what, a, b);
                        }
                    }
                }
            }
        }
    }
}

/// Every `x` set beside `x_file`.
fn file_pairs(set: &[SetKey], what: &str, out: &mut Sink) {
    for file_key in set.iter().filter(|k| k.name.ends_with("_file")) {
        let plain = &file_key.name[..file_key.name.len() - "_file".len()];
        if let Some(inline) = set.iter().find(|k| k.name == plain) {
            report(out, what, inline, file_key);
        }
    }
}

/// A global Slack webhook URL beside a global app token is refused, except when the URL is
/// the app URL itself (the workaround of prometheus/alertmanager#2513).
fn global_slack_conflict(set: &[SetKey]) -> Option<(&SetKey, &SetKey)> {
    let find = |names: &[&str]| set.iter().find(|k| names.contains(&k.name.as_str()));
    let url = find(&["slack_api_url", "slack_api_url_file"])?;
    let token = find(&["slack_app_token", "slack_app_token_file"])?;
    let app_url = find(&["slack_app_url"]).map_or(SLACK_APP_URL, |k| k.value.as_str());
    (url.name != "slack_api_url" || url.value != app_url).then_some((url, token))
}

/// Slack's `update_message` edits the message it sent, which only the bot API can: a webhook
/// `api_url` beside it is refused.
fn update_without_bot_api(set: &[SetKey]) -> Option<&SetKey> {
    set.iter()
        .find(|k| k.name == "update_message" && k.value.eq_ignore_ascii_case("true"))?;
    set.iter().find(|k| k.name == "api_url" && k.value != SLACK_APP_URL)
}

fn report(out: &mut Sink, what: &str, first: &SetKey, second: &SetKey) {
    let (earlier, later) = if first.key.start <= second.key.start {
        (first, second)
    } else {
        (second, first)
    };
    out.report(
        later.key,
        format!("{what} sets both `{}` and `{}`: Alertmanager refuses the configuration", earlier.name, later.name),
    )
    .help(format!(
        "keep one of `{}` and `{}` (a `*_file` form keeps a credential out of the file); `amtool check-config` says \"at most one of … must be configured\"",
        earlier.name, later.name
    ));
}
