use super::secrets::url_password;
use super::{literal_values, where_set};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// A connection string that turns TLS off, or sends traffic to an external host over http://.
pub struct PlaintextConnection;

impl Rule for PlaintextConnection {
    fn name(&self) -> &'static str {
        "env/plaintext-connection"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let compose = file.model::<crate::model::compose::ComposeFile>();
        // A database that is a service of the same Compose file is reached over that stack's
        // network on one host: TLS off there exposes nothing on the wire.
        let on_this_stack = |value: &str| {
            let host = connection_host(value);
            compose
                .as_ref()
                .is_some_and(|c| c.services.iter().any(|s| Some(s.name.as_str()) == host))
        };
        for v in literal_values(file) {
            if let Some(why) = plaintext(&v.effective).filter(|_| !on_this_stack(&v.effective)) {
                let report = out.report(v.value_span, format!("`{}`{} {why}", v.key, where_set(&v)));
                // The URL may carry credentials too: never show them.
                let report = if url_password(&v.effective).is_some() {
                    report.secret(v.value_span)
                } else {
                    report
                };
                report.help("use TLS for traffic that leaves the host or the cluster (`sslmode=verify-full`, https://)");
            }
        }
    }
}

/// Why a value sends traffic without TLS, if it does. Hosts on the Compose or cluster network
/// (single-label names, `localhost`, `*.svc`, `*.cluster.local`, `*.internal`, private
/// addresses) are not judged for http://.
pub(crate) fn plaintext(value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    if lower.contains("sslmode=disable") {
        return Some("turns TLS off (`sslmode=disable`)");
    }
    let rest = lower.strip_prefix("http://")?;
    // Release downloads (`REDIS_DOWNLOAD_URL=http://…/redis.tar.gz`) are checked against a
    // checksum at build time; that is the Dockerfile rules' business, not traffic.
    const ARCHIVES: &[&str] = &[
        ".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".zip", ".deb", ".rpm", ".asc", ".sha256", ".jar",
    ];
    if ARCHIVES.iter().any(|a| rest.ends_with(a)) {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("").rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    (!is_internal_host(host)).then_some("sends traffic to an external host over plain http://")
}

/// The host of a connection string: a URL's (`postgres://user:pw@db:5432/app`), or a
/// key-value DSN's `host=`.
fn connection_host(value: &str) -> Option<&str> {
    if let Some((_, rest)) = value.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority.rsplit('@').next()?;
        return host.split(':').next().filter(|h| !h.is_empty());
    }
    value
        .split_whitespace()
        .find_map(|w| w.strip_prefix("host="))
        .filter(|h| !h.is_empty())
}

fn is_internal_host(host: &str) -> bool {
    let private_ip = |h: &str| {
        let parts: Vec<u8> = h.split('.').filter_map(|p| p.parse().ok()).collect();
        parts.len() == 4
            && (parts[0] == 10
                || parts[0] == 127
                || (parts[0] == 172 && (16..32).contains(&parts[1]))
                || (parts[0] == 192 && parts[1] == 168)
                || (parts[0] == 169 && parts[1] == 254)
                || parts == [0, 0, 0, 0])
    };
    host.is_empty()
        || !host.contains('.')
        || host.contains('$')
        || host.starts_with('[')
        || private_ip(host)
        || [
            ".svc",
            ".cluster.local",
            ".internal",
            ".local",
            ".localhost",
            ".lan",
            ".home.arpa",
            ".consul",
        ]
        .iter()
        .any(|s| host.ends_with(s) || host.contains(&format!("{s}.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_connection_strings() {
        assert_eq!(connection_host("postgres://u:p@db:5432/app?sslmode=disable"), Some("db"));
        assert_eq!(connection_host("host=pg port=5432 sslmode=disable"), Some("pg"));
        assert_eq!(connection_host("sslmode=disable"), None);
    }

    #[test]
    fn plaintext_values() {
        assert!(plaintext("postgres://db/app?sslmode=disable").is_some());
        assert!(plaintext("http://loki:3100").is_none());
        assert!(plaintext("http://otel-collector.observability.svc.cluster.local:4318").is_none());
        assert!(plaintext("http://10.0.0.5:8080").is_none());
        assert!(plaintext("http://api.example.com/v1").is_some());
        assert!(plaintext("https://api.example.com/v1").is_none());
        assert!(plaintext("http://download.redis.io/releases/redis-7.2.4.tar.gz").is_none());
    }
}
