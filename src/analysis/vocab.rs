//! Vocabulary bridges (the built-in tables of `vocab/`, with a data directory's overlay: see
//! `vocab_source`): regional term sets (mainland ↔ Hong Kong ↔
//! Taiwan), the zh ↔ en glossary, the records' own aliases, groups of related terms, domain terms
//! for the segmenter, query stopwords and partner words. Terms are stored as analysed token
//! sequences, so lookups work in any script.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::vocab_source::{TableSummary, VocabText};
use crate::weights::expansions;

/// Where a set of equivalent terms came from; decides the weight of its expansions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bridge {
    /// Mainland ↔ Hong Kong ↔ Taiwan vocabulary.
    Regional,
    /// Chinese ↔ English glossary.
    Glossary,
    /// A record's name and its aliases.
    Alias,
    /// Related, not equivalent, terms (热管理 ~ 散热 ~ 热失控): `related_terms.tsv`.
    Related,
    /// Chinese ↔ English pairs learned from the records' bilingual texts (`lexicon`).
    Learned,
    /// A CC-CEDICT sense the records' bilingual texts use with its Chinese word (`lexicon`).
    Dictionary,
}

impl Bridge {
    /// Boost of an expansion relative to the user's own words (1.0).
    pub fn weight(self) -> f32 {
        match self {
            Bridge::Regional => expansions::REGIONAL,
            Bridge::Alias => expansions::ALIAS,
            Bridge::Glossary => expansions::GLOSSARY,
            Bridge::Learned => expansions::LEARNED,
            Bridge::Dictionary => expansions::DICTIONARY,
            Bridge::Related => expansions::RELATED,
        }
    }
}

/// Dictionary lines (`cedict_en.tsv`: a Chinese word, a tab, its senses separated by `/`) as
/// Chinese word → its English senses.
pub fn parse_dictionary<'a>(lines: &'a [Cow<'static, str>]) -> HashMap<&'a str, Vec<&'a str>> {
    lines
        .iter()
        .filter_map(|l| l.split_once('\t'))
        .map(|(zh, senses)| (zh.trim(), senses.split('/').map(str::trim).collect()))
        .collect()
}

/// Raw vocabulary as read from the files (terms not yet analysed).
#[derive(Debug, Default, Clone)]
pub struct RawVocab {
    /// Sets of equivalent terms with their origin.
    pub sets: Vec<(Bridge, Vec<String>)>,
    /// Groups of related terms (`related_terms.tsv`): query expansion only, never segmenter words.
    pub related: Vec<Vec<String>>,
    /// Words the segmenter must keep whole.
    pub domain_terms: Vec<String>,
    /// Query stopwords.
    pub stopwords: Vec<String>,
    /// Common English words (how a text is written rather than what it is about).
    pub common_english: Vec<String>,
    /// `cedict_en.tsv`: Chinese words with their dictionary senses (CC-CEDICT), which the lexicon
    /// may pair; parsed only when it learns ([`RawVocab::dictionary`]).
    pub dictionary_lines: Vec<Cow<'static, str>>,
    /// Words naming the kind of partner wanted (团队, lab …): searched, but not counted when
    /// hits are re-ranked by coverage.
    pub hint_words: Vec<(String, Vec<String>)>,
    /// How each table in force was made (built-in entries, the data directory's changes).
    pub tables: Vec<TableSummary>,
}

impl RawVocab {
    /// The built-in vocabulary with the overlay in `dir` (`DATA/vocab`) applied; a missing
    /// folder or file leaves the built-in table as it is.
    pub fn load(dir: &Path) -> RawVocab {
        RawVocab::from_text(&VocabText::load(dir))
    }

    /// The built-in vocabulary alone.
    pub fn builtin() -> RawVocab {
        RawVocab::from_text(&VocabText::builtin())
    }

    /// The dictionary: Chinese word → its English senses.
    pub fn dictionary(&self) -> HashMap<&str, Vec<&str>> {
        parse_dictionary(&self.dictionary_lines)
    }

