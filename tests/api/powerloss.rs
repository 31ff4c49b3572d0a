//! Durability through power loss. The data and index directories live on `powerloss-fs`
//! (tools/powerloss-fs), a FUSE file system that keeps what is written in memory and, on
//! command, loses everything not made durable by fsync (file data, torn tails, directory entries
//! not synced). Each round: concurrent writers over HTTP (posts, edits, withdrawals, interests,
//! saved searches and their webhooks, tokens), SIGKILL at a different moment, power loss, restart
//! on what is left. After every round each acknowledged write must be there exactly once with its
//! last acknowledged content, the index must agree with the store, and the server must have
//! started by itself.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{cli_token_in, enc, free_port, write_fixture_files};

const ROUNDS: usize = 20;
const WRITERS: usize = 4;

/// The mounted power-loss file system; unmounted on drop, even when a test panics.
struct PowerLossFs {
    mount: PathBuf,
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl PowerLossFs {
    fn mount(at: &Path) -> PowerLossFs {
        // The binary is built with the workspace (`cargo build -p powerloss-fs`), beside this one.
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(Path::parent).unwrap().join("powerloss-fs");
        assert!(
            bin.exists(),
            "{} missing: run `cargo build -p powerloss-fs` (or `cargo test --workspace`)",
            bin.display()
        );
        std::fs::create_dir_all(at).unwrap();
        let mut child = Command::new(&bin)
            .arg(at)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready", "powerloss-fs did not mount (needs /dev/fuse and fuse3)");
        PowerLossFs { mount: at.to_path_buf(), child, stdin, stdout }
    }

    /// Sends one command and returns its one-line answer.
    fn command(&mut self, cmd: &str) -> String {
        writeln!(self.stdin, "{cmd}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim().to_string()
    }
}

impl Drop for PowerLossFs {
    fn drop(&mut self) {
        let _ = writeln!(self.stdin, "quit");
        let _ = self.stdin.flush();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = Command::new("umount").arg("-l").arg(&self.mount).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// fsyncs every file and directory under `root` (the data a deployment starts from is on disk).
fn sync_tree(root: &Path) {
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sync_tree(&path);
        } else {
            std::fs::File::open(&path).unwrap().sync_all().unwrap();
        }
    }
    std::fs::File::open(root).unwrap().sync_all().unwrap();
}

/// What the clients were told, and what may have happened without an answer.
#[derive(Default)]
struct Ledger {
    /// Listing id → title and status of the last acknowledged write, and what an unanswered
    /// write (in flight at the kill) may have left instead.
    listings: BTreeMap<String, Listing>,
    /// Posts in flight at a kill: each may have been stored (under an id no client saw).
    unanswered_posts: usize,
    /// Interest id → (listing id, owner's writer).
    interests: BTreeMap<String, (String, usize)>,
    /// Saved search id → (writer, exists after the last acknowledged write, may differ).
    saved: BTreeMap<String, (usize, bool, bool)>,
    /// Tokens created over HTTP.
    tokens: Vec<String>,
}

#[derive(Clone, Debug)]
struct Listing {
    writer: usize,
    title: String,
    withdrawn: bool,
    /// An edit or withdrawal without an answer: (title, withdrawn) it would leave.
    unanswered: Option<(String, bool)>,
}

struct Round<'a> {
    base: String,
    tokens: &'a [String],
    admin: &'a str,
    ledger: &'a Mutex<Ledger>,
    stop: &'a AtomicBool,
    acked: &'a AtomicUsize,
    round: usize,
    hook: &'a str,
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).build().unwrap()
}

fn listing_body(title: &str) -> Value {
    json!({
        "kind": if title.len().is_multiple_of(2) { "supply" } else { "demand" },
        "title": title,
        "description": "用于验证断电后已确认的供需信息、兴趣表达、订阅与令牌都不会丢失的测试条目。",
        "cooperation": ["license"],
        "clusters": ["robotics"],
        "fields": ["减速器"],
    })
}

