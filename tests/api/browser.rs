//! A small W3C WebDriver client over blocking reqwest, driving Debian's chromium through
//! chromedriver for the end-to-end tests of the web interface.
//!
//! Written here rather than taken from a crate (fantoccini, thirtyfour) because the tests are
//! blocking and already depend on reqwest: the protocol calls the tests need are a dozen JSON
//! requests, and an async client would add a second HTTP stack to the test build.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How to install what the browser tests need.
pub const INSTALL: &str = "sudo apt-get install -y chromium chromium-driver";

/// A headless chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    http: reqwest::blocking::Client,
    _profile: tempfile::TempDir,
}

/// An element of the current page.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver and a headless chromium at 1280×900. The tests that call it are
    /// `#[ignore = "needs chromium …"]`: run with `--include-ignored` (as `.ci/run` does), a
    /// missing browser fails them with the command that installs it.
    pub fn start() -> Browser {
        Browser::start_with_language("zh-CN")
    }

    /// As [`Browser::start`], with `language` (such as `zh-HK`) as the browser's language.
    pub fn start_with_language(language: &str) -> Browser {
        assert!(
            Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
            "chromium or chromedriver is missing: the browser tests cannot run. Install: {INSTALL}"
        );
        let port = super::common::free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromedriver");
        let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{root}/status")).send().is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-quic", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                         format!("--lang={language}"), format!("--user-data-dir={}", profile.path().display())],
                "prefs": {"intl.accept_languages": format!("{language},zh")}
            }
        }}});
        let resp: Value = http.post(format!("{root}/session")).json(&caps).send().unwrap().json().unwrap();
        let id = resp["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {resp}")).to_string();
        let mut b = Browser { driver, base: format!("{root}/session/{id}"), http, _profile: profile };
        b.timeouts();
        b
    }

    fn timeouts(&mut self) {
        self.call("POST", "/timeouts", json!({"script": 20000, "pageLoad": 30000, "implicit": 0}));
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let resp = req.send().unwrap_or_else(|e| panic!("webdriver {method} {path}: {e}"));
        let status = resp.status();
        let v: Value = resp.json().unwrap_or(Value::Null);
        assert!(status.is_success(), "webdriver {method} {path} -> {status}: {v}");
        v["value"].clone()
    }

    /// Opens `url` and waits for the document to load.
    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", json!({ "url": url }));
    }

    /// The address in the location bar.
    pub fn url(&self) -> String {
        self.call("GET", "/url", Value::Null).as_str().unwrap_or_default().to_string()
    }

    /// Resizes the window.
    pub fn resize(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", json!({"width": width, "height": height}));
    }

    /// Every element matching `css`, now.
    pub fn find_all(&self, css: &str) -> Vec<Element> {
        let v = self.call("POST", "/elements", json!({"using": "css selector", "value": css}));
        v.as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT_KEY].as_str()).map(|s| Element(s.to_string())).collect())
            .unwrap_or_default()
    }

    /// Waits (up to 15 s) for an element matching `css` and returns the first.
    pub fn wait(&self, css: &str) -> Element {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(e) = self.find_all(css).into_iter().next() {
                return e;
            }
            if Instant::now() > deadline {
                let url = self.url();
                let body = self.script("return document.body ? document.body.innerText.slice(0, 2000) : ''");
                panic!("no element {css:?} on {url} after 15 s; page text: {body}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `script` (a function body returning a truthy value) is true.
    pub fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while !self.script(script).as_bool().unwrap_or(false) {
            if Instant::now() > deadline {
                let url = self.url();
                panic!("timed out waiting for {what} on {url}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits for the page to mark `selector` with `data-state="ready"`.
    pub fn wait_ready(&self, selector: &str) {
        let sel = serde_json::to_string(selector).unwrap();
        self.wait_until(
            &format!("{selector} ready"),
            &format!("const e = document.querySelector({sel}); return !!e && e.dataset.state === 'ready';"),
        );
    }

    /// Runs `script` as a function body and returns its value.
    pub fn script(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": script, "args": []}))
    }

    /// Clicks `e`.
    pub fn click(&self, e: &Element) {
        self.call("POST", &format!("/element/{}/click", e.0), json!({}));
    }

    /// Clears `e` and types `text` into it.
    pub fn fill(&self, e: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/clear", e.0), json!({}));
        self.type_keys(e, text);
    }

    /// Types `text` (may contain WebDriver key codes such as `\u{E007}` for Enter).
    pub fn type_keys(&self, e: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/value", e.0), json!({ "text": text }));
    }

    /// The rendered text of `e`.
    pub fn text(&self, e: &Element) -> String {
        self.call("GET", &format!("/element/{}/text", e.0), Value::Null).as_str().unwrap_or_default().to_string()
    }

    /// An attribute of `e`.
    pub fn attr(&self, e: &Element, name: &str) -> Option<String> {
        self.call("GET", &format!("/element/{}/attribute/{name}", e.0), Value::Null).as_str().map(String::from)
    }

    /// The whole page's visible text.
    pub fn page_text(&self) -> String {
        self.script("return document.body.innerText;").as_str().unwrap_or_default().to_string()
    }

    /// Saves a PNG of the viewport.
    pub fn screenshot(&self, path: &Path) {
        let b64 = self.call("GET", "/screenshot", Value::Null);
        let png = base64::engine::general_purpose::STANDARD.decode(b64.as_str().unwrap_or_default()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.base).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
