//! End-to-end tests of the web interface in headless chromium (see `browser.rs`), against the
//! real binary serving the bundled data.

use std::process::Child;

use serde_json::Value;

use super::browser::{Browser, Element};
use super::common::{Fixture, cli_token, enc, free_port, start_server, wait_healthy};

const ENTER: &str = "\u{E007}";
const ARROW_DOWN: &str = "\u{E015}";

/// The real server on a copy of the bundled data (also used by `lighthouse.rs`).
pub(crate) struct Site {
    fx: Fixture,
    server: Child,
    base: String,
}

impl Site {
    /// Starts the server; `owners` get tokens first (returned in the same order).
    pub(crate) fn start(owners: &[&str]) -> (Site, Vec<String>) {
        let fx = Fixture::bundled();
        // Build the index before the tokens (the CLI opens the data directory too).
        let tokens = owners.iter().map(|o| cli_token(&fx, o)).collect();
        let port = free_port();
        let server = start_server(&fx, port, false);
        let base = format!("http://127.0.0.1:{port}");
        wait_healthy(&base);
        (Site { fx, server, base }, tokens)
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) fn api(&self, path: &str) -> Value {
        reqwest::blocking::get(self.url(path)).unwrap().json().unwrap()
    }

    /// The writer computes the board right after start: waits until it is complete.
    pub(crate) fn wait_for_board(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
        while {
            let b = self.api("/api/board");
            b["pending"] != 0 || b["total"] == 0
        } {
            assert!(std::time::Instant::now() < deadline, "the board stayed empty");
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
        let _ = &self.fx;
    }
}

fn hit_ids(b: &Browser) -> Vec<String> {
    b.find_all("#results .hit").iter().filter_map(|h| b.attr(h, "data-id")).collect()
}

fn api_ids(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()).collect()
}

fn digits(s: &str) -> usize {
    s.chars().filter(char::is_ascii_digit).collect::<String>().parse().unwrap_or(usize::MAX)
}

fn open(b: &Browser, url: &str, ready: &str) {
    b.goto(url);
    b.wait_ready(ready);
}

