//! Typed views over syntax trees. A model reads; it never decides what is wrong.

pub mod alertmanager;
pub mod compose;
pub mod dockerfile;
pub mod env;
pub mod images;
pub mod k8s;
pub mod kustomize;
pub mod project;
pub mod prometheus;
pub mod repo;

use crate::kind::FileKind;
use crate::source::SourceFile;
use crate::syntax::dockerfile::Dockerfile;
use crate::syntax::tree::TreeFile;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The parsed form of a file.
#[derive(Debug)]
pub enum Parsed {
    Dockerfile(Box<Dockerfile>),
    Tree(TreeFile),
    /// Not parsed: unreadable, too large, or a kind andon does not read.
    None,
}

/// One classified, parsed file, with its typed models built on first use.
pub struct File {
    pub source: SourceFile,
    pub kind: FileKind,
    pub parsed: Parsed,
    /// Whether it ships, and why (`crate::surface`): production-only rules skip files that do not.
    pub placement: crate::surface::Placement,
    /// Why the text could not be read, when it could not.
    pub read_error: Option<ReadError>,
    /// Listed as a patch by a `kustomization.yaml` (`patches`, `patchesStrategicMerge`): its
    /// objects are partial, whatever the file's name.
    pub kustomize_patch: bool,
    /// A resource of a `kustomization.yaml` that adds selector labels (`commonLabels`): Kustomize
    /// writes the workload's selector, so the file may leave it out.
    pub kustomize_selector: bool,
    /// Parts of a shipping file that the file itself says do not ship (a Compose service
    /// commented "for testing purposes only"), with why: judged like a file that does not ship.
    pub non_production_parts: Vec<(crate::source::Span, String)>,
    /// The image names some `kustomization.yaml` of the run pins with `images:` (newTag, digest).
    pub kustomize_images: std::sync::Arc<std::collections::BTreeSet<String>>,
    /// The Kustomize overlays that deploy this manifest with a patch on the way: its objects are
    /// judged as each of them renders them.
    pub overlays: Vec<Arc<kustomize::Overlay>>,
    models: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

/// Why a file's text was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Bytes that are not UTF-8, first at `offset`.
    NotUtf8 {
        offset: usize,
    },
    /// UTF-16 text (a byte-order mark says so).
    Utf16,
    /// NUL bytes: a binary file under a deployment file's name.
    Binary,
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// The operating system refused (permissions, vanished file).
    Io(String),
    /// A folder the operating system would not list: nothing below it was checked.
    Folder(String),
    /// andon itself failed reading or parsing the file (a panic, with its message).
    Internal(String),
    /// A Helm template: Go template syntax from `offset` on, so the text is not the YAML that
    /// Kubernetes will see until it is rendered.
    Template {
        offset: usize,
    },
}

/// A typed view that can be built from a file (a Kubernetes object list, a Compose model, …).
pub trait FromFile: Any + Send + Sync + Sized {
    /// `None` when the file is not of this model's kind.
    fn build(file: &File) -> Option<Self>;
}

impl File {
    pub fn new(source: SourceFile, kind: FileKind, parsed: Parsed, placement: crate::surface::Placement) -> File {
        File {
            source,
            kind,
            parsed,
            placement,
            read_error: None,
            kustomize_patch: false,
            kustomize_selector: false,
            non_production_parts: Vec::new(),
            kustomize_images: Default::default(),
            overlays: Vec::new(),
            models: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the file ships (see [`crate::surface`]).
    pub fn production(&self) -> bool {
        self.placement.production
    }

    pub fn path(&self) -> &str {
        &self.source.path
    }

    pub fn text(&self) -> &str {
        &self.source.text
    }

    pub fn tree(&self) -> Option<&TreeFile> {
        match &self.parsed {
            Parsed::Tree(t) => Some(t),
            _ => None,
        }
    }

    pub fn dockerfile(&self) -> Option<&Dockerfile> {
        match &self.parsed {
            Parsed::Dockerfile(d) => Some(d),
            _ => None,
        }
    }

    /// The model `T` of this file, built once and shared by every rule that asks.
    pub fn model<T: FromFile>(&self) -> Option<Arc<T>> {
        let id = TypeId::of::<T>();
        if let Some(hit) = self.lock_models().get(&id) {
            return hit.downcast_ref::<Option<Arc<T>>>().cloned().flatten();
        }
        // Built outside the lock: a model may ask for another model of the same file. An alias
        // bomb has none: models follow aliases, and that would not end (andon/alias-bomb
        // reports the file).
        let bomb = self.tree().is_some_and(|t| t.docs.iter().any(|d| d.is_alias_bomb()));
        let built: Option<Arc<T>> = if bomb { None } else { T::build(self).map(Arc::new) };
        self.lock_models().entry(id).or_insert_with(|| Arc::new(built.clone()));
        built
    }

    fn lock_models(&self) -> std::sync::MutexGuard<'_, HashMap<TypeId, Arc<dyn Any + Send + Sync>>> {
        // A rule that panicked while holding the lock leaves a usable cache behind.
        self.models.lock().unwrap_or_else(|e| e.into_inner())
    }
}
