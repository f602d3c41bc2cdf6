use super::each_setting;
use crate::model::File;
use crate::rules::env::plaintext;
use crate::rules::env::secrets::url_password;
use crate::rules::{Rule, Sink};

/// A connection in an application config that turns TLS off, or uses http:// to an external host.
pub struct PlaintextConnection;

impl Rule for PlaintextConnection {
    fn name(&self) -> &'static str {
        "appconfig/plaintext-connection"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        each_setting(file, |s| {
            let Some(value) = s.value.as_str() else { return };
            let Some(why) = plaintext(value) else { return };
            let report = out.report(s.value.span, format!("`{}` {why}", s.path.join(".")));
            // The URL may carry credentials too: never show them.
            let report = if url_password(value).is_some() {
                report.secret(s.value.span)
            } else {
                report
            };
            report.help("use TLS for traffic that leaves the host or the cluster (`sslmode=verify-full`, https://)");
        });
    }
}