/// Clicks `e` and waits until the address has changed and `ready` is ready again.
fn click_and_wait(b: &Browser, e: &Element, ready: &str) {
    let before = b.url();
    b.click(e);
    b.wait_until("the address to change", &format!("return location.href !== {};", serde_json::json!(before)));
    b.wait_ready(ready);
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_search_filters_and_switches_script() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);

    open(&b, &site.url(&format!("/?q={}", enc("机器人"))), "#results");
    let api = site.api(&format!("/api/search?q={}&lang=zh-Hans", enc("机器人")));
    assert_eq!(hit_ids(&b), api_ids(&api), "the page shows the API's first page");
    assert_eq!(digits(&b.text(&b.wait("#total"))), api["total"].as_u64().unwrap() as usize);
    assert!(b.find_all("#results .hit mark").len() >= 3, "snippets are highlighted");

    // Filter by city through the facet: the address says so and the hits are the API's.
    let shenzhen = b.wait("input[type=checkbox][name=city][value=shenzhen]");
    click_and_wait(&b, &shenzhen, "#results");
    assert!(b.url().contains("city=shenzhen"), "filters are in the address: {}", b.url());
    let api = site.api(&format!("/api/search?q={}&city=shenzhen&lang=zh-Hans", enc("机器人")));
    assert_eq!(hit_ids(&b), api_ids(&api));
    let simplified = hit_ids(&b);

    // 繁: the same hits, now in Traditional script, and the choice is remembered.
    let hant = b.wait("button[data-lang=\"zh-Hant\"]");
    click_and_wait(&b, &hant, "#results");
    assert_eq!(hit_ids(&b), simplified, "switching script keeps the results");
    let lang = b.script("return document.documentElement.lang;");
    assert!(lang.as_str().is_some_and(|l| l.starts_with("zh-H")), "html lang {lang}");
    let text = b.page_text();
    assert!(
        text.contains("機器人") && !text.contains("机器人"),
        "results in Traditional: {}",
        &text[..600.min(text.len())]
    );
    open(&b, &site.url("/"), "#results");
    let pressed = b.attr(&b.wait("button[data-lang=\"zh-Hant\"]"), "aria-pressed");
    assert_eq!(pressed.as_deref(), Some("true"), "the language is remembered");

    // A Traditional query with Hong Kong vocabulary finds what the Simplified one finds.
    open(&b, &site.url(&format!("/?q={}", enc("資訊科技"))), "#results");
    let api = site.api(&format!("/api/search?q={}", enc("信息技术")));
    assert_eq!(hit_ids(&b), api_ids(&api), "資訊科技 on the page = 信息技术 in the API");

    // Nothing found: a helpful empty state, not a blank page.
    open(&b, &site.url("/?q=zzqxvbnmzzqx"), "#results");
    let empty = b.wait("#empty");
    assert!(!b.text(&empty).trim().is_empty());
    assert!(hit_ids(&b).is_empty());
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_detail_pages_link_both_ways() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);

    // talent → affiliation → the entity lists the talent back.
    open(&b, &site.url("/talents/tal-0001?lang=zh-Hant"), "#main");
    assert!(b.text(&b.wait("h1#record-name")).contains("陳家榮"));
    let html = b.script("return document.documentElement.outerHTML;").to_string();
    assert!(!html.contains("chan.kawing@example.org") && !html.contains("5555 0001"), "a talent's contact on the page");
    let aff = b.wait("a.affiliation-link");
    click_and_wait(&b, &aff, "#main");
    assert!(b.url().contains("/entities/ent-hkust"), "{}", b.url());
    b.wait("section#entity-talents a[href*=\"/talents/tal-0001\"]");
    // Both pages lead to the open needs that fit, with reasons in the page's script.
    b.wait("section#fitting-needs .match .reasons");
    assert!(b.text(&b.wait("section#fitting-needs h2")).contains("可對接的技術需求"));

    // entity → its listings; listing → its owner and its matches with reasons.
    let owned = site.api("/api/search?related_to=ent-hkust&collections=listings&per_page=1");
    let listing = owned["hits"][0]["id"].as_str().expect("HKUST owns a listing").to_string();
    b.wait(&format!("section#entity-listings a[href*=\"/listings/{listing}\"]"));
    open(&b, &site.url(&format!("/listings/{listing}")), "#main");
    b.wait("section#matches .match");
    let contact = site.fx.data_dir().join("listings.jsonl");
    let contact = std::fs::read_to_string(contact).unwrap();
    let line = contact.lines().find(|l| l.contains(&format!("\"id\": \"{listing}\""))).unwrap();
    let email = serde_json::from_str::<Value>(line).unwrap()["contact"]["email"].as_str().unwrap().to_string();
    let html = b.script("return document.documentElement.outerHTML;").to_string();
    assert!(!html.contains(&email), "a listing's contact on its public page");
    let owner = b.wait("a.owner-link");
    assert!(b.attr(&owner, "href").unwrap_or_default().ends_with("/entities/ent-hkust"));
    b.wait("section#matches .match .reasons");
    let first_match = b.wait("section#matches .match a");
    click_and_wait(&b, &first_match, "#main");
    b.wait("h1#record-name");

    // industry → the organisations its text names, in the page's script.
    open(&b, &site.url("/industries/ind-gz-biomedicine?lang=zh-Hant"), "#main");
    let sysu = b.wait("section#description a.mention[href*=\"/entities/ent-sysu\"]");
    assert_eq!(b.text(&sysu), "中山大學");
    click_and_wait(&b, &sysu, "#main");
    assert!(b.url().contains("/entities/ent-sysu"), "{}", b.url());

    // roadmap → its bottlenecks, each with who could solve it.
    open(&b, &site.url("/roadmaps/rm-electronics-rf-frontend"), "#main");
    let bottlenecks = b.find_all("section#bottlenecks .bottleneck");
    assert!(!bottlenecks.is_empty());
    b.wait("section#bottlenecks .bottleneck a");

    // A record that does not exist gets a page that says so.
    b.goto(&site.url("/entities/ent-no-such-thing"));
    b.wait_ready("#main");
    assert!(b.find_all("h1#record-name").is_empty() || !b.page_text().contains("undefined"));
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_posts_a_listing_and_expresses_interest() {
    let b = Browser::start();
    let (site, tokens) = Site::start(&["ent-hku", "ent-sysu"]);
    let (owner, other) = (&tokens[0], &tokens[1]);

    open(&b, &site.url("/post"), "#main");
    b.fill(&b.wait("input#token"), owner);
    b.click(&b.wait("button#token-save"));

    // An empty form: the API's 422 shown next to the fields.
    b.click(&b.wait("form#listing-form button[type=submit]"));
    b.wait_until(
        "field errors",
        "const e = document.querySelector('.field-error[data-field=\"title\"]'); return !!e && e.textContent.trim().length > 0;",
    );
    b.wait(".field-error[data-field=\"description\"]");
    // In the page's language only: no English sentence from the API in the Chinese messages.
    let errors = b.script(
        "return [...document.querySelectorAll('.field-error:not([hidden])')].map(e => e.textContent).join('\\n');",
    );
    let errors = errors.as_str().unwrap_or_default();
    assert!(!errors.is_empty() && !errors.contains("required") && !errors.contains(" must "), "{errors}");

    let title = "氢燃料电池双极板涂层技术 Kumquatstack";
    b.script("document.querySelector('form#listing-form input[name=kind][value=supply]').click();");
    b.fill(&b.wait("form#listing-form [name=title]"), title);
    b.fill(
        &b.wait("form#listing-form [name=description]"),
        "香港大学团队提供燃料电池金属双极板的耐腐蚀导电涂层技术，可许可或联合开发，适用于氢能汽车。",
    );
    // Switching the page's language keeps what was typed.
    b.click(&b.wait("button[data-lang=\"zh-Hant\"]"));
    b.wait_until(
        "the form in Traditional with the typed text",
        "const f = document.querySelector('form#listing-form'); return !!f && document.documentElement.lang === 'zh-Hant' \
         && f.querySelector('[name=title]').value.includes('Kumquatstack') && f.querySelector('[name=description]').value.includes('双极板') \
         && f.querySelector('input[name=kind][value=supply]').checked;",
    );
    b.click(&b.wait("form#listing-form input[name=clusters][value=new_energy]"));
    b.click(&b.wait("form#listing-form input[name=cooperation][value=license]"));
    b.fill(&b.wait("form#listing-form [name=contact_email]"), "h2-team@example.org");
    let submit = b.wait("form#listing-form button[type=submit]");
    b.click(&submit);
    b.wait_until("the listing page", "return /^\\/listings\\/[^/]+$/.test(location.pathname);");
    b.wait_ready("#main");
    assert!(b.text(&b.wait("h1#record-name")).contains("Kumquatstack"));
    let path = b.script("return location.pathname;").as_str().unwrap().to_string();
    let id = path.trim_start_matches("/listings/").to_string();

    // Found by search (in Traditional too) within a moment (the page is reloaded until the
    // background writer has indexed it).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        open(&b, &site.url(&format!("/?q={}", enc("雙極板塗層 Kumquatstack"))), "#results");
        if hit_ids(&b).contains(&id) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the new listing {id} never appeared in the results");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }

    // Another organisation expresses interest; the owner sees it through the API.
    open(&b, &site.url(&format!("/listings/{id}")), "#main");
    b.fill(&b.wait("input#token"), other);
    b.click(&b.wait("button#token-save"));
    let form = b.wait("form#interest-form");
    let _ = form;
    b.fill(&b.wait("form#interest-form [name=message]"), "中山大学材料学院希望合作测试涂层寿命。");
    b.fill(&b.wait("form#interest-form [name=contact_email]"), "sysu-materials@example.org");
    b.click(&b.wait("form#interest-form [type=submit]"));
    b.wait_until(
        "the interest confirmation",
        "const e = document.querySelector('#interest-message'); return !!e && e.textContent.trim().length > 0;",
    );
    let interests: Value = reqwest::blocking::Client::new()
        .get(site.url(&format!("/api/listings/{id}/interest")))
        .bearer_auth(owner)
        .send()
        .unwrap()
        .json()
        .unwrap();
    let list = interests.as_array().unwrap_or_else(|| panic!("interests: {interests}"));
    assert_eq!(list.len(), 1, "{interests}");
    assert!(list[0].to_string().contains("希望合作测试涂层寿命"));
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_an_expert_and_an_organisation_can_be_contacted() {
    // A Shenzhen enterprise (in Simplified) writes to a Hong Kong expert; the expert's university
    // reads it (in Traditional). The organisation's own page takes messages too.
    let b = Browser::start();
    let (site, tokens) = Site::start(&["ent-byd", "ent-hkust"]);
    let (enterprise, university) = (&tokens[0], &tokens[1]);
    let message = "比亚迪希望与陈教授团队交流谐波减速器柔轮寿命测试。";

    open(&b, &site.url("/talents/tal-0001?lang=zh-Hans"), "#main");
    b.fill(&b.wait("input#token"), enterprise);
    b.click(&b.wait("button#token-save"));
    b.fill(&b.wait("form#interest-form [name=message]"), message);
    b.fill(&b.wait("form#interest-form [name=contact_email]"), "byd-rd@example.org");
    b.click(&b.wait("form#interest-form [type=submit]"));
    b.wait_until(
        "the confirmation, naming who receives it",
        "const e = document.querySelector('#interest-message'); return !!e && e.textContent.includes('专家所在的机构');",
    );

    open(&b, &site.url("/talents/tal-0001?lang=zh-Hant"), "#main");
    b.fill(&b.wait("input#token"), university);
    b.click(&b.wait("button#token-save"));
    b.wait_until(
        "the message received, in the university's view",
        "const s = document.querySelector('#interests'); return !!s && s.textContent.includes('柔轮寿命') \
         && s.textContent.includes('byd-rd@example.org') && !document.querySelector('form#interest-form');",
    );

    // The university's own page: no form to itself; the enterprise's view of it has one.
    open(&b, &site.url("/entities/ent-hkust?lang=en"), "#main");
    b.wait("#interests");
    assert!(b.script("return !document.querySelector('form#interest-form');").as_bool().unwrap_or(false));
    b.fill(&b.wait("input#token"), enterprise);
    b.click(&b.wait("button#token-save"));
    b.wait("form#interest-form");
    b.wait_until(
        "the English introduction",
        "return document.querySelector('#interest').textContent.includes('go to this organisation');",
    );
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_first_visit_follows_the_browser_language() {
    let b = Browser::start_with_language("zh-HK");
    let (site, _) = Site::start(&[]);
    open(&b, &site.url("/"), "#results");
    let pressed = b.attr(&b.wait("button[data-lang=\"zh-Hant\"]"), "aria-pressed");
    assert_eq!(pressed.as_deref(), Some("true"), "zh-HK browsers start in 繁");
    assert!(b.page_text().contains("搜尋"), "Hong Kong wording");
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_works_on_a_phone_and_by_keyboard() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);
    b.resize(375, 812);
    open(&b, &site.url(&format!("/?q={}", enc("港科大"))), "#results");
    let overflow = b.script("return document.documentElement.scrollWidth - window.innerWidth;");
    assert!(overflow.as_i64().unwrap_or(99) <= 0, "no horizontal scrolling at 375 px: {overflow}");
    assert_eq!(hit_ids(&b).first().map(String::as_str), Some("ent-hkust"));

    // Suggestions by keyboard: type, arrow down, Enter opens the record.
    let q = b.wait("input#q");
    b.fill(&q, "港科");
    b.wait("ul#suggestions li[role=option]");
    b.type_keys(&q, ARROW_DOWN);
    b.type_keys(&q, ENTER);
    b.wait_until(
        "a detail page",
        "return /^\\/(entities|talents|listings|roadmaps|industries)\\//.test(location.pathname);",
    );
    b.wait_ready("#main");
    b.wait("h1#record-name");

    // Every control on the search page has a label.
    open(&b, &site.url("/"), "#results");
    let unlabelled = b.script(
        "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
           .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
           .map(e => e.outerHTML.slice(0, 120));",
    );
    assert_eq!(unlabelled, serde_json::json!([]), "unlabelled controls");
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_overview_charts_have_their_numbers_beside_them() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);
    open(&b, &site.url("/overview?lang=en"), "#main");
    b.wait("figure#map svg");
    b.wait("figure#city-cluster svg");
    let tables =
        b.find_all("figure#map table, figure#map + table, figure#city-cluster table, figure#city-cluster + table");
    assert!(tables.len() >= 2, "each chart has a table");
    let stats = site.api("/api/stats");
    let shenzhen = stats.to_string();
    assert!(!shenzhen.is_empty());
    let table_text: String = tables.iter().map(|t| b.text(t)).collect::<Vec<_>>().join("\n");
    let total_sz = site.api("/api/search?city=shenzhen&per_page=1")["total"].as_u64().unwrap();
    assert!(
        table_text.contains(&total_sz.to_string()),
        "Shenzhen's {total_sz} records appear in a table:\n{table_text}"
    );
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_board_shows_the_pairs_and_filters_cross_border() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);
    let pairs = |b: &Browser| -> Vec<(String, String)> {
        b.find_all("section#pairs li.pair")
            .iter()
            .map(|p| (b.attr(p, "data-supply").unwrap_or_default(), b.attr(p, "data-demand").unwrap_or_default()))
            .collect()
    };
    let api_pairs = |v: &Value| -> Vec<(String, String)> {
        v["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["supply"]["id"].as_str().unwrap().into(), p["demand"]["id"].as_str().unwrap().into()))
            .collect()
    };
    site.wait_for_board();
    open(&b, &site.url("/board?lang=en"), "#main");
    b.wait("section#pairs li.pair .reasons");
    assert_eq!(pairs(&b), api_pairs(&site.api("/api/board?per_page=10&lang=en")));
    let cross = b.wait("input#board-cross");
    b.click(&cross);
    let apply = b.wait("form.board-filters button[type=submit]");
    click_and_wait(&b, &apply, "#main");
    assert!(b.url().contains("cross_border=true"), "{}", b.url());
    b.wait("section#pairs li.pair");
    let shown = pairs(&b);
    assert_eq!(shown, api_pairs(&site.api("/api/board?per_page=10&cross_border=true&lang=en")));
    assert!(!shown.is_empty());
    b.wait("a[href^=\"/feeds/board?\"]");
}

