use super::config;
use crate::model::alertmanager::IntegrationItem;
use crate::model::File;
use crate::rules::schema::join_or;
use crate::rules::{Rule, Sink};

/// A notifier integration without a field Alertmanager requires (a Slack entry without a
/// webhook URL, an e-mail entry without `to`, a PagerDuty entry without a key): Alertmanager
/// refuses the whole configuration.
pub struct IntegrationMissingField;

/// One thing an integration entry cannot do without: any of `local` set on the entry, or else
/// any of `global` set under `global:` (Alertmanager fills the entry from there).
struct Need {
    local: &'static [&'static str],
    global: &'static [&'static str],
}

const fn need(local: &'static [&'static str]) -> Need {
    Need { local, global: &[] }
}

/// Per integration, what its `UnmarshalYAML` (notify/<name>/config.go, config/notifiers.go) and
/// `Config.UnmarshalYAML` (config/config.go) refuse to go without, at prometheus/alertmanager
/// 68fb2d5. URLs with a default in `DefaultGlobalConfig` (PagerDuty, OpsGenie, VictorOps,
/// WeChat, Telegram, Webex, Rocket.Chat) are never missing.
const NEEDS: &[(&str, &[Need])] = &[
    ("discord", &[need(&["webhook_url", "webhook_url_file"])]),
    (
        "email",
        &[
            need(&["to"]),
            Need {
                local: &["smarthost"],
                global: &["smtp_smarthost"],
            },
            Need {
                local: &["from"],
                global: &["smtp_from"],
            },
        ],
    ),
    ("incidentio", &[need(&["url", "url_file"])]),
    (
        "jira",
        &[
            need(&["project"]),
            need(&["issue_type"]),
            Need {
                local: &["api_url"],
                global: &["jira_api_url"],
            },
        ],
    ),
    (
        "mattermost",
        &[Need {
            local: &["webhook_url", "webhook_url_file"],
            global: &["mattermost_webhook_url", "mattermost_webhook_url_file"],
        }],
    ),
    ("msteams", &[need(&["webhook_url", "webhook_url_file"])]),
    ("msteamsv2", &[need(&["webhook_url", "webhook_url_file"])]),
    (
        "opsgenie",
        &[Need {
            local: &["api_key", "api_key_file"],
            global: &["opsgenie_api_key", "opsgenie_api_key_file"],
        }],
    ),
    (
        "pagerduty",
        &[need(&["routing_key", "routing_key_file", "service_key", "service_key_file"])],
    ),
    ("pushover", &[need(&["user_key", "user_key_file"]), need(&["token", "token_file"])]),
    (
        "rocketchat",
        &[
            Need {
                local: &["token_id", "token_id_file"],
                global: &["rocketchat_token_id", "rocketchat_token_id_file"],
            },
            Need {
                local: &["token", "token_file"],
                global: &["rocketchat_token", "rocketchat_token_file"],
            },
        ],
    ),
    (
        "slack",
        &[Need {
            local: &["api_url", "api_url_file", "app_token", "app_token_file"],
            global: &["slack_api_url", "slack_api_url_file", "slack_app_token", "slack_app_token_file"],
        }],
    ),
    ("sns", &[need(&["topic_arn", "target_arn", "phone_number"])]),
    (
        "telegram",
        &[
            Need {
                local: &["bot_token", "bot_token_file"],
                global: &["telegram_bot_token", "telegram_bot_token_file"],
            },
            need(&["chat_id", "chat_id_file"]),
        ],
    ),
    (
        "victorops",
        &[
            need(&["routing_key"]),
            Need {
                local: &["api_key", "api_key_file"],
                global: &["victorops_api_key", "victorops_api_key_file"],
            },
        ],
    ),
    // Webex reads no token from `global:`: its own `http_config` must carry the bot's.
    ("webex", &[need(&["room_id"]), need(&["http_config.authorization"])]),
    ("webhook", &[need(&["url", "url_file"])]),
    (
        "wechat",
        &[
            Need {
                local: &["api_secret", "api_secret_file"],
                global: &["wechat_api_secret", "wechat_api_secret_file"],
            },
            Need {
                local: &["corp_id"],
                global: &["wechat_api_corp_id"],
            },
        ],
    ),
];

impl Rule for IntegrationMissingField {
    fn name(&self) -> &'static str {
        "alertmanager/integration-missing-field"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(cfg) = config(file) else { return };
        let in_global = |k: &&str| cfg.global_set.iter().any(|g| g.name == *k);
        for receiver in &cfg.receivers {
            for integration in &receiver.integrations {
                let Some((_, needs)) = NEEDS.iter().find(|(kind, _)| *kind == integration.kind) else {
                    continue;
                };
                for item in &integration.items {
                    for n in needs.iter().filter(|n| {
                        item.get(n.local).is_none()
                            && !n.global.iter().any(in_global)
                            && !n.local.iter().any(|k| filled_in_at_start(file.text(), k))
                    }) {
                        report(out, item, &integration.kind, &receiver.name.value, n);
                    }
                }
            }
        }
    }
}

/// Whether the file holds `key` as a commented placeholder (`#api_url: <url>#`), the mark of a
/// template whose entrypoint writes the value in (swarmprom's `sed`) before Alertmanager reads it.
fn filled_in_at_start(text: &str, key: &str) -> bool {
    text.lines().any(|l| {
        l.trim_start()
            .strip_prefix('#')
            .and_then(|c| c.trim_start().strip_prefix(key))
            .and_then(|c| c.strip_prefix(':'))
            .is_some_and(|v| v.trim_start().starts_with('<'))
    })
}

/// The message names the main key of each side; the help line lists every accepted form.
fn report(out: &mut Sink, item: &IntegrationItem, kind: &str, receiver: &str, n: &Need) {
    let mut message = format!("`{kind}_configs` entry of receiver `{receiver}` has no `{}`", n.local[0]);
    let mut help = format!("set {} on the entry", either(n.local));
    if let Some(global) = n.global.first() {
        message.push_str(&format!(" and `global:` no `{global}`"));
        help.push_str(&format!(", or {} under `global:`", either(n.global)));
    }
    message.push_str(": Alertmanager refuses the configuration");
    if n.local.iter().any(|k| k.ends_with("_file")) {
        help.push_str(" (prefer a `*_file` form for a credential)");
    }
    out.report(item.place, message).help(help);
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`".
fn either(keys: &[&str]) -> String {
    join_or(&keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>())
}
