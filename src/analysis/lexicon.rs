//! A Chinese ↔ English lexicon learned from the records themselves: most records carry both a
//! Chinese and an English text (`name`/`name_en`, `description`/`description_en`), so a Chinese
//! word and an English term that keep occurring in the same records, and rarely apart, name the
//! same thing. Learned at start-up from the data directory, so an imported corpus brings its own
//! term pairs; the hand-written glossary stays the first authority.

use std::collections::{HashMap, HashSet};

use super::{Analyzer, is_cjk};

/// A Chinese word and an English term (as written).
pub type TermPair = (String, String);

/// Records a pair must occur in together.
const MIN_SUPPORT: u32 = 3;
/// Records a dictionary pair (a Chinese word and one of its CC-CEDICT senses) must occur in
/// together: the dictionary vouches that they can mean the same, the records that they do here.
const DICT_MIN_SUPPORT: u32 = 1;
/// Dice coefficient a dictionary pair needs: lower than [`MIN_DICE`] (the dictionary vouches for
/// the meaning), but a word used everywhere (控制, control) is not paired by one shared record.
const DICT_MIN_DICE: f32 = 0.3;
/// Dice coefficient a pair needs: 2·together / (Chinese word's records + English term's records).
const MIN_DICE: f32 = 0.6;
/// English terms are single words or two adjacent words.
const MAX_WORDS: usize = 2;

/// One record's two texts: everything it says in Chinese, and in English.
#[derive(Debug, Clone, Default)]
pub struct Bilingual {
    /// Its Chinese text (names, description …).
    pub zh: String,
    /// Its English text.
    pub en: String,
}

/// What one side of a record contains: words (Chinese) or terms (English, with a written form).
fn chinese_words(analyzer: &Analyzer, text: &str) -> HashSet<String> {
    analyzer
        .words(text)
        .into_iter()
        .filter(|w| w.chars().filter(|c| is_cjk(*c)).count() >= 2 && w.chars().all(is_cjk))
        .filter(|w| !analyzer.vocab().is_stopword(w) && !analyzer.vocab().is_hint(w))
        .collect()
}

/// English terms of `text`: stemmed single words and adjacent pairs (keyed by their stems), each
/// with the lower-case words as written.
fn english_terms(analyzer: &Analyzer, text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for run in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ' ')) {
        let words: Vec<String> = run.split([' ', '-']).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase).collect();
        let content: Vec<bool> = words
            .iter()
            .map(|w| w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()) && !analyzer.vocab().is_stopword(w))
            .collect();
        for n in 1..=MAX_WORDS {
            for i in 0..words.len().saturating_sub(n - 1) {
                if content[i..i + n].iter().all(|c| *c) {
                    let key: Vec<String> = words[i..i + n].iter().map(|w| analyzer.stem(w).to_string()).collect();
                    out.entry(key.join(" ")).or_insert_with(|| words[i..i + n].join(" "));
                }
            }
        }
    }
    out
}