#[test]
#[ignore = "needs chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)"]
fn web_an_officer_tries_an_offer_on_the_board_before_posting_it() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);
    // A Hong Kong tech-transfer officer, in Traditional Chinese.
    open(&b, &site.url("/board?lang=zh-Hant"), "#main");
    let offer = "本實驗室提供諧波減速器柔輪的設計與噴丸強化工藝，疲勞壽命超過一萬小時，適用於人形機械人關節。";
    let supply = b.wait("input#match-kind-supply");
    b.click(&supply);
    let text = b.wait("textarea#need-text");
    b.fill(&text, offer);
    let submit = b.wait("form#match-form button[type=submit]");
    b.click(&submit);
    b.wait("#need-matches .match-list article.match");
    let shown: Vec<String> =
        b.find_all("#need-matches article.match").iter().map(|m| b.attr(m, "data-id").unwrap_or_default()).collect();
    let api = site.api(&format!("/api/match?text={}&kind=supply&lang=zh-Hant&limit=10", enc(offer)));
    let want: Vec<String> =
        api["matches"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(shown, want);
    // Needs only: the offer's counterparts, not other offers.
    assert!(api["matches"].as_array().unwrap().iter().all(|m| m["kind"] != "supply"), "{api}");
    assert!(shown.iter().any(|id| id == "lst-0134"), "{shown:?}");
    assert!(b.page_text().contains("技術成果"), "the choice is labelled in Traditional Chinese");
}

