use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match andon::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A panic outside the per-file and per-rule guards (say, in a report format) is still
    // "could not do its job", exit 2, never an abort; the panic hook has printed where.
    match std::panic::catch_unwind(|| andon::app::run(cli)) {
        Ok(Ok(code)) => ExitCode::from(code),
        Ok(Err(e)) => {
            eprintln!("andon: {e}");
            ExitCode::from(2)
        }
        Err(_) => {
            eprintln!("andon: internal error (a bug in andon); the report is incomplete");
            ExitCode::from(2)
        }
    }
}
