use crate::model::dockerfile::{run_commands, shipped_stages, RunCommand};
use crate::model::File;
use crate::rules::{Rule, Sink};

/// Both `wget` and `curl` used in the stages that ship: two HTTP clients where one does, each
/// with its own dependencies and CVEs.
pub struct WgetAndCurl;

impl Rule for WgetAndCurl {
    fn name(&self) -> &'static str {
        "dockerfile/wget-and-curl"
    }

    fn check_file(&self, file: &File, out: &mut Sink) {
        let Some(df) = file.dockerfile() else { return };
        let commands: Vec<RunCommand> = shipped_stages(df).into_iter().flat_map(|s| run_commands(df, s)).collect();
        let first = |name: &str| commands.iter().find(|c| c.command.find_program(&[name]).is_some());
        let (Some(wget), Some(curl)) = (first("wget"), first("curl")) else {
            return;
        };
        let (earlier, later, later_name) = if wget.span().start < curl.span().start {
            (wget, curl, "curl")
        } else {
            (curl, wget, "wget")
        };
        out.report(
            later.span(),
            format!("`{later_name}` here, and the image already uses the other HTTP client: both end up installed"),
        )
        .label(earlier.span(), "the other HTTP client")
        .help("use one of them throughout (curl, or busybox wget on Alpine), or download in a builder stage");
    }
}
