//! `powerloss-fs <MOUNTPOINT>`: mounts the power-loss file system and serves the control
//! protocol on stdin/stdout (see README.md): prints `ready`, then answers one line per command
//! (`crash <seed>`, `crash-clean`, `stats`, `quit`). EOF on stdin, SIGTERM or SIGINT unmount
//! and exit 0 like `quit`.

use std::ffi::CString;
use std::io::{BufRead, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fuser::{BackgroundSession, Config, INodeNo, MountOption, Notifier, SessionACL};
use powerloss_fs::fuse::{PowerlossFs, SharedModel, lock};
use powerloss_fs::model::{CrashReport, Model};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

const USAGE: &str = "usage: powerloss-fs <MOUNTPOINT>\n\
    Mounts an in-memory file system that drops everything not fsynced on `crash`.\n\
    Prints `ready`, then reads commands on stdin: crash <seed> | crash-clean | stats | quit";

/// What the control loop reacts to.
enum Event {
    Line(String),
    Quit,
}

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let [mountpoint] = args.as_slice() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mountpoint = match Path::new(mountpoint).canonicalize() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("powerloss-fs: mount point {}: {e}", Path::new(mountpoint).display());
            return ExitCode::FAILURE;
        }
    };

    // SAFETY: geteuid/getegid have no preconditions.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let model: SharedModel = Arc::new(Mutex::new(Model::new(0o755, uid, gid)));
    let mut config = Config::default();
    config.mount_options = vec![MountOption::FSName("powerloss".into()), MountOption::DefaultPermissions];
    config.acl = SessionACL::All;
    let session = match fuser::spawn_mount(PowerlossFs::new(model.clone()), &mountpoint, &config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "powerloss-fs: cannot mount at {}: {e} (needs /dev/fuse and root, or fusermount3 from Debian's fuse3)",
                mountpoint.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let notifier = session.notifier();

    let (tx, rx) = mpsc::channel();
    match Signals::new([SIGTERM, SIGINT, SIGHUP]) {
        Ok(mut signals) => {
            let tx = tx.clone();
            std::thread::spawn(move || {
                if signals.forever().next().is_some() {
                    let _ = tx.send(Event::Quit);
                }
            });
        }
        Err(e) => eprintln!("powerloss-fs: cannot catch signals: {e}"),
    }
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(Event::Line(line)).is_err() {
                return;
            }
        }
        let _ = tx.send(Event::Quit);
    });

    if answer("ready") {
        while let Ok(Event::Line(line)) = rx.recv() {
            let reply = match command(&line, &model, &notifier) {
                Some(reply) => reply,
                None => break, // quit
            };
            if !answer(&reply) {
                break;
            }
        }
    }
    unmount(&mountpoint, session);
    ExitCode::SUCCESS
}

/// Writes one line to stdout and flushes; false if stdout is gone.
fn answer(line: &str) -> bool {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|()| out.flush()).is_ok()
}

/// Runs one command; `None` means quit.
fn command(line: &str, model: &SharedModel, notifier: &Notifier) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let reply = match words.as_slice() {
        ["quit"] => return None,
        ["crash", seed] => match seed.parse::<u64>() {
            Ok(seed) => crash(model, notifier, seed, true),
            Err(e) => format!("error bad seed {seed:?}: {e}"),
        },
        ["crash-clean"] => crash(model, notifier, 0, false),
        ["stats"] => {
            let s = lock(model).stats();
            format!(
                "stats files={} dirs={} bytes={} unsynced_files={} unsynced_bytes={}",
                s.files, s.dirs, s.bytes, s.unsynced_files, s.unsynced_bytes
            )
        }
        _ => format!("error unknown command {line:?} (expected crash <seed> | crash-clean | stats | quit)"),
    };
    Some(reply)
}

/// Crashes the model, then drops the kernel's cached pages and attributes of every inode.
fn crash(model: &SharedModel, notifier: &Notifier, seed: u64, torn: bool) -> String {
    let (inodes, r): (Vec<u64>, CrashReport) = {
        let mut m = lock(model);
        let inodes = m.inode_numbers();
        (inodes, m.crash(seed, torn))
    };
    for ino in inodes {
        // Fails harmlessly (ENOENT) for inodes the kernel does not know.
        let _ = notifier.inval_inode(INodeNo(ino), 0, 0);
    }
    format!(
        "crashed files={} dropped_files={} dropped_bytes={} torn_files={} dropped_entries={}",
        r.files, r.dropped_files, r.dropped_bytes, r.torn_files, r.dropped_entries
    )
}

/// Unmounts (lazily if something still has files open) and waits briefly for the session.
fn unmount(mountpoint: &Path, session: BackgroundSession) {
    match CString::new(mountpoint.as_os_str().as_bytes()) {
        Ok(path) => {
            // SAFETY: `path` is a valid NUL-terminated string for the duration of the calls.
            let rc = unsafe { libc::umount2(path.as_ptr(), 0) };
            if rc != 0 {
                let err = std::io::Error::last_os_error();
                if err.raw_os_error() == Some(libc::EBUSY) {
                    // SAFETY: as above.
                    if unsafe { libc::umount2(path.as_ptr(), libc::MNT_DETACH) } != 0 {
                        eprintln!("powerloss-fs: lazy unmount: {}", std::io::Error::last_os_error());
                    }
                } else if err.raw_os_error() != Some(libc::EINVAL) {
                    eprintln!("powerloss-fs: unmount {}: {err}", mountpoint.display());
                }
            }
        }
        Err(e) => eprintln!("powerloss-fs: unmount: {e}"),
    }
    // The session thread ends once the kernel drops the connection; don't hang on it
    // (exiting closes /dev/fuse, which ends the connection anyway).
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = session.join();
        let _ = done_tx.send(());
    });
    let _ = done_rx.recv_timeout(Duration::from_secs(3));
}
