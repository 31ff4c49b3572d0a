//! Unit tests of the model, without FUSE.

use super::*;

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

/// Creates `parent/name` and writes `bytes` into it, returning (inode, open handle).
fn new_file(m: &mut Model, parent: Ino, name: &str, bytes: &[u8]) -> (Ino, Fh) {
    let (attr, fh) =
        m.create(parent, os(name), 0o644, 0, 0, CreateFlags { excl: true, truncate: false }).expect("create");
    if !bytes.is_empty() {
        m.write(fh, attr.ino, 0, bytes, false).expect("write");
    }
    (attr.ino, fh)
}

fn read_all(m: &Model, path: &str) -> Option<Vec<u8>> {
    let ino = m.resolve(path).ok()?;
    m.contents(ino).ok().map(<[u8]>::to_vec)
}

#[test]
fn unsynced_data_is_dropped_exactly() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"AAAA");
    m.fsync(fh, ino).unwrap();
    m.sync_dir(ROOT).unwrap();
    m.write(fh, ino, 4, b"BBBB", false).unwrap();
    m.write(fh, ino, 0, b"C", false).unwrap();
    assert_eq!(read_all(&m, "f").unwrap(), b"CAAABBBB");
    let report = m.crash(7, false);
    assert_eq!(read_all(&m, "f").unwrap(), b"AAAA");
    assert_eq!(report, CrashReport { files: 1, dropped_files: 1, dropped_bytes: 5, torn_files: 0, dropped_entries: 0 });
    // The inode number survives; the handle does not.
    assert_eq!(m.resolve("f").unwrap(), ino);
    assert_eq!(m.read(fh, ino, 0, 10), Err(EBADF));
    assert_eq!(m.write(fh, ino, 0, b"x", false), Err(EBADF));
    assert_eq!(m.fsync(fh, ino), Err(EBADF));
    m.release(fh); // must not panic
}

#[test]
fn fsynced_data_is_kept() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"hello");
    m.write(fh, ino, 5, b" world", false).unwrap();
    m.fsync(fh, ino).unwrap();
    m.sync_dir(ROOT).unwrap();
    let report = m.crash(1, true);
    assert_eq!(read_all(&m, "f").unwrap(), b"hello world");
    assert_eq!(report, CrashReport { files: 1, ..CrashReport::default() });
}

#[test]
fn o_sync_write_is_durable() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"");
    m.sync_dir(ROOT).unwrap();
    m.write(fh, ino, 0, b"sync", true).unwrap();
    m.crash(3, false);
    assert_eq!(read_all(&m, "f").unwrap(), b"sync");
}

#[test]
fn torn_crash_keeps_a_prefix_of_pending_ops_and_nothing_else() {
    let writes: Vec<(u64, Vec<u8>)> = (0..6u8).map(|i| (u64::from(i) * 3, vec![b'a' + i; 5])).collect();
    let mut seen_k = HashSet::new();
    let mut seen_torn = false;
    for seed in 0..200 {
        let mut m = Model::default();
        let (ino, fh) = new_file(&mut m, ROOT, "f", b"0123456789");
        m.fsync(fh, ino).unwrap();
        m.sync_dir(ROOT).unwrap();
        for (off, bytes) in &writes {
            m.write(fh, ino, *off, bytes, false).unwrap();
        }
        let report = m.crash(seed, true);
        let got = read_all(&m, "f").unwrap();
        // The result must equal: durable + first k writes + a prefix of write k+1.
        let mut matched = false;
        'search: for k in 0..=writes.len() {
            let mut base = b"0123456789".to_vec();
            for (off, bytes) in &writes[..k] {
                write_at(&mut base, *off, bytes);
            }
            let cuts = if k < writes.len() { 0..writes[k].1.len() } else { 0..1 };
            for cut in cuts {
                let mut cand = base.clone();
                if k < writes.len() {
                    write_at(&mut cand, writes[k].0, &writes[k].1[..cut]);
                }
                if cand == got {
                    matched = true;
                    seen_k.insert(k);
                    seen_torn |= cut > 0;
                    assert_eq!(report.torn_files, u64::from(cut > 0), "seed {seed}");
                    break 'search;
                }
            }
        }
        assert!(matched, "seed {seed}: {got:?} is not durable + a prefix of the pending writes");
        // After the crash everything is durable: a clean crash changes nothing.
        m.crash(seed, false);
        assert_eq!(read_all(&m, "f").unwrap(), got);
    }
    assert!(seen_k.len() > 3, "the seed should vary how many ops survive: {seen_k:?}");
    assert!(seen_torn, "some seed should tear a write");
}

