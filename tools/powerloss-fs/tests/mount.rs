//! Integration tests on a real mount of the `powerloss-fs` binary: std::fs from this process,
//! then `crash-clean` / `crash <seed>` over stdin, then checks of what survived.

use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A running `powerloss-fs` mounted on a temporary directory; unmounted on drop, even on panic.
struct Mounted {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Mounted {
    fn start() -> Mounted {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().canonicalize().expect("canonicalize");
        let mut child = Command::new(env!("CARGO_BIN_EXE_powerloss-fs"))
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn powerloss-fs");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        let mut m = Mounted { child, stdin, lines, dir, _tmp: tmp };
        assert_eq!(m.next_line(), "ready");
        assert!(is_mounted(&m.dir), "{} should be a mount point after ready", m.dir.display());
        m
    }

    fn next_line(&mut self) -> String {
        self.lines.recv_timeout(TIMEOUT).expect("powerloss-fs did not answer in time (or exited)")
    }

    fn cmd(&mut self, line: &str) -> String {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").and_then(|()| stdin.flush()).expect("write command");
        self.next_line()
    }

    /// Sends a crash command and returns the report fields in order.
    fn crash(&mut self, line: &str) -> Report {
        let answer = self.cmd(line);
        Report::parse(&answer).unwrap_or_else(|| panic!("bad crash answer {answer:?}"))
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn names(&self, rel: &str) -> BTreeSet<String> {
        fs::read_dir(self.path(rel))
            .expect("read_dir")
            .map(|e| e.expect("dir entry").file_name().into_string().expect("utf-8 name"))
            .collect()
    }

    fn sync_dir(&self, rel: &str) {
        File::open(self.path(rel)).expect("open dir").sync_all().expect("fsync dir");
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if is_mounted(&self.dir) {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
            if is_mounted(&self.dir) {
                let _ = Command::new("fusermount3").arg("-uz").arg(&self.dir).status();
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Report {
    files: u64,
    dropped_files: u64,
    dropped_bytes: u64,
    torn_files: u64,
    dropped_entries: u64,
}

impl Report {
    fn parse(line: &str) -> Option<Report> {
        let mut words = line.split(' ');
        if words.next()? != "crashed" {
            return None;
        }
        let mut field = |name: &str| -> Option<u64> {
            let (k, v) = words.next()?.split_once('=')?;
            if k == name { v.parse().ok() } else { None }
        };
        Some(Report {
            files: field("files")?,
            dropped_files: field("dropped_files")?,
            dropped_bytes: field("dropped_bytes")?,
            torn_files: field("torn_files")?,
            dropped_entries: field("dropped_entries")?,
        })
    }
}

fn is_mounted(dir: &Path) -> bool {
    let info = fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
    let dir = dir.to_string_lossy();
    info.lines().any(|l| l.split(' ').nth(4) == Some(&*dir))
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

fn write_synced(path: &Path, bytes: &[u8]) -> File {
    let mut f = File::create(path).expect("create");
    f.write_all(bytes).expect("write");
    f.sync_all().expect("fsync");
    f
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn crash_clean_keeps_exactly_what_was_synced() {
    let mut m = Mounted::start();

    // Durable file with an unsynced tail.
    let mut a = write_synced(&m.path("a"), b"AAAA");
    // A durable file that is renamed without fsyncdir.
    drop(write_synced(&m.path("r1"), b"renamed"));
    // A durable file that is unlinked without fsyncdir.
    drop(write_synced(&m.path("gone"), b"back again"));
    // A durable subdirectory with a durable file; and one never fsynced.
    fs::create_dir(m.path("sub")).unwrap();
    fs::create_dir(m.path("empty")).unwrap();
    m.sync_dir("");
    drop(write_synced(&m.path("sub/kept"), b"kept"));
    m.sync_dir("sub");
    drop(write_synced(&m.path("empty/lost"), b"lost"));

    // Unsynced changes.
    a.write_all(b"BBBB").unwrap();
    drop(a);
    let f = write_synced(&m.path("unsynced_name"), b"data synced, name not");
    f.sync_data().unwrap();
    drop(f);
    fs::rename(m.path("r1"), m.path("r2")).unwrap();
    fs::remove_file(m.path("gone")).unwrap();
    assert_eq!(fs::read(m.path("a")).unwrap(), b"AAAABBBB");
    assert_eq!(m.names(""), set(&["a", "empty", "r2", "sub", "unsynced_name"]));

    let report = m.crash("crash-clean");
    assert_eq!(
        report,
        Report { files: 4, dropped_files: 1, dropped_bytes: 4, torn_files: 0, dropped_entries: 3 },
        "a's tail; the unsynced_name, r2 and empty/lost entries (gone is resurrected, not dropped)"
    );
    assert_eq!(m.names(""), set(&["a", "empty", "gone", "r1", "sub"]));
    assert_eq!(fs::read(m.path("a")).unwrap(), b"AAAA");
    assert_eq!(fs::read(m.path("r1")).unwrap(), b"renamed");
    assert_eq!(fs::read(m.path("gone")).unwrap(), b"back again");
    assert_eq!(fs::read(m.path("sub/kept")).unwrap(), b"kept");
    assert!(m.names("empty").is_empty());
    assert!(!m.path("unsynced_name").exists());

    // Rename + fsyncdir survives, replacing the target; a second clean crash changes nothing.
    drop(write_synced(&m.path("r1.tmp"), b"new r1"));
    fs::rename(m.path("r1.tmp"), m.path("r1")).unwrap();
    m.sync_dir("");
    let report = m.crash("crash-clean");
    assert_eq!(report, Report { files: 4, dropped_files: 0, dropped_bytes: 0, torn_files: 0, dropped_entries: 0 });
    assert_eq!(fs::read(m.path("r1")).unwrap(), b"new r1");
    assert_eq!(m.names(""), set(&["a", "empty", "gone", "r1", "sub"]));
    assert!(m.cmd("stats").starts_with("stats files=4 dirs=3 bytes="));
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn torn_crash_keeps_a_prefix_of_the_unsynced_writes() {
    let mut m = Mounted::start();
    let base = b"0123456789abcdef".to_vec();
    let writes: Vec<(u64, Vec<u8>)> = (0..8u8).map(|i| (u64::from(i) * 4, vec![b'A' + i; 6])).collect();
    let mut torn_seen = false;
    let mut kinds = BTreeSet::new();
    for seed in 0..24u64 {
        let f = write_synced(&m.path("log"), &base);
        if seed == 0 {
            m.sync_dir("");
        }
        for (off, bytes) in &writes {
            f.write_all_at(bytes, *off).unwrap();
        }
        drop(f);
        let report = m.crash(&format!("crash {seed}"));
        let got = fs::read(m.path("log")).unwrap();
        let mut found = None;
        'search: for k in 0..=writes.len() {
            let mut cand = base.clone();
            for (off, bytes) in &writes[..k] {
                put(&mut cand, *off, bytes);
            }
            let cuts = if k < writes.len() { writes[k].1.len() } else { 1 };
            for cut in 0..cuts {
                let mut c = cand.clone();
                if k < writes.len() {
                    put(&mut c, writes[k].0, &writes[k].1[..cut]);
                }
                if c == got {
                    found = Some((k, cut));
                    break 'search;
                }
            }
        }
        let (k, cut) = found.unwrap_or_else(|| panic!("seed {seed}: {got:?} is not durable + a prefix of the writes"));
        assert_eq!(report.torn_files, u64::from(cut > 0), "seed {seed}: {report:?}");
        assert_eq!(report.dropped_files, u64::from(k < writes.len()), "seed {seed}: {report:?}");
        torn_seen |= cut > 0;
        kinds.insert(k);
    }
    assert!(torn_seen, "some seed should tear a write");
    assert!(kinds.len() > 2, "seeds should vary how much survives: {kinds:?}");
}

fn put(data: &mut Vec<u8>, offset: u64, bytes: &[u8]) {
    let start = offset as usize;
    if data.len() < start + bytes.len() {
        data.resize(start + bytes.len(), 0);
    }
    data[start..start + bytes.len()].copy_from_slice(bytes);
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn handles_die_with_the_crash_and_mmap_large_dirs_and_locks_work() {
    let mut m = Mounted::start();
    fs::create_dir(m.path("big")).unwrap();
    m.sync_dir("");
    for i in 0..1500 {
        fs::write(m.path(&format!("big/file-{i:05}-with-a-longish-name")), i.to_string()).unwrap();
    }
    assert_eq!(m.names("big").len(), 1500);

    // A memory-mapped read (page-cache mode, as tantivy's MmapDirectory needs).
    let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    drop(write_synced(&m.path("big/mapped"), &data));
    let f = File::open(m.path("big/mapped")).unwrap();
    // SAFETY: a read-only shared mapping of a file we hold open; unmapped below.
    unsafe {
        let len = data.len();
        let ptr = libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_SHARED, f.as_raw_fd(), 0);
        assert_ne!(ptr, libc::MAP_FAILED, "mmap: {}", std::io::Error::last_os_error());
        assert_eq!(std::slice::from_raw_parts(ptr as *const u8, len), &data[..]);
        libc::munmap(ptr, len);
    }
    // flock is handled by the kernel locally.
    // SAFETY: flock on a valid fd.
    assert_eq!(unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    drop(f);
    m.sync_dir("big");

    // An open handle is dead after a crash, but the file system keeps working.
    let mut held = OpenOptions::new().read(true).write(true).open(m.path("big/mapped")).unwrap();
    held.write_all(b"unsynced").unwrap();
    let report = m.crash("crash-clean");
    assert_eq!(report.files, 1501);
    // 1500 files written without fsync (names durable, data not) + the unsynced write to `mapped`.
    assert_eq!(report.dropped_files, 1501);
    let mut buf = [0u8; 4];
    let err = held.read(&mut buf).expect_err("a handle from before the crash must fail");
    assert!(matches!(err.raw_os_error(), Some(libc::EBADF) | Some(libc::EIO)), "{err}");
    assert!(held.write_all(b"x").is_err());
    drop(held);
    assert_eq!(fs::read(m.path("big/mapped")).unwrap(), data);
    assert_eq!(fs::read_to_string(m.path("big/file-01234-with-a-longish-name")).unwrap(), "");
    assert_eq!(m.names("big").len(), 1501);

    assert!(m.cmd("nonsense").starts_with("error "));
    assert!(m.cmd("crash notanumber").starts_with("error "));
    assert!(m.cmd("stats").starts_with("stats files=1501 dirs=2 "));
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn no_stale_page_cache_after_a_crash() {
    let mut m = Mounted::start();
    let size = 3 * 4096 + 17;
    drop(write_synced(&m.path("same-size"), &vec![b'D'; size]));
    m.sync_dir("");
    // Overwrite in place (same size) without fsync, and read it through the page cache and a mapping.
    let f = OpenOptions::new().read(true).write(true).open(m.path("same-size")).unwrap();
    f.write_all_at(&vec![b'U'; size], 0).unwrap();
    assert_eq!(fs::read(m.path("same-size")).unwrap(), vec![b'U'; size]);
    let map = |f: &File| -> Vec<u8> {
        // SAFETY: a read-only shared mapping of an open file, copied out and unmapped at once.
        unsafe {
            let ptr = libc::mmap(std::ptr::null_mut(), size, libc::PROT_READ, libc::MAP_SHARED, f.as_raw_fd(), 0);
            assert_ne!(ptr, libc::MAP_FAILED, "mmap: {}", std::io::Error::last_os_error());
            let copy = std::slice::from_raw_parts(ptr as *const u8, size).to_vec();
            libc::munmap(ptr, size);
            copy
        }
    };
    assert_eq!(map(&f), vec![b'U'; size]);
    drop(f);
    m.crash("crash-clean");
    assert_eq!(fs::read(m.path("same-size")).unwrap(), vec![b'D'; size]);
    assert_eq!(map(&File::open(m.path("same-size")).unwrap()), vec![b'D'; size]);
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn quit_unmounts_and_exits_zero() {
    let mut m = Mounted::start();
    fs::write(m.path("x"), b"x").unwrap();
    let stdin = m.stdin.as_mut().unwrap();
    writeln!(stdin, "quit").unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = m.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "powerloss-fs did not exit after quit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    assert!(!is_mounted(&m.dir), "quit must unmount");
}

#[test]
#[ignore = "needs FUSE: /dev/fuse, and root (mount(2)) or fusermount3 (apt-get install fuse3)"]
fn eof_on_stdin_unmounts_too() {
    let mut m = Mounted::start();
    drop(m.stdin.take());
    let deadline = Instant::now() + TIMEOUT;
    while m.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "powerloss-fs did not exit on EOF");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!is_mounted(&m.dir), "EOF must unmount");
}
