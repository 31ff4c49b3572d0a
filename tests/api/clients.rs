//! The OpenAPI document as other programs use it: valid for `openapi-spec-validator`, and clients
//! generated from it by tools nobody here wrote (openapi-python-client, openapi-typescript +
//! openapi-fetch) search, read, suggest, post a listing and get declared errors from a real server.

use std::process::Command;

use crate::common::{Fixture, cli_token, free_port, start_server_with, wait_healthy};

/// The document as `/api/openapi.json` serves it, written to a file in `fx`.
fn spec_file(fx: &Fixture, base: &str) -> std::path::PathBuf {
    let doc = reqwest::blocking::get(format!("{base}/api/openapi.json")).unwrap().text().unwrap();
    let path = fx.dir.path().join("openapi.json");
    std::fs::write(&path, doc).unwrap();
    path
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run ({e})"));
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what} failed:\n{text}");
    text
}

#[test]
#[ignore = "needs openapi-spec-validator: pip install openapi-spec-validator==0.9.0 (.ci/run does)"]
fn the_openapi_document_passes_openapi_spec_validator() {
    let fx = Fixture::new();
    let port = free_port();
    let mut server = start_server_with(&fx, port, false, &[]);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);
    let spec = spec_file(&fx, &base);
    let _ = server.kill();
    let _ = server.wait();
    let text = run(Command::new("openapi-spec-validator").arg(&spec), "openapi-spec-validator");
    assert!(text.contains("OK"), "{text}");
}

#[test]
#[ignore = "needs openapi-python-client and node: pip install -r tests/clients/python/requirements.txt; npm ci in tests/clients/typescript (.ci/run does)"]
fn generated_python_and_typescript_clients_work_against_a_real_server() {
    let fx = Fixture::bundled();
    let token = cli_token(&fx, "ent-hkust");
    let port = free_port();
    let mut server = start_server_with(&fx, port, false, &[("GBA_WRITES_PER_MINUTE", "0")]);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);
    let spec = spec_file(&fx, &base);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/clients/run.sh");
    let result = Command::new("bash").arg(&script).arg(&spec).arg(&base).arg(&token).output();
    let _ = server.kill();
    let _ = server.wait();
    let out = result.expect("running tests/clients/run.sh");
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the generated clients failed:\n{text}");
}