    fn from_text(text: &VocabText) -> RawVocab {
        let mut v = RawVocab { tables: text.tables.clone(), ..RawVocab::default() };
        for line in text.lines("regional_terms.tsv") {
            let terms: Vec<String> = line.split('\t').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
            if terms.len() > 1 {
                v.sets.push((Bridge::Regional, terms));
            }
        }
        for line in text.lines("glossary_zh_en.tsv") {
            let mut cols = line.split('\t');
            let (Some(zh), Some(en)) = (cols.next(), cols.next()) else {
                continue;
            };
            let mut terms = vec![zh.trim().to_string()];
            terms.extend(en.split('|').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()));
            if terms.len() > 1 {
                v.sets.push((Bridge::Glossary, terms));
            }
        }
        for line in text.lines("related_terms.tsv") {
            let mut terms: Vec<String> = Vec::new();
            for t in line.split('\t').map(str::trim).filter(|t| !t.is_empty()) {
                if !terms.iter().any(|x| x == t) {
                    terms.push(t.to_string());
                }
            }
            if terms.len() > 1 {
                v.related.push(terms);
            }
        }
        v.domain_terms = text.lines("domain_terms.txt").map(String::from).collect();
        v.stopwords = text.lines("stopwords.txt").map(String::from).collect();
        v.common_english = text.lines("common_english.txt").map(String::from).collect();
        v.dictionary_lines = text.lines_kept("cedict_en.tsv");
        v.hint_words = text
            .lines("hint_words.txt")
            .map(|l| {
                let mut cols = l.split('\t');
                let word = cols.next().unwrap_or_default().trim().to_string();
                let kinds =
                    cols.next().map(|k| k.split(',').map(|s| s.trim().to_string()).collect()).unwrap_or_default();
                (word, kinds)
            })
            .collect();
        v
    }
}

/// One expansion of a span of query tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct Expansion {
    /// Index of the first query token of the span.
    pub start: usize,
    /// Number of query tokens in the span.
    pub len: usize,
    /// The equivalent term, as analysed tokens.
    pub tokens: Vec<String>,
    /// Where the term came from.
    pub bridge: Bridge,
}

impl Expansion {
    /// Weight relative to the user's own words (that of its bridge).
    pub fn weight(&self) -> f32 {
        self.bridge.weight()
    }
}

/// How a set of equivalent terms is shown to a reader: its terms as written in the vocabulary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SetLabels {
    /// The first Chinese term (the mainland term, in Simplified characters).
    pub zh: Option<String>,
    /// The first English term.
    pub en: Option<String>,
    /// The Hong Kong term of a regional set (its second column).
    pub hk: Option<String>,
}

impl SetLabels {
    /// The labels of a vocabulary set of `bridge` whose terms are `terms`, as written.
    pub fn of(bridge: Bridge, terms: &[String]) -> SetLabels {
        let cjk = |t: &&String| t.chars().any(super::is_cjk);
        SetLabels {
            zh: terms.iter().find(cjk).cloned(),
            en: terms.iter().find(|t| !t.is_empty() && t.is_ascii()).cloned(),
            hk: (bridge == Bridge::Regional).then(|| terms.get(1).filter(cjk).cloned()).flatten(),
        }
    }
}

/// A term of an equivalence set found in a run of analysed tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConceptSpan {
    /// First token of the span.
    pub start: usize,
    /// Number of tokens.
    pub len: usize,
    /// The set ([`Vocab::concept_key`], [`Vocab::labels`]).
    pub set: usize,
}

/// Analysed vocabulary, ready for query expansion.
#[derive(Debug, Default)]
pub struct Vocab {
    /// Analysed terms of each set.
    sets: Vec<(Bridge, Vec<Vec<String>>)>,
    /// How each set is shown (empty for alias sets).
    labels: Vec<SetLabels>,
    /// Key of a regional set (its mainland term's tokens) → its Hong Kong term.
    hong_kong: HashMap<String, String>,
    /// Key (tokens joined by a space) → sets that contain it.
    index: HashMap<String, Vec<usize>>,
    stopwords: HashSet<String>,
    common_english: HashSet<String>,
    hints: HashMap<String, Vec<String>>,
    max_span: usize,
    /// Analysed groups of related terms, and key → groups that contain it.
    related: Vec<Vec<Vec<String>>>,
    related_index: HashMap<String, Vec<usize>>,
    related_span: usize,
    /// Set → its one-word English terms as written ([`super::lemma`]), where the set was given
    /// them ([`Vocab::with_english_words`]).
    english_words: HashMap<usize, Vec<String>>,
}

/// Longest span of query tokens looked up as one term.
const MAX_SPAN: usize = 5;

