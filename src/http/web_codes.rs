//! `web/codes.js`, the web interface's code tables (cities, clusters, kinds, cooperation modes),
//! generated from the tables in `model` so that the pages show the same words as the API's facet
//! labels and match reasons. A unit test fails while the file is out of date;
//! `GBA_WRITE_CODES=1 cargo test --lib web_codes` rewrites it.

use crate::analysis::{Converters, Lang};
use crate::model::{self, Code};

/// The tables written, by their name in the JavaScript module.
const TABLES: [(&str, &[Code]); 4] = [
    ("CITIES", &model::CITIES),
    ("CLUSTERS", &model::CLUSTERS),
    ("KINDS", &model::KINDS),
    ("COOPERATION", &model::COOPERATION),
];

/// The text of `web/codes.js`.
pub fn codes_js(converters: &Converters) -> String {
    let quote = |s: &str| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"));
    let mut out = String::from(
        "// Generated from the code tables in src/model.rs (src/http/web_codes.rs): do not edit.\n\
         // After changing a table: GBA_WRITE_CODES=1 cargo test --lib web_codes\n\
         // code → [zh-Hans, zh-Hant (Hong Kong wording), en]\n",
    );
    for (name, table) in TABLES {
        out.push_str(&format!("\nexport const {name} = {{\n"));
        for (code, _, _) in table {
            let label = |lang| model::code_label(table, code, lang, |zh| converters.convert(zh, Lang::Hant));
            let labels: Vec<String> =
                [Lang::Hans, Lang::Hant, Lang::En].into_iter().filter_map(label).map(|l| quote(&l)).collect();
            out.push_str(&format!("  {code}: [{}],\n", labels.join(", ")));
        }
        out.push_str("};\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_codes_js_is_generated_from_the_code_tables() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/codes.js");
        let want = codes_js(&Converters::new().unwrap());
        if std::env::var_os("GBA_WRITE_CODES").is_some() {
            std::fs::write(&path, &want).unwrap();
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "web/codes.js is out of date with src/model.rs: run GBA_WRITE_CODES=1 cargo test --lib web_codes"
        );
        assert!(want.contains("electronics: ['电子信息', '電子資訊', 'Electronics & information']"), "{want}");
        assert!(want.contains("license: ['专利许可', '專利授權', 'Licensing']"), "{want}");
    }
}