#[test]
fn same_seed_same_result() {
    let run = |seed: u64| {
        let mut m = Model::default();
        m.mkdir(ROOT, os("d"), 0o755, 0, 0).unwrap();
        m.sync_dir(ROOT).unwrap();
        let d = m.resolve("d").unwrap();
        let mut out = Vec::new();
        for i in 0..8 {
            let (ino, fh) = new_file(&mut m, d, &format!("f{i}"), b"base");
            m.fsync(fh, ino).unwrap();
            for j in 0..10u64 {
                m.write(fh, ino, j * 7, &[b'a' + i as u8; 9], false).unwrap();
            }
        }
        m.sync_dir(d).unwrap();
        let report = m.crash(seed, true);
        for i in 0..8 {
            out.push(read_all(&m, &format!("d/f{i}")).unwrap());
        }
        (report, out)
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42).1, run(43).1);
}

#[test]
fn truncation_pending_vs_synced() {
    let mut m = Model::default();
    let (a, fa) = new_file(&mut m, ROOT, "a", b"0123456789");
    let (b, fb) = new_file(&mut m, ROOT, "b", b"0123456789");
    m.fsync(fa, a).unwrap();
    m.fsync(fb, b).unwrap();
    m.sync_dir(ROOT).unwrap();
    let shrink = SetAttr { size: Some(3), ..SetAttr::default() };
    m.setattr(a, Some(fa), &shrink).unwrap();
    m.setattr(b, Some(fb), &shrink).unwrap();
    m.fsync(fb, b).unwrap();
    // Extension is recorded too, and reads as zeros.
    m.setattr(a, None, &SetAttr { size: Some(5), ..SetAttr::default() }).unwrap();
    assert_eq!(read_all(&m, "a").unwrap(), b"012\0\0");
    let report = m.crash(0, false);
    assert_eq!(read_all(&m, "a").unwrap(), b"0123456789");
    assert_eq!(read_all(&m, "b").unwrap(), b"012");
    assert_eq!(report.dropped_files, 1);
    assert_eq!(report.dropped_bytes, 0);
    // open(O_TRUNC) is a truncation like any other.
    let fh = m.open(b, true).unwrap();
    assert_eq!(read_all(&m, "b").unwrap(), b"");
    m.crash(0, false);
    assert_eq!(read_all(&m, "b").unwrap(), b"012");
    let _ = fh;
}

#[test]
fn fsynced_file_in_unsynced_directory_disappears() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "new", b"data");
    m.fsync(fh, ino).unwrap();
    let report = m.crash(0, false);
    assert_eq!(m.resolve("new"), Err(ENOENT));
    assert!(!m.exists(ino));
    assert_eq!(report, CrashReport { files: 0, dropped_entries: 1, ..CrashReport::default() });
}

#[test]
fn rename_without_fsyncdir_reverts() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "old", b"durable");
    m.fsync(fh, ino).unwrap();
    m.sync_dir(ROOT).unwrap();
    m.write(fh, ino, 0, b"LIVE", false).unwrap();
    m.release(fh);
    m.rename(ROOT, os("old"), ROOT, os("new"), false).unwrap();
    assert_eq!(m.names(ROOT).unwrap(), vec![OsString::from("new")]);
    let report = m.crash(0, false);
    assert_eq!(m.names(ROOT).unwrap(), vec![OsString::from("old")]);
    assert_eq!(read_all(&m, "old").unwrap(), b"durable");
    assert_eq!(report.dropped_entries, 1);
}

#[test]
fn rename_replacing_a_file_then_fsyncdir_survives() {
    let mut m = Model::default();
    let (old, fo) = new_file(&mut m, ROOT, "target", b"old version");
    m.fsync(fo, old).unwrap();
    m.sync_dir(ROOT).unwrap();
    let (tmp, ft) = new_file(&mut m, ROOT, "target.tmp", b"new version");
    m.fsync(ft, tmp).unwrap();
    m.rename(ROOT, os("target.tmp"), ROOT, os("target"), false).unwrap();
    // Before fsyncdir the old inode is still held (a durable name refers to it).
    assert!(m.exists(old));
    m.sync_dir(ROOT).unwrap();
    m.release(fo);
    assert!(!m.exists(old), "replaced inode must be freed once nothing holds it");
    m.crash(0, true);
    assert_eq!(m.names(ROOT).unwrap(), vec![OsString::from("target")]);
    assert_eq!(read_all(&m, "target").unwrap(), b"new version");
}

