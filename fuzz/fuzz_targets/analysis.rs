//! The analysis pipeline on arbitrary text: every token's offsets are character boundaries of
//! the original text, in order, and the conversions and keys never panic.
#![no_main]

use std::sync::{Arc, OnceLock};

use gba_search::analysis::{Analyzer, Lang, Mode, RawVocab};
use libfuzzer_sys::fuzz_target;

fn analyzer() -> &'static Arc<Analyzer> {
    static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
    A.get_or_init(|| {
        let vocab = RawVocab::builtin();
        let names = vec!["香港科技大学".to_string(), "港科大".to_string(), "HKUST".to_string()];
        Analyzer::new(&vocab, &names, vec![names.clone()]).expect("analyzer")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let a = analyzer();
    for mode in [Mode::Words, Mode::Search, Mode::Bigrams] {
        for t in a.tokens(text, mode) {
            assert!(t.from <= t.to && t.to <= text.len(), "{t:?} outside {} bytes", text.len());
            assert!(text.is_char_boundary(t.from) && text.is_char_boundary(t.to), "{t:?} splits a character");
            assert!(!t.text.is_empty());
        }
    }
    let _ = a.key(text);
    for lang in [Lang::Hans, Lang::Hant, Lang::En, Lang::Original] {
        let _ = a.to_script(text, lang);
    }
});
