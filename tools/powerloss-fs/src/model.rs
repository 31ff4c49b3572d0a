//! The in-memory file-system model with durability tracking (no FUSE types).
//!
//! Every file keeps its live contents (`data`), the contents as of its last fsync
//! (`durable`) and the writes and truncations since then (`pending`). Every directory keeps
//! its live entries and the entries as of its last fsyncdir. Nothing but fsync/fdatasync of a
//! file and fsyncdir of a directory makes anything durable (POSIX-strict: fsync of a file does
//! not make its name durable). [`Model::crash`] simulates a power cut: the tree is rebuilt
//! from the durable state, optionally with a seeded, torn prefix of the unsynced writes.
//!
//! All operations return `Result<_, Errno>` with a libc errno; no request can panic.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::time::SystemTime;

/// An inode number. Numbers are never reused.
pub type Ino = u64;
/// A file or directory handle number. Numbers are never reused.
pub type Fh = u64;
/// The root directory's inode number.
pub const ROOT: Ino = 1;
/// The largest file size the model accepts (larger writes get `EFBIG`).
pub const MAX_FILE_SIZE: u64 = 8 << 30;
/// The longest name the model accepts (longer names get `ENAMETOOLONG`).
pub const MAX_NAME_LEN: usize = 255;

/// A libc errno value (positive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Errno(pub i32);

impl std::fmt::Display for Errno {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", std::io::Error::from_raw_os_error(self.0))
    }
}

impl std::error::Error for Errno {}

/// Result of a model operation.
pub type Result<T> = std::result::Result<T, Errno>;

const ENOENT: Errno = Errno(libc::ENOENT);
const EBADF: Errno = Errno(libc::EBADF);
const EEXIST: Errno = Errno(libc::EEXIST);
const ENOTDIR: Errno = Errno(libc::ENOTDIR);
const EISDIR: Errno = Errno(libc::EISDIR);
const EINVAL: Errno = Errno(libc::EINVAL);
const ENOTEMPTY: Errno = Errno(libc::ENOTEMPTY);
const EFBIG: Errno = Errno(libc::EFBIG);
const ENAMETOOLONG: Errno = Errno(libc::ENAMETOOLONG);
const EOPNOTSUPP: Errno = Errno(libc::EOPNOTSUPP);

/// An unsynced change to a file, in the order it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    /// `bytes` written at `offset` (extending the file with zeros if needed).
    Write { offset: u64, bytes: Vec<u8> },
    /// The file truncated or extended (with zeros) to `len`.
    SetLen { len: u64 },
}

impl Op {
    fn apply(&self, data: &mut Vec<u8>) {
        match self {
            Op::Write { offset, bytes } => write_at(data, *offset, bytes),
            Op::SetLen { len } => data.resize(usize::try_from(*len).unwrap_or(usize::MAX), 0),
        }
    }
}

/// Writes `bytes` at `offset`, zero-filling any gap. Callers check `offset + len <= MAX_FILE_SIZE`.
fn write_at(data: &mut Vec<u8>, offset: u64, bytes: &[u8]) {
    let Ok(start) = usize::try_from(offset) else { return };
    let end = start.saturating_add(bytes.len());
    if data.len() < end {
        data.resize(end, 0);
    }
    data[start..end].copy_from_slice(bytes);
}

/// The kind of an inode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
}

/// Attributes of an inode, as reported to the kernel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attr {
    pub ino: Ino,
    pub kind: Kind,
    pub size: u64,
    pub nlink: u32,
    /// Permission bits (`mode & 0o7777`).
    pub perm: u16,
    pub uid: u32,
    pub gid: u32,
    pub atime: SystemTime,
    pub mtime: SystemTime,
    pub ctime: SystemTime,
    pub crtime: SystemTime,
}

/// A time to set: a given time or "now".
#[derive(Clone, Copy, Debug)]
pub enum SetTime {
    At(SystemTime),
    Now,
}

