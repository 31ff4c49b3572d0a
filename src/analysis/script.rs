//! The script of returned text: Simplified, Traditional (Hong Kong) or English.

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

/// The script a caller asked for with `lang=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Text as stored.
    #[default]
    Original,
    /// Simplified Chinese.
    Hans,
    /// Traditional Chinese, Hong Kong standard.
    Hant,
    /// English where an English field exists.
    En,
}

impl Lang {
    /// Parses a `lang` value (`zh-Hans`, `zh-Hant`, `en`, and common variants such as `zh-HK`).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        match s.as_str() {
            "zh-hans" | "zh-cn" | "zh-sg" | "zh" | "hans" | "sc" => Some(Lang::Hans),
            "zh-hant" | "zh-hk" | "zh-mo" | "zh-tw" | "hant" | "tc" => Some(Lang::Hant),
            "en" | "en-us" | "en-gb" | "en-hk" => Some(Lang::En),
            _ => None,
        }
    }

    /// True when Chinese text should be shown (everything but English).
    pub fn is_chinese(self) -> bool {
        self != Lang::En
    }
}

/// OpenCC converters for text shown to users (phrase-aware, unlike the index's character map).
pub struct Converters {
    to_hant: OpenCC,
    to_hans: OpenCC,
}

impl std::fmt::Debug for Converters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Converters")
    }
}

impl Converters {
    /// Loads OpenCC's `s2hk` and `hk2s` configurations.
    pub fn new() -> Result<Converters, String> {
        Ok(Converters {
            to_hant: OpenCC::from_config(BuiltinConfig::S2hk).map_err(|e| e.to_string())?,
            to_hans: OpenCC::from_config(BuiltinConfig::Hk2s).map_err(|e| e.to_string())?,
        })
    }

    /// `text` in the script of `lang` (unchanged for `Original` and `En`).
    pub fn convert(&self, text: &str, lang: Lang) -> String {
        match lang {
            Lang::Hant if text.chars().any(super::normalize::is_cjk) => self.to_hant.convert(text),
            Lang::Hans if text.chars().any(super::normalize::is_cjk) => self.to_hans.convert(text),
            _ => text.to_string(),
        }
    }
}