#[test]
fn rename_flags_and_errors() {
    let mut m = Model::default();
    new_file(&mut m, ROOT, "a", b"a");
    new_file(&mut m, ROOT, "b", b"b");
    m.mkdir(ROOT, os("d"), 0o755, 0, 0).unwrap();
    let d = m.resolve("d").unwrap();
    m.mkdir(d, os("e"), 0o755, 0, 0).unwrap();
    assert_eq!(m.rename(ROOT, os("a"), ROOT, os("b"), true), Err(EEXIST));
    assert_eq!(m.rename(ROOT, os("a"), ROOT, os("d"), false), Err(EISDIR));
    assert_eq!(m.rename(ROOT, os("d"), ROOT, os("a"), false), Err(ENOTDIR));
    assert_eq!(m.rename(ROOT, os("d"), d, os("x"), false), Err(EINVAL));
    assert_eq!(m.rename(ROOT, os("zz"), ROOT, os("x"), false), Err(ENOENT));
    assert_eq!(m.rmdir(ROOT, os("d")), Err(ENOTEMPTY));
    assert_eq!(m.unlink(ROOT, os("d")), Err(EISDIR));
    assert_eq!(m.rmdir(ROOT, os("a")), Err(ENOTDIR));
    m.rename(ROOT, os("a"), ROOT, os("b"), false).unwrap();
    assert_eq!(read_all(&m, "b").unwrap(), b"a");
    assert_eq!(m.names(ROOT).unwrap(), vec![OsString::from("b"), OsString::from("d")]);
}

#[test]
fn unlink_without_fsyncdir_comes_back() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"keep me");
    m.fsync(fh, ino).unwrap();
    m.release(fh);
    m.sync_dir(ROOT).unwrap();
    m.unlink(ROOT, os("f")).unwrap();
    assert_eq!(m.resolve("f"), Err(ENOENT));
    assert!(m.exists(ino), "a durable name keeps the inode");
    m.crash(0, false);
    assert_eq!(read_all(&m, "f").unwrap(), b"keep me");
    // Unlink + fsyncdir is final.
    m.unlink(ROOT, os("f")).unwrap();
    m.sync_dir(ROOT).unwrap();
    assert!(!m.exists(ino));
    m.crash(0, false);
    assert_eq!(m.resolve("f"), Err(ENOENT));
}

#[test]
fn unlinked_open_file_stays_readable_until_release() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"still here");
    m.unlink(ROOT, os("f")).unwrap();
    assert_eq!(m.read(fh, ino, 0, 100).unwrap(), b"still here");
    m.release(fh);
    assert!(!m.exists(ino));
}

#[test]
fn directory_never_fsynced_comes_back_empty() {
    let mut m = Model::default();
    let a = m.mkdir(ROOT, os("a"), 0o755, 0, 0).unwrap().ino;
    m.sync_dir(ROOT).unwrap();
    let (f, fh) = new_file(&mut m, a, "f", b"x");
    m.fsync(fh, f).unwrap();
    let sub = m.mkdir(a, os("sub"), 0o755, 0, 0).unwrap().ino;
    new_file(&mut m, sub, "g", b"y");
    m.sync_dir(sub).unwrap();
    let report = m.crash(9, true);
    assert_eq!(m.resolve("a").unwrap(), a);
    assert!(m.names(a).unwrap().is_empty());
    assert!(!m.exists(f) && !m.exists(sub));
    assert_eq!(report.dropped_entries, 3); // a/f, a/sub, a/sub/g
    assert_eq!(report.files, 0);
}

#[test]
fn rename_plus_fsyncdir_of_both_directories_moves_a_tree() {
    let mut m = Model::default();
    let a = m.mkdir(ROOT, os("a"), 0o755, 0, 0).unwrap().ino;
    let b = m.mkdir(ROOT, os("b"), 0o755, 0, 0).unwrap().ino;
    m.sync_dir(ROOT).unwrap();
    let (f, fh) = new_file(&mut m, a, "f", b"moved");
    m.fsync(fh, f).unwrap();
    m.sync_dir(a).unwrap();
    m.rename(a, os("f"), b, os("g"), false).unwrap();
    m.sync_dir(b).unwrap();
    // Only the target directory is synced: the file has two durable names now.
    m.crash(0, false);
    assert_eq!(read_all(&m, "a/f").unwrap(), b"moved");
    assert_eq!(read_all(&m, "b/g").unwrap(), b"moved");
    assert_eq!(m.getattr(f).unwrap().nlink, 2);
}

