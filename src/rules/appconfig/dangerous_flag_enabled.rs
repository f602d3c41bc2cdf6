use super::each_setting;
use crate::model::File;
use crate::rules::{Rule, Sink};
use serde::Deserialize;

/// Debug modes, unsafe features and disabled verification switched on in a production config.
pub struct DangerousFlagEnabled;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Options {
    /// More setting names (lowercase) that must not be true in production.
    extra_flags: Vec<String>,
}

/// Settings that must not be true in production.
const ON_IS_DANGEROUS: &[&str] = &[
    "debug",
    "debug_mode",
    "debugmode",
    "dev_mode",
    "devmode",
    "development_mode",
    "developer_mode",
    "vba_enabled",
    "macros_enabled",
    "allow_overwrite",
    "insecure",
    "insecure_skip_verify",
    "insecureskipverify",
    "skip_tls_verify",
    "tls_skip_verify",
    "skip_ssl_verify",
    "disable_auth",
    "auth_disabled",
    "disable_authentication",
    "disable_csrf",
    "csrf_disabled",
    "expose_errors",
    "show_errors",
    "display_errors",
    "stacktrace_enabled",
    "graphiql",
    "playground",
    "introspection",
];

/// Settings that must not be false in production (verification switched off).
const OFF_IS_DANGEROUS: &[&str] = &[
    "verify_ssl",
    "ssl_verify",
    "tls_verify",
    "verify_tls",
    "verify_certificates",
    "verify_certs",
    "auth_enabled",
    "authentication_enabled",
    "csrf_enabled",
    "csrf_protection",
];

impl Rule for DangerousFlagEnabled {
    fn name(&self) -> &'static str {
        "appconfig/dangerous-flag-enabled"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let options: Options = out.options();
        each_setting(file, |s| {
            let Some(on) = s.value.as_bool() else { return };
            if is_dangerous(s.name(), on, &options.extra_flags) {
                out.report(s.value.span, format!("`{}` is {on} in a production config", s.path.join(".")))
                    .help("use the safe value in production; change it per environment (a development config or an override) when needed");
            }
        });
    }
}

fn is_dangerous(name: &str, on: bool, extra: &[String]) -> bool {
    let words: Vec<&str> = name.split(['_', '-', '.']).collect();
    let allow_risky = words.first() == Some(&"allow")
        && words.iter().skip(1).any(|w| {
            matches!(
                *w,
                "unsafe"
                    | "insecure"
                    | "anonymous"
                    | "unauthenticated"
                    | "overwrite"
                    | "root"
                    | "http"
                    | "eval"
                    | "exec"
                    | "macros"
                    | "scripts"
            )
        });
    let unsafe_named = words.iter().any(|w| matches!(*w, "unsafe" | "insecure"));
    if on {
        ON_IS_DANGEROUS.contains(&name) || extra.iter().any(|e| e.eq_ignore_ascii_case(name)) || allow_risky || unsafe_named
    } else {
        OFF_IS_DANGEROUS.contains(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert!(is_dangerous("debug", true, &[]));
        assert!(!is_dangerous("debug", false, &[]));
        assert!(is_dangerous("allow_overwrite", true, &[]));
        assert!(is_dangerous("verify_ssl", false, &[]));
        assert!(is_dangerous("unsafe_eval", true, &[]));
        assert!(!is_dangerous("recalc_enabled", true, &[]));
        assert!(!is_dangerous("allow_credentials", true, &[]));
        assert!(!is_dangerous("enable_simd", true, &[]));
    }
}