impl Vocab {
    /// Builds the lookup from sets whose terms were already analysed into tokens.
    pub fn new(
        sets: Vec<(Bridge, Vec<Vec<String>>)>,
        stopwords: HashSet<String>,
        hints: HashMap<String, Vec<String>>,
    ) -> Vocab {
        let (index, max_span) = index_terms(sets.iter().map(|(_, terms)| terms));
        Vocab { sets, index, stopwords, hints, max_span, ..Vocab::default() }
    }

    /// Adds the one-word English terms of each set as written, `(set, lemma)`: a word matches a
    /// set by its stem, which also joins words the set does not hold (refrigerants → 冰箱 through
    /// refrigerator, jointly → 关节 through joint); [`Vocab::has_english_word`] tells them apart.
    pub fn with_english_words(mut self, words: impl IntoIterator<Item = (usize, String)>) -> Vocab {
        for (set, word) in words {
            self.english_words.entry(set).or_default().push(word);
        }
        self
    }

    /// False when the English word `lemma` (as written, [`super::lemma`]) met set `set` only
    /// through a shared stem: the set lists its one-word English terms and none is `lemma` or
    /// a verb form of it ([`super::lemma_variants`]).
    pub fn has_english_word(&self, set: usize, lemma: &str) -> bool {
        self.english_words.get(&set).is_none_or(|words| {
            words.iter().any(|w| w == lemma) || super::lemma_variants(lemma).iter().any(|v| words.contains(v))
        })
    }

    /// Adds how each set is shown, in the order of the sets given to [`Vocab::new`].
    pub fn with_labels(mut self, labels: Vec<SetLabels>) -> Vocab {
        for (i, l) in labels.iter().enumerate() {
            if let (Some((Bridge::Regional, _)), Some(hk)) = (self.sets.get(i), &l.hk) {
                self.hong_kong.entry(self.concept_key(i)).or_insert_with(|| hk.clone());
            }
        }
        self.labels = labels;
        self
    }

    /// The Hong Kong term of the concept with key `key` (analysed tokens of a mainland term),
    /// when the regional table has one.
    pub fn hong_kong(&self, key: &str) -> Option<&str> {
        self.hong_kong.get(key).map(String::as_str)
    }

    /// The set whose term is exactly the analysed tokens of `key`, if any: a concept's
    /// spellings, the same whichever text it was found in.
    pub fn set_of(&self, key: &str) -> Option<usize> {
        self.index.get(key).and_then(|ids| ids.first().copied())
    }

    /// The English term of a set that holds the term `key` (analysed tokens joined by a space):
    /// how an English reader is shown a concept whose own set has none (机器人 is in the regional
    /// set of 機械人 and in the glossary set of robot).
    pub fn english_of(&self, key: &str) -> Option<&str> {
        self.index.get(key)?.iter().find_map(|&set| self.labels.get(set)?.en.as_deref())
    }

    /// For each position of the analysed `tokens`, left to right, the longest span that is a term
    /// of a set of equivalent terms (regional, glossary, a record's aliases); spans do not overlap.
    pub fn concept_spans(&self, tokens: &[String]) -> Vec<ConceptSpan> {
        longest_spans(&self.index, self.max_span, tokens)
            .into_iter()
            .filter_map(|(start, len, ids)| ids.first().map(|&set| ConceptSpan { start, len, set }))
            .collect()
    }

    /// The language-neutral key of set `set`: its first term's tokens (the mainland Chinese term
    /// of a glossary or regional set, a record's name for an alias set).
    pub fn concept_key(&self, set: usize) -> String {
        self.sets.get(set).and_then(|(_, terms)| terms.first()).map(|t| t.join(" ")).unwrap_or_default()
    }

    /// Every term of set `set`, as analysed tokens.
    pub fn set_terms(&self, set: usize) -> &[Vec<String>] {
        self.sets.get(set).map_or(&[], |(_, terms)| terms.as_slice())
    }

    /// How set `set` is shown (all `None` for alias sets).
    pub fn labels(&self, set: usize) -> Option<&SetLabels> {
        self.labels.get(set)
    }

    /// Adds groups of related terms (already analysed), looked up by [`Vocab::related`].
    pub fn with_related(mut self, related: Vec<Vec<Vec<String>>>) -> Vocab {
        let (index, max_span) = index_terms(related.iter());
        self.related_index = index;
        self.related_span = max_span;
        self.related = related;
        self
    }

    /// Sets the common English words (analysed).
    pub fn with_common_english(mut self, words: HashSet<String>) -> Vocab {
        self.common_english = words;
        self
    }

