//! What start-up derives from the data files — the segmenter's words with their frequencies, the
//! analysed alias sets, the entity names, the content fingerprint — kept in the index directory
//! (derived data, like the index) so that a start on unchanged data reads one file instead of
//! parsing every entity, cutting every name and hashing every data file.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::analysis::Derived;
use crate::error::{Error, Result};
use crate::index::{EntityNames, SCHEMA_VERSION};

/// File name in the index directory.
const FILE: &str = "startup-cache.bin";
/// Name of the JSON cache of earlier versions, removed when a new cache is written.
const OLD_FILE: &str = "startup-cache.json";

/// The cached start-up state: what was derived from the entities and the vocabulary is valid
/// while their [`stat_signature`] is unchanged, the fingerprint while that of every source file is.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct StartupCache {
    /// Schema version of the binary that wrote it.
    pub schema: u32,
    /// [`stat_signature`] of every source file when it was written.
    pub stat: String,
    /// Content fingerprint of those files.
    pub fingerprint: String,
    /// [`stat_signature`] of `entities.jsonl` and the vocabulary files.
    pub entities_stat: String,
    /// What the analyzer derived from the entities.
    pub derived: Derived,
    /// Entity names and cities by id.
    pub entities: EntityNames,
}

impl StartupCache {
    /// The cache in `index_dir` when this schema version wrote it and its entities and
    /// vocabulary are unchanged (signature `entities_stat`); `None` when missing, unreadable or
    /// out of date.
    pub fn load(index_dir: &Path, entities_stat: &str) -> Option<StartupCache> {
        let bytes = std::fs::read(index_dir.join(FILE)).ok()?;
        let cache: StartupCache = match postcard::from_bytes(&bytes) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "start-up cache unreadable; deriving again");
                return None;
            }
        };
        (cache.schema == SCHEMA_VERSION && cache.entities_stat == entities_stat).then_some(cache)
    }

    /// Writes the cache atomically ([`crate::durable::write_atomic`]). It is postcard, a compact
    /// binary serde format: at a million records the JSON it replaced took a second to parse.
    pub fn save(&self, index_dir: &Path) -> Result<()> {
        let path = index_dir.join(FILE);
        let bytes =
            postcard::to_stdvec(self).map_err(|e| Error::Internal(format!("encoding the start-up cache: {e}")))?;
        let write = || -> std::io::Result<()> {
            crate::durable::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes))?;
            match std::fs::remove_file(index_dir.join(OLD_FILE)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        };
        write().map_err(|e| Error::io(format!("writing {}", path.display()), e))
    }
}

/// Name, size, inode and modification time (to the nanosecond) of each file: when none of them
/// changed, neither did the files' contents (an editor or `import` replaces a file, which changes
/// at least its inode or time).
pub(super) fn stat_signature(files: &[PathBuf]) -> String {
    let mut h = Sha256::new();
    h.update(SCHEMA_VERSION.to_be_bytes());
    h.update(crate::analysis::builtin_digest());
    for f in files {
        h.update(f.as_os_str().as_encoded_bytes());
        match std::fs::metadata(f) {
            Ok(m) => {
                for n in [m.len(), m.ino(), m.mtime() as u64, m.mtime_nsec() as u64] {
                    h.update(n.to_be_bytes());
                }
            }
            Err(_) => h.update(b"missing"),
        }
    }
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_changes_when_a_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.jsonl");
        std::fs::write(&f, "one").unwrap();
        let files = vec![f.clone()];
        let before = stat_signature(&files);
        assert_eq!(before, stat_signature(&files));
        let tmp = dir.path().join("a.tmp");
        std::fs::write(&tmp, "two").unwrap();
        std::fs::rename(&tmp, &f).unwrap();
        assert_ne!(before, stat_signature(&files));
    }

    #[test]
    fn a_cache_for_other_files_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = StartupCache {
            schema: SCHEMA_VERSION,
            stat: "all".into(),
            fingerprint: "f".into(),
            entities_stat: "s1".into(),
            derived: Derived::default(),
            entities: EntityNames::new(),
        };
        cache.save(dir.path()).unwrap();
        assert!(StartupCache::load(dir.path(), "s1").is_some());
        assert!(StartupCache::load(dir.path(), "s2").is_none());
    }
}