/// One writer: a mix of every kind of write, until the kill.
fn write_until_killed(r: &Round, w: usize) {
    let http = client();
    let token = &r.tokens[w];
    let mut n = 0usize;
    while !r.stop.load(Ordering::SeqCst) {
        n += 1;
        let marker = format!("plmark{}x{w}x{n}", r.round);
        let mine: Vec<String> = {
            let l = r.ledger.lock().unwrap();
            l.listings.iter().filter(|(_, v)| v.writer == w && !v.withdrawn).map(|(k, _)| k.clone()).collect()
        };
        let others: Vec<(String, usize)> = {
            let l = r.ledger.lock().unwrap();
            l.listings
                .iter()
                .filter(|(_, v)| v.writer % 2 != w % 2 && !v.withdrawn)
                .map(|(k, v)| (k.clone(), v.writer))
                .collect()
        };
        let pick = |v: &[String]| v[(n * 7 + w) % v.len()].clone();
        let ok = match n % 9 {
            0 | 3 | 6 => {
                let title = format!("断电测试 {marker}");
                r.ledger.lock().unwrap().unanswered_posts += 1;
                match http
                    .post(format!("{}/api/listings", r.base))
                    .bearer_auth(token)
                    .json(&listing_body(&title))
                    .send()
                {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let v: Value = resp.json().unwrap();
                        let id = v["id"].as_str().unwrap().to_string();
                        let mut l = r.ledger.lock().unwrap();
                        l.unanswered_posts -= 1;
                        l.listings.insert(id, Listing { writer: w, title, withdrawn: false, unanswered: None });
                        true
                    }
                    Ok(resp) => panic!("post: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => false,
                }
            }
            1 | 4 if !mine.is_empty() => {
                let id = pick(&mine);
                let title = format!("断电测试 {marker}");
                r.ledger.lock().unwrap().listings.get_mut(&id).unwrap().unanswered = Some((title.clone(), false));
                match http
                    .put(format!("{}/api/listings/{id}", r.base))
                    .bearer_auth(token)
                    .json(&listing_body(&title))
                    .send()
                {
                    Ok(resp) if resp.status().is_success() => {
                        let mut l = r.ledger.lock().unwrap();
                        let e = l.listings.get_mut(&id).unwrap();
                        e.title = title;
                        e.unanswered = None;
                        true
                    }
                    Ok(resp) => panic!("edit {id}: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => false,
                }
            }
            7 if mine.len() > 2 => {
                let id = pick(&mine);
                let title = r.ledger.lock().unwrap().listings[&id].title.clone();
                r.ledger.lock().unwrap().listings.get_mut(&id).unwrap().unanswered = Some((title, true));
                match http.delete(format!("{}/api/listings/{id}", r.base)).bearer_auth(token).send() {
                    Ok(resp) if resp.status().is_success() => {
                        let mut l = r.ledger.lock().unwrap();
                        let e = l.listings.get_mut(&id).unwrap();
                        e.withdrawn = true;
                        e.unanswered = None;
                        true
                    }
                    Ok(resp) => panic!("withdraw {id}: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => false,
                }
            }
            2 if !others.is_empty() => {
                let (id, owner) = others[(n * 5 + w) % others.len()].clone();
                let body = json!({"message": format!("断电测试的兴趣表达 {marker}")});
                match http.post(format!("{}/api/listings/{id}/interest", r.base)).bearer_auth(token).json(&body).send()
                {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let v: Value = resp.json().unwrap();
                        let iid = v["id"].as_str().unwrap().to_string();
                        r.ledger.lock().unwrap().interests.insert(iid, (id, owner));
                        true
                    }
                    // Five per organisation and listing, or withdrawn meanwhile.
                    Ok(resp) if resp.status().as_u16() == 409 => true,
                    Ok(resp) => panic!("interest on {id}: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => false,
                }
            }
            5 => saved_search_write(r, w, &http, &marker),
            8 => {
                let body = json!({"owner": format!("ent-pl{w}x{n}")});
                match http.post(format!("{}/api/tokens", r.base)).bearer_auth(r.admin).json(&body).send() {
                    Ok(resp) if resp.status().as_u16() == 201 => {
                        let v: Value = resp.json().unwrap();
                        r.ledger.lock().unwrap().tokens.push(v["token"].as_str().unwrap().to_string());
                        true
                    }
                    Ok(resp) => panic!("token: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => false,
                }
            }
            // An edit, withdrawal or interest with nothing to act on yet: a read instead.
            _ => http.get(format!("{}/api/board", r.base)).send().is_ok(),
        };
        if !ok {
            return; // the server is gone: what was in flight stays unanswered
        }
        r.acked.fetch_add(1, Ordering::SeqCst);
        // Writers leave a little room so that rounds stay small and the board has work.
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// Creates a saved search (with a webhook to the local receiver every other time) or deletes
/// one of the writer's own.
fn saved_search_write(r: &Round, w: usize, http: &reqwest::blocking::Client, marker: &str) -> bool {
    let token = &r.tokens[w];
    let existing: Vec<String> = {
        let l = r.ledger.lock().unwrap();
        l.saved.iter().filter(|(_, (o, exists, _))| *o == w && *exists).map(|(k, _)| k.clone()).collect()
    };
    if existing.len() >= 6 {
        let id = existing[0].clone();
        r.ledger.lock().unwrap().saved.get_mut(&id).unwrap().2 = true;
        return match http.delete(format!("{}/api/saved/{id}", r.base)).bearer_auth(token).send() {
            Ok(resp) if resp.status().is_success() => {
                r.ledger.lock().unwrap().saved.insert(id, (w, false, false));
                true
            }
            Ok(resp) => panic!("delete saved {id}: {} {}", resp.status(), resp.text().unwrap_or_default()),
            Err(_) => false,
        };
    }
    let body = json!({"name": marker, "q": "减速器", "collections": ["listings"]});
    match http.post(format!("{}/api/saved", r.base)).bearer_auth(token).json(&body).send() {
        Ok(resp) if resp.status().as_u16() == 201 => {
            let v: Value = resp.json().unwrap();
            let id = v["id"].as_str().unwrap().to_string();
            r.ledger.lock().unwrap().saved.insert(id.clone(), (w, true, false));
            if existing.len().is_multiple_of(2) {
                let hook = json!({"url": r.hook});
                match http.put(format!("{}/api/saved/{id}/webhook", r.base)).bearer_auth(token).json(&hook).send() {
                    Ok(resp) if resp.status().is_success() => {}
                    Ok(resp) => panic!("webhook on {id}: {} {}", resp.status(), resp.text().unwrap_or_default()),
                    Err(_) => return false,
                }
            }
            true
        }
        Ok(resp) => panic!("saved search: {} {}", resp.status(), resp.text().unwrap_or_default()),
        Err(_) => false,
    }
}

/// A webhook receiver that answers slowly, so that kills land mid-delivery.
fn slow_webhook_receiver() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}/hook", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 65536];
                let _ = stream.read(&mut buf);
                std::thread::sleep(Duration::from_millis(150));
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            });
        }
    });
    url
}