/// The changes of a `setattr` request; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct SetAttr {
    pub mode: Option<u32>,
    pub uid: Option<u32>,
    pub gid: Option<u32>,
    pub size: Option<u64>,
    pub atime: Option<SetTime>,
    pub mtime: Option<SetTime>,
}

/// Open flags that matter to [`Model::create`].
#[derive(Clone, Copy, Debug, Default)]
pub struct CreateFlags {
    /// `O_EXCL`: fail with `EEXIST` if the name exists.
    pub excl: bool,
    /// `O_TRUNC`: truncate an existing file.
    pub truncate: bool,
}

/// The outcome of [`Model::crash`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrashReport {
    /// Regular files in the tree after the crash.
    pub files: u64,
    /// Surviving files that lost some unsynced operation.
    pub dropped_files: u64,
    /// Bytes of unsynced writes that were not re-applied (in surviving files).
    pub dropped_bytes: u64,
    /// Files whose last re-applied write was cut short (a torn tail).
    pub torn_files: u64,
    /// Live `(directory, name, inode)` entries that are not in the tree after the crash.
    pub dropped_entries: u64,
}

/// Counts over every inode held in memory (including unlinked ones still held by a
/// durable name or an open handle).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub files: u64,
    pub dirs: u64,
    /// Sum of the live sizes of all files.
    pub bytes: u64,
    /// Files with unsynced operations.
    pub unsynced_files: u64,
    /// Bytes in unsynced writes.
    pub unsynced_bytes: u64,
}

/// One entry returned by [`Model::readdir`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    /// The offset to pass to the next `readdir` to continue after this entry.
    pub next_offset: u64,
    pub ino: Ino,
    pub kind: Kind,
    pub name: OsString,
}

#[derive(Clone, Debug, Default)]
struct FileNode {
    data: Vec<u8>,
    durable: Vec<u8>,
    pending: Vec<Op>,
}

#[derive(Clone, Debug, Default)]
struct DirNode {
    entries: BTreeMap<OsString, Ino>,
    durable_entries: BTreeMap<OsString, Ino>,
    /// The live parent (the root is its own parent).
    parent: Ino,
}

#[derive(Clone, Debug)]
enum Body {
    File(FileNode),
    Dir(DirNode),
}

#[derive(Clone, Debug)]
struct Inode {
    body: Body,
    perm: u16,
    uid: u32,
    gid: u32,
    atime: SystemTime,
    mtime: SystemTime,
    ctime: SystemTime,
    crtime: SystemTime,
    /// Live directory entries naming this inode.
    live_links: u32,
    /// Durable directory entries (of inodes still held) naming this inode.
    durable_links: u32,
    /// Open handles on this inode.
    open: u32,
}

impl Inode {
    fn new(body: Body, perm: u16, uid: u32, gid: u32) -> Self {
        let now = SystemTime::now();
        Inode {
            body,
            perm,
            uid,
            gid,
            atime: now,
            mtime: now,
            ctime: now,
            crtime: now,
            live_links: 0,
            durable_links: 0,
            open: 0,
        }
    }

    fn kind(&self) -> Kind {
        match self.body {
            Body::File(_) => Kind::File,
            Body::Dir(_) => Kind::Dir,
        }
    }

    fn touch(&mut self) {
        let now = SystemTime::now();
        self.mtime = now;
        self.ctime = now;
    }
}

#[derive(Clone, Debug)]
struct Handle {
    ino: Ino,
    /// For directory handles: the entries as of opendir (or the last rewind).
    snapshot: Option<Vec<(OsString, Ino, Kind)>>,
}

/// The whole file system.
#[derive(Debug)]
pub struct Model {
    inodes: BTreeMap<Ino, Inode>,
    handles: HashMap<Fh, Handle>,
    next_ino: Ino,
    next_fh: Fh,
}

impl Default for Model {
    fn default() -> Self {
        Self::new(0o755, 0, 0)
    }
}

