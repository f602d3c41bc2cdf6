use super::{for_each_container, Scope};
use crate::diagnostic::Severity;
use crate::model::File;
use crate::rules::{Rule, Sink};
use crate::syntax::tree::Node;

/// A secret-like environment variable given as a literal `value` instead of a `secretKeyRef`.
pub struct SecretInEnv;

impl Rule for SecretInEnv {
    fn name(&self) -> &'static str {
        "k8s/secret-in-env"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        for_each_container(file, Scope::Written, |_, _, c| {
            for var in &c.env {
                let Some(value) = &var.value else { continue };
                if !is_secret_name(&var.name) || !is_literal_secret(value) {
                    continue;
                }
                let placeholder = value.as_str().is_some_and(|v| is_placeholder(&var.name, v));
                let message = if placeholder {
                    format!(
                        "env var `{}` of {} is meant to hold a literal secret (the value is a placeholder)",
                        var.name,
                        c.describe()
                    )
                } else {
                    format!("env var `{}` of {} is a literal secret", var.name, c.describe())
                };
                let report = out
                    .report(value.span, message)
                    .help("move the value into a Secret and read it with valueFrom.secretKeyRef (or mount the Secret as a file); anyone who can read the manifest or the pod spec reads it")
                    .secret(value.span);
                if placeholder {
                    report.severity(Severity::Info);
                }
            }
        });
    }
}

/// Names that hold secrets: PASSWORD, TOKEN, SECRET, API_KEY … but not the settings around them
/// (`TOKEN_TTL`, `PASSWORD_FILE`, `SECRET_NAME`).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let Some(last) = words.last() else { return false };
    const NOT_SECRET: &[&str] = &[
        "FILE",
        "PATH",
        "DIR",
        "TTL",
        "TIMEOUT",
        "EXPIRY",
        "EXPIRES",
        "LENGTH",
        "SIZE",
        "NAME",
        "ID",
        "HEADER",
        "URL",
        "ENABLED",
        "TYPE",
        "REF",
        "KEYREF",
        "ENDPOINT",
        "HOST",
        "PORT",
        "ALGORITHM",
        "USER",
        "USERNAME",
        "FORMAT",
        "MODE",
        "SECONDS",
        "MINUTES",
        "HOURS",
        "DAYS",
        "MS",
        "DURATION",
        "INTERVAL",
        "LIFETIME",
    ];
    if NOT_SECRET.contains(last) {
        return false;
    }
    let has = |w: &str| words.contains(&w);
    let pair = |a: &str, b: &str| words.windows(2).any(|p| p[0] == a && p[1] == b);
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "CREDENTIALS", "PASSPHRASE"]
        .iter()
        .any(|w| has(w) || words.iter().any(|x| x.ends_with(w) && x.len() > w.len() + 2))
        || pair("API", "KEY")
        || pair("PRIVATE", "KEY")
        || pair("ACCESS", "KEY")
        || pair("SECRET", "KEY")
}

/// A value written to be replaced before deploying: `INSERT_DB_PASSWORD`, `<api key>`,
/// `DB_PASSWORD_VAL`.
fn is_placeholder(name: &str, value: &str) -> bool {
    let upper = value.trim().to_ascii_uppercase();
    crate::redact::is_placeholder(value)
        || upper.contains(&name.to_ascii_uppercase())
        || [
            "INSERT",
            "REPLACE",
            "YOUR_",
            "YOUR-",
            "CHANGE_ME",
            "CHANGEME",
            "PLACEHOLDER",
            "XXXX",
        ]
        .iter()
        .any(|w| upper.contains(w))
}

/// A value that could be a secret: not empty, not a reference to another variable or a file,
/// not a boolean (the flags beside a password: `MYSQL_ALLOW_EMPTY_PASSWORD: "1"`,
/// `ALLOW_EMPTY_PASSWORD: "yes"`, `MYSQL_RANDOM_ROOT_PASSWORD: "yes"`).
fn is_literal_secret(value: &Node) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let text = text.trim();
    let reference =
        (text.starts_with("$(") && text.ends_with(')')) || text.starts_with("${") || text.contains("{{") || text.starts_with('/');
    let boolean = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "1" | "0"
    );
    !text.is_empty() && !reference && !boolean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "DB_PASSWORD",
            "API_KEY",
            "GITHUB_TOKEN",
            "client_secret",
            "MYSQL_ROOT_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "SLACKTOKEN",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "TOKEN_EXPIRY_SECONDS",
            "SECRET_NAME",
            "API_URL",
            "KEY",
            "LOG_LEVEL",
            "AWS_ACCESS_KEY_ID",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
