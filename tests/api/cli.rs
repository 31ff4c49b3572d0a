//! The command line, run as a real binary.

use std::process::Command;

use gba_search::model::Collection;

use crate::common::Fixture;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gba-search"))
}

fn run(fx: &Fixture, args: &[&str]) -> std::process::Output {
    let mut cmd = bin();
    cmd.args(args).arg("--data-dir").arg(fx.data_dir());
    if args[0] != "token" {
        cmd.arg("--index-dir").arg(fx.index_dir());
    }
    cmd.output().unwrap()
}

#[test]
fn import_reports_malformed_lines_and_imports_the_rest() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("new.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"rm-new-1\",\"name\":\"氢燃料电池路线\",\"description\":\"质子交换膜国产化\"}\n{not json}\n{\"id\":\"rm-new-2\",\"name\":\"固态电池路线\",\"city\":\"atlantis\"}\n{\"id\":\"rm-new-3\",\"name\":\"碳化硅功率器件路线\"}\n",
    )
    .unwrap();
    let out = run(&fx, &["import", "--collection", "roadmaps", file.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}{stderr}");
    assert!(stderr.contains(":2: skipped") && stderr.contains(":3: skipped"), "{stderr}");
    assert!(stdout.contains("imported 2 roadmaps"), "{stdout}");
    let engine = fx.engine();
    assert!(engine.index().get(Collection::Roadmaps, "rm-new-1").unwrap().is_some());
    assert!(engine.index().get(Collection::Roadmaps, "rm-new-3").unwrap().is_some());
    assert!(engine.index().get(Collection::Roadmaps, "rm-reducer").unwrap().is_some(), "existing records kept");
    let data = std::fs::read_to_string(fx.data_dir().join("roadmaps.jsonl")).unwrap();
    assert_eq!(data.lines().count(), 3, "data/ holds the imported records too");
}

