//! Telling a literal secret from everything else, for every rule that reads values (environment
//! variables of any source, application configs).
//!
//! The policy, also in the rule docs:
//! - a key is secret-like when one of its words is `password`, `passwd`, `pwd`, `pass`,
//!   `secret`, `token`, `apikey`, `passphrase`, `credentials`, or two adjacent words are
//!   `api key`, `private key`, `secret key`, `client secret`, `signing key`, `encryption key`,
//!   `master key`, `auth token`; keys about a secret rather than holding one (`*_FILE`,
//!   `*_PATH`, `*_LENGTH`, `*_TTL`, `*_EXPIRY`, `*_ENABLED`, `*_HEADER`, `*_NAME`, `*_KEY_ID`,
//!   …) are not, nor is an access key (`AWS_ACCESS_KEY`, `MINIO_ACCESS_KEY`): S3's and its
//!   clones' key ID, the public half beside the `*_SECRET_KEY`;
//! - a value is not a literal secret when it is empty, a reference (`${VAR}`, `$VAR`), a
//!   placeholder (`<token>`, `{{ token }}`, `REPLACE_ME`, `your-api-key`, `xxxx`, `***`), a
//!   boolean or a short number;
//! - well-known default passwords (`admin`, `password`, `changeme`, …) are secrets: they are
//!   deployed as-is more often than not, and they are the first thing an attacker tries;
//! - credentials inside a URL (`postgres://user:pass@host`) and known token formats (AWS access
//!   keys, GitHub, GitLab, Slack and Stripe tokens, private key blocks, JWTs) are secrets under
//!   any key.

use crate::redact::{is_placeholder, token_format};
use regex::Regex;
use std::sync::OnceLock;

/// What kind of secret a value holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Secret {
    /// A secret-like key with a literal value.
    Named,
    /// A secret-like key whose value is a well-known default password.
    DefaultPassword,
    /// A password inside a URL's user information or a `Password=…;` connection string.
    UrlPassword,
    /// A value in a known token format, whatever its key.
    Token(&'static str),
}

impl Secret {
    /// How a message names what `key` holds.
    pub(crate) fn describe(self, key: &str) -> String {
        match self {
            Secret::Named => format!("`{key}` holds a literal secret"),
            Secret::DefaultPassword => format!("`{key}` is set to a well-known default password"),
            Secret::UrlPassword => {
                format!("`{key}` carries a password inside its connection string")
            }
            Secret::Token(what) => format!("`{key}` holds what looks like {what}"),
        }
    }
}

const DEFAULT_PASSWORDS: &[&str] = &[
    "admin",
    "admin123",
    "administrator",
    "password",
    "password1",
    "password123",
    "passw0rd",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "secret",
    "root",
    "toor",
    "postgres",
    "mysql",
    "pass",
    "pass123",
    "123456",
    "12345678",
    "letmein",
    "guest",
    "test",
    "default",
    "qwerty",
];

/// The secret `value` of `key` holds, if any.
pub(crate) fn secret_in(key: &str, value: &str) -> Option<Secret> {
    let value = value.trim();
    if value.is_empty() || is_reference(value) {
        return None;
    }
    if let Some(what) = token_format(value) {
        return Some(Secret::Token(what));
    }
    if url_password(value).is_some() || dsn_password(value) {
        return Some(Secret::UrlPassword);
    }
    if !is_secret_key(key) || is_placeholder(value) || is_not_a_secret_value(value) {
        return None;
    }
    if DEFAULT_PASSWORDS.contains(&value.to_ascii_lowercase().as_str()) {
        Some(Secret::DefaultPassword)
    } else {
        Some(Secret::Named)
    }
}