/// Learns term pairs from `records`: each Chinese word's best English term when that term's best
/// Chinese word is the same word (mutual best), seen together in at least [`MIN_SUPPORT`]
/// records with a Dice coefficient of at least [`MIN_DICE`]; a longer English term wins a tie.
/// Pairs the vocabulary already bridges are left out. Returns (Chinese word, English term as
/// written), sorted.
///
/// Apart from those, the dictionary pairs: a Chinese word and one of its `dictionary` senses
/// (English, one or two words) used together in at least [`DICT_MIN_SUPPORT`] records with a Dice
/// coefficient of at least [`DICT_MIN_DICE`], each side's best (mutual), among the Chinese words
/// and English terms the statistics left unpaired. The records choose the sense: 算法 pairs with
/// "algorithm" where texts say so, never with "arithmetic".
pub fn learn_with(
    analyzer: &Analyzer,
    records: &[Bilingual],
    dictionary: &HashMap<&str, Vec<&str>>,
) -> (Vec<TermPair>, Vec<TermPair>) {
    // Words are numbered once; each record is kept as its two sets of numbers.
    let mut zh_ids: HashMap<String, u32> = HashMap::new();
    let mut en_ids: HashMap<String, u32> = HashMap::new();
    let mut en_written: Vec<String> = Vec::new();
    let mut seen: Vec<(Vec<u32>, Vec<u32>)> = Vec::new();
    for r in records {
        let (zh, en) = (chinese_words(analyzer, &r.zh), english_terms(analyzer, &r.en));
        if zh.is_empty() || en.is_empty() {
            continue;
        }
        let mut z: Vec<u32> = zh.into_iter().map(|w| intern(&mut zh_ids, w)).collect();
        let mut e: Vec<u32> = Vec::with_capacity(en.len());
        for (key, w) in en {
            let id = intern(&mut en_ids, key);
            if id as usize == en_written.len() {
                en_written.push(w);
            }
            e.push(id);
        }
        z.sort_unstable();
        e.sort_unstable();
        seen.push((z, e));
    }
    let (mut zh_count, mut en_count) = (vec![0u32; zh_ids.len()], vec![0u32; en_ids.len()]);
    for (z, e) in &seen {
        z.iter().for_each(|&i| zh_count[i as usize] += 1);
        e.iter().for_each(|&i| en_count[i as usize] += 1);
    }
    // Only pairs that can reach the thresholds are counted: both seen often enough, and neither
    // so much more often than the other that the Dice coefficient cannot reach MIN_DICE.
    let ratio = 2.0 / MIN_DICE - 1.0;
    let can_pair =
        |cz: u32, ce: u32| cz >= MIN_SUPPORT && ce >= MIN_SUPPORT && (cz.max(ce) as f32) <= ratio * cz.min(ce) as f32;
    let mut together: HashMap<u64, u32> = HashMap::new();
    for (z, e) in &seen {
        for &zi in z.iter().filter(|&&i| zh_count[i as usize] >= MIN_SUPPORT) {
            for &ei in e {
                if can_pair(zh_count[zi as usize], en_count[ei as usize]) {
                    *together.entry((u64::from(zi) << 32) | u64::from(ei)).or_default() += 1;
                }
            }
        }
    }
    let zh_words: Vec<&String> = invert(&zh_ids);
    let en_keys: Vec<&String> = invert(&en_ids);
    // Dice of each pair with enough support; then each side's best.
    let mut scored: Vec<(u32, u32, f32, usize)> = together
        .iter()
        .filter(|(_, n)| **n >= MIN_SUPPORT)
        .map(|(&k, &n)| {
            let (zi, ei) = ((k >> 32) as u32, k as u32);
            let dice = 2.0 * n as f32 / (zh_count[zi as usize] + en_count[ei as usize]) as f32;
            (zi, ei, dice, en_keys[ei as usize].split(' ').count())
        })
        .filter(|(_, _, d, _)| *d >= MIN_DICE)
        .collect();
    scored.sort_by(|a, b| {
        b.2.total_cmp(&a.2).then(b.3.cmp(&a.3)).then_with(|| {
            (zh_words[a.0 as usize], en_keys[a.1 as usize]).cmp(&(zh_words[b.0 as usize], en_keys[b.1 as usize]))
        })
    });
    let mut best_zh: HashMap<u32, u32> = HashMap::new();
    let mut best_en: HashMap<u32, u32> = HashMap::new();
    for &(zi, ei, _, _) in &scored {
        best_zh.entry(zi).or_insert(ei);
        best_en.entry(ei).or_insert(zi);
    }
    let pairs: Vec<(u32, u32)> = best_zh.into_iter().filter(|(zi, ei)| best_en.get(ei) == Some(zi)).collect();
    let counts = (zh_count.as_slice(), en_count.as_slice());
    let from_dictionary = dictionary_pairs(analyzer, dictionary, &seen, &zh_words, &en_ids, &pairs, counts);
    let words = |pairs: Vec<(u32, u32)>| {
        let mut out: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(zi, ei)| (zh_words[zi as usize].clone(), ei))
            .filter(|(z, ei)| !already_bridged(analyzer, z, en_keys[*ei as usize]))
            .map(|(z, ei)| (z, en_written[ei as usize].clone()))
            .collect();
        out.sort();
        out
    };
    (words(pairs), words(from_dictionary))
}

/// Dictionary pairs (see [`learn_with`]) among the records `seen`, leaving out the Chinese words
/// and English terms of `taken`.
fn dictionary_pairs(
    analyzer: &Analyzer,
    dictionary: &HashMap<&str, Vec<&str>>,
    seen: &[(Vec<u32>, Vec<u32>)],
    zh_words: &[&String],
    en_ids: &HashMap<String, u32>,
    taken: &[(u32, u32)],
    (zh_count, en_count): (&[u32], &[u32]),
) -> Vec<(u32, u32)> {
    if dictionary.is_empty() {
        return Vec::new();
    }
    let taken_zh: HashSet<u32> = taken.iter().map(|p| p.0).collect();
    let taken_en: HashSet<u32> = taken.iter().map(|p| p.1).collect();
    // Each Chinese word's senses, as the numbers of English terms the records use.
    let senses: HashMap<u32, Vec<u32>> = zh_words
        .iter()
        .enumerate()
        .filter(|(zi, _)| !taken_zh.contains(&(*zi as u32)))
        .filter_map(|(zi, w)| {
            let ids: Vec<u32> = dictionary
                .get(w.as_str())?
                .iter()
                .filter_map(|sense| {
                    let key: Vec<String> = sense
                        .split([' ', '-'])
                        .filter(|w| !w.is_empty())
                        .map(|w| analyzer.stem(w).to_string())
                        .collect();
                    en_ids.get(&key.join(" ")).copied()
                })
                .filter(|ei| !taken_en.contains(ei))
                .collect();
            (!ids.is_empty()).then_some((zi as u32, ids))
        })
        .collect();
    let mut together: HashMap<(u32, u32), u32> = HashMap::new();
    for (z, e) in seen {
        for zi in z {
            for &ei in senses.get(zi).into_iter().flatten() {
                if e.binary_search(&ei).is_ok() {
                    *together.entry((*zi, ei)).or_default() += 1;
                }
            }
        }
    }
    let dice = |(zi, ei): (u32, u32), n: u32| 2.0 * n as f32 / (zh_count[zi as usize] + en_count[ei as usize]) as f32;
    let mut scored: Vec<((u32, u32), u32)> =
        together.into_iter().filter(|&(pair, n)| n >= DICT_MIN_SUPPORT && dice(pair, n) >= DICT_MIN_DICE).collect();
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut best_zh: HashMap<u32, u32> = HashMap::new();
    let mut best_en: HashMap<u32, u32> = HashMap::new();
    for &((zi, ei), _) in &scored {
        best_zh.entry(zi).or_insert(ei);
        best_en.entry(ei).or_insert(zi);
    }
    best_zh.into_iter().filter(|(zi, ei)| best_en.get(ei) == Some(zi)).collect()
}