    /// True if `token` (analysed) is a common English word: `common_english.txt`.
    pub fn is_common_english(&self, token: &str) -> bool {
        self.common_english.contains(token)
    }

    /// True if `token` (analysed) is a query stopword.
    pub fn is_stopword(&self, token: &str) -> bool {
        self.stopwords.contains(token)
    }

    /// True if `token` (analysed) names a kind of partner rather than a subject.
    pub fn is_hint(&self, token: &str) -> bool {
        self.hints.contains_key(token)
    }

    /// The kinds a hint word points to (团队 → university, lab, research_institute).
    pub fn hint_kinds(&self, token: &str) -> &[String] {
        self.hints.get(token).map_or(&[], Vec::as_slice)
    }

    /// Number of term sets.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// True when there are no term sets.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Expansions of the analysed query `tokens`: for each position the longest span that is a
    /// known term, and every other term of its sets.
    pub fn expand(&self, tokens: &[String]) -> Vec<Expansion> {
        let mut out: Vec<Expansion> = Vec::new();
        // (start, term) already expanded: a word's sets can hold hundreds of terms.
        let mut seen: HashSet<(usize, &[String])> = HashSet::new();
        for (start, len, ids) in longest_spans(&self.index, self.max_span, tokens) {
            let key = &tokens[start..start + len];
            for id in ids {
                let (bridge, terms) = &self.sets[id];
                for t in terms {
                    if t.as_slice() == key || !seen.insert((start, t.as_slice())) {
                        continue;
                    }
                    out.push(Expansion { start, len, tokens: t.clone(), bridge: *bridge });
                }
            }
        }
        out
    }

    /// Related terms of the analysed query `tokens`: the other members of the groups of each
    /// longest known span, and of the groups of each of the equivalent terms in `direct` (so an
    /// English or Hong Kong word reaches the groups through its glossary or regional term). Terms
    /// already in the query or in `direct` at the same span are left out.
    pub fn related(&self, tokens: &[String], direct: &[Expansion]) -> Vec<Expansion> {
        let mut out: Vec<Expansion> = Vec::new();
        // (start, term) in `direct` or already added.
        let mut seen: HashSet<(usize, &[String])> = direct.iter().map(|e| (e.start, e.tokens.as_slice())).collect();
        let mut add = |start: usize, len: usize, key: &str, ids: &[usize]| {
            for &id in ids {
                for t in &self.related[id] {
                    let taken = t.join(" ") == key || (t.len() == 1 && tokens.contains(&t[0]));
                    if !taken && seen.insert((start, t.as_slice())) {
                        out.push(Expansion { start, len, tokens: t.clone(), bridge: Bridge::Related });
                    }
                }
            }
        };
        for (start, len, ids) in longest_spans(&self.related_index, self.related_span, tokens) {
            add(start, len, &tokens[start..start + len].join(" "), &ids);
        }
        for e in direct {
            let key = e.tokens.join(" ");
            if let Some(ids) = self.related_index.get(&key) {
                add(e.start, e.len, &key, ids);
            }
        }
        out
    }
}

/// Key (tokens joined by a space) → the sets that contain it, and the longest key in tokens.
fn index_terms<'a>(sets: impl Iterator<Item = &'a Vec<Vec<String>>>) -> (HashMap<String, Vec<usize>>, usize) {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    let mut max_span = 1;
    for (i, terms) in sets.enumerate() {
        for t in terms {
            if t.is_empty() || t.len() > MAX_SPAN {
                continue;
            }
            max_span = max_span.max(t.len());
            let ids = index.entry(t.join(" ")).or_default();
            if !ids.contains(&i) {
                ids.push(i);
            }
        }
    }
    (index, max_span)
}

/// For each position of `tokens`, left to right, the longest span (at most `max_span` tokens)
/// that is a key of `index`, as (start, length, sets); matched spans do not overlap.
fn longest_spans(
    index: &HashMap<String, Vec<usize>>,
    max_span: usize,
    tokens: &[String],
) -> Vec<(usize, usize, Vec<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut matched = 0;
        for len in (1..=max_span.min(tokens.len() - i)).rev() {
            if let Some(ids) = index.get(&tokens[i..i + len].join(" ")) {
                out.push((i, len, ids.clone()));
                matched = len;
                break;
            }
        }
        i += matched.max(1);
    }
    out
}