#[test]
fn durable_directory_cycle_does_not_hang() {
    let mut m = Model::default();
    let a = m.mkdir(ROOT, os("a"), 0o755, 0, 0).unwrap().ino;
    m.sync_dir(ROOT).unwrap();
    let b = m.mkdir(a, os("b"), 0o755, 0, 0).unwrap().ino;
    m.sync_dir(a).unwrap();
    m.rename(a, os("b"), ROOT, os("b"), false).unwrap();
    m.rename(ROOT, os("a"), b, os("a"), false).unwrap();
    m.sync_dir(b).unwrap();
    // durable: / -> a, a -> b, b -> a
    m.crash(0, false);
    assert_eq!(m.resolve("a").unwrap(), a);
    assert_eq!(m.resolve("a/b").unwrap(), b);
    assert!(m.names(b).unwrap().is_empty());
}

#[test]
fn report_counts_and_stats() {
    let mut m = Model::default();
    let (a, fa) = new_file(&mut m, ROOT, "a", b"aaaa");
    let (b, fb) = new_file(&mut m, ROOT, "b", b"bb");
    m.fsync(fa, a).unwrap();
    m.sync_dir(ROOT).unwrap();
    new_file(&mut m, ROOT, "c", b"ccc"); // never named durably
    m.write(fa, a, 4, b"12345", false).unwrap();
    let s = m.stats();
    assert_eq!(s, Stats { files: 3, dirs: 1, bytes: 9 + 2 + 3, unsynced_files: 3, unsynced_bytes: 5 + 2 + 3 });
    let report = m.crash(5, false);
    assert_eq!(
        report,
        CrashReport { files: 2, dropped_files: 2, dropped_bytes: 5 + 2, torn_files: 0, dropped_entries: 1 }
    );
    assert_eq!(read_all(&m, "b").unwrap(), b"");
    let _ = (b, fb);
    assert_eq!(m.stats(), Stats { files: 2, dirs: 1, bytes: 4, unsynced_files: 0, unsynced_bytes: 0 });
}

#[test]
fn readdir_is_stable_and_pages() {
    let mut m = Model::default();
    for i in 0..1000 {
        m.mknod(ROOT, os(&format!("f{i:04}")), 0o644, 0, 0).unwrap();
    }
    let fh = m.opendir(ROOT).unwrap();
    let mut names = Vec::new();
    let mut offset = 0;
    loop {
        let page: Vec<DirEntry> = m.readdir(fh, ROOT, offset).unwrap().into_iter().take(100).collect();
        let Some(last) = page.last() else { break };
        offset = last.next_offset;
        // Changes while listing do not shift offsets.
        m.mknod(ROOT, os(&format!("late{offset}")), 0o644, 0, 0).unwrap();
        names.extend(page.into_iter().map(|e| e.name));
    }
    assert_eq!(names.len(), 1002);
    assert_eq!(names[0], OsString::from("."));
    assert_eq!(names[1], OsString::from(".."));
    m.release(fh);
}

#[test]
fn fallocate_modes() {
    let mut m = Model::default();
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"ab");
    m.fallocate(fh, ino, 0, 10, 0).unwrap();
    assert_eq!(m.getattr(ino).unwrap().size, 10);
    m.fallocate(fh, ino, 0, 100, libc::FALLOC_FL_KEEP_SIZE).unwrap();
    assert_eq!(m.getattr(ino).unwrap().size, 10);
    assert_eq!(m.fallocate(fh, ino, 0, 4, libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE), Err(EOPNOTSUPP));
    assert_eq!(m.write(fh, ino, MAX_FILE_SIZE, b"x", false), Err(EFBIG));
    assert_eq!(m.write(fh, ino, u64::MAX, b"x", false), Err(EFBIG));
}

#[test]
fn bad_requests_get_errnos() {
    let mut m = Model::default();
    assert_eq!(m.getattr(999), Err(ENOENT));
    assert_eq!(m.lookup(999, os("x")).err(), Some(ENOENT));
    assert_eq!(m.read(12345, ROOT, 0, 1), Err(EBADF));
    assert_eq!(m.open(ROOT, false), Err(EISDIR));
    assert_eq!(m.opendir(999), Err(ENOENT));
    assert_eq!(m.mknod(ROOT, os(&"x".repeat(300)), 0o644, 0, 0).err(), Some(ENAMETOOLONG));
    let (ino, fh) = new_file(&mut m, ROOT, "f", b"");
    assert_eq!(m.mkdir(ino, os("x"), 0o755, 0, 0).err(), Some(ENOTDIR));
    assert_eq!(m.read(fh, ino, u64::MAX, u32::MAX).unwrap(), b"");
    assert_eq!(m.create(ROOT, os("f"), 0o644, 0, 0, CreateFlags { excl: true, truncate: false }).err(), Some(EEXIST));
}