impl Model {
    /// A file system holding only an empty root directory (durably empty).
    pub fn new(root_perm: u16, uid: u32, gid: u32) -> Self {
        let mut root = Inode::new(Body::Dir(DirNode { parent: ROOT, ..DirNode::default() }), root_perm, uid, gid);
        root.live_links = 1;
        root.durable_links = 1;
        Model { inodes: BTreeMap::from([(ROOT, root)]), handles: HashMap::new(), next_ino: ROOT + 1, next_fh: 1 }
    }

    // ----- lookups -----

    fn inode(&self, ino: Ino) -> Result<&Inode> {
        self.inodes.get(&ino).ok_or(ENOENT)
    }

    fn inode_mut(&mut self, ino: Ino) -> Result<&mut Inode> {
        self.inodes.get_mut(&ino).ok_or(ENOENT)
    }

    fn dir(&self, ino: Ino) -> Result<&DirNode> {
        match &self.inode(ino)?.body {
            Body::Dir(d) => Ok(d),
            Body::File(_) => Err(ENOTDIR),
        }
    }

    fn dir_mut(&mut self, ino: Ino) -> Result<&mut DirNode> {
        match &mut self.inode_mut(ino)?.body {
            Body::Dir(d) => Ok(d),
            Body::File(_) => Err(ENOTDIR),
        }
    }

    fn file_mut(&mut self, ino: Ino) -> Result<&mut FileNode> {
        match &mut self.inode_mut(ino)?.body {
            Body::File(f) => Ok(f),
            Body::Dir(_) => Err(EISDIR),
        }
    }

    /// The inode of a valid handle, checked against `ino`.
    fn handle_ino(&self, fh: Fh, ino: Ino) -> Result<Ino> {
        match self.handles.get(&fh) {
            Some(h) if h.ino == ino && self.inodes.contains_key(&ino) => Ok(ino),
            _ => Err(EBADF),
        }
    }

    /// Attributes of an inode.
    pub fn getattr(&self, ino: Ino) -> Result<Attr> {
        let inode = self.inode(ino)?;
        let (size, nlink) = match &inode.body {
            Body::File(f) => (f.data.len() as u64, inode.live_links),
            Body::Dir(d) => {
                let subdirs = d.entries.values().filter(|c| self.is_dir(**c)).count() as u32;
                (d.entries.len() as u64, if inode.live_links == 0 { 0 } else { 2 + subdirs })
            }
        };
        Ok(Attr {
            ino,
            kind: inode.kind(),
            size,
            nlink,
            perm: inode.perm,
            uid: inode.uid,
            gid: inode.gid,
            atime: inode.atime,
            mtime: inode.mtime,
            ctime: inode.ctime,
            crtime: inode.crtime,
        })
    }

    fn is_dir(&self, ino: Ino) -> bool {
        matches!(self.inodes.get(&ino).map(Inode::kind), Some(Kind::Dir))
    }

    /// Looks a name up in a directory.
    pub fn lookup(&self, parent: Ino, name: &OsStr) -> Result<Attr> {
        let ino = *self.dir(parent)?.entries.get(name).ok_or(ENOENT)?;
        self.getattr(ino)
    }

