//! The concepts of a text, in a language-neutral form: a word or phrase that is a term of a set of
//! equivalent terms (Hong Kong ↔ mainland wording, Chinese ↔ English glossary, a record's name and
//! aliases) is the set's key, so 锂电池, 鋰電池 and "lithium battery" are one concept; any other
//! content word is itself. Matching compares records by their concepts.

use std::collections::HashMap;

use super::{Analyzer, Lang, Mode, SetLabels, is_cjk};

/// How many times more records must use one Chinese reading of an English word than any other
/// for it to be the reading ([`Analyzer::sense_in`]).
const SENSE_DOMINANCE: u64 = 4;

/// One concept of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Concept {
    /// Language-neutral key: the analysed tokens of the set's key term, or of the word itself.
    pub key: String,
    /// The vocabulary set it came through, if any.
    pub set: Option<usize>,
    /// The words as the text wrote them, the first time.
    pub surface: String,
    /// True when that text is written in Traditional characters (a Hong Kong, Macau or Taiwan
    /// writer's wording).
    pub traditional: bool,
    /// How often it occurs.
    pub count: u32,
}

impl Concept {
    /// True for a concept written in Chinese characters (its key), false for an English one.
    pub fn is_chinese(&self) -> bool {
        self.key.chars().any(is_cjk)
    }
}

fn chinese_surface(surfaces: &[&str]) -> Option<String> {
    surfaces.iter().find(|s| s.chars().any(is_cjk)).map(|s| s.to_string())
}

/// True for a word that can stand as a concept on its own: two or more Chinese characters, or an
/// English word of three or more letters; never a number or a code with digits.
fn content_word(word: &str) -> bool {
    let cjk = word.chars().filter(|c| is_cjk(*c)).count();
    if cjk > 0 {
        return cjk >= 2;
    }
    word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic())
}

impl Analyzer {
    /// The concepts of `text`, in the order they first occur.
    pub fn concepts(&self, text: &str) -> Vec<Concept> {
        self.concepts_in(text, &|_| 0)
    }

    /// The concepts of `text`, with English words that no vocabulary set bridges read as the
    /// Chinese word the dictionary gives for them ([`Analyzer::sense_in`]) where the records
    /// (`df`: in how many records an analysed token is) settle which one: so that an English text
    /// and a Chinese one share their concepts.
    pub fn concepts_in(&self, text: &str, df: &dyn Fn(&str) -> u64) -> Vec<Concept> {
        let tokens = self.tokens(text, Mode::Words);
        let traditional = self.has_traditional(text);
        let words: Vec<String> = tokens.iter().map(|t| t.text.to_string()).collect();
        let mut out: Vec<Concept> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut add = |key: String, set: Option<usize>, from: usize, to: usize| match at.get(&key) {
            Some(&i) => out[i].count += 1,
            None => {
                at.insert(key.clone(), out.len());
                let surface = text.get(from..to).unwrap_or_default().to_string();
                out.push(Concept { key, set, surface, traditional, count: 1 });
            }
        };
        let spans = self.vocab.concept_spans(&words);
        let mut spans = spans.iter().peekable();
        let mut i = 0;
        while i < words.len() {
            if let Some(span) = spans.next_if(|s| s.start == i) {
                let last = &tokens[i + span.len - 1];
                let all_stop = words[i..i + span.len].iter().all(|w| self.vocab.is_stopword(w));
                if !all_stop {
                    add(self.vocab.concept_key(span.set), Some(span.set), tokens[i].from, last.to);
                }
                i += span.len;
                continue;
            }
            let w = &words[i];
            let english = |j: usize| {
                words.get(j).is_some_and(|w| !w.chars().any(is_cjk) && content_word(w) && !self.vocab.is_stopword(w))
            };
            // Two English words first ("heat exchanger"), unless a vocabulary term starts at the
            // second; a single word only when it is no common English word (too many senses).
            let free_next = spans.peek().is_none_or(|s| s.start > i + 1);
            if english(i)
                && english(i + 1)
                && free_next
                && let Some((key, set)) = self.sense_in(&format!("{} {}", w, words[i + 1]), df)
            {
                add(key, set, tokens[i].from, tokens[i + 1].to);
                i += 2;
                continue;
            }
            if english(i)
                && !self.vocab.is_common_english(w)
                && let Some((key, set)) = self.sense_in(w, df)
            {
                add(key, set, tokens[i].from, tokens[i].to);
                i += 1;
                continue;
            }
            if content_word(w) && !self.vocab.is_stopword(w) && !self.vocab.is_hint(w) {
                add(w.clone(), None, tokens[i].from, tokens[i].to);
            }
            i += 1;
        }
        out
    }

    /// The Chinese word the records use for the English term `key` (stemmed words): among the
    /// words of which it is a dictionary sense, the one the records use, or the one they use
    /// [`SENSE_DOMINANCE`] times more than any other; `None` when they do not settle it. Returned
    /// as a concept key, with the vocabulary set of the word if it has one.
    fn sense_in(&self, key: &str, df: &dyn Fn(&str) -> u64) -> Option<(String, Option<usize>)> {
        let mut used: Vec<(u64, &String)> =
            self.senses(key).iter().map(|z| (df(z), z)).filter(|(n, _)| *n > 0).collect();
        used.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let zh = match used[..] {
            [(_, z)] => z,
            [(first, z), (second, _), ..] if first >= SENSE_DOMINANCE * second => z,
            _ => return None,
        };
        let word = [zh.clone()];
        match self.vocab.concept_spans(&word).first() {
            Some(span) if span.len == 1 => Some((self.vocab.concept_key(span.set), Some(span.set))),
            _ => Some((zh.clone(), None)),
        }
    }