#[test]
fn reimport_replaces_by_id_in_data_and_index() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("upd.jsonl");
    std::fs::write(
        &file,
        "{\"id\":\"ent-midea\",\"name\":\"美的集团股份有限公司\",\"kind\":\"enterprise\",\"city\":\"foshan\"}\n",
    )
    .unwrap();
    let out = run(&fx, &["import", "--collection", "entities", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let engine = fx.engine();
    let r = engine.index().get(Collection::Entities, "ent-midea").unwrap().unwrap();
    assert_eq!(r.name(), "美的集团股份有限公司");
    let req = gba_search::index::SearchRequest { q: "美的集团股份有限公司".into(), ..Default::default() };
    let res = engine.index().search(&req).unwrap();
    assert_eq!(res.hits.iter().filter(|h| h.record.id == "ent-midea").count(), 1, "no duplicate after re-import");
    let data = std::fs::read_to_string(fx.data_dir().join("entities.jsonl")).unwrap();
    assert_eq!(data.lines().count(), 6);
}

#[test]
fn import_listings_goes_to_the_store() {
    let fx = Fixture::new();
    let file = fx.dir.path().join("l.jsonl");
    std::fs::write(&file, "{\"id\":\"lst-9\",\"kind\":\"supply\",\"title\":\"氮化镓外延片\",\"description\":\"提供六英寸氮化镓外延片与器件工艺开发服务。\"}\n{\"id\":\"lst-10\",\"title\":\"no kind\"}\n").unwrap();
    let out = run(&fx, &["import", "--collection", "listings", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let engine = fx.engine();
    assert!(engine.store().get("lst-9").unwrap().is_some());
    assert!(engine.index().get(Collection::Listings, "lst-9").unwrap().is_some());
}

#[test]
fn importing_listings_again_upserts_them_in_the_store_and_the_index() {
    // Within one file the later line wins, and so does a later import.
    let fx = Fixture::new();
    let line = |title: &str| {
        format!(
            "{{\"id\":\"lst-9\",\"kind\":\"supply\",\"title\":\"{title}\",\"description\":\"提供器件工艺开发服务。\"}}\n"
        )
    };
    let file = fx.dir.path().join("l.jsonl");
    std::fs::write(&file, line("氮化镓外延片") + &line("碳化硅衬底")).unwrap();
    assert!(run(&fx, &["import", "--collection", "listings", file.to_str().unwrap()]).status.success());
    std::fs::write(&file, line("钙钛矿叠层电池")).unwrap();
    assert!(run(&fx, &["import", "--collection", "listings", file.to_str().unwrap()]).status.success());
    let engine = fx.engine();
    let titles = |q: &str| {
        let req = gba_search::index::SearchRequest { q: q.into(), ..Default::default() };
        engine.index().search(&req).unwrap().hits.into_iter().filter(|h| h.record.id == "lst-9").count()
    };
    assert_eq!((titles("钙钛矿叠层电池"), titles("碳化硅衬底"), titles("氮化镓外延片")), (1, 0, 0));
    assert_eq!(engine.store().get("lst-9").unwrap().unwrap().str("title"), Some("钙钛矿叠层电池"));
}

#[test]
fn import_while_the_data_dir_is_in_use_fails_clearly() {
    let fx = Fixture::new();
    let _engine = fx.engine();
    let file = fx.dir.path().join("x.jsonl");
    std::fs::write(&file, "{\"id\":\"rm-x\",\"name\":\"x\"}\n").unwrap();
    let out = run(&fx, &["import", "--collection", "roadmaps", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("in use by another gba-search process"), "{stderr}");
    let out = run(&fx, &["token", "create", "--owner", "ent-hkust"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/api/tokens"),
        "token create explains the way through the server"
    );
    let out = run(&fx, &["import", "--collection", "patents", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown collection"));
}

#[test]
fn reindex_and_token_create() {
    let fx = Fixture::new();
    let out = run(&fx, &["reindex"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(stdout.contains("entities 6") && stdout.contains("listings 4"), "{stdout}");
    let out = run(&fx, &["token", "create", "--owner", "ent-hkust"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(token.starts_with("gba_") && token.len() > 40, "{token}");
    let engine = fx.engine();
    let info = engine.store().check_token(&token).unwrap().unwrap();
    assert_eq!(info.owner, "ent-hkust");
    assert!(engine.store().check_token("gba_wrong").unwrap().is_none());
    let help = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for cmd in ["serve", "import", "reindex", "token"] {
        assert!(help.contains(cmd), "{help}");
    }
}

#[test]
fn export_writes_every_collection_and_import_reads_it_back() {
    let fx = Fixture::new();
    {
        let engine = fx.engine();
        let actor =
            gba_search::listings::TokenInfo { owner: "ent-midea".into(), admin: false, created_at: String::new() };
        engine
            .express_interest(
                &actor,
                "lst-0001",
                &serde_json::json!({"message": "有兴趣", "contact": {"email": "m@example.org"}}),
            )
            .unwrap();
        engine.close().unwrap();
    }
    let out_dir = fx.dir.path().join("backup");
    let out = run(&fx, &["export", "--out", out_dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for (name, n) in
        [("entities", 6), ("talents", 1), ("listings", 4), ("roadmaps", 1), ("industries", 1), ("interests", 1)]
    {
        let text = std::fs::read_to_string(out_dir.join(format!("{name}.jsonl"))).unwrap();
        assert_eq!(text.lines().count(), n, "{name}");
    }
    let listings = std::fs::read_to_string(out_dir.join("listings.jsonl")).unwrap();
    assert!(listings.contains("secret-listing@example.org"), "a backup keeps private fields");
    // A fresh data directory imports the export back.
    let fx2 = Fixture::new();
    for name in ["entities", "talents", "listings", "roadmaps", "industries"] {
        let file = out_dir.join(format!("{name}.jsonl"));
        let out = run(&fx2, &["import", "--collection", name, file.to_str().unwrap()]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let engine = fx2.engine();
    assert_eq!(engine.store().all().unwrap().len(), 4);
}

#[test]
fn gen_is_deterministic_and_imports_cleanly() {
    let fx = Fixture::new();
    let (a, b) = (fx.dir.path().join("gen-a"), fx.dir.path().join("gen-b"));
    for dir in [&a, &b] {
        let out = bin()
            .args(["gen", "--docs", "400", "--seed", "7", "--out"])
            .arg(dir)
            .arg("--data-dir")
            .arg(fx.data_dir())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let mut total = 0;
    for c in ["listings", "entities", "talents", "roadmaps", "industries"] {
        let (x, y) = (
            std::fs::read(a.join(format!("{c}.jsonl"))).unwrap(),
            std::fs::read(b.join(format!("{c}.jsonl"))).unwrap(),
        );
        assert_eq!(x, y, "{c}: the same seed gives the same records");
        total += x.iter().filter(|b| **b == b'\n').count();
    }
    assert_eq!(total, 400);
    let listings = std::fs::read_to_string(a.join("listings.jsonl")).unwrap().lines().count();
    assert_eq!(listings, 240, "60 % listings");
    for c in ["entities", "listings", "talents"] {
        let file = a.join(format!("{c}.jsonl"));
        let out = run(&fx, &["import", "--collection", c, file.to_str().unwrap()]);
        assert!(out.status.success(), "{c}: {}", String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn restore_brings_back_everything_acknowledged_over_http() {
    use serde_json::{Value, json};
    let fx = Fixture::new();
    std::fs::create_dir_all(fx.data_dir().join("vocab")).unwrap();
    std::fs::write(fx.data_dir().join("vocab/glossary_zh_en.tsv"), "柔轮\tflexspline\n").unwrap();
    let owner = crate::common::cli_token(&fx, "ent-sustech");
    let admin = run(&fx, &["token", "create", "--owner", "ent-itc", "--admin"]);
    let admin = String::from_utf8_lossy(&admin.stdout).trim().to_string();
    let port = crate::common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = crate::common::start_server_with(&fx, port, false, &[("GBA_WRITES_PER_MINUTE", "0")]);
    crate::common::wait_healthy(&base);
    let http = reqwest::blocking::Client::new();
    let post = |path: &str, token: &str, body: Value| -> Value {
        let r = http.post(format!("{base}{path}")).bearer_auth(token).json(&body).send().unwrap();
        assert_eq!(r.status().as_u16(), 201, "{path}");
        r.json().unwrap()
    };
    let listing = post(
        "/api/listings",
        &owner,
        json!({"kind": "supply", "title": "柔轮疲劳寿命检测 backupmark", "cooperation": ["license"],
               "description": "提供谐波减速器柔轮疲劳寿命检测与表面强化技术，欢迎企业合作。", "fields": ["减速器"]}),
    );
    let id = listing["id"].as_str().unwrap().to_string();
    let made = post("/api/tokens", &admin, json!({"owner": "ent-midea"}));
    let midea = made["token"].as_str().unwrap().to_string();
    let interest = post(&format!("/api/listings/{id}/interest"), &midea, json!({"message": "我们有兴趣合作"}));
    let saved = post("/api/saved", &owner, json!({"q": "柔轮", "collections": ["listings"]}));
    Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    server.wait().unwrap();

    let backup = fx.dir.path().join("backup");
    let out = run(&fx, &["export", "--out", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A new machine: an empty directory, restored, then served.
    let fresh = tempfile::tempdir().unwrap();
    let fx2 = Fixture { dir: fresh };
    std::fs::remove_dir_all(fx2.data_dir()).ok();
    let out = run(&fx2, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Restoring twice is refused: the data directory is no longer empty.
    let again = run(&fx2, &["restore", "--from", backup.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("restore into an empty one"));
    let port = crate::common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = crate::common::start_server(&fx2, port, false);
    crate::common::wait_healthy(&base);
    let get = |path: &str, token: &str| -> (u16, Value) {
        let r = http.get(format!("{base}{path}")).bearer_auth(token).send().unwrap();
        (r.status().as_u16(), r.json().unwrap_or(Value::Null))
    };
    assert_eq!(get(&format!("/api/listings/{id}"), &owner).1["title"], listing["title"]);
    assert_eq!(get("/api/tokens/me", &midea).0, 200, "a token made over HTTP");
    let interests = get(&format!("/api/listings/{id}/interest"), &owner).1;
    assert_eq!(interests[0]["id"], interest["id"]);
    assert_eq!(get(&format!("/api/saved/{}", saved["id"].as_str().unwrap()), &owner).0, 200);
    let hits = get("/api/search?q=backupmark&collections=listings", &owner).1;
    assert_eq!(hits["hits"][0]["id"], id.as_str(), "the restored listing is searchable");
    // The data directory's own glossary line (柔轮 = flexspline) came with it.
    let hits = get("/api/search?q=flexspline&collections=listings", &owner).1;
    let ids: Vec<&str> = hits["hits"].as_array().unwrap().iter().filter_map(|h| h["id"].as_str()).collect();
    assert!(ids.contains(&id.as_str()), "{ids:?}");
    Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    server.wait().unwrap();
}
