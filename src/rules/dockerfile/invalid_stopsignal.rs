use crate::model::File;
use crate::rules::{Rule, Sink};

/// STOPSIGNAL naming no signal Docker knows, or one the process cannot handle (KILL, STOP).
pub struct InvalidStopsignal;

impl Rule for InvalidStopsignal {
    fn name(&self) -> &'static str {
        "dockerfile/invalid-stopsignal"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            if !inst.is("STOPSIGNAL") {
                continue;
            }
            let Some(word) = inst.words().first() else { continue };
            let value = df.substitute_args(&word.text, df.stage_of(index));
            if value.contains('$') {
                continue;
            }
            match judge(&value) {
                Signal::Fine => {}
                Signal::Unknown => {
                    out.report(
                        word.span,
                        format!("`{value}` is not a signal: the build fails, or `docker stop` cannot stop the container"),
                    )
                    .help("use a signal name such as `SIGTERM`, `SIGINT` or `SIGQUIT`, or its number");
                }
                Signal::Uncatchable => {
                    out.report(
                        word.span,
                        format!(
                            "`{value}` cannot be caught: the application is killed on stop, with no chance to drain requests or flush data"
                        ),
                    )
                    .help("stop with a signal the application handles, usually `SIGTERM` (the default) or `SIGINT`/`SIGQUIT`");
                }
            }
        }
    }
}

enum Signal {
    Fine,
    Unknown,
    Uncatchable,
}

/// Signal names Docker's parser accepts on Linux, without `SIG`.
const NAMES: &[&str] = &[
    "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT",
    "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
    "RTMIN", "RTMAX",
];

/// Docker reads a number (1–64 on Linux) or a name, any case, with or without `SIG`;
/// real-time signals as `RTMIN+n` and `RTMAX-n`.
fn judge(value: &str) -> Signal {
    if let Ok(n) = value.parse::<i64>() {
        return match n {
            9 | 19 => Signal::Uncatchable,
            1..=64 => Signal::Fine,
            _ => Signal::Unknown,
        };
    }
    let upper = value.to_ascii_uppercase();
    let name = upper.strip_prefix("SIG").unwrap_or(&upper);
    let realtime = ["RTMIN+", "RTMAX-"].iter().any(|p| {
        name.strip_prefix(p)
            .and_then(|n| n.parse::<u8>().ok())
            .is_some_and(|n| (1..=15).contains(&n))
    });
    if matches!(name, "KILL" | "STOP") {
        Signal::Uncatchable
    } else if realtime || NAMES.contains(&name) {
        Signal::Fine
    } else {
        Signal::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::{judge, Signal};

    #[test]
    fn signals() {
        for ok in ["SIGTERM", "sigquit", "INT", "15", "SIGRTMIN+3", "SIGWINCH"] {
            assert!(matches!(judge(ok), Signal::Fine), "{ok}");
        }
        for bad in ["SIGTERMINATE", "0", "99", "TERM;", "SIGRTMIN+40", ""] {
            assert!(matches!(judge(bad), Signal::Unknown), "{bad}");
        }
        for kill in ["SIGKILL", "9", "stop"] {
            assert!(matches!(judge(kill), Signal::Uncatchable), "{kill}");
        }
    }
}