    /// True for a concept that is a common word of its language and no term of the vocabulary
    /// ([`Analyzer::is_common_word`]): it weighs less in a match and is never named as a reason.
    pub fn is_common_concept(&self, c: &Concept) -> bool {
        c.set.is_none() && self.is_common_word(&c.key)
    }

    /// How concept `c` is named to a reader of `lang`: the vocabulary's term in that language
    /// (the Hong Kong term for Traditional readers where the regions differ), else as a text wrote
    /// it — `surfaces` are the ways the texts being compared wrote it, the reader's language
    /// preferred.
    pub fn concept_label(&self, c: &Concept, surfaces: &[&str], lang: Lang) -> String {
        self.concept_label_with(c, surfaces, None, lang)
    }

    /// [`Analyzer::concept_label`], with `hong_kong`: how a text in Traditional characters wrote
    /// it, which a Traditional reader is shown as written.
    pub fn concept_label_with(&self, c: &Concept, surfaces: &[&str], hong_kong: Option<&str>, lang: Lang) -> String {
        let labels = c.set.and_then(|s| self.vocab.labels(s)).cloned().unwrap_or_default();
        let SetLabels { zh, en, hk } = labels;
        let english = surfaces.iter().find(|s| !s.chars().any(is_cjk)).map(|s| s.to_string());
        let chinese = chinese_surface(surfaces);
        let zh = zh.or(chinese).or_else(|| c.is_chinese().then(|| c.key.replace(' ', "")));
        let lang = match lang {
            Lang::Original if !c.surface.chars().any(is_cjk) => Lang::En,
            other => other,
        };
        match lang {
            Lang::En => en
                .or(english)
                .or_else(|| self.vocab.english_of(&c.key).map(String::from))
                .or(zh)
                .unwrap_or_else(|| c.surface.clone()),
            Lang::Hant => hong_kong
                .map(|h| self.to_script(h, Lang::Hant))
                .or(hk)
                .or_else(|| self.vocab.hong_kong(&c.key).map(String::from))
                .or_else(|| zh.map(|z| self.to_script(&z, Lang::Hant)))
                .or(english)
                .unwrap_or_else(|| c.surface.clone()),
            Lang::Hans => zh.map(|z| self.to_script(&z, Lang::Hans)).or(english).unwrap_or_else(|| c.surface.clone()),
            Lang::Original => chinese_surface(surfaces).or(zh).unwrap_or_else(|| c.surface.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::Lang;
    use crate::analysis::tests::analyzer;

    fn keys(text: &str) -> Vec<String> {
        analyzer().concepts(text).into_iter().map(|c| c.key).collect()
    }

    #[test]
    fn english_chinese_and_hong_kong_words_give_the_same_concepts() {
        assert_eq!(keys("锂电池热管理"), ["锂电池", "热管理"]);
        assert_eq!(keys("Lithium battery thermal management"), ["锂电池", "热管理"]);
        assert_eq!(keys("鋰電池熱管理"), ["锂电池", "热管理"]);
        assert_eq!(keys("醫療機械人"), keys("医疗机器人"));
    }

    #[test]
    fn numbers_codes_stopwords_and_short_fragments_are_not_concepts() {
        let k = keys("我们的 120 台 5g 设备 at 99.9% 的 AI");
        assert!(!k.iter().any(|k| k.chars().any(|c| c.is_ascii_digit())), "{k:?}");
        assert!(!k.contains(&"我们".to_string()) && !k.contains(&"的".to_string()), "{k:?}");
        assert!(k.contains(&"设备".to_string()), "{k:?}");
    }

    #[test]
    fn english_words_take_the_chinese_reading_the_records_settle() {
        let a = analyzer();
        let df = |t: &str| match t {
            "冷媒" => 5,
            "换热器" => 3,
            "订单" => 4,
            "顺序" => 3,
            _ => 0,
        };
        let keys = |text: &str| a.concepts_in(text, &df).into_iter().map(|c| c.key).collect::<Vec<_>>();
        assert_eq!(keys("Refrigerant heat exchangers"), ["冷媒", "换热器"]);
        assert_eq!(keys("冷媒换热器"), ["冷媒", "换热器"]);
        // Two readings the records use alike: the word stays English.
        assert_eq!(keys("order"), ["order"]);
        // Without the records' say, no reading.
        assert_eq!(a.concepts("refrigerant").remove(0).key, "refriger");
        // Named to an English reader as the text wrote it.
        let c = a.concepts_in("heat exchangers", &df).remove(0);
        assert_eq!(a.concept_label(&c, &[&c.surface], Lang::En), "heat exchangers");
    }

    #[test]
    fn a_concept_is_named_in_the_readers_language() {
        let a = analyzer();
        let c = a.concepts("lithium battery").remove(0);
        assert_eq!(a.concept_label(&c, &["lithium battery"], Lang::En), "lithium battery");
        assert_eq!(a.concept_label(&c, &["lithium battery"], Lang::Hans), "锂电池");
        assert_eq!(a.concept_label(&c, &["lithium battery"], Lang::Hant), "鋰電池");
        let robot = a.concepts("机器人").remove(0);
        assert_eq!(a.concept_label(&robot, &["机器人"], Lang::Hant), "機械人");
        // Its own (regional) set has no English term: the glossary's is shown.
        assert_eq!(a.concept_label(&robot, &["机器人"], Lang::En), "robot");
    }
}
