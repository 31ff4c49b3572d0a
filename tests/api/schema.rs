//! Schema-driven fuzzing: schemathesis generates requests for every operation of
//! `/api/openapi.json`, with and without a token, and checks that no answer is a 5xx and that
//! every answer is documented (status, content type, headers, body schema).

use std::process::Command;

use crate::common::{Fixture, cli_token, free_port, start_server_with, wait_healthy};

const INSTALL: &str = "pip install schemathesis==4.32.5";

fn schemathesis() -> Command {
    let found = Command::new("schemathesis").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(found, "schemathesis is missing: the schema fuzzing test cannot run. Install: {INSTALL}");
    Command::new("schemathesis")
}

#[test]
#[ignore = "needs schemathesis: pip install schemathesis==4.32.5 (.ci/run does)"]
fn schemathesis_finds_no_server_error_and_no_undocumented_answer() {
    let fx = Fixture::bundled();
    let token = cli_token(&fx, "ent-hku");
    let port = free_port();
    let unlimited = [("GBA_WRITES_PER_MINUTE", "0"), ("GBA_AUTH_FAILURES_PER_MINUTE", "0")];
    let mut server = start_server_with(&fx, port, false, &unlimited);
    let base = format!("http://127.0.0.1:{port}");
    wait_healthy(&base);
    let checks = "not_a_server_error,status_code_conformance,content_type_conformance,\
                  response_headers_conformance,response_schema_conformance";
    let mut failures = Vec::new();
    for auth in [Some(token.as_str()), None] {
        let mut cmd = schemathesis();
        cmd.args(["run", &format!("{base}/api/openapi.json"), "--checks", checks])
            .args(["--max-examples", "25", "--phases", "examples,coverage,fuzzing", "--workers", "1"])
            .args(["--seed", "20261127"])
            .current_dir(fx.dir.path())
            .env("NO_COLOR", "1");
        if let Some(t) = auth {
            cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        let summary: String =
            text.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
        eprintln!("schemathesis ({}):\n{summary}", if auth.is_some() { "with a token" } else { "without a token" });
        if !out.status.success() {
            failures.push(text);
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    assert!(failures.is_empty(), "schemathesis found failures:\n{}", failures.join("\n\n"));
}
