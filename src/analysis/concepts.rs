//! The concepts of a text, in a language-neutral form: a word or phrase that is a term of a set of
//! equivalent terms (Hong Kong ↔ mainland wording, Chinese ↔ English glossary, a record's name and
//! aliases) is the set's key, so 锂电池, 鋰電池 and "lithium battery" are one concept; any other
//! content word is itself. Matching compares records by their concepts.

use std::collections::HashMap;

use super::{Analyzer, Lang, Mode, SetLabels, is_cjk, lemma, lemma_variants};

/// How many times more records must use one Chinese reading of an English word than any other
/// for it to be the only reading; readings used by fewer records than the first ÷ this are
/// dropped ([`Analyzer::senses_in`]).
const SENSE_DOMINANCE: u64 = 4;
/// Most Chinese readings an English word is shared among ([`Analyzer::senses_in`]).
const MAX_READINGS: usize = 3;

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
    /// How often it occurs: an English word read as several Chinese words counts for each the
    /// share of the records that use it ([`Analyzer::senses_in`]).
    pub count: f32,
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

/// True for a word (an analysed token) that can stand as a concept on its own: two or more Chinese
/// characters, or an English word of three or more letters, hyphens between them allowed
/// (e-commerce, few-shot), or of two whose text wrote three or more (`written` bytes: ABS, whose
/// stem is "ab"); never a number or a code with digits.
fn content_word(word: &str, written: usize) -> bool {
    let cjk = word.chars().filter(|c| is_cjk(*c)).count();
    if cjk > 0 {
        return cjk >= 2;
    }
    (word.len() >= 3 || (word.len() >= 2 && written >= 3))
        && word.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.ends_with(|c: char| c.is_ascii_alphabetic())
}

impl Analyzer {
    /// The concepts of `text`, in the order they first occur.
    pub fn concepts(&self, text: &str) -> Vec<Concept> {
        self.concepts_in(text, &|_| 0)
    }

    /// The concepts of `text`, with English words that no vocabulary set bridges read as the
    /// Chinese words the dictionary gives for them ([`Analyzer::senses_in`]) where the records
    /// (`df`: in how many records an analysed token is) settle which one: so that an English text
    /// and a Chinese one share their concepts.
    pub fn concepts_in(&self, text: &str, df: &dyn Fn(&str) -> u64) -> Vec<Concept> {
        let tokens = self.tokens(text, Mode::Words);
        let traditional = self.has_traditional(text);
        let words: Vec<String> = tokens.iter().map(|t| t.text.to_string()).collect();
        // Each English word as written (the dictionary is read by word, not by stem; e-commerce as
        // "e commerce").
        let written: Vec<String> = tokens
            .iter()
            .map(|t| match text.get(t.from..t.to) {
                Some(w) if !w.chars().any(is_cjk) => lemma(w).replace('-', " "),
                _ => String::new(),
            })
            .collect();
        let content = |j: usize| content_word(&words[j], tokens[j].to - tokens[j].from);
        let mut out: Vec<Concept> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        let mut add = |key: String, set: Option<usize>, from: usize, to: usize, share: f32| match at.get(&key) {
            Some(&i) => out[i].count += share,
            None => {
                at.insert(key.clone(), out.len());
                let surface = text.get(from..to).unwrap_or_default().to_string();
                out.push(Concept { key, set, surface, traditional, count: share });
            }
        };
        let spans = self.vocab.concept_spans(&words);
        let mut spans = spans.iter().peekable();
        let mut i = 0;
        while i < words.len() {
            while spans.next_if(|s| s.start < i).is_some() {}
            let english = |j: usize| {
                words.get(j).is_some_and(|w| !w.chars().any(is_cjk) && content(j) && !self.vocab.is_stopword(w))
            };
            // A one-word English span that met its set only through a shared stem, when the
            // dictionary reads the word as written otherwise, is no span (refrigerants is 冷媒,
            // not 冰箱 through refrigerator).
            let stem_only = |s: &&super::vocab::ConceptSpan| {
                s.len == 1
                    && !words[s.start].chars().any(is_cjk)
                    && !self.vocab.has_english_word(s.set, &written[s.start])
                    && self.reads_otherwise(&written[s.start], s.set, df)
            };
            while spans.next_if(|s| s.start == i && stem_only(s)).is_some() {}
            // Two English words the dictionary reads as one (flame retardant, heat exchanger)
            // before a one-word term at the first, unless a vocabulary term starts at the second.
            let free_next = spans.clone().find(|s| s.start > i).is_none_or(|s| s.start > i + 1);
            let one_word_here = spans.peek().is_none_or(|s| s.start > i || s.len == 1);
            if english(i) && english(i + 1) && free_next && one_word_here {
                let readings = self.senses_in(&format!("{} {}", written[i], written[i + 1]), df);
                if !readings.is_empty() {
                    for (key, set, share) in readings {
                        add(key, set, tokens[i].from, tokens[i + 1].to, share);
                    }
                    i += 2;
                    continue;
                }
            }
            if let Some(span) = spans.next_if(|s| s.start == i) {
                let last = &tokens[i + span.len - 1];
                let all_stop = words[i..i + span.len].iter().all(|w| self.vocab.is_stopword(w));
                if !all_stop {
                    add(self.vocab.concept_key(span.set), Some(span.set), tokens[i].from, last.to, 1.0);
                }
                i += span.len;
                continue;
            }
            let w = &words[i];
            if english(i) && !self.vocab.is_common_english(w) {
                let readings = self.readings(&written[i], df);
                if !readings.is_empty() {
                    for (key, set, share) in readings {
                        add(key, set, tokens[i].from, tokens[i].to, share);
                    }
                    i += 1;
                    continue;
                }
            }
            if content(i) && !self.vocab.is_stopword(w) && !self.vocab.is_hint(w) {
                add(w.clone(), None, tokens[i].from, tokens[i].to, 1.0);
            }
            i += 1;
        }
        out
    }

