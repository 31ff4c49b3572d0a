//! Backup and restore: `export` writes every collection as JSON Lines (readable, and what
//! `import` reads) plus a complete copy of the listings database; `restore` makes a new data
//! directory from it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::{DataLock, with_store};
use crate::dataset;
use crate::error::{Error, Invalid, Result};
use crate::listings::ListingStore;
use crate::model::Collection;

/// File name, in an export, of the complete listings database (tokens, saved searches and
/// webhooks, interests, the board included).
pub const STORE_FILE: &str = "listings-store.bin";

/// Writes every collection of `data_dir` to `out/<collection>.jsonl` as `import` reads it —
/// listings from the store, private fields included (this is a backup) — and the expressions of
/// interest to `out/interests.jsonl`, the vocabulary overlay to `out/vocab/`, and the whole
/// listings database to `out/listings-store.bin`. Returns each file written with its number of
/// records (rows for the database).
pub fn export(data_dir: &Path, out: &Path) -> Result<Vec<(PathBuf, usize)>> {
    crate::durable::create_dir_all(out).map_err(|e| Error::io(format!("creating {}", out.display()), e))?;
    with_store(data_dir, |store| {
        let mut counts = Vec::new();
        for c in Collection::ALL {
            let records = match c {
                Collection::Listings => store.all()?,
                _ => dataset::read_file(c, &data_dir.join(c.file_name()))?.records,
            };
            let path = out.join(c.file_name());
            dataset::write_file(&path, &records)?;
            counts.push((path, records.len()));
        }
        let interests = store.all_interests()?;
        let path = out.join("interests.jsonl");
        crate::durable::write_atomic(&path, |f| {
            for i in &interests {
                serde_json::to_writer(&mut *f, i)?;
                f.write_all(b"\n")?;
            }
            Ok(())
        })
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        counts.push((path, interests.len()));
        let vocab = data_dir.join("vocab");
        if vocab.is_dir() {
            copy_files(&vocab, &out.join("vocab"))?;
        }
        let path = out.join(STORE_FILE);
        let rows = store.dump(&path)?;
        counts.push((path, rows));
        Ok(counts)
    })
}

/// Makes the empty data directory `data_dir` from an [`export`] in `from`: the collection files
/// and the vocabulary overlay are copied, the listings database is loaded (refused unless
/// `data_dir` has none yet), and the index in `index_dir` is dropped so that the next start
/// rebuilds it. Returns the number of records per collection file and of database rows.
pub fn restore(from: &Path, data_dir: &Path, index_dir: &Path) -> Result<Vec<(String, usize)>> {
    let store_file = from.join(STORE_FILE);
    if !store_file.is_file() {
        return Err(Error::invalid(
            Invalid::Parameter,
            format!("{} is missing: restore reads a directory written by `export`", store_file.display()),
        ));
    }
    let _lock = DataLock::acquire(data_dir)?;
    let mut counts = Vec::new();
    let store = ListingStore::open(&data_dir.join("listings.sled"))?;
    let rows = store.load_dump(&store_file)?;
    for c in Collection::ALL.into_iter().filter(|c| *c != Collection::Listings) {
        let src = from.join(c.file_name());
        let records = dataset::read_file(c, &src)?.records;
        dataset::write_file(&data_dir.join(c.file_name()), &records)?;
        counts.push((c.as_str().to_string(), records.len()));
    }
    let vocab = from.join("vocab");
    if vocab.is_dir() {
        copy_files(&vocab, &data_dir.join("vocab"))?;
    }
    match std::fs::remove_file(index_dir.join("meta.json")) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io(format!("dropping the index in {}", index_dir.display()), e));
        }
        _ => {}
    }
    counts.push(("listings database rows".to_string(), rows));
    Ok(counts)
}

/// Copies the files (not sub-folders) of `from` into `to`, each atomically and durably.
fn copy_files(from: &Path, to: &Path) -> Result<()> {
    crate::durable::create_dir_all(to).map_err(|e| Error::io(format!("creating {}", to.display()), e))?;
    for entry in std::fs::read_dir(from).map_err(|e| Error::io(format!("reading {}", from.display()), e))? {
        let src = entry.map_err(|e| Error::io(format!("reading {}", from.display()), e))?.path();
        if src.is_file()
            && let Some(name) = src.file_name()
        {
            let bytes = std::fs::read(&src).map_err(|e| Error::io(format!("reading {}", src.display()), e))?;
            crate::durable::write_atomic(&to.join(name), |f| f.write_all(&bytes))
                .map_err(|e| Error::io(format!("writing {}", to.display()), e))?;
        }
    }
    Ok(())
}
