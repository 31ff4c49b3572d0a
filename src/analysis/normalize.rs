//! Text normalisation that keeps a map back to the original text: full-width → half-width,
//! lower case, and Traditional → Simplified character by character (OpenCC data).

use std::collections::HashMap;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// Traditional → Simplified, one character to one character, derived from OpenCC's
/// Hong Kong and Taiwan dictionaries at start-up (no hand-written table).
#[derive(Debug, Default)]
pub struct CharMap {
    map: HashMap<char, char>,
}

/// Unicode blocks whose characters OpenCC may convert.
const CJK_RANGES: [(u32, u32); 3] = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)];

impl CharMap {
    /// Builds the map by converting every CJK character of the BMP through OpenCC `hk2s`, then
    /// `tw2s` for what `hk2s` left alone. Only one-character results are kept, so normalised text
    /// has as many characters as the original.
    pub fn from_opencc() -> Result<CharMap, String> {
        let mut map = HashMap::new();
        let chars: Vec<char> = CJK_RANGES.iter().flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32)).collect();
        let input: String = chars.iter().flat_map(|&c| [c, '\n']).collect();
        for config in [BuiltinConfig::Hk2s, BuiltinConfig::Tw2s] {
            let cc = OpenCC::from_config(config).map_err(|e| e.to_string())?;
            let output = cc.convert(&input);
            let pieces: Vec<&str> = output.split('\n').collect();
            if pieces.len() != chars.len() + 1 {
                return Err(format!("OpenCC {config:?} changed the line count"));
            }
            for (&from, piece) in chars.iter().zip(pieces) {
                let mut it = piece.chars();
                if let (Some(to), None) = (it.next(), it.next())
                    && to != from
                {
                    map.entry(from).or_insert(to);
                }
            }
        }
        Ok(CharMap { map })
    }

    /// The Simplified form of `c` (itself when there is none).
    pub fn get(&self, c: char) -> char {
        self.map.get(&c).copied().unwrap_or(c)
    }

    /// Number of mapped characters.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
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
    for (at, c) in text.char_indices() {
        let c = chars.get(fold_width(c));
        if c.is_uppercase() {
            for l in c.to_lowercase() {
                push(&mut out, l, at);
            }
        } else {
            push(&mut out, c, at);
        }
    }
    out.offsets.push(text.len() as u32);
    out
}

fn push(out: &mut Normalized, c: char, at: usize) {
    out.text.push(c);
    for _ in 0..c.len_utf8() {
        out.offsets.push(at as u32);
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
    }
}