    /// True when the records settle a dictionary reading of the English word `lemma`
    /// ([`Analyzer::readings`]) and none is set `set`.
    fn reads_otherwise(&self, lemma: &str, set: usize, df: &dyn Fn(&str) -> u64) -> bool {
        let readings = self.readings(lemma, df);
        !readings.is_empty() && readings.iter().all(|r| r.1 != Some(set))
    }

    /// [`Analyzer::senses_in`] of the English word `lemma` as written, or of the first verb form
    /// of it the dictionary lists ([`lemma_variants`]: recovering → recover).
    fn readings(&self, lemma: &str, df: &dyn Fn(&str) -> u64) -> Vec<(String, Option<usize>, f32)> {
        let forms = std::iter::once(lemma.to_string()).chain(lemma_variants(lemma));
        forms.into_iter().find(|f| !self.senses(f).is_empty()).map_or_else(Vec::new, |f| self.senses_in(&f, df))
    }

    /// The Chinese words the records use for the English term `key` ([`lemma`]s), with the
    /// share of each: among the words of which it is a dictionary sense, those the records use,
    /// the most used first, down to [`SENSE_DOMINANCE`] times fewer records than the first, at
    /// most [`MAX_READINGS`], each counting its share of their records (recover: 回收 in
    /// recycling records, 恢复 in others). Empty when the records use none. Returned as concept
    /// keys, with the vocabulary set of the word if it has one.
    fn senses_in(&self, key: &str, df: &dyn Fn(&str) -> u64) -> Vec<(String, Option<usize>, f32)> {
        let mut used: Vec<(u64, &String)> =
            self.senses(key).iter().map(|z| (df(z), z)).filter(|(n, _)| *n > 0).collect();
        used.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        let Some(&(first, _)) = used.first() else {
            return Vec::new();
        };
        used.retain(|(n, _)| n * SENSE_DOMINANCE > first);
        used.truncate(MAX_READINGS);
        let total: u64 = used.iter().map(|(n, _)| n).sum();
        used.into_iter()
            .map(|(n, zh)| {
                let share = n as f32 / total as f32;
                let word = [zh.clone()];
                match self.vocab.concept_spans(&word).first() {
                    Some(span) if span.len == 1 => (self.vocab.concept_key(span.set), Some(span.set), share),
                    _ => (zh.clone(), None, share),
                }
            })
            .collect()
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
    use crate::analysis::tests::analyzer;
    use crate::analysis::{EnglishText, Lang};

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
        // Two readings the records use alike: the word is shared among them, by how many
        // records use each.
        assert_eq!(keys("order"), ["订单", "顺序"]);
        let order = a.concepts_in("order", &df);
        assert_eq!((order[0].count, order[1].count), (4.0 / 7.0, 3.0 / 7.0));
        // Without the records' say, no reading.
        assert_eq!(
            a.concepts("heat exchangers").iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["heat", "exchang"]
        );
        // Named to an English reader as the text wrote it.
        let c = a.concepts_in("heat exchangers", &df).remove(0);
        assert_eq!(a.concept_label(&c, &[&c.surface], Lang::En), "heat exchangers");
    }

    #[test]
    fn english_words_are_read_as_written_not_by_their_stem() {
        let a = analyzer();
        let df = |t: &str| match t {
            "冷媒" => 5,
            "冰箱" => 9,
            "电商" => 5,
            "电子商务" => 3,
            "高频" => 4,
            "回收" => 6,
            _ => 0,
        };
        let keys = |text: &str| a.concepts_in(text, &df).into_iter().map(|c| c.key).collect::<Vec<_>>();
        // Refrigerant and refrigerator share a stem; the dictionary tells them apart.
        assert_eq!(keys("refrigerants"), ["冷媒"]);
        assert_eq!(keys("refrigerators"), ["冰箱"]);
        // Hyphenated words are words, read as the dictionary writes them.
        assert_eq!(keys("e-commerce"), ["电商", "电子商务"]);
        assert_eq!(keys("high-frequency"), ["高频"]);
        assert_eq!(keys("few-shot"), ["few-shot"]);
        // A verb form the dictionary does not list is read by its verb.
        assert_eq!(keys("recycled"), keys("recycle"));
    }

    #[test]
    fn an_english_text_says_how_it_writes_a_chinese_word() {
        let a = analyzer();
        let texts = ["Low-GWP Refrigerants for heat pumps", "Ten million units a year"];
        let of = |texts: &[&'static str]| texts.iter().map(|t| EnglishText::from(*t)).collect::<Vec<_>>();
        assert_eq!(a.english_in("冷媒", &of(&texts)).as_deref(), Some("Refrigerants"));
        assert_eq!(a.english_in("换热器", &of(&["a plate heat-exchanger"])).as_deref(), Some("heat-exchanger"));
        assert_eq!(a.english_in("冷媒", &of(&["coolant"])), None);
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