fn start(data: &Path, index: &Path, port: u16, log: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--webhooks-allow-loopback-http"])
        .arg("--data-dir")
        .arg(data)
        .arg("--index-dir")
        .arg(index)
        .env("GBA_WRITES_PER_MINUTE", "0")
        .env("GBA_SEARCH_CACHE", "0")
        .env("GBA_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

fn wait_healthy(base: &str, child: &mut Child, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if reqwest::blocking::get(format!("{base}/api/health")).is_ok_and(|r| r.status().is_success()) {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("the server did not start after a power loss ({status}):\n{log}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not become healthy:\n{}", std::fs::read_to_string(log).unwrap_or_default());
}

/// Checks every acknowledged write against the restarted server and settles what was
/// unanswered to what the server shows (the next round builds on it).
fn verify(base: &str, tokens: &[String], ledger: &mut Ledger, posts_allowed: usize, round: usize) {
    let http = client();
    for (id, l) in ledger.listings.iter_mut() {
        let resp = http.get(format!("{base}/api/listings/{id}")).send().unwrap();
        assert_eq!(resp.status().as_u16(), 200, "round {round}: acknowledged listing {id} lost");
        let v: Value = resp.json().unwrap();
        let seen = (v["title"].as_str().unwrap().to_string(), v["status"] == "withdrawn");
        let acked = (l.title.clone(), l.withdrawn);
        assert!(
            seen == acked || l.unanswered.as_ref() == Some(&seen),
            "round {round}: {id} shows {seen:?}; last acknowledged {acked:?}, unanswered {:?}",
            l.unanswered
        );
        (l.title, l.withdrawn) = seen;
        l.unanswered = None;
        // The index agrees with the store: the current title finds it once, unless withdrawn.
        let marker = l.title.rsplit(' ').next().unwrap();
        let hits: Value = http
            .get(format!("{base}/api/search?q={}&collections=listings&per_page=5", enc(marker)))
            .send()
            .unwrap()
            .json()
            .unwrap();
        let ids: Vec<&str> = hits["hits"].as_array().unwrap().iter().filter_map(|h| h["id"].as_str()).collect();
        let want: Vec<&str> = if l.withdrawn { vec![] } else { vec![id.as_str()] };
        assert_eq!(ids, want, "round {round}: search for {marker} (withdrawn: {})", l.withdrawn);
    }
    // Nothing beyond the acknowledged and the unanswered: fixture listings are 4, and the
    // unanswered posts are the only ones that may have been stored unseen.
    let stats: Value = http
        .get(format!("{base}/api/search?q=断电测试&collections=listings&per_page=1&status=all"))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let stored = stats["total"].as_u64().unwrap() as usize;
    let acked = ledger.listings.len();
    assert!(stored >= acked, "round {round}: {stored} test listings indexed < {acked} acknowledged");
    assert!(
        stored <= acked + posts_allowed,
        "round {round}: {stored} indexed: phantom listings beyond {posts_allowed}"
    );
    for (iid, (listing, owner)) in &ledger.interests {
        let list: Value = http
            .get(format!("{base}/api/listings/{listing}/interest"))
            .bearer_auth(&tokens[*owner])
            .send()
            .unwrap()
            .json()
            .unwrap();
        let n = list.as_array().unwrap().iter().filter(|i| i["id"] == iid.as_str()).count();
        assert_eq!(n, 1, "round {round}: interest {iid} on {listing} seen {n} times");
    }
    for (id, (owner, exists, unanswered)) in ledger.saved.iter_mut() {
        let status = http.get(format!("{base}/api/saved/{id}")).bearer_auth(&tokens[*owner]).send().unwrap().status();
        let seen = status.as_u16() == 200;
        assert!(seen == *exists || *unanswered, "round {round}: saved search {id}: {status}, expected exists={exists}");
        if seen {
            let d = http.get(format!("{base}/api/saved/{id}/deliveries")).bearer_auth(&tokens[*owner]).send().unwrap();
            assert_eq!(d.status().as_u16(), 200, "round {round}: deliveries of {id}");
        }
        (*exists, *unanswered) = (seen, false);
    }
    for t in &ledger.tokens {
        let status = http.get(format!("{base}/api/tokens/me")).bearer_auth(t).send().unwrap().status();
        assert_eq!(status.as_u16(), 200, "round {round}: acknowledged token lost");
    }
    let board = http.get(format!("{base}/api/board")).send().unwrap().status();
    assert_eq!(board.as_u16(), 200, "round {round}: board");
}

#[test]
#[ignore = "needs FUSE: /dev/fuse and root (mount(2)); cargo test --workspace builds powerloss-fs"]
fn acknowledged_writes_survive_power_loss() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fs = PowerLossFs::mount(&tmp.path().join("mnt"));
    let data = fs.mount.join("data");
    let index = fs.mount.join("index");
    write_fixture_files(&data);
    sync_tree(&fs.mount);
    // Tokens made by the CLI before the first start (two organisations, and a moderator).
    let cli_token = |owner: &str, admin: bool| cli_token_in(&data, owner, admin);
    let tokens: Vec<String> =
        (0..WRITERS).map(|w| cli_token(if w % 2 == 0 { "ent-sustech" } else { "ent-hkust" }, false)).collect();
    let admin = cli_token("ent-itc", true);
    let hook = slow_webhook_receiver();
    let ledger = Mutex::new(Ledger::default());
    let mut posts_allowed = 0usize;
    let log = tmp.path().join("server.log");
    let mut reports = Vec::new();
    for round in 0..=ROUNDS {
        let port = free_port();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let mut child = start(&data, &index, port, &log);
        wait_healthy(&base, &mut child, &log);
        let start_time = started.elapsed();
        // How many listings the start-up check found the index disagreeing on (see
        // Engine::reconcile_listings): the change log alone would have left them stale.
        let reconciled: String = std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| {
                v["fields"]["message"].as_str().is_some_and(|m| m.contains("listings checked against the index"))
            })
            .map(|v| v["fields"]["listings"].to_string())
            .collect();
        {
            let mut l = ledger.lock().unwrap();
            posts_allowed += std::mem::take(&mut l.unanswered_posts);
            verify(&base, &tokens, &mut l, posts_allowed, round);
        }
        if round == ROUNDS {
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            child.wait().unwrap();
            break;
        }
        let stop = AtomicBool::new(false);
        let acked = AtomicUsize::new(0);
        let r = Round {
            base,
            tokens: &tokens,
            admin: &admin,
            ledger: &ledger,
            stop: &stop,
            acked: &acked,
            round,
            hook: &hook,
        };
        // Kill at a different moment each round: early, mid-stream, and after the writers
        // paused (the board and webhook deliveries still at work).
        let delay = Duration::from_millis([40, 150, 400, 900, 1500][round % 5] + 37 * round as u64);
        let pause_writers = round % 4 == 3;
        std::thread::scope(|s| {
            for w in 0..WRITERS {
                let r = &r;
                s.spawn(move || write_until_killed(r, w));
            }
            let t0 = Instant::now();
            while acked.load(Ordering::SeqCst) < 3 && t0.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(2));
            }
            if pause_writers {
                std::thread::sleep(delay / 2);
                stop.store(true, Ordering::SeqCst);
                std::thread::sleep(delay / 2);
            } else {
                std::thread::sleep(delay);
            }
            let _ = Command::new("kill").args(["-KILL", &child.id().to_string()]).status();
            stop.store(true, Ordering::SeqCst);
        });
        child.wait().unwrap();
        let report = if round % 3 == 2 { fs.command("crash-clean") } else { fs.command(&format!("crash {round}")) };
        assert!(report.starts_with("crashed"), "{report}");
        reports.push(format!(
            "round {round}: start {:.1}s (reconciled {reconciled}), {} writes acknowledged, kill after {delay:?}: {report}",
            start_time.as_secs_f64(),
            acked.load(Ordering::SeqCst)
        ));
    }
    let l = ledger.lock().unwrap();
    println!("{}", reports.join("\n"));
    println!(
        "acknowledged: {} listings, {} interests, {} saved searches, {} tokens; {} posts unanswered",
        l.listings.len(),
        l.interests.len(),
        l.saved.len(),
        l.tokens.len(),
        posts_allowed
    );
    let dropped: usize = reports
        .iter()
        .filter_map(|r| r.split("dropped_bytes=").nth(1))
        .filter_map(|s| s.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    assert!(dropped > 0, "no round lost unsynced data: the file system did not exercise anything");
}
