//! Rules for Dockerfiles, and what they share: the runtime stage of a file and the package
//! installs its RUN commands perform. The stage and command views live in
//! `model::dockerfile`.

mod add_instead_of_copy;
mod apt_instead_of_apt_get;
mod apt_update_alone;
mod apt_without_yes;
mod cd_in_run;
mod copy_sources_to_file;
mod duplicate_stage_name;
mod healthcheck_cannot_fail;
mod healthcheck_without_timeout;
mod invalid_expose_port;
mod invalid_stopsignal;
mod key_file_copied;
mod low_user_id;
mod missing_dockerignore;
mod missing_healthcheck;
mod missing_no_install_recommends;
mod missing_oci_labels;
mod no_init;
mod non_minimal_base;
mod overridden_instruction;
mod package_cache_kept;
mod pipe_without_pipefail;
mod relative_workdir;
mod runs_as_root;
mod secret_in_arg;
mod setcap_adds_capabilities;
mod shell_form_entrypoint;
mod ssh_port_exposed;
mod sudo_in_run;
mod toolchain_final_stage;
mod unknown_copy_from;
mod unlocked_build;
mod unpinned_image;
mod unpinned_package;
mod untrusted_registry;
mod user_by_name;
mod wget_and_curl;

use super::{Rule, Sink};
use crate::diagnostic::Edit;
use crate::model::dockerfile::{is_builder_name, runtime_stage, RunCommand};
use crate::model::project::Runtime;
use crate::model::File;
use crate::source::Span;
use crate::syntax::dockerfile::{Dockerfile, Stage};
use crate::syntax::shell;

/// This kind's rules, one sorted line each.
pub fn rules() -> Vec<&'static dyn Rule> {
    vec![
        &add_instead_of_copy::AddInsteadOfCopy,
        &apt_instead_of_apt_get::AptInsteadOfAptGet,
        &apt_update_alone::AptUpdateAlone,
        &apt_without_yes::AptWithoutYes,
        &cd_in_run::CdInRun,
        &copy_sources_to_file::CopySourcesToFile,
        &duplicate_stage_name::DuplicateStageName,
        &healthcheck_cannot_fail::HealthcheckCannotFail,
        &healthcheck_without_timeout::HealthcheckWithoutTimeout,
        &invalid_expose_port::InvalidExposePort,
        &invalid_stopsignal::InvalidStopsignal,
        &key_file_copied::KeyFileCopied,
        &low_user_id::LowUserId,
        &missing_dockerignore::MissingDockerignore,
        &missing_healthcheck::MissingHealthcheck,
        &missing_no_install_recommends::MissingNoInstallRecommends,
        &missing_oci_labels::MissingOciLabels,
        &no_init::NoInit,
        &non_minimal_base::NonMinimalBase,
        &overridden_instruction::OverriddenInstruction,
        &package_cache_kept::PackageCacheKept,
        &pipe_without_pipefail::PipeWithoutPipefail,
        &relative_workdir::RelativeWorkdir,
        &runs_as_root::RunsAsRoot,
        &secret_in_arg::SecretInArg,
        &setcap_adds_capabilities::SetcapAddsCapabilities,
        &shell_form_entrypoint::ShellFormEntrypoint,
        &ssh_port_exposed::SshPortExposed,
        &sudo_in_run::SudoInRun,
        &toolchain_final_stage::ToolchainFinalStage,
        &unknown_copy_from::UnknownCopyFrom,
        &unlocked_build::UnlockedBuild,
        &unpinned_image::UnpinnedImage,
        &unpinned_package::UnpinnedPackage,
        &untrusted_registry::UntrustedRegistry,
        &user_by_name::UserByName,
        &wget_and_curl::WgetAndCurl,
    ]
}

/// The Dockerfile and the stage that ships (see [`runtime_stage`]), when the file has one.
pub(crate) fn runtime(file: &File) -> Option<(&Dockerfile, &Stage)> {
    let df = file.dockerfile()?;
    Some((df, runtime_stage(df)?))
}

/// Whether the image this Dockerfile builds is run somewhere in the project, and every
/// runtime that runs it does what `test` asks: then the runtime, not the image, is where that
/// setting lives, and the image is not reported for lacking it.
pub(crate) fn every_runtime(out: &Sink, file: &File, test: impl Fn(&Runtime) -> bool) -> bool {
    let runtimes = out.project().graph().runtimes(file.path());
    !runtimes.is_empty() && runtimes.iter().all(test)
}

/// Whether instruction `index` belongs to a stage named as a builder (`AS build`): nothing
/// there runs in production.
pub(crate) fn in_builder(df: &Dockerfile, index: usize) -> bool {
    df.stage_of(index).and_then(|s| s.name.as_deref()).is_some_and(is_builder_name)
}

/// The edit inserting ` <flag>` right after `word` of a RUN command (`apt-get install` →
/// `apt-get install --no-install-recommends`): the minimal change, wherever the word sits on a
/// continued line.
pub(crate) fn insert_after(run: &RunCommand, word: &shell::Word, flag: &str) -> Vec<Edit> {
    let at = run.word_span(word).end as usize;
    vec![Edit {
        span: Span::empty(at),
        replacement: format!(" {flag}"),
    }]
}