/// The number of `word` in `ids`, given the next number if it has none yet.
fn intern(ids: &mut HashMap<String, u32>, word: String) -> u32 {
    let next = ids.len() as u32;
    *ids.entry(word).or_insert(next)
}

/// The words of `ids` by number.
fn invert(ids: &HashMap<String, u32>) -> Vec<&String> {
    let mut out: Vec<&String> = vec![&EMPTY; ids.len()];
    for (w, &i) in ids {
        out[i as usize] = w;
    }
    out
}

static EMPTY: String = String::new();

/// True when the vocabulary already has `zh` and the English term `en` (stems) in one set.
fn already_bridged(analyzer: &Analyzer, zh: &str, en: &str) -> bool {
    let tokens: Vec<String> = en.split(' ').map(String::from).collect();
    let zh_tokens = vec![zh.to_string()];
    analyzer
        .vocab()
        .concept_spans(&tokens)
        .iter()
        .any(|s| s.len == tokens.len() && analyzer.vocab().set_terms(s.set).contains(&zh_tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::analyzer;

    fn rec(zh: &str, en: &str) -> Bilingual {
        Bilingual { zh: zh.into(), en: en.into() }
    }

    #[test]
    fn words_that_keep_occurring_together_are_paired() {
        let a = analyzer();
        let records = vec![
            rec("柔轮疲劳寿命测试", "fatigue life testing of the flexspline"),
            rec("谐波减速器柔轮设计", "flexspline design for harmonic drives"),
            rec("柔轮表面强化工艺", "surface hardening of the flexspline"),
            rec("光伏组件回收", "recycling of solar modules"),
            rec("光伏组件封装", "solar module packaging"),
            rec("光伏组件检测", "inspection of solar modules"),
        ];
        let learned = learn_with(&a, &records, &HashMap::new()).0;
        assert!(learned.contains(&("柔轮".into(), "flexspline".into())), "{learned:?}");
        // 光伏组件 is cut 光伏 / 组件: the word that keeps company with "solar modules" is 光伏.
        assert!(learned.contains(&("光伏".into(), "solar modules".into())), "{learned:?}");
        // Seen once together: no evidence.
        assert!(!learned.iter().any(|(z, _)| z == "回收"), "{learned:?}");
    }

    #[test]
    fn pairs_the_glossary_has_are_not_learned_again() {
        let a = analyzer();
        let records: Vec<Bilingual> = (0..4).map(|_| rec("锂电池", "lithium battery")).collect();
        assert!(learn_with(&a, &records, &HashMap::new()).0.is_empty());
    }

    #[test]
    fn the_records_choose_which_dictionary_sense_becomes_a_pair() {
        let a = analyzer();
        let dictionary: HashMap<&str, Vec<&str>> =
            [("算法", vec!["arithmetic", "algorithm"]), ("平台", vec!["platform"])].into();
        let mut records =
            vec![rec("路径规划算法", "a path planning algorithm"), rec("视觉算法优化", "vision algorithm tuning")];
        // 平台 is in every record, "platform" in one: one shared record is no evidence.
        records.extend((0..6).map(|i| rec(&format!("平台服务{i}"), &format!("service number {i}"))));
        records.push(rec("测试平台", "a test platform"));
        let (learned, confirmed) = learn_with(&a, &records, &dictionary);
        assert!(confirmed.contains(&("算法".into(), "algorithm".into())), "{confirmed:?}");
        assert!(!confirmed.iter().any(|(_, e)| e == "arithmetic"), "{confirmed:?}");
        assert!(!confirmed.iter().any(|(z, _)| z == "平台"), "{confirmed:?}");
        assert!(!learned.iter().any(|(z, _)| z == "算法"), "too few records to learn without the dictionary");
    }
}
