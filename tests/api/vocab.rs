//! The analysis vocabulary is built into the binary: a data directory without `vocab/` analyses
//! like the bundled one, and a `vocab/` overlay adds, replaces or removes entries.

use crate::common::{Fixture, TestApp, enc};

#[tokio::test]
async fn a_data_directory_without_vocabulary_still_bridges_regions_and_languages() {
    let app = TestApp::new();
    assert!(!app._fixture.data_dir().join("vocab").exists());
    let (_, health) = app.get("/api/health").await;
    let glossary = &health["vocabulary"]["glossary_zh_en.tsv"];
    assert!(glossary["entries"].as_u64().unwrap() > 900, "{health}");
    assert_eq!(glossary["entries"], glossary["builtin"]);
    assert_eq!(glossary["added"], 0);
    // Hong Kong wording (機械人) and English (robot) find what the mainland word finds.
    let mainland = app.ids(&format!("q={}", enc("机器人"))).await;
    assert!(!mainland.is_empty());
    assert_eq!(app.ids(&format!("q={}", enc("機械人"))).await, mainland);
    let english = app.ids("q=robot").await;
    assert!(english.iter().any(|id| mainland.contains(id)), "{english:?} {mainland:?}");
}

#[tokio::test]
async fn a_vocabulary_overlay_adds_replaces_and_removes_entries() {
    let fx = Fixture::new();
    let vocab = fx.data_dir().join("vocab");
    std::fs::create_dir_all(&vocab).unwrap();
    // A new English name for 柔轮 (the flexspline of lst-0004, written 柔輪), and 机器人 replaced.
    std::fs::write(vocab.join("glossary_zh_en.tsv"), "# local terms\n柔轮\tzorbflex\n机器人\trobot | bot\n").unwrap();
    std::fs::write(vocab.join("stopwords.txt"), "-the\n").unwrap();
    let app = TestApp::on(fx);
    assert!(app.ids("q=zorbflex").await.contains(&"lst-0004".to_string()));
    let (_, health) = app.get("/api/health").await;
    let glossary = &health["vocabulary"]["glossary_zh_en.tsv"];
    assert_eq!((glossary["added"].as_u64(), glossary["replaced"].as_u64()), (Some(1), Some(1)), "{health}");
    assert_eq!(glossary["entries"].as_u64().unwrap(), glossary["builtin"].as_u64().unwrap() + 1, "{health}");
    assert_eq!(health["vocabulary"]["stopwords.txt"]["removed"], 1);

    // The command line shows the same tables.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"))
        .args(["vocab", "--data-dir"])
        .arg(app._fixture.data_dir())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let row = text.lines().find(|l| l.starts_with("glossary_zh_en.tsv")).unwrap_or_else(|| panic!("{text}"));
    let cols: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(cols[3..5], ["1", "1"], "{row}");
}
