//! Shared helpers: a small fixture data directory, an engine on it, and HTTP calls through
//! `app()` without a socket.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use gba_search::engine::{Engine, Paths, Rebuild};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Contact values that must never appear in a public response.
pub const SECRETS: [&str; 4] = ["secret-talent@example.org", "+852 5555 0199", "secret-listing@example.org", "陈秘密"];

pub const ENTITIES: &str = r#"{"id":"ent-hkust","name":"香港科技大學","name_en":"The Hong Kong University of Science and Technology","aliases":["港科大","科大","HKUST","香港科技大学"],"kind":"university","city":"hongkong","clusters":["ai","robotics"],"fields":["人工智能","機器人"],"description":"香港科技大學是一所研究型大學，在機器人與集成電路研究方面具領先地位。","description_en":"A research university strong in robotics and integrated circuits.","updated_at":"2026-03-01T00:00:00Z"}
{"id":"ent-sustech","name":"南方科技大学","name_en":"Southern University of Science and Technology","aliases":["南科大","SUSTech"],"kind":"university","city":"shenzhen","clusters":["robotics","new_materials"],"fields":["机器人","新材料"],"description":"南方科技大学位于深圳，在机器人和新材料领域开展研究。","description_en":"A research university in Shenzhen working on robots and new materials.","updated_at":"2026-05-01T00:00:00Z"}
{"id":"ent-ubtech","name":"优必选科技","name_en":"UBTech Robotics","aliases":["优必选","UBTech"],"kind":"enterprise","city":"shenzhen","clusters":["robotics","ai"],"fields":["人形机器人","伺服舵机"],"description":"优必选是深圳的人形机器人企业，研发伺服舵机与运动控制。","description_en":"A Shenzhen humanoid robot company.","updated_at":"2026-06-01T00:00:00Z"}
{"id":"ent-midea","name":"美的集团","name_en":"Midea Group","aliases":["美的"],"kind":"enterprise","city":"foshan","clusters":["smart_appliances","robotics"],"fields":["智能家电","变频空调"],"description":"美的集团总部位于佛山顺德，生产智能家电并布局工业机器人。","description_en":"Smart appliance maker in Foshan.","updated_at":"2026-01-15T00:00:00Z"}
{"id":"ent-sysu","name":"中山大学","name_en":"Sun Yat-sen University","aliases":["中大","中山大學"],"kind":"university","city":"guangzhou","clusters":["biomedicine"],"fields":["生物医药"],"description":"中山大学是广州的综合性研究型大学。","updated_at":"2025-09-01T00:00:00Z"}
{"id":"ent-cuhk","name":"香港中文大學","name_en":"The Chinese University of Hong Kong","aliases":["中大","港中大","CUHK"],"kind":"university","city":"hongkong","clusters":["biomedicine","ai"],"fields":["生物醫藥","資訊科技"],"description":"香港中文大學在資訊科技、軟件工程及生物醫藥研究方面實力雄厚。","updated_at":"2025-08-01T00:00:00Z"}
"#;

pub const TALENTS: &str = r#"{"id":"tal-0001","name":"陈大文","name_en":"Dr. Chan Tai-man","affiliation":"ent-hkust","city":"hongkong","title":"講座教授","clusters":["robotics"],"fields":["機器人"],"expertise":"精密減速器與機器人關節設計。","description":"研究機器人關節模組。","contact":{"email":"secret-talent@example.org","phone":"+852 5555 0199"},"updated_at":"2026-02-01T00:00:00Z"}
"#;

pub const LISTINGS: &str = r#"{"id":"lst-0001","kind":"demand","title":"寻求人形机器人谐波减速器供应","owner":"ent-ubtech","city":"shenzhen","clusters":["robotics"],"fields":["减速器"],"description":"我们需要寿命超过一万小时的谐波减速器，用于人形机器人关节，欢迎高校团队联合研发。","cooperation":["joint_development"],"trl":5,"status":"open","created_at":"2026-09-01T00:00:00Z","updated_at":"2026-09-01T00:00:00Z","expires_at":"2099-01-01T00:00:00Z","contact":{"name":"陈秘密","email":"secret-listing@example.org"}}
{"id":"lst-0002","kind":"supply","title":"锂电池热管理技术","owner":"ent-sustech","city":"shenzhen","clusters":["new_energy"],"fields":["锂电池"],"description":"南科大团队提供锂电池热管理与电池包安全设计技术，可许可或转让。","cooperation":["license"],"status":"open","created_at":"2026-08-01T00:00:00Z","updated_at":"2026-08-01T00:00:00Z","expires_at":"2099-01-01T00:00:00Z"}
{"id":"lst-0004","kind":"supply","title":"長壽命諧波減速器柔輪技術","owner":"ent-hkust","city":"hongkong","clusters":["robotics"],"fields":["減速器"],"description":"港科大團隊提供高疲勞壽命的諧波減速器柔輪設計與表面強化技術，適用於人形機器人關節，壽命逾一萬小時。","cooperation":["joint_development","license"],"trl":6,"status":"open","created_at":"2026-07-01T00:00:00Z","updated_at":"2026-07-01T00:00:00Z","expires_at":"2099-01-01T00:00:00Z"}
{"id":"lst-0003","kind":"supply","title":"已过期的机器人视觉方案","owner":"ent-sustech","city":"shenzhen","clusters":["robotics"],"description":"一个已经过期的机器人视觉检测方案，不应出现在默认搜索结果中。","cooperation":["license"],"status":"open","created_at":"2020-01-01T00:00:00Z","updated_at":"2020-01-01T00:00:00Z","expires_at":"2020-06-01T00:00:00Z"}
"#;

