use crate::model::File;
use crate::rules::{Rule, Sink};

/// EXPOSE with a value that is not `port[/tcp|udp|sctp]` or a range of ports: the build fails,
/// or the port is not what was meant (`8080:80` publishes nothing).
pub struct InvalidExposePort;

impl Rule for InvalidExposePort {
    fn name(&self) -> &'static str {
        "dockerfile/invalid-expose-port"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        for (index, inst) in df.instructions.iter().enumerate() {
            if !inst.is("EXPOSE") {
                continue;
            }
            for word in inst.words() {
                let value = df.substitute_args(&word.text, df.stage_of(index));
                if value.contains('$') {
                    continue;
                }
                let Some(problem) = problem(&value) else { continue };
                out.report(word.span, format!("`EXPOSE {value}`: {problem}"))
                    .help("write the container port only, `8080` or `8080/tcp` (`-p host:container` is chosen when the container runs)");
            }
        }
    }
}

fn problem(value: &str) -> Option<&'static str> {
    let (ports, protocol) = value.split_once('/').unwrap_or((value, "tcp"));
    if !["tcp", "udp", "sctp"].contains(&protocol.to_ascii_lowercase().as_str()) {
        return Some("the protocol must be tcp, udp or sctp");
    }
    if ports.contains(':') {
        return Some("EXPOSE takes the container port only; a host mapping is not an image's to choose");
    }
    let (low, high) = ports.split_once('-').unwrap_or((ports, ports));
    match (port(low), port(high)) {
        (Some(l), Some(h)) if l <= h => None,
        (Some(_), Some(_)) => Some("the range ends before it starts"),
        _ => Some("a port is a number from 0 to 65535"),
    }
}

fn port(s: &str) -> Option<u16> {
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn ports() {
        for ok in ["80", "8080/tcp", "53/UDP", "7000-7010", "7000-7010/udp", "0"] {
            assert!(problem(ok).is_none(), "{ok}");
        }
        for bad in ["8080:80", "70000", "http", "80/tpc", "9000-8000", "-1", "80-"] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }
}