    /// Looks a `/`-separated relative path up from the root (for tests and tools).
    pub fn resolve(&self, path: &str) -> Result<Ino> {
        let mut ino = ROOT;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            ino = *self.dir(ino)?.entries.get(OsStr::new(part)).ok_or(ENOENT)?;
        }
        Ok(ino)
    }

    /// The live contents of a file.
    pub fn contents(&self, ino: Ino) -> Result<&[u8]> {
        match &self.inode(ino)?.body {
            Body::File(f) => Ok(&f.data),
            Body::Dir(_) => Err(EISDIR),
        }
    }

    /// The live entry names of a directory, sorted.
    pub fn names(&self, dir: Ino) -> Result<Vec<OsString>> {
        Ok(self.dir(dir)?.entries.keys().cloned().collect())
    }

    /// Whether an inode is held in memory.
    pub fn exists(&self, ino: Ino) -> bool {
        self.inodes.contains_key(&ino)
    }

    /// All inode numbers held in memory.
    pub fn inode_numbers(&self) -> Vec<Ino> {
        self.inodes.keys().copied().collect()
    }

    // ----- attributes -----

    /// Changes attributes; a size change is a truncate/extend recorded as `SetLen`.
    /// With `fh`, the handle must be valid.
    pub fn setattr(&mut self, ino: Ino, fh: Option<Fh>, set: &SetAttr) -> Result<Attr> {
        if let Some(fh) = fh {
            self.handle_ino(fh, ino)?;
        }
        if let Some(size) = set.size {
            self.set_len(ino, size)?;
        }
        let inode = self.inode_mut(ino)?;
        let now = SystemTime::now();
        if let Some(mode) = set.mode {
            inode.perm = (mode & 0o7777) as u16;
        }
        if let Some(uid) = set.uid {
            inode.uid = uid;
        }
        if let Some(gid) = set.gid {
            inode.gid = gid;
        }
        let resolve = |t: SetTime| match t {
            SetTime::At(t) => t,
            SetTime::Now => now,
        };
        if let Some(t) = set.atime {
            inode.atime = resolve(t);
        }
        if let Some(t) = set.mtime {
            inode.mtime = resolve(t);
        }
        inode.ctime = now;
        self.getattr(ino)
    }

    fn set_len(&mut self, ino: Ino, len: u64) -> Result<()> {
        if len > MAX_FILE_SIZE {
            return Err(EFBIG);
        }
        let inode = self.inode_mut(ino)?;
        let Body::File(f) = &mut inode.body else { return Err(EISDIR) };
        if f.data.len() as u64 != len {
            let op = Op::SetLen { len };
            op.apply(&mut f.data);
            f.pending.push(op);
        }
        inode.touch();
        Ok(())
    }

    // ----- creating and removing names -----

    fn check_name(name: &OsStr) -> Result<()> {
        use std::os::unix::ffi::OsStrExt;
        let bytes = name.as_bytes();
        if bytes.len() > MAX_NAME_LEN {
            return Err(ENAMETOOLONG);
        }
        if bytes.is_empty() || bytes == b"." || bytes == b".." || bytes.contains(&b'/') {
            return Err(EINVAL);
        }
        Ok(())
    }

    fn add_node(&mut self, parent: Ino, name: &OsStr, body: Body, perm: u16, uid: u32, gid: u32) -> Result<Ino> {
        Self::check_name(name)?;
        if self.dir(parent)?.entries.contains_key(name) {
            return Err(EEXIST);
        }
        let ino = self.next_ino;
        self.next_ino += 1;
        let mut inode = Inode::new(body, perm, uid, gid);
        inode.live_links = 1;
        self.inodes.insert(ino, inode);
        self.dir_mut(parent)?.entries.insert(name.to_owned(), ino);
        self.inode_mut(parent)?.touch();
        Ok(ino)
    }

    /// Creates an empty regular file (mknod).
    pub fn mknod(&mut self, parent: Ino, name: &OsStr, perm: u16, uid: u32, gid: u32) -> Result<Attr> {
        let ino = self.add_node(parent, name, Body::File(FileNode::default()), perm & 0o7777, uid, gid)?;
        self.getattr(ino)
    }

    /// Creates (or, without `excl`, opens an existing) regular file and opens it.
    pub fn create(
        &mut self,
        parent: Ino,
        name: &OsStr,
        perm: u16,
        uid: u32,
        gid: u32,
        flags: CreateFlags,
    ) -> Result<(Attr, Fh)> {
        if let Some(&existing) = self.dir(parent)?.entries.get(name) {
            if flags.excl {
                return Err(EEXIST);
            }
            let fh = self.open(existing, flags.truncate)?;
            return Ok((self.getattr(existing)?, fh));
        }
        let attr = self.mknod(parent, name, perm, uid, gid)?;
        let fh = self.open(attr.ino, false)?;
        Ok((attr, fh))
    }

    /// Creates an empty directory.
    pub fn mkdir(&mut self, parent: Ino, name: &OsStr, perm: u16, uid: u32, gid: u32) -> Result<Attr> {
        let body = Body::Dir(DirNode { parent, ..DirNode::default() });
        let ino = self.add_node(parent, name, body, perm & 0o7777, uid, gid)?;
        self.getattr(ino)
    }

    /// Removes a name of a non-directory.
    pub fn unlink(&mut self, parent: Ino, name: &OsStr) -> Result<()> {
        let ino = *self.dir(parent)?.entries.get(name).ok_or(ENOENT)?;
        if self.is_dir(ino) {
            return Err(EISDIR);
        }
        self.remove_entry(parent, name, ino)
    }

    /// Removes an empty directory.
    pub fn rmdir(&mut self, parent: Ino, name: &OsStr) -> Result<()> {
        let ino = *self.dir(parent)?.entries.get(name).ok_or(ENOENT)?;
        if !self.dir(ino)?.entries.is_empty() {
            return Err(ENOTEMPTY);
        }
        self.remove_entry(parent, name, ino)
    }

    fn remove_entry(&mut self, parent: Ino, name: &OsStr, ino: Ino) -> Result<()> {
        self.dir_mut(parent)?.entries.remove(name);
        self.inode_mut(parent)?.touch();
        let inode = self.inode_mut(ino)?;
        inode.live_links = inode.live_links.saturating_sub(1);
        inode.ctime = SystemTime::now();
        self.maybe_free(ino);
        Ok(())
    }

    /// Renames `parent/name` to `newparent/newname`, replacing a compatible target unless
    /// `noreplace` (then `EEXIST`).
    pub fn rename(
        &mut self,
        parent: Ino,
        name: &OsStr,
        newparent: Ino,
        newname: &OsStr,
        noreplace: bool,
    ) -> Result<()> {
        Self::check_name(newname)?;
        let src = *self.dir(parent)?.entries.get(name).ok_or(ENOENT)?;
        let target = self.dir(newparent)?.entries.get(newname).copied();
        let src_is_dir = self.is_dir(src);
        if let Some(dst) = target {
            if noreplace {
                return Err(EEXIST);
            }
            if dst == src {
                return Ok(());
            }
            match (src_is_dir, self.is_dir(dst)) {
                (true, false) => return Err(ENOTDIR),
                (false, true) => return Err(EISDIR),
                (true, true) if !self.dir(dst)?.entries.is_empty() => return Err(ENOTEMPTY),
                _ => {}
            }
        }
        if src_is_dir {
            // A directory cannot move into itself or its own subtree.
            let mut cur = newparent;
            loop {
                if cur == src {
                    return Err(EINVAL);
                }
                let up = self.dir(cur)?.parent;
                if up == cur {
                    break;
                }
                cur = up;
            }
        }
        if let Some(dst) = target {
            self.remove_entry(newparent, newname, dst)?;
        }
        self.dir_mut(parent)?.entries.remove(name);
        self.inode_mut(parent)?.touch();
        self.dir_mut(newparent)?.entries.insert(newname.to_owned(), src);
        self.inode_mut(newparent)?.touch();
        if let Ok(d) = self.dir_mut(src) {
            d.parent = newparent;
        }
        self.inode_mut(src)?.ctime = SystemTime::now();
        Ok(())
    }

    /// Frees inodes that nothing holds any more (no live name, no durable name, no handle);
    /// a freed directory releases the durable names it held.
    fn maybe_free(&mut self, ino: Ino) {
        let mut work = vec![ino];
        while let Some(ino) = work.pop() {
            let held = match self.inodes.get(&ino) {
                Some(i) => ino == ROOT || i.live_links > 0 || i.durable_links > 0 || i.open > 0,
                None => true,
            };
            if held {
                continue;
            }
            if let Some(Inode { body: Body::Dir(d), .. }) = self.inodes.remove(&ino) {
                for child in d.durable_entries.values() {
                    if let Some(c) = self.inodes.get_mut(child) {
                        c.durable_links = c.durable_links.saturating_sub(1);
                        work.push(*child);
                    }
                }
            }
        }
    }

    // ----- handles and data -----

    /// Opens a file (optionally truncating it) and returns a new handle.
    pub fn open(&mut self, ino: Ino, truncate: bool) -> Result<Fh> {
        self.file_mut(ino)?;
        if truncate {
            self.set_len(ino, 0)?;
        }
        Ok(self.new_handle(ino, None))
    }

    /// Opens a directory and returns a new handle holding a snapshot of its entries.
    pub fn opendir(&mut self, ino: Ino) -> Result<Fh> {
        let snapshot = self.dir_snapshot(ino)?;
        Ok(self.new_handle(ino, Some(snapshot)))
    }

    fn new_handle(&mut self, ino: Ino, snapshot: Option<Vec<(OsString, Ino, Kind)>>) -> Fh {
        let fh = self.next_fh;
        self.next_fh += 1;
        self.handles.insert(fh, Handle { ino, snapshot });
        if let Some(i) = self.inodes.get_mut(&ino) {
            i.open += 1;
        }
        fh
    }

    fn dir_snapshot(&self, ino: Ino) -> Result<Vec<(OsString, Ino, Kind)>> {
        let d = self.dir(ino)?;
        let mut out = Vec::with_capacity(d.entries.len() + 2);
        out.push((OsString::from("."), ino, Kind::Dir));
        out.push((OsString::from(".."), d.parent, Kind::Dir));
        for (name, child) in &d.entries {
            let kind = self.inodes.get(child).map_or(Kind::File, Inode::kind);
            out.push((name.clone(), *child, kind));
        }
        Ok(out)
    }

    /// Closes a handle (file or directory). Unknown handles (e.g. from before a crash) are ignored.
    pub fn release(&mut self, fh: Fh) {
        if let Some(h) = self.handles.remove(&fh) {
            if let Some(i) = self.inodes.get_mut(&h.ino) {
                i.open = i.open.saturating_sub(1);
            }
            self.maybe_free(h.ino);
        }
    }

    /// Checks that a handle is still valid (for flush).
    pub fn check_handle(&self, fh: Fh, ino: Ino) -> Result<()> {
        self.handle_ino(fh, ino).map(|_| ())
    }

    /// Reads up to `size` bytes at `offset` (short at end of file).
    pub fn read(&mut self, fh: Fh, ino: Ino, offset: u64, size: u32) -> Result<Vec<u8>> {
        self.handle_ino(fh, ino)?;
        let f = self.file_mut(ino)?;
        let len = f.data.len();
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(len);
        let end = start.saturating_add(size as usize).min(len);
        Ok(f.data[start..end].to_vec())
    }

    /// Writes `bytes` at `offset`, extending with zeros; with `sync` (O_SYNC/O_DSYNC) the file is
    /// made durable as by fsync. Returns the number of bytes written.
    pub fn write(&mut self, fh: Fh, ino: Ino, offset: u64, bytes: &[u8], sync: bool) -> Result<u32> {
        self.handle_ino(fh, ino)?;
        let end = offset.checked_add(bytes.len() as u64).ok_or(EFBIG)?;
        if end > MAX_FILE_SIZE {
            return Err(EFBIG);
        }
        let written = u32::try_from(bytes.len()).map_err(|_| EINVAL)?;
        let inode = self.inode_mut(ino)?;
        let Body::File(f) = &mut inode.body else { return Err(EISDIR) };
        let op = Op::Write { offset, bytes: bytes.to_vec() };
        op.apply(&mut f.data);
        f.pending.push(op);
        inode.touch();
        if sync {
            self.sync_file(ino)?;
        }
        Ok(written)
    }

    /// `fallocate`: mode 0 extends the file to `offset + len` (recorded as `SetLen`),
    /// `FALLOC_FL_KEEP_SIZE` is a no-op, any other mode is `EOPNOTSUPP`.
    pub fn fallocate(&mut self, fh: Fh, ino: Ino, offset: u64, len: u64, mode: i32) -> Result<()> {
        self.handle_ino(fh, ino)?;
        let size = self.file_mut(ino)?.data.len() as u64;
        match mode {
            0 => {
                let end = offset.checked_add(len).ok_or(EFBIG)?;
                if end > size { self.set_len(ino, end) } else { Ok(()) }
            }
            libc::FALLOC_FL_KEEP_SIZE => Ok(()),
            _ => Err(EOPNOTSUPP),
        }
    }

    /// fsync/fdatasync of a file through a handle: its live contents become durable.
    pub fn fsync(&mut self, fh: Fh, ino: Ino) -> Result<()> {
        self.handle_ino(fh, ino)?;
        self.sync_file(ino)
    }

    /// Makes a file's live contents durable (fsync without a handle; for tests and tools).
    pub fn sync_file(&mut self, ino: Ino) -> Result<()> {
        let f = self.file_mut(ino)?;
        // durable + pending == data; replaying costs the unsynced bytes, not the file size.
        for op in f.pending.drain(..) {
            op.apply(&mut f.durable);
        }
        debug_assert_eq!(f.durable.len(), f.data.len());
        Ok(())
    }

    /// fsyncdir through a handle: the directory's live entries become durable.
    pub fn fsyncdir(&mut self, fh: Fh, ino: Ino) -> Result<()> {
        self.handle_ino(fh, ino)?;
        self.sync_dir(ino)
    }

    /// Makes a directory's live entries durable (fsyncdir without a handle; for tests and tools).
    pub fn sync_dir(&mut self, ino: Ino) -> Result<()> {
        let d = self.dir_mut(ino)?;
        let old = std::mem::replace(&mut d.durable_entries, d.entries.clone());
        let new: Vec<Ino> = d.durable_entries.values().copied().collect();
        for child in &new {
            if let Some(c) = self.inodes.get_mut(child) {
                c.durable_links += 1;
            }
        }
        for child in old.values() {
            if let Some(c) = self.inodes.get_mut(child) {
                c.durable_links = c.durable_links.saturating_sub(1);
            }
            self.maybe_free(*child);
        }
        Ok(())
    }

    /// Reads directory entries after `offset` ("." and ".." first) from the handle's snapshot;
    /// offset 0 refreshes the snapshot (rewinddir).
    pub fn readdir(&mut self, fh: Fh, ino: Ino, offset: u64) -> Result<Vec<DirEntry>> {
        self.handle_ino(fh, ino)?;
        if offset == 0 {
            let snapshot = self.dir_snapshot(ino)?;
            if let Some(h) = self.handles.get_mut(&fh) {
                h.snapshot = Some(snapshot);
            }
        }
        let snapshot = self.handles.get(&fh).and_then(|h| h.snapshot.as_ref()).ok_or(EBADF)?;
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        Ok(snapshot
            .iter()
            .enumerate()
            .skip(start)
            .map(|(i, (name, ino, kind))| DirEntry {
                next_offset: i as u64 + 1,
                ino: *ino,
                kind: *kind,
                name: name.clone(),
            })
            .collect())
    }

    // ----- whole-file-system views -----

    /// Counts over every inode held in memory.
    pub fn stats(&self) -> Stats {
        let mut s = Stats::default();
        for inode in self.inodes.values() {
            match &inode.body {
                Body::Dir(_) => s.dirs += 1,
                Body::File(f) => {
                    s.files += 1;
                    s.bytes += f.data.len() as u64;
                    if !f.pending.is_empty() {
                        s.unsynced_files += 1;
                    }
                    s.unsynced_bytes += f.pending.iter().map(write_len).sum::<u64>();
                }
            }
        }
        s
    }

    /// Statistics for statfs: (number of inodes, total bytes).
    pub fn usage(&self) -> (u64, u64) {
        let s = self.stats();
        (s.files + s.dirs, s.bytes)
    }

    /// The `(directory, name, inode)` entries of the live tree reachable from the root.
    fn live_entries(&self) -> HashSet<(Ino, OsString, Ino)> {
        let mut out = HashSet::new();
        let mut seen = HashSet::from([ROOT]);
        let mut stack = vec![ROOT];
        while let Some(d) = stack.pop() {
            let Ok(dir) = self.dir(d) else { continue };
            for (name, child) in &dir.entries {
                out.insert((d, name.clone(), *child));
                if self.is_dir(*child) && seen.insert(*child) {
                    stack.push(*child);
                }
            }
        }
        out
    }

    /// Power loss. The live tree is rebuilt from the root's durable entries, recursively; each
    /// surviving file gets its durable contents plus, with `torn`, a seeded random prefix of its
    /// pending operations (the last one possibly cut short). Afterwards everything is durable,
    /// unreachable inodes are freed and every handle is invalid. Deterministic for a seed.
    pub fn crash(&mut self, seed: u64, torn: bool) -> CrashReport {
        let before = self.live_entries();

        // Rebuild the tree from durable entries; a directory is kept under its first name only.
        let mut new_entries: BTreeMap<Ino, BTreeMap<OsString, Ino>> = BTreeMap::new();
        let mut parents: HashMap<Ino, Ino> = HashMap::from([(ROOT, ROOT)]);
        let mut reachable: BTreeSet<Ino> = BTreeSet::from([ROOT]);
        let mut stack = vec![ROOT];
        while let Some(d) = stack.pop() {
            let Ok(dir) = self.dir(d) else { continue };
            let mut kept = BTreeMap::new();
            for (name, child) in &dir.durable_entries {
                let Some(kind) = self.inodes.get(child).map(Inode::kind) else { continue };
                if kind == Kind::Dir && !reachable.insert(*child) {
                    continue; // already reached under another name (or a durable cycle)
                }
                reachable.insert(*child);
                kept.insert(name.clone(), *child);
                if kind == Kind::Dir {
                    parents.insert(*child, d);
                    stack.push(*child);
                }
            }
            new_entries.insert(d, kept);
        }

        self.inodes.retain(|ino, _| reachable.contains(ino));
        self.handles.clear();
        let mut links: HashMap<Ino, u32> = HashMap::new();
        for kept in new_entries.values() {
            for child in kept.values() {
                *links.entry(*child).or_default() += 1;
            }
        }

        let mut report = CrashReport::default();
        for (ino, inode) in &mut self.inodes {
            let n = if *ino == ROOT { 1 } else { links.get(ino).copied().unwrap_or(0) };
            inode.live_links = n;
            inode.durable_links = n;
            inode.open = 0;
            match &mut inode.body {
                Body::Dir(d) => {
                    let kept = new_entries.remove(ino).unwrap_or_default();
                    d.durable_entries.clone_from(&kept);
                    d.entries = kept;
                    d.parent = parents.get(ino).copied().unwrap_or(ROOT);
                }
                Body::File(f) => {
                    report.files += 1;
                    let mut rng = SplitMix64::new(seed ^ ino.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                    let pending = std::mem::take(&mut f.pending);
                    let k = if torn { rng.below(pending.len() as u64 + 1) as usize } else { 0 };
                    let mut data = f.durable.clone();
                    for op in &pending[..k] {
                        op.apply(&mut data);
                    }
                    if k < pending.len() {
                        report.dropped_files += 1;
                        let mut cut = 0;
                        if let (true, Op::Write { offset, bytes }) = (torn, &pending[k]) {
                            cut = rng.below(bytes.len() as u64) as usize;
                            if cut > 0 {
                                write_at(&mut data, *offset, &bytes[..cut]);
                                report.torn_files += 1;
                            }
                        }
                        report.dropped_bytes += pending[k..].iter().map(write_len).sum::<u64>() - cut as u64;
                    }
                    f.durable.clone_from(&data);
                    f.data = data;
                }
            }
        }

        let after = self.live_entries();
        report.dropped_entries = before.difference(&after).count() as u64;
        report
    }
}

fn write_len(op: &Op) -> u64 {
    match op {
        Op::Write { bytes, .. } => bytes.len() as u64,
        Op::SetLen { .. } => 0,
    }
}

/// A tiny deterministic PRNG (splitmix64).
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

#[cfg(test)]
mod tests;