/// Regenerates `docs/screenshots/` (run by hand: `cargo test --test api web_screenshots -- --ignored`).
#[test]
#[ignore = "regenerates docs/screenshots: run by hand (.ci/run skips it)"]
fn web_screenshots() {
    let b = Browser::start();
    let (site, _) = Site::start(&[]);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let owned = site.api("/api/search?related_to=ent-hkust&collections=listings&per_page=1");
    let listing = owned["hits"][0]["id"].as_str().unwrap().to_string();
    let pages = [
        ("search-zh-hans", format!("/?q={}&lang=zh-Hans", enc("机器人")), "#results"),
        ("search-zh-hant", format!("/?q={}&lang=zh-Hant", enc("資訊科技")), "#results"),
        ("search-en", "/?q=lithium%20battery&lang=en".to_string(), "#results"),
        ("entity", "/entities/ent-hkust?lang=zh-Hant".to_string(), "#main"),
        ("listing", format!("/listings/{listing}?lang=zh-Hans"), "#main"),
        ("roadmap", "/roadmaps/rm-electronics-rf-frontend?lang=en".to_string(), "#main"),
        ("overview", "/overview?lang=zh-Hans".to_string(), "#main"),
        ("board", "/board?lang=zh-Hant".to_string(), "#main"),
        ("post", "/post?lang=zh-Hant".to_string(), "#main"),
    ];
    for (name, path, ready) in pages {
        open(&b, &site.url(&path), ready);
        std::thread::sleep(std::time::Duration::from_millis(300));
        b.screenshot(&dir.join(format!("{name}.png")));
        let paint = b.script(
            "const p = performance.getEntriesByName('first-contentful-paint')[0]; \
             const n = performance.getEntriesByType('navigation')[0]; \
             return [p ? p.startTime : null, n ? n.domContentLoadedEventEnd : null];",
        );
        eprintln!("{name}: first contentful paint {} ms, DOMContentLoaded {} ms", paint[0], paint[1]);
    }
    b.resize(390, 844);
    open(&b, &site.url(&format!("/?q={}&lang=zh-Hant", enc("機械人"))), "#results");
    b.screenshot(&dir.join("phone-search.png"));
}
