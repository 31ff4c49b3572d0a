//! Text normalisation that keeps a map back to the original text: full-width → half-width,
//! lower case, and Traditional → Simplified character by character (OpenCC data).

use std::collections::{HashMap, HashSet};

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Traditional → Simplified, one character to one character, derived from OpenCC's Hong Kong
/// dictionaries at start-up (no hand-written table).
///
/// Only OpenCC `hk2s` is used; it already converts Taiwan's standard characters (為, 裡, 眾, …).
/// What `tw2s` adds on top comes from its Taiwan *variant* table (`TWVariantsRev`): five
/// characters, of which two are wrong for Simplified text — Taiwan writes 幺 as 么 and 着 as 著,
/// so `tw2s` turns the Simplified 怎么 into 怎幺 and 显著 into 显着. A character map cannot tell
/// which script a character came from, so a character that is already Simplified must map to
/// itself.
#[derive(Debug, Default)]
pub struct CharMap {
    /// The image of every character from the first CJK range's start on (a table, not a hash
    /// map: it is read for every character of every text analysed).
    table: Vec<char>,
    mapped: usize,
}

/// Unicode blocks whose characters OpenCC may convert.
const CJK_RANGES: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

impl CharMap {
    /// Builds the map by converting every CJK character of the BMP through OpenCC `hk2s`. Only
    /// one-character results are kept, so normalised text has as many characters as the
    /// original. A character that is the Simplified form of another is Simplified itself and is
    /// left alone, which keeps the map idempotent (OpenCC maps 薴 → 苧 and also 苧 → 苎; the second
    /// is dropped).
    pub fn from_opencc() -> Result<CharMap, String> {
        let chars: Vec<char> = CJK_RANGES.iter().flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32)).collect();
        let input: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        let cc = OpenCC::from_config(BuiltinConfig::Hk2s).map_err(|e| e.to_string())?;
        let output = cc.convert(&input);
        let pieces: Vec<&str> = output.split('\n').collect();
        if pieces.len() != chars.len() + 1 {
            return Err("OpenCC hk2s changed the line count".to_string());
        }
        let mut map = HashMap::new();
        for (&from, piece) in chars.iter().zip(pieces) {
            let mut it = piece.chars();
            if let (Some(to), None) = (it.next(), it.next())
                && to != from
            {
                map.insert(from, to);
            }
        }
        let simplified: HashSet<char> = map.values().copied().collect();
        map.retain(|from, _| !simplified.contains(from));
        let (first, last) = (CJK_RANGES[0].0, CJK_RANGES[CJK_RANGES.len() - 1].1);
        let table = (first..=last)
            .map(|u| char::from_u32(u).map_or('\u{FFFD}', |c| map.get(&c).copied().unwrap_or(c)))
            .collect();
        Ok(CharMap { table, mapped: map.len() })
    }

    /// The Simplified form of `c` (itself when there is none).
    pub fn get(&self, c: char) -> char {
        (c as u32).checked_sub(CJK_RANGES[0].0).and_then(|i| self.table.get(i as usize)).copied().unwrap_or(c)
    }

    /// Number of mapped characters.
    pub fn len(&self) -> usize {
        self.mapped
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.mapped == 0
    }
}

/// Normalised text plus, for each of its bytes, the byte offset in the original text.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// `offsets[i]` is the original byte offset of normalised byte `i`; one extra entry at the
    /// end holds the original length.
    pub offsets: Vec<u32>,
}

impl Normalized {
    /// Original byte offset of normalised byte offset `i`.
    pub fn original(&self, i: usize) -> usize {
        self.offsets.get(i).copied().unwrap_or(0) as usize
    }
}

