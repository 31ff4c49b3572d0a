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

#[tokio::test]
async fn an_imported_corpus_brings_its_own_term_pairs() {
    // Three imported talents whose bilingual profiles keep 柔轮 and "flexspline" together: the
    // pair is learned, and an English query finds the listing that says 柔輪 in Chinese only.
    let fx = Fixture::new();
    let corpus = fx.dir.path().join("talents-import.jsonl");
    let mut lines = String::new();
    for (i, (zh, en)) in [
        (
            "研究谐波减速器柔轮的疲劳寿命与表面强化。",
            "Studies fatigue life and surface hardening of the flexspline in harmonic drives.",
        ),
        ("柔轮齿形设计与有限元分析。", "Designs flexspline tooth profiles with finite element analysis."),
        ("机器人关节柔轮材料与热处理工艺。", "Works on flexspline materials and heat treatment for robot joints."),
    ]
    .iter()
    .enumerate()
    {
        lines.push_str(&format!(
            "{{\"id\":\"tal-flex-{i}\",\"name\":\"柔轮专家{i}\",\"name_en\":\"Expert {i}\",\"clusters\":[\"robotics\"],\"description\":\"{zh}\",\"description_en\":\"{en}\",\"updated_at\":\"2026-01-01T00:00:00Z\"}}\n"
        ));
    }
    std::fs::write(&corpus, lines).unwrap();
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gba-search"))
            .args(args)
            .arg("--data-dir")
            .arg(fx.data_dir())
            .args(if args[0] == "import" {
                vec!["--index-dir".to_string(), fx.index_dir().display().to_string()]
            } else {
                vec![]
            })
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    cli(&["import", "--collection", "talents", corpus.to_str().unwrap()]);
    let learned = cli(&["vocab", "--learned"]);
    assert!(learned.lines().any(|l| l == "柔轮\tflexspline"), "{learned}");
    let app = TestApp::on(fx);
    let (_, health) = app.get("/api/health").await;
    assert!(health["learned_pairs"].as_u64().unwrap() >= 1, "{health}");
    assert!(app.ids("q=flexspline&collections=listings").await.contains(&"lst-0004".to_string()));
}

#[test]
fn learned_pairs_come_from_the_start_up_cache_until_the_records_change() {
    let fx = Fixture::new();
    let talents = fx.data_dir().join("talents.jsonl");
    let original = std::fs::read_to_string(&talents).unwrap();
    let mut with = original.clone();
    for (i, (zh, en)) in [
        ("谐波减速器柔轮的疲劳寿命。", "Fatigue life of the flexspline."),
        ("柔轮齿形设计。", "Flexspline tooth design."),
        ("柔轮材料与热处理。", "Flexspline materials and heat treatment."),
    ]
    .iter()
    .enumerate()
    {
        with.push_str(&format!(
            "{{\"id\":\"tal-flex-{i}\",\"name\":\"专家{i}\",\"description\":\"{zh}\",\"description_en\":\"{en}\",\"updated_at\":\"2026-01-01T00:00:00Z\"}}\n"
        ));
    }
    std::fs::write(&talents, &with).unwrap();
    let learned = |fx: &Fixture| fx.engine().analyzer().learned().to_vec();
    let first = learned(&fx);
    assert!(first.iter().any(|(zh, en)| zh == "柔轮" && en == "flexspline"), "{first:?}");
    // A start on unchanged data reads the pairs from index/startup-cache.bin.
    assert!(fx.index_dir().join("startup-cache.bin").exists());
    assert_eq!(learned(&fx), first);
    // The records change: the pairs are learned again.
    std::fs::write(&talents, &original).unwrap();
    let third = learned(&fx);
    assert!(!third.iter().any(|(zh, _)| zh == "柔轮"), "{third:?}");
}

#[tokio::test]
async fn a_dictionary_sense_the_records_use_bridges_the_languages() {
    // Two bilingual records use 抛光 with "polishing" — too few for the statistics alone — and
    // CC-CEDICT has "polish" among 抛光's senses: confirmed by the records, the pair bridges, and
    // an English query finds a Chinese-only listing.
    let fx = Fixture::new();
    let talents = fx.data_dir().join("talents.jsonl");
    let mut with = std::fs::read_to_string(&talents).unwrap();
    for (i, (zh, en)) in [
        ("模具钢的超精密抛光工艺。", "Ultra-precision polishing of mould steel."),
        ("光学元件的抛光与检测。", "Polishing and inspection of optical parts."),
    ]
    .iter()
    .enumerate()
    {
        with.push_str(&format!(
            "{{\"id\":\"tal-pol-{i}\",\"name\":\"专家{i}\",\"description\":\"{zh}\",\"description_en\":\"{en}\",\"updated_at\":\"2026-01-01T00:00:00Z\"}}\n"
        ));
    }
    std::fs::write(&talents, &with).unwrap();
    let listings = fx.data_dir().join("listings.jsonl");
    let mut rows = std::fs::read_to_string(&listings).unwrap();
    rows.push_str("{\"id\":\"lst-pol\",\"kind\":\"demand\",\"title\":\"寻求陶瓷基板抛光合作\",\"owner\":\"ent-midea\",\"description\":\"需要陶瓷基板的抛光服务，表面粗糙度低于一纳米。\",\"cooperation\":[\"joint_development\"],\"status\":\"open\",\"created_at\":\"2026-09-01T00:00:00Z\",\"updated_at\":\"2026-09-01T00:00:00Z\",\"expires_at\":\"2099-01-01T00:00:00Z\"}\n");
    std::fs::write(&listings, rows).unwrap();
    let app = TestApp::on(fx);
    let confirmed = app.engine.analyzer().dictionary_pairs().to_vec();
    assert!(confirmed.iter().any(|(zh, en)| zh == "抛光" && en.starts_with("polish")), "{confirmed:?}");
    let (_, health) = app.get("/api/health").await;
    assert!(health["dictionary_pairs"].as_u64().unwrap() >= 1, "{health}");
    let ids = app.ids(&format!("q={}&collections=listings", enc("ceramic substrate polishing"))).await;
    assert!(ids.contains(&"lst-pol".to_string()), "{ids:?}");
}
