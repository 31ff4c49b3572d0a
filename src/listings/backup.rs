//! A complete copy of the listings database (every tree: listings, tokens, saved searches and
//! their webhooks, interests, the board, deliveries), for `export` and `restore`. The file is the
//! postcard encoding of the trees followed by its SHA-256, so a damaged copy is refused.

use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ListingStore;
use crate::error::{Error, Invalid, Result};

/// Format version written in the file.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Dump {
    version: u32,
    trees: Vec<TreeDump>,
}

#[derive(Serialize, Deserialize)]
struct TreeDump {
    name: Vec<u8>,
    rows: Vec<(Vec<u8>, Vec<u8>)>,
}

impl ListingStore {
    /// Writes every tree to `path` (atomically and durably); returns the number of rows.
    pub fn dump(&self, path: &Path) -> Result<usize> {
        let mut trees = Vec::new();
        let mut total = 0;
        for name in self.db.tree_names() {
            let tree = self.db.open_tree(&name)?;
            let rows =
                tree.iter().map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec()))).collect::<sled::Result<Vec<_>>>()?;
            total += rows.len();
            trees.push(TreeDump { name: name.to_vec(), rows });
        }
        let bytes = postcard::to_stdvec(&Dump { version: VERSION, trees })
            .map_err(|e| Error::Internal(format!("encoding the listings database: {e}")))?;
        let digest = Sha256::digest(&bytes);
        crate::durable::write_atomic(path, |f| {
            f.write_all(&bytes)?;
            f.write_all(&digest)
        })
        .map_err(|e| Error::io(format!("writing {}", path.display()), e))?;
        Ok(total)
    }

    /// Loads a [`ListingStore::dump`] into this store, which must be empty; durable on return.
    /// Returns the number of rows.
    pub fn load_dump(&self, path: &Path) -> Result<usize> {
        let bad = |why: &str| Error::invalid(Invalid::Parameter, format!("{}: {why}", path.display()));
        let bytes = std::fs::read(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let (body, digest) = bytes.split_at(bytes.len().saturating_sub(32));
        if digest.len() != 32 || Sha256::digest(body).as_slice() != digest {
            return Err(bad("damaged (its checksum does not match): not a complete export"));
        }
        let dump: Dump = postcard::from_bytes(body).map_err(|_| bad("not a listings database export"))?;
        if dump.version != VERSION {
            return Err(bad(&format!("export format {} (this version reads {VERSION})", dump.version)));
        }
        if self.listings.iter().next().is_some() || self.tokens.iter().next().is_some() {
            return Err(bad("the data directory already has listings or tokens: restore into an empty one"));
        }
        let mut total = 0;
        for t in dump.trees {
            let tree = self.db.open_tree(&t.name)?;
            tree.clear()?;
            let mut batch = sled::Batch::default();
            total += t.rows.len();
            for (k, v) in t.rows {
                batch.insert(k, v);
            }
            tree.apply_batch(batch)?;
        }
        self.flush()?;
        Ok(total)
    }
}