/// Folds full-width ASCII and the ideographic space to their half-width forms.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Normalises `text`: width folding, lower case, Traditional → Simplified.
pub fn normalize(text: &str, chars: &CharMap) -> Normalized {
    let mut out = Normalized { text: String::with_capacity(text.len()), offsets: Vec::with_capacity(text.len() + 1) };
    each_normalized(text, chars, |c, at| {
        out.text.push(c);
        for _ in 0..c.len_utf8() {
            out.offsets.push(at as u32);
        }
    });
    out.offsets.push(text.len() as u32);
    out
}

/// [`normalize`]'s text alone, without the offsets (four bytes for each byte of text) that
/// only highlighting needs.
pub fn normalize_text(text: &str, chars: &CharMap) -> String {
    let mut out = String::with_capacity(text.len());
    each_normalized(text, chars, |c, _| out.push(c));
    out
}

/// Calls `push` with each normalised character of `text` and the offset of the original one.
#[inline(always)]
fn each_normalized(text: &str, chars: &CharMap, mut push: impl FnMut(char, usize)) {
    for (at, c) in text.char_indices() {
        // Fast paths for the two kinds of character almost every text is made of.
        if c.is_ascii() {
            push(c.to_ascii_lowercase(), at);
            continue;
        }
        if is_cjk(c) {
            push(chars.get(c), at);
            continue;
        }
        let c = chars.get(fold_width(c));
        if c.is_uppercase() {
            for l in c.to_lowercase() {
                push(l, at);
            }
        } else {
            push(c, at);
        }
    }
}

/// Normalises without keeping offsets (for keys and query strings).
pub fn normalize_key(text: &str, chars: &CharMap) -> String {
    text.chars()
        .map(|c| chars.get(fold_width(c)))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// True for CJK ideographs.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_point_into_the_original() {
        let chars = CharMap::from_opencc().unwrap();
        assert!(chars.len() > 2000, "{}", chars.len());
        let orig = "ＡＩ晶片與資訊科技";
        let n = normalize(orig, &chars);
        assert_eq!(n.text, "ai晶片与资讯科技");
        let i = n.text.find("资讯").unwrap();
        assert_eq!(&orig[n.original(i)..], "資訊科技");
        assert_eq!(n.original(n.text.len()), orig.len());
        assert_eq!(normalize_text(orig, &chars), n.text);
    }

    #[test]
    fn simplified_characters_map_to_themselves() {
        let chars = CharMap::from_opencc().unwrap();
        let key = |s: &str| normalize(s, &chars).text;
        assert_eq!(key("怎么"), "怎么");
        assert_eq!(key("什麼"), "什么");
        assert_eq!(key("麼"), "么");
        assert_eq!(key("顯著"), "显著");
        assert_eq!(key("显著"), "显著");
        // Taiwan's standard forms are still folded.
        assert_eq!(key("為裡眾啟"), "为里众启");
    }

    #[test]
    fn the_map_is_idempotent() {
        let chars = CharMap::from_opencc().unwrap();
        let mut mapped = 0;
        for from in (0x3400..=0xFAFF).filter_map(char::from_u32) {
            let to = chars.get(from);
            if to != from {
                mapped += 1;
                assert_eq!(chars.get(to), to, "{from} → {to} → {}", chars.get(to));
            }
        }
        assert_eq!(mapped, chars.len());
    }

    /// Every text of the bundled records that OpenCC `hk2s` leaves unchanged is Simplified (or
    /// script-neutral); normalising it must not change a single character.
    #[test]
    fn simplified_record_text_is_left_alone() {
        let chars = CharMap::from_opencc().unwrap();
        let hk2s = OpenCC::from_config(BuiltinConfig::Hk2s).unwrap();
        let mut checked = 0;
        let strings = crate::analysis::tests::bundled_strings();
        for (name, s) in strings.iter().filter(|(_, s)| s.chars().any(is_cjk) && hk2s.convert(s) == *s) {
            for c in s.chars().filter(|&c| is_cjk(c)) {
                assert_eq!(chars.get(c), c, "{c} in {name}: {s}");
            }
            checked += 1;
        }
        assert!(checked > 1000, "{checked}");
    }
}
