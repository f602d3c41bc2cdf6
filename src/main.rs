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
    match andon::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("andon: {e}");
            ExitCode::from(2)
        }
    }
}