/// The byte range of the literal password in a URL's user information (`scheme://user:PASS@`).
pub(crate) fn url_password(value: &str) -> Option<std::ops::Range<usize>> {
    let scheme_end = value.find("://")?;
    let scheme = &value[..scheme_end];
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let authority_start = scheme_end + 3;
    let rest = &value[authority_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || is_reference(password) || is_placeholder(password) {
        return None;
    }
    let start = authority_start + colon + 1;
    Some(start..start + password.len())
}

/// A literal `Password=…;` in a key/value connection string (ADO.NET, JDBC, libpq).
fn dsn_password(value: &str) -> bool {
    static DSN: OnceLock<Option<Regex>> = OnceLock::new();
    let Some(re) = DSN
        .get_or_init(|| Regex::new(r"(?i)(?:^|[;\s])(?:password|pwd)\s*=\s*([^;\s]+)").ok())
        .as_ref()
    else {
        return false;
    };
    re.captures_iter(value)
        .any(|c| c.get(1).is_some_and(|m| !is_reference(m.as_str()) && !is_placeholder(m.as_str())))
}

fn words(key: &str) -> Vec<String> {
    // camelCase → camel_case, then split on separators.
    let mut snake = String::with_capacity(key.len() + 4);
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            snake.push('_');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        snake.push(c.to_ascii_lowercase());
    }
    snake
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A key that names a secret (see the module docs for the policy).
pub(crate) fn is_secret_key(key: &str) -> bool {
    let w = words(key);
    const SINGLE: &[&str] = &[
        "password",
        "passwd",
        "pwd",
        "pass",
        "secret",
        "token",
        "apikey",
        "passphrase",
        "credentials",
        "credential",
        "privatekey",
        "secretkey",
    ];
    const PAIRS: &[(&str, &str)] = &[
        ("api", "key"),
        ("private", "key"),
        ("secret", "key"),
        ("client", "secret"),
        ("signing", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("auth", "token"),
        ("session", "key"),
    ];
    // Words that make the key about a secret rather than the secret itself.
    const ABOUT: &[&str] = &[
        "file",
        "path",
        "dir",
        "length",
        "len",
        "min",
        "max",
        "ttl",
        "timeout",
        "expiry",
        "expires",
        "expire",
        "expiration",
        "lifetime",
        "age",
        "enabled",
        "enable",
        "disabled",
        "required",
        "header",
        "name",
        "type",
        "algorithm",
        "alg",
        "policy",
        "endpoint",
        "uri",
        "url",
        "mode",
        "method",
        "prefix",
        "id",
        "user",
        "username",
        "count",
        "size",
        "format",
        "version",
        "provider",
        "store",
        "rotation",
        "reset",
        "hash",
        "field",
        "param",
        "env",
        "location",
        "ref",
        "arn",
        "count",
        "regex",
        "pattern",
        "strength",
        "complexity",
        "validity",
        "interval",
        "generator",
        "length",
    ];
    let named = w.iter().any(|x| SINGLE.contains(&x.as_str())) || w.windows(2).any(|p| PAIRS.contains(&(p[0].as_str(), p[1].as_str())));
    let about = w
        .iter()
        .skip_while(|x| !SINGLE.contains(&x.as_str()) && !PAIRS.iter().any(|p| p.1 == x.as_str()))
        .skip(1)
        .any(|x| ABOUT.contains(&x.as_str()));
    named && !about
}

/// `${VAR}`, `$VAR`, or a value made of references only.
fn is_reference(value: &str) -> bool {
    let v = value.trim();
    (v.starts_with("${") && v.ends_with('}') && !v.contains(":-"))
        || (v.starts_with('$') && v.len() > 1 && v[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// Booleans, short numbers and paths: configuration about a secret, not the secret.
fn is_not_a_secret_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "enabled" | "disabled"
    ) || (value.len() < 6 && value.chars().all(|c| c.is_ascii_digit()))
        || value.starts_with("/run/secrets/")
        || value.starts_with("file:")
        || value.starts_with("vault:")
        || value.starts_with("arn:aws:secretsmanager")
        || value.starts_with("secretsmanager:")
        || value.starts_with("ref+")
        || is_sentence(value)
}

/// Prose (`invalid_token: "Invalid token."` in a message catalog): words ending like a
/// sentence describe a secret, they are not one.
fn is_sentence(value: &str) -> bool {
    value.split_whitespace().count() >= 2 && value.ends_with(['.', '!', '?', '…'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_keys() {
        for k in [
            "POSTGRES_PASSWORD",
            "GF_SECURITY_ADMIN_PASSWORD",
            "api_key",
            "apiKey",
            "STRIPE_SECRET_KEY",
            "JWT_SECRET",
            "GITHUB_TOKEN",
            "REDIS_PASS",
            "clientSecret",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "POSTGRES_PASSWORD_FILE",
            "PASSWORD_MIN_LENGTH",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "AWS_ACCESS_KEY",
            "MINIO_ACCESS_KEY",
            "SECRET_NAME",
            "PASSWORD_AUTH_ENABLED",
            "TOKEN_ENDPOINT",
            "KEY",
            "PASSTHROUGH",
            "POSTGRES_USER",
            "COMPASS_URL",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(secret_in("POSTGRES_PASSWORD", "password"), Some(Secret::DefaultPassword));
        assert_eq!(secret_in("DB_PASSWORD", "s3cr3t-Pa55"), Some(Secret::Named));
        assert_eq!(secret_in("DB_PASSWORD", "${DB_PASSWORD}"), None);
        assert_eq!(secret_in("DB_PASSWORD", "<your-password>"), None);
        assert_eq!(secret_in("DB_PASSWORD", ""), None);
        assert_eq!(secret_in("API_TOKEN", "your-token-here"), None);
        assert_eq!(
            secret_in("DATABASE_URL", "postgresql://pmcp:password@postgres:5432/pmcp"),
            Some(Secret::UrlPassword)
        );
        assert_eq!(secret_in("REDIS_URL", "redis://redis:6379"), None);
        assert_eq!(secret_in("DATABASE_URL", "postgres://u:${PW}@db/x"), None);
        assert_eq!(secret_in("DATABASE_URL", "postgres://user@db/x"), None);
        assert_eq!(secret_in("X", "AKIAIOSFODNN7EXAMPLE"), Some(Secret::Token("an AWS access key")));
        assert_eq!(
            secret_in("CONN", "Host=db;Username=app;Password=Sup3r;Database=app"),
            Some(Secret::UrlPassword)
        );
        assert_eq!(secret_in("CONN", "Host=db;Password=${DB_PASSWORD};Database=app"), None);
        assert_eq!(secret_in("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"), None);
    }
}