pub const ROADMAPS: &str = r#"{"id":"rm-reducer","name":"工业机器人精密减速器技术路线","city":"guangzhou","clusters":["robotics"],"bottlenecks":["高精度RV减速器寿命与精度保持性"],"milestones":[{"year":2027,"target":"国产减速器批量应用"}],"trl":5,"description":"突破精密减速器的材料与加工工艺。","updated_at":"2026-04-01T00:00:00Z"}
"#;

pub const INDUSTRIES: &str = r#"{"id":"ind-gd-robotics","name":"广东机器人产业集群","name_en":"Guangdong robotics cluster","clusters":["robotics"],"year":2022,"indicators":{"target_output_value_cny_100m":2000},"description":"到2022年机器人产业集群营业收入目标0.2万亿元。","updated_at":"2025-03-01T00:00:00Z"}
"#;

/// Writes the fixture's JSONL files into `data` (created if needed).
pub fn write_fixture_files(data: &Path) {
    std::fs::create_dir_all(data).unwrap();
    for (name, text) in [
        ("entities", ENTITIES),
        ("talents", TALENTS),
        ("listings", LISTINGS),
        ("roadmaps", ROADMAPS),
        ("industries", INDUSTRIES),
    ] {
        std::fs::write(data.join(format!("{name}.jsonl")), text).unwrap();
    }
}

/// A fresh data directory with the fixture files (the vocabulary is built into the binary).
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        write_fixture_files(&dir.path().join("data"));
        Fixture { dir }
    }

    /// A fresh copy of the bundled `data/` (its JSONL files).
    pub fn bundled() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        for entry in std::fs::read_dir(src).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() && p.extension().is_some_and(|e| e == "jsonl") {
                std::fs::copy(&p, data.join(p.file_name().unwrap())).unwrap();
            }
        }
        Fixture { dir }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn paths(&self) -> Paths {
        Paths { data_dir: self.data_dir(), index_dir: self.index_dir() }
    }

    pub fn engine(&self) -> Arc<Engine> {
        Arc::new(Engine::open(self.paths(), Rebuild::IfStale, false).unwrap())
    }
}

/// A fixture and an app on it.
pub struct TestApp {
    pub _fixture: Fixture,
    pub engine: Arc<Engine>,
}

impl TestApp {
    pub fn new() -> TestApp {
        TestApp::on(Fixture::new())
    }

    /// An app on the bundled data.
    pub fn bundled() -> TestApp {
        TestApp::on(Fixture::bundled())
    }

    pub fn on(fixture: Fixture) -> TestApp {
        let engine = fixture.engine();
        TestApp { _fixture: fixture, engine }
    }

    /// GET `uri`; returns status and body text.
    pub async fn get_raw(&self, uri: &str) -> (StatusCode, String) {
        let app = gba_search::http::app(self.engine.clone());
        let resp = app.oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// GET `uri` and parse JSON.
    pub async fn get(&self, uri: &str) -> (StatusCode, Value) {
        let (status, text) = self.get_raw(uri).await;
        let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {text}"));
        (status, value)
    }

    /// A request with an optional bearer token and JSON body; returns status and JSON.
    pub async fn send(&self, method: &str, uri: &str, token: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let app = gba_search::http::app(self.engine.clone());
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let resp = app.oneshot(req.body(body).unwrap()).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// A bearer token for `owner`.
    pub fn token(&self, owner: &str, admin: bool) -> String {
        self.engine.store().create_token(owner, admin).unwrap()
    }

    /// Ids of the hits of a search.
    pub async fn ids(&self, query: &str) -> Vec<String> {
        let (status, body) = self.get(&format!("/api/search?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        body["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
    }
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A free port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts the real binary serving `fx` on `port`; its stderr is piped when `capture_stderr`.
pub fn start_server(fx: &Fixture, port: u16, capture_stderr: bool) -> std::process::Child {
    start_server_with(fx, port, capture_stderr, &[])
}

/// [`start_server`] with extra environment variables (settings such as `GBA_WRITES_PER_MINUTE`).
pub fn start_server_with(fx: &Fixture, port: u16, capture_stderr: bool, env: &[(&str, &str)]) -> std::process::Child {
    let stderr = if capture_stderr { std::process::Stdio::piped() } else { std::process::Stdio::null() };
    std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(fx.data_dir())
        .arg("--index-dir")
        .arg(fx.index_dir())
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Waits until `base/api/health` answers 200 (at most a minute).
pub fn wait_healthy(base: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::time::Instant::now() < deadline {
        if reqwest::blocking::get(format!("{base}/api/health")).is_ok_and(|r| r.status().is_success()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("server did not become healthy");
}

/// A token for `owner` made by the CLI (before the server starts).
pub fn cli_token(fx: &Fixture, owner: &str) -> String {
    cli_token_in(&fx.data_dir(), owner, false)
}

/// A token for `owner` (a moderator's with `admin`) made by the CLI in `data_dir`.
pub fn cli_token_in(data_dir: &Path, owner: &str, admin: bool) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"));
    cmd.args(["token", "create", "--owner", owner, "--data-dir"]).arg(data_dir);
    if admin {
        cmd.arg("--admin");
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
