//! The engine's error type: user mistakes and internal faults are separate variants, so the
//! HTTP layer (`http::error`) can map each to one status code.

use std::path::PathBuf;

/// Everything that can go wrong inside the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A request or a record is malformed; the message says how to fix it.
    #[error("{message}")]
    Invalid {
        /// Which mistake it is (the HTTP layer gives each its error code).
        kind: Invalid,
        /// Human-readable explanation with a hint.
        message: String,
    },
    /// A record was validated field by field and some fields are wrong.
    #[error("invalid fields: {}", .0.iter().map(|f| f.field.as_str()).collect::<Vec<_>>().join(", "))]
    InvalidFields(Vec<FieldError>),
    /// The named record does not exist.
    #[error("{collection} record `{id}` was not found")]
    NotFound {
        /// Collection name.
        collection: String,
        /// Record id.
        id: String,
    },
    /// The data directory is held by another gba-search process.
    #[error(
        "the data directory {} is in use by another gba-search process (a running `serve`?): \
         stop it first, or send the change through its HTTP API",
        .0.display()
    )]
    Locked(PathBuf),
    /// A file could not be read or written.
    #[error("{context}: {source}")]
    Io {
        /// What was being done.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The full-text index failed.
    #[error("index error: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The listings database failed.
    #[error("listings store error: {0}")]
    Store(#[from] sled::Error),
    /// A value could not be (de)serialised.
    #[error("serialisation error: {0}")]
    Json(#[from] serde_json::Error),
    /// The caller is not authenticated.
    #[error("{0}")]
    Unauthorized(String),
    /// The caller is authenticated but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request conflicts with the record's state (e.g. editing a withdrawn listing).
    #[error("{0}")]
    Conflict(String),
    /// Anything else that is our fault.
    #[error("{0}")]
    Internal(String),
}

/// The kinds of [`Error::Invalid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// A parameter or option has a wrong value.
    Parameter,
    /// A collection name that does not exist.
    Collection,
    /// An owner that is not a valid entity id.
    Owner,
    /// An organisation acting on its own listing where only others may.
    OwnListing,
    /// A page beyond the deepest one that can be paged to.
    PageTooDeep,
}

/// One invalid field of a submitted record.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// The field's name.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// `field` is invalid: `message` says why.
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError { field: field.to_string(), message: message.into() }
    }
}

impl Error {
    /// True when the disk under the data directory is full or read-only (the write did not happen).
    pub fn is_storage_unavailable(&self) -> bool {
        use std::io::ErrorKind::{QuotaExceeded, ReadOnlyFilesystem, StorageFull};
        let kind = match self {
            Error::Io { source, .. } => Some(source.kind()),
            Error::Store(sled::Error::Io(io)) => Some(io.kind()),
            _ => None,
        };
        matches!(kind, Some(StorageFull | ReadOnlyFilesystem | QuotaExceeded))
    }

    /// Shorthand for [`Error::Invalid`].
    pub fn invalid(kind: Invalid, message: impl Into<String>) -> Self {
        Error::Invalid { kind, message: message.into() }
    }

    /// Wraps an I/O error with what was being done.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

/// The engine's result type.
pub type Result<T> = std::result::Result<T, Error>;
