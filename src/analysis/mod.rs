//! The analysis pipeline shared by indexing, querying, highlighting and suggestions:
//! width and case folding, Traditional → Simplified by character (offsets kept), jieba-rs
//! segmentation with a domain dictionary, English stemming, CJK bigrams, vocabulary bridges, and
//! the partner intent of a query.

mod concepts;
mod intent;
mod lexicon;
mod normalize;
mod script;
mod tokenizer;
mod vocab;
mod vocab_source;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use aho_corasick::AhoCorasick;
use compact_str::CompactString;
use jieba_rs::Jieba;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

pub use concepts::Concept;
pub use intent::PartnerIntent;
pub use lexicon::Bilingual;
pub use normalize::{CharMap, Normalized, is_cjk};
pub use script::{Converters, Lang};
pub use tokenizer::{BIGRAM, GbaTokenizer, SEARCH, WORDS, register_tokenizers};
pub use vocab::{Bridge, ConceptSpan, Expansion, RawVocab, SetLabels, Vocab};
pub use vocab_source::{TableSummary, builtin_digest};

use crate::error::{Error, Result};

/// How text is cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// jieba's default mode: non-overlapping words, sequential positions (phrases).
    Words,
    /// jieba's search mode: words plus their dictionary sub-words, sorted by offset (recall).
    Search,
    /// Overlapping CJK character bigrams (the recall safety net).
    Bigrams,
}

/// An analysed token: normalised text and its byte range in the *original* text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AToken {
    /// Normalised (lower-case, Simplified, stemmed) text; most terms are short enough to be held
    /// inline, without an allocation of their own.
    pub text: CompactString,
    /// Byte offset where the token starts in the original text.
    pub from: usize,
    /// Byte offset where it ends.
    pub to: usize,
}

/// What [`Analyzer::derive`] computed from the record names: the segmenter's user words with
/// their frequencies, in the order they were added, and the analysed alias sets.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    /// User words and the frequency jieba gave each.
    pub words: Vec<(String, usize)>,
    /// Alias sets (each term as its analysed words) with at least two terms.
    pub alias_sets: Vec<Vec<Vec<String>>>,
    /// Term pairs learned from the records' bilingual texts ([`Analyzer::learned`]).
    pub learned: Vec<(String, String)>,
    /// Dictionary senses the records' bilingual texts use ([`Analyzer::dictionary_pairs`]).
    pub dictionary: Vec<(String, String)>,
}

/// Most English stems remembered per thread by [`Analyzer::stem`].
const STEM_MEMO: usize = 50_000;

/// A Chinese word whose frequency in the segmenter's general dictionary (jieba's, from general
/// text: news, books) is at least this is a common word ([`Analyzer::is_common_word`]): about the
/// 3,400 most frequent of its 349,000 words of two or more characters, which hold the words of
/// everyday writing (时间 33,288, 具备 4,224, 工艺 2,692) and few technical terms (精度 943, 芯片
/// 1,031, 锂电池 3). The English list it mirrors (`common_english.txt`) is SCOWL's most common
/// words.
pub const COMMON_CHINESE_FREQ: usize = 2_500;

/// The analysis pipeline. Build it once and share it as `Arc<Analyzer>`.
pub struct Analyzer {
    jieba: Jieba,
    /// Hong Kong / Taiwan word → mainland word, applied to tokens (one-token terms only).
    canon: FxHashMap<String, String>,
    /// Finds the variants of `canon` as long as their mainland word in text that is not cut
    /// (bigrams: [`Analyzer::regional_rewrite`]); `None` when there are none.
    rewritable: Option<AhoCorasick>,
    /// Mainland word → its regional variants in `canon` (the inverse of `canon`).
    spellings: FxHashMap<String, Vec<String>>,
    chars: CharMap,
    stemmer: Stemmer,
    vocab: Vocab,
    /// Term pairs learned from the records' bilingual texts.
    learned: Vec<(String, String)>,
    /// Dictionary pairs the records' bilingual texts confirm.
    dictionary: Vec<(String, String)>,
    /// The dictionary's lines (`cedict_en.tsv`), and their English → Chinese reading, made when
    /// first asked for ([`Analyzer::senses`]).
    dictionary_lines: Vec<std::borrow::Cow<'static, str>>,
    senses: OnceLock<FxHashMap<String, Vec<String>>>,
    /// Chinese word → its dictionary senses of at most three English words, built on first use
    /// ([`Analyzer::english_in`]).
    english: OnceLock<FxHashMap<String, Vec<Vec<String>>>>,
    converters: Converters,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer").field("chars", &self.chars.len()).field("vocab", &self.vocab.len()).finish()
    }
}

impl Analyzer {
    /// Builds the pipeline: OpenCC character map, jieba with the domain terms and `names` (record
    /// names and aliases) as user words, and the vocabulary bridges with `alias_sets` added.
    pub fn new(raw: &RawVocab, names: &[String], alias_sets: Vec<Vec<String>>) -> Result<Arc<Analyzer>> {
        Ok(Self::derive(raw, names, alias_sets, &[])?.0)
    }

    /// [`Analyzer::new`], also returning what it derived from `names` and `alias_sets` — the
    /// expensive part (jieba suggests a frequency for each word by cutting it) — so that the next
    /// start can skip it with [`Analyzer::from_derived`].
    /// `bilingual` are records' Chinese and English texts, from which a lexicon is learned
    /// ([`Analyzer::learned`]).
    pub fn derive(
        raw: &RawVocab,
        names: &[String],
        alias_sets: Vec<Vec<String>>,
        bilingual: &[Bilingual],
    ) -> Result<(Arc<Analyzer>, Derived)> {
        let mut analyzer = Self::bare()?;
        let mut derived = Derived::default();
        // Domain terms, record names and the Chinese terms of the vocabulary bridges are kept
        // whole by the segmenter (機械人 must not become 机械 / 人).
        let bridge_terms = raw.sets.iter().flat_map(|(_, terms)| terms.iter());
        for word in raw.domain_terms.iter().chain(names).chain(bridge_terms) {
            let key = analyzer.key(word);
            let cjk = key.chars().filter(|c| is_cjk(*c)).count();
            if cjk >= 2 && key.chars().all(|c| is_cjk(c) || c.is_ascii_alphanumeric()) {
                let freq = analyzer.jieba.add_word(&key, None, None);
                derived.words.push((key, freq));
            }
        }
        analyzer.set_canon(canonical_forms(&analyzer, raw));
        derived.alias_sets = alias_sets
            .iter()
            .map(|terms| terms.iter().map(|t| analyzer.words(t)).filter(|t| !t.is_empty()).collect::<Vec<_>>())
            .filter(|analysed| analysed.len() > 1)
            .collect();
        analyzer.finish_learning(raw, derived.alias_sets.clone(), Some(bilingual));
        derived.learned = analyzer.learned.clone();
        derived.dictionary = analyzer.dictionary.clone();
        Ok((Arc::new(analyzer), derived))
    }

    /// Rebuilds the pipeline from what [`Analyzer::derive`] returned for the same vocabulary and
    /// names: the same segmenter, without cutting every word again.
    /// `bilingual`: the records' texts to learn the lexicon from again (the data changed), or
    /// `None` to use the pairs `derived` holds.
    pub fn from_derived(raw: &RawVocab, derived: Derived, bilingual: Option<&[Bilingual]>) -> Result<Arc<Analyzer>> {
        let mut analyzer = Self::bare()?;
        for (word, freq) in &derived.words {
            analyzer.jieba.add_word(word, Some(*freq), None);
        }
        analyzer.set_canon(canonical_forms(&analyzer, raw));
        analyzer.learned = derived.learned;
        analyzer.dictionary = derived.dictionary;
        analyzer.finish_learning(raw, derived.alias_sets, bilingual);
        Ok(Arc::new(analyzer))
    }

    /// The pipeline without user words or vocabulary.
    fn bare() -> Result<Analyzer> {
        Ok(Analyzer {
            jieba: Jieba::new(),
            canon: FxHashMap::default(),
            rewritable: None,
            spellings: FxHashMap::default(),
            chars: CharMap::from_opencc().map_err(Error::Internal)?,
            stemmer: Stemmer::create(Algorithm::English),
            vocab: Vocab::default(),
            learned: Vec::new(),
            dictionary: Vec::new(),
            dictionary_lines: Vec::new(),
            senses: OnceLock::new(),
            english: OnceLock::new(),
            converters: Converters::new().map_err(Error::Internal)?,
        })
    }

    /// Sets the regional canonical forms and the finder of those rewritten in the text.
    fn set_canon(&mut self, canon: FxHashMap<String, String>) {
        let same_length = canon.iter().filter(|(v, m)| v.len() == m.len()).map(|(v, _)| v.as_str());
        self.rewritable = AhoCorasick::new(same_length).ok().filter(|finder| finder.patterns_len() > 0);
        self.spellings = FxHashMap::default();
        for (variant, mainland) in &canon {
            self.spellings.entry(mainland.clone()).or_default().push(variant.clone());
        }
        self.canon = canon;
    }

    /// [`Analyzer::finish`], then learns term pairs from `bilingual` with that vocabulary and
    /// adds them as [`Bridge::Learned`] sets.
    /// With `bilingual` `None`, the pairs already in `self.learned` are added.
    fn finish_learning(&mut self, raw: &RawVocab, alias_sets: Vec<Vec<Vec<String>>>, bilingual: Option<&[Bilingual]>) {
        let (learned, dictionary) = match bilingual {
            Some(records) => {
                self.finish(raw, alias_sets.clone());
                let (learned, dictionary) = lexicon::learn_with(self, records, &raw.dictionary());
                tracing::info!(
                    pairs = learned.len(),
                    dictionary_pairs = dictionary.len(),
                    records = records.len(),
                    "bilingual lexicon learned from the records"
                );
                (learned, dictionary)
            }
            None => (std::mem::take(&mut self.learned), std::mem::take(&mut self.dictionary)),
        };
        if learned.is_empty() && dictionary.is_empty() {
            self.learned = Vec::new();
            self.dictionary = Vec::new();
            if bilingual.is_none() {
                self.finish(raw, alias_sets);
            }
            return;
        }
        let mut with = raw.clone();
        with.sets.extend(learned.iter().map(|(zh, en)| (Bridge::Learned, vec![zh.clone(), en.clone()])));
        with.sets.extend(dictionary.iter().map(|(zh, en)| (Bridge::Dictionary, vec![zh.clone(), en.clone()])));
        self.finish(&with, alias_sets);
        self.learned = learned;
        self.dictionary = dictionary;
    }

    /// The dictionary pairs the records' bilingual texts confirm: (Chinese word, English term).
    pub fn dictionary_pairs(&self) -> &[(String, String)] {
        &self.dictionary
    }

    /// The term pairs learned from the records' bilingual texts: (Chinese word, English term).
    pub fn learned(&self) -> &[(String, String)] {
        &self.learned
    }

    /// Adds the vocabulary bridges (with the analysed alias sets), stopwords, hints and related
    /// terms, once the segmenter has its words and the regional canonical forms are known.
    fn finish(&mut self, raw: &RawVocab, alias_sets: Vec<Vec<Vec<String>>>) {
        let mut sets: Vec<(Bridge, Vec<Vec<String>>)> = Vec::new();
        let mut labels: Vec<SetLabels> = Vec::new();
        let mut english_words: Vec<(usize, String)> = Vec::new();
        for (bridge, terms) in &raw.sets {
            let analysed: Vec<Vec<String>> = terms.iter().map(|t| self.words(t)).filter(|t| !t.is_empty()).collect();
            if analysed.len() > 1 {
                let one_word =
                    terms.iter().filter(|t| t.trim().chars().all(|c| c.is_ascii_alphabetic()) && !t.trim().is_empty());
                english_words.extend(one_word.map(|t| (sets.len(), lemma(t.trim()))));
                sets.push((*bridge, analysed));
                labels.push(SetLabels::of(*bridge, terms));
            }
        }
        sets.extend(alias_sets.into_iter().map(|s| (Bridge::Alias, s)));
        let stopwords: HashSet<String> = raw.stopwords.iter().flat_map(|w| self.words(w)).collect();
        let hints: HashMap<String, Vec<String>> = raw
            .hint_words
            .iter()
            .flat_map(|(w, kinds)| self.words(w).into_iter().map(move |t| (t, kinds.clone())))
            .collect();
        let related: Vec<Vec<Vec<String>>> = raw
            .related
            .iter()
            .map(|group| group.iter().map(|t| self.words(t)).filter(|t| !t.is_empty()).collect::<Vec<_>>())
            .filter(|group| group.len() > 1)
            .collect();
        let common_english: HashSet<String> = raw.common_english.iter().flat_map(|w| self.words(w)).collect();
        self.vocab = Vocab::new(sets, stopwords, hints)
            .with_labels(labels)
            .with_related(related)
            .with_common_english(common_english)
            .with_english_words(english_words);
        self.dictionary_lines = raw.dictionary_lines.clone();
        self.senses = OnceLock::new();
        self.english = OnceLock::new();
    }

    /// How one of `texts` writes the Chinese word `zh`: the first dictionary sense of `zh` found
    /// among their words, as that text wrote it. An English reader is shown 寿命 as "service
    /// life" where a record of the pair says so.
    pub fn english_in(&self, zh: &str, texts: &[EnglishText<'_>]) -> Option<String> {
        let senses = self.english.get_or_init(|| self.english_of_words()).get(zh)?;
        for t in texts {
            for sense in senses {
                if let Some(at) = t.words.windows(sense.len()).find(|w| w.iter().zip(sense).all(|(x, s)| x.2 == *s)) {
                    return t.text.get(at[0].0..at[at.len() - 1].1).map(String::from);
                }
            }
        }
        None
    }

    /// The dictionary read from Chinese to English: each Chinese word → its senses of one to
    /// three English words ([`lemma`]s), parenthesised glosses left out.
    fn english_of_words(&self) -> FxHashMap<String, Vec<Vec<String>>> {
        let mut out: FxHashMap<String, Vec<Vec<String>>> = FxHashMap::default();
        for (zh, senses) in vocab::parse_dictionary(&self.dictionary_lines) {
            for sense in senses {
                // "(machine) service life" → service life; "to reinforce" → reinforce.
                let mut plain = String::new();
                let mut depth = 0usize;
                for c in sense.chars() {
                    match c {
                        '(' => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        c if depth == 0 => plain.push(c),
                        _ => {}
                    }
                }
                let mut words: Vec<String> = plain.split([' ', '-']).filter(|w| !w.is_empty()).map(lemma).collect();
                if words.len() > 1 && words[0] == "to" {
                    words.remove(0);
                }
                let plain_words = words.iter().all(|w| w.len() >= 2 && w.chars().all(|c| c.is_ascii_alphabetic()));
                if (1..=3).contains(&words.len()) && plain_words {
                    out.entry(zh.to_string()).or_default().push(words);
                }
            }
        }
        out
    }

    /// The Chinese words that have the English term `key` (words as [`lemma`] gives them, joined
    /// by a space) as a dictionary sense: candidates only, which the records must choose
    /// between. The reading is built on first use (matching an English text), not at start-up.
    pub(crate) fn senses(&self, key: &str) -> &[String] {
        self.senses.get_or_init(|| self.english_senses()).get(key).map_or(&[], Vec::as_slice)
    }

    /// The dictionary read from English to Chinese: each sense of one or two English words
    /// ([`lemma`]s, joined by a space) → the Chinese words it is a sense of. Keyed by the word,
    /// not its stem: stems join words the dictionary keeps apart (refrigerant and refrigerator,
    /// controller and control, jointly and joint).
    fn english_senses(&self) -> FxHashMap<String, Vec<String>> {
        let mut out: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for (zh, senses) in vocab::parse_dictionary(&self.dictionary_lines) {
            for sense in senses {
                let words: Vec<&str> = sense.split([' ', '-']).filter(|w| !w.is_empty()).collect();
                if words.is_empty()
                    || words.len() > 2
                    || !words.iter().all(|w| w.chars().all(|c| c.is_ascii_alphabetic()))
                {
                    continue;
                }
                let key: Vec<String> = words.iter().map(|w| lemma(w)).collect();
                out.entry(key.join(" ")).or_default().push(zh.to_string());
            }
        }
        out
    }

    /// True if `key` (an analysed word or concept key) is a common word of its language: an
    /// English word of `common_english.txt`, or a Chinese word as frequent in general text as
    /// [`COMMON_CHINESE_FREQ`] says (时间, 降低, 具备, 技术). Such a word says how a text is
    /// written more than what it is about. Callers exempt the vocabulary's terms themselves.
    pub fn is_common_word(&self, key: &str) -> bool {
        if key.chars().all(is_cjk) {
            key.chars().nth(1).is_some() && self.jieba.suggest_freq(key) >= COMMON_CHINESE_FREQ
        } else {
            self.vocab.is_common_english(key)
        }
    }

    /// The vocabulary bridges.
    pub fn vocab(&self) -> &Vocab {
        &self.vocab
    }

    /// The OpenCC converters themselves, for tests that check [`Analyzer::to_script`] against
    /// them; everything else converts through `to_script`.
    #[cfg(test)]
    pub(crate) fn converters(&self) -> &Converters {
        &self.converters
    }

    /// Normalises text, keeping offsets into the original.
    pub fn normalize(&self, text: &str) -> Normalized {
        normalize::normalize(text, &self.chars)
    }

    /// The text of [`Analyzer::normalize`], without the offsets into the original.
    pub fn normalize_text(&self, text: &str) -> String {
        normalize::normalize_text(text, &self.chars)
    }

    /// Normalised form for exact keys (names, aliases, suggestion prefixes).
    pub fn key(&self, text: &str) -> String {
        normalize::normalize_key(text, &self.chars)
    }

    /// True if `text` contains Traditional characters (that normalise to different ones).
    pub fn has_traditional(&self, text: &str) -> bool {
        text.chars().any(|c| is_cjk(c) && self.chars.get(c) != c)
    }

    /// [`Analyzer::normalize`], then each regional word that jieba cuts out whole written in its
    /// mainland form when that is as long ([`Analyzer::regional_rewrite`]): what the segmenter and
    /// the bigrams see.
    fn prepare(&self, text: &str) -> Normalized {
        let mut norm = self.normalize(text);
        self.regional_rewrite(&mut norm);
        norm
    }

    /// Rewrites the regional words of normalised text in their mainland form (機械人 → 机器人,
    /// 晶片 → 芯片), so that the text is cut as the mainland text is: 醫療機械人 was cut 医疗 /
    /// 机械人 while 医疗机器人 is one dictionary word, and a query in one script then found
    /// other records than the same query in the other. Only words jieba cuts out whole are
    /// rewritten (机械人员 is 机械 / 人员), and only those as long as their mainland form, so
    /// every byte keeps its offset into the original. jieba cuts each block of its word
    /// characters on its own, so only the blocks around a candidate are cut here; most texts
    /// have none.
    fn regional_rewrite(&self, norm: &mut Normalized) {
        let Some(finder) = &self.rewritable else { return };
        let mut edits: Vec<(usize, &str)> = Vec::new();
        for (from, to) in jieba_blocks(&norm.text, finder.find_iter(&norm.text).map(|m| (m.start(), m.end()))) {
            for word in self.jieba.cut(&norm.text[from..to], true) {
                if let Some(mainland) = self.mainland(word.word) {
                    edits.push((from + word.byte_start, mainland));
                }
            }
        }
        for (at, mainland) in edits {
            norm.text.replace_range(at..at + mainland.len(), mainland);
        }
    }

    /// The regional spellings (normalised) that index and query as the mainland term `term`
    /// (機械人 for 机器人); empty for most terms.
    pub fn regional_spellings(&self, term: &str) -> &[String] {
        self.spellings.get(term).map_or(&[], Vec::as_slice)
    }

    /// The search-mode tokens of `text` in the jieba blocks of its normalised form `norm` that
    /// hold one of the byte ranges `spans` of `norm`, or a regional word the cut rewrites.
    /// jieba cuts each block on its own, so these are exactly the tokens that
    /// [`Analyzer::tokens`] gives in those blocks when it cuts the whole text, for a fraction of
    /// the cost when the spans are few (highlighting).
    pub fn search_tokens_around(
        &self,
        text: &str,
        norm: &Normalized,
        spans: impl IntoIterator<Item = (usize, usize)>,
    ) -> Vec<AToken> {
        let mut spans: Vec<(usize, usize)> = spans.into_iter().collect();
        if let Some(finder) = &self.rewritable {
            spans.extend(finder.find_iter(&norm.text).map(|m| (m.start(), m.end())));
        }
        spans.sort_unstable();
        let mut out = Vec::new();
        for (from, to) in jieba_blocks(&norm.text, spans) {
            let (a, b) = (norm.original(from), norm.original(to));
            let tokens = self.tokens(&text[a..b], Mode::Search);
            out.extend(tokens.into_iter().map(|t| AToken { from: t.from + a, to: t.to + a, ..t }));
        }
        out
    }

    /// `text` in the script of `lang`, as [`Converters::convert`] gives it: every text shown to a
    /// reader is converted here. Only what needs it is converted: into Simplified, only the
    /// clauses (up to a character that is not a letter, digit or ideograph) with a Traditional
    /// character. OpenCC's phrases do not span punctuation, and
    /// it leaves a clause without a Traditional character as it is (checked on the bundled
    /// records, and on 161,194 clauses of the synthetic corpus); converting costs about 0.13 µs
    /// a character, a tenth of a search's time when every hit's snippet was converted.
    pub fn to_script(&self, text: &str, lang: Lang) -> String {
        if lang != Lang::Hans {
            return self.converters.convert(text, lang);
        }
        let mut out = String::with_capacity(text.len());
        for clause in text.split_inclusive(|c: char| !kept(c)) {
            if self.has_traditional(clause) {
                out.push_str(&self.converters.convert(clause, lang));
            } else {
                out.push_str(clause);
            }
        }
        out
    }

    /// Cuts `text` into analysed tokens.
    pub fn tokens(&self, text: &str, mode: Mode) -> Vec<AToken> {
        match mode {
            Mode::Bigrams => {
                let mut out = Vec::new();
                bigrams(&self.prepare(text), &mut out);
                out
            }
            Mode::Words | Mode::Search => {
                let mut out = self.cut_tokens(text, mode);
                if mode == Mode::Search {
                    // tantivy's highlighter and our own expect tokens in offset order.
                    sort_nearly_sorted(&mut out);
                    out.dedup_by(|a, b| a.from == b.from && a.to == b.to && a.text == b.text);
                }
                out
            }
        }
    }

    /// The tokens of jieba's cut of `text` in words or search mode, each jieba block holding a
    /// regional word cut again once its last token is passed ([`Analyzer::recut_block`]).
    fn cut_tokens(&self, text: &str, mode: Mode) -> Vec<AToken> {
        let norm = self.normalize(text);
        let cut = self.cut(&norm.text, mode);
        let mut out = Vec::new();
        let mut pending: Option<Block> = None;
        for (i, t) in cut.iter().enumerate() {
            if let Some(block) = pending.take_if(|b| t.byte_start >= b.to) {
                self.recut_block(&norm, &block, &cut[block.cut_at..i], &mut out, mode);
            }
            let Some((text, regional)) = self.term_of(t.word) else { continue };
            if regional && pending.is_none() {
                let (from, to) = jieba_block(&norm.text, t.byte_start, t.byte_end);
                let before = cut[..i].iter().rev().take_while(|w| w.byte_start >= from);
                let (cut_at, out_at) =
                    before.fold((i, out.len()), |(c, o), w| (c - 1, o - usize::from(has_term(w.word))));
                pending = Some(Block { from, to, cut_at, out_at });
            }
            out.push(AToken { text, from: norm.original(t.byte_start), to: norm.original(t.byte_end) });
        }
        if let Some(block) = pending {
            self.recut_block(&norm, &block, &cut[block.cut_at..], &mut out, mode);
        }
        out
    }

    /// jieba's cut of `text` in words or search mode.
    fn cut<'t>(&self, text: &'t str, mode: Mode) -> Vec<jieba_rs::Token<'t>> {
        if mode == Mode::Search { self.jieba.cut_for_search(text, true) } else { self.jieba.cut(text, true) }
    }

    /// Cuts a jieba block of `norm` (whose tokens `cut` are `out[block.out_at..]`) again with
    /// its regional words written in their mainland form, as [`Analyzer::regional_rewrite`]
    /// explains; only words jieba cut out whole count (in search mode, not the sub-words of a
    /// longer word). Leaves `out` as it is if there are none.
    fn recut_block(
        &self,
        norm: &Normalized,
        block: &Block,
        cut: &[jieba_rs::Token],
        out: &mut Vec<AToken>,
        mode: Mode,
    ) {
        let Block { from, to, out_at, .. } = *block;
        let inside = if mode == Mode::Search { sub_words(cut) } else { vec![false; cut.len()] };
        let mut text = norm.text[from..to].to_string();
        let mut rewritten = false;
        for (t, inside) in cut.iter().zip(inside) {
            if let Some(mainland) = self.mainland(t.word).filter(|_| !inside) {
                text.replace_range(t.byte_start - from..t.byte_end - from, mainland);
                rewritten = true;
            }
        }
        if !rewritten {
            return;
        }
        out.truncate(out_at);
        for w in self.cut(&text, mode) {
            if let Some(term) = self.term(w.word) {
                let (start, end) = (from + w.byte_start, from + w.byte_end);
                out.push(AToken { text: term, from: norm.original(start), to: norm.original(end) });
            }
        }
    }

    /// The English stem of a lower-case word.
    pub fn stem(&self, word: &str) -> CompactString {
        // The same English words recur through a corpus, and Snowball costs far more than a
        // lookup: each thread remembers the stems it computed (up to STEM_MEMO words).
        thread_local! {
            static STEMS: std::cell::RefCell<FxHashMap<CompactString, CompactString>> = std::cell::RefCell::new(FxHashMap::default());
        }
        STEMS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if let Some(stem) = memo.get(word) {
                return stem.clone();
            }
            let stem = CompactString::from(self.stemmer.stem(word));
            if memo.len() >= STEM_MEMO {
                memo.clear();
            }
            memo.insert(CompactString::from(word), stem.clone());
            stem
        })
    }

    /// The token texts of `text` in words mode.
    pub fn words(&self, text: &str) -> Vec<String> {
        self.tokens(text, Mode::Words).into_iter().map(|t| t.text.into()).collect()
    }

    /// The mainland form of regional word `word` when it is as long, so that it can be written
    /// in its place ([`Analyzer::regional_rewrite`]).
    fn mainland(&self, word: &str) -> Option<&str> {
        self.canon.get(word).map(String::as_str).filter(|m| m.len() == word.len())
    }

    /// Turns a segment into an index term: `None` for punctuation and spaces; English stemmed.
    fn term(&self, word: &str) -> Option<CompactString> {
        self.term_of(word).map(|(text, _)| text)
    }

    /// [`Analyzer::term`], and whether the term is the mainland form of a regional word as long.
    fn term_of(&self, word: &str) -> Option<(CompactString, bool)> {
        // Most tokens begin and end with a kept character: no trimming to do.
        let word = match (word.chars().next(), word.chars().next_back()) {
            (Some(a), Some(z)) if kept(a) && kept(z) => word,
            _ => word.trim_matches(|c: char| !kept(c)),
        };
        if word.is_empty() {
            return None;
        }
        if word.bytes().any(|b| b.is_ascii_alphabetic()) && word.is_ascii() {
            return Some((self.stem(word), false));
        }
        Some(match self.canon.get(word) {
            Some(mainland) => (CompactString::from(mainland), mainland.len() == word.len()),
            None => (CompactString::from(word), false),
        })
    }
}

/// Regional variants that are one token on both sides, mapped to the mainland form (the first
/// column of `regional_terms.tsv`), so 機械人 and 机器人 index and query as the same term. A
/// variant claimed by two mainland words is left alone (介面: 接口 or 界面).
fn canonical_forms(analyzer: &Analyzer, raw: &RawVocab) -> FxHashMap<String, String> {
    let mut canon: FxHashMap<String, String> = FxHashMap::default();
    let mut ambiguous: HashSet<String> = HashSet::new();
    for (bridge, terms) in &raw.sets {
        let (Bridge::Regional, Some((first, rest))) = (bridge, terms.split_first()) else { continue };
        let [mainland] = &analyzer.words(first)[..] else { continue };
        for variant in rest {
            let [v] = &analyzer.words(variant)[..] else { continue };
            if v == mainland || v.is_ascii() {
                continue;
            }
            match canon.get(v) {
                Some(m) if m != mainland => {
                    ambiguous.insert(v.clone());
                }
                _ => {
                    canon.insert(v.clone(), mainland.clone());
                }
            }
        }
    }
    for v in ambiguous {
        canon.remove(&v);
    }
    canon
}

/// A jieba block of normalised text holding a regional word: its byte range, and where its
/// tokens begin in the cut and in the analysed tokens.
#[derive(Debug, Clone, Copy)]
struct Block {
    from: usize,
    to: usize,
    cut_at: usize,
    out_at: usize,
}

/// A character a term keeps: CJK, letters and digits (the rest is trimmed from segments).
fn kept(c: char) -> bool {
    is_cjk(c) || c.is_alphanumeric()
}

/// True if segment `word` makes a term ([`Analyzer::term`] is `Some`).
fn has_term(word: &str) -> bool {
    word.chars().any(kept)
}

/// For each token of a search-mode cut, true if it lies inside a longer word: jieba emits a
/// word's sub-words just before the word, so walking back, each word comes before its
/// sub-words.
fn sub_words(cut: &[jieba_rs::Token]) -> Vec<bool> {
    let mut inside = vec![false; cut.len()];
    let mut word = (usize::MAX, 0);
    for (i, t) in cut.iter().enumerate().rev() {
        let span = (t.byte_start, t.byte_end);
        if word.0 <= span.0 && span.1 <= word.1 && span != word {
            inside[i] = true;
        } else {
            word = span;
        }
    }
    inside
}

/// The block of `text` around bytes `from..to` that jieba cuts on its own: the run of
/// characters of its `RE_HAN_DEFAULT` class (CJK, ASCII letters and digits, `+#&._%-`).
fn jieba_block(text: &str, from: usize, to: usize) -> (usize, usize) {
    let inside =
        |c: char| is_cjk(c) || c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-');
    let start = text[..from].char_indices().rev().find(|&(_, c)| !inside(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let end = text[to..].char_indices().find(|&(_, c)| !inside(c)).map_or(text.len(), |(i, _)| to + i);
    (start, end)
}

/// The jieba blocks of `text` holding the byte ranges `spans` (sorted by start), each once: a
/// span starting inside a block already given adds nothing.
fn jieba_blocks(text: &str, spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<(usize, usize)> {
    let mut blocks: Vec<(usize, usize)> = Vec::new();
    for (start, end) in spans {
        if blocks.last().is_none_or(|&(_, to)| start >= to) {
            blocks.push(jieba_block(text, start, end));
        }
    }
    blocks
}

/// Sorts tokens by start, the longest first. `cut_for_search` emits each word's sub-words just
/// before the word, so a token is at most a word's width out of place, and an insertion sort is
/// linear here where a general sort took 7 % of the analysis.
fn sort_nearly_sorted(tokens: &mut [AToken]) {
    let key = |t: &AToken| (t.from, std::cmp::Reverse(t.to));
    for i in 1..tokens.len() {
        let mut j = i;
        while j > 0 && key(&tokens[j - 1]) > key(&tokens[j]) {
            tokens.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Overlapping bigrams of each run of CJK characters (a lone character stands alone).
fn bigrams(norm: &Normalized, out: &mut Vec<AToken>) {
    let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !is_cjk(chars[i].1) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_cjk(chars[i].1) {
            i += 1;
        }
        let end_byte = |k: usize| chars.get(k).map_or(norm.text.len(), |c| c.0);
        if i - start == 1 {
            out.push(AToken {
                text: CompactString::from(&*chars[start].1.encode_utf8(&mut [0; 4])),
                from: norm.original(chars[start].0),
                to: norm.original(end_byte(start + 1)),
            });
            continue;
        }
        for (k, &(at, _)) in chars.iter().enumerate().take(i - 1).skip(start) {
            out.push(AToken {
                text: CompactString::from(&norm.text[at..end_byte(k + 2)]),
                from: norm.original(at),
                to: norm.original(end_byte(k + 2)),
            });
        }
    }
}

/// An English text with its words as the dictionary lists them ([`lemma`]), split once for the
/// many lookups of [`Analyzer::english_in`].
pub struct EnglishText<'a> {
    text: &'a str,
    /// Byte range and lemma of each word.
    words: Vec<(usize, usize, String)>,
}

impl<'a> From<&'a str> for EnglishText<'a> {
    fn from(text: &'a str) -> EnglishText<'a> {
        EnglishText { text, words: english_words(text).map(|(a, b)| (a, b, lemma(&text[a..b]))).collect() }
    }
}

/// Byte ranges of the English words of `text` (runs of ASCII letters).
fn english_words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let bytes = text.as_bytes();
        while at < bytes.len() && !bytes[at].is_ascii_alphabetic() {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
            at += 1;
        }
        Some((start, at))
    })
}

/// An English word as the dictionary lists it: lower case, a plural made singular (batteries →
/// battery, refrigerants → refrigerant, processes → process). Verb forms are left to
/// [`lemma_variants`].
pub(crate) fn lemma(word: &str) -> String {
    // An acronym is not a plural: HIPS stays hips; MCUs is mcu.
    let upper = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if upper(word) {
        return word.to_ascii_lowercase();
    }
    if let Some(acronym) = word.strip_suffix('s').filter(|w| upper(w)) {
        return acronym.to_ascii_lowercase();
    }
    let w = word.to_ascii_lowercase();
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if n > 4 && ["sses", "shes", "ches", "xes", "zes"].iter().any(|e| w.ends_with(e)) {
        return w[..n - 2].to_string();
    }
    if n > 3 && w.ends_with('s') && !["ss", "us", "is"].iter().any(|e| w.ends_with(e)) {
        return w[..n - 1].to_string();
    }
    w
}

/// Forms of the verb `lemma` may be (recovering → recover, handled → handle, scrapped → scrap),
/// to look up when the dictionary does not list it as written; the likelier first.
pub(crate) fn lemma_variants(lemma: &str) -> Vec<String> {
    let mut out = Vec::new();
    for ending in ["ing", "ed"] {
        let Some(base) = lemma.strip_suffix(ending).filter(|b| b.len() >= 3) else {
            continue;
        };
        out.push(base.to_string());
        out.push(format!("{base}e"));
        let b = base.as_bytes();
        if b.len() >= 2 && b[b.len() - 1] == b[b.len() - 2] {
            out.push(base[..base.len() - 1].to_string());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;

    /// A shared analyzer with no data files (built once per test binary).
    pub(crate) fn analyzer() -> Arc<Analyzer> {
        static A: OnceLock<Arc<Analyzer>> = OnceLock::new();
        A.get_or_init(|| {
            let raw = RawVocab {
                sets: vec![
                    (Bridge::Glossary, vec!["锂电池".into(), "lithium battery".into()]),
                    (Bridge::Glossary, vec!["热管理".into(), "thermal management".into()]),
                    (Bridge::Glossary, vec!["石墨烯".into(), "graphene".into()]),
                    (Bridge::Regional, vec!["机器人".into(), "機械人".into()]),
                    (Bridge::Glossary, vec!["机器人".into(), "robot".into()]),
                    (Bridge::Glossary, vec!["冰箱".into(), "refrigerator".into()]),
                ],
                related: vec![vec!["热管理".into(), "散热".into(), "热失控".into()]],
                domain_terms: vec!["集成电路".into(), "医疗机器人".into()],
                stopwords: vec!["的".into(), "我们".into()],
                common_english: vec!["many".into(), "routes".into()],
                dictionary_lines: [
                    "冷媒\trefrigerant",
                    "换热器\theat exchanger",
                    "订单\torder",
                    "顺序\torder/sequence",
                    "冰箱\trefrigerator/fridge",
                    "电商\te-commerce",
                    "电子商务\te-commerce",
                    "高频\thigh frequency",
                    "回收\trecycle/recover",
                ]
                .map(std::borrow::Cow::Borrowed)
                .to_vec(),
                hint_words: vec![("团队".into(), vec!["university".into()])],
                tables: Vec::new(),
            };
            Analyzer::new(&raw, &["香港科技大學".into(), "香港機械人協會".into()], vec![]).unwrap()
        })
        .clone()
    }

    #[test]
    fn common_words_are_the_frequent_words_of_general_text() {
        let a = analyzer();
        // Keys are analysed: English words stemmed (many → mani).
        let key = |word: &str| a.words(word).join(" ");
        for word in ["时间", "具备", "降低", "many", "routes"] {
            assert!(a.is_common_word(&key(word)), "{word}");
        }
        // Technical terms, compounds the dictionary does not hold, and single characters.
        for word in ["锂电池", "芯片", "精度", "热管理", "功能安全", "graphene", "电"] {
            assert!(!a.is_common_word(&key(word)), "{word}");
        }
    }

    #[test]
    fn traditional_and_simplified_give_the_same_tokens() {
        let a = analyzer();
        assert_eq!(a.words("香港科學園的初創企業"), a.words("香港科学园的初创企业"));
    }

    #[test]
    fn search_mode_offsets_are_sorted_and_point_into_the_original() {
        let a = analyzer();
        let text = "香港科技大學研發集成電路";
        let toks = a.tokens(text, Mode::Search);
        assert!(toks.windows(2).all(|w| w[0].from <= w[1].from));
        assert!(toks.iter().any(|t| t.text == "香港科技大学" && &text[t.from..t.to] == "香港科技大學"));
        assert!(toks.iter().any(|t| t.text == "科技"));
        assert!(toks.iter().any(|t| t.text == "集成电路"));
    }

    #[test]
    fn a_regional_word_is_cut_as_its_mainland_word_is() {
        let a = analyzer();
        // 医疗机器人 is one dictionary word; 醫療機械人 must not become 医疗 / 机器人.
        assert_eq!(a.words("醫療機械人"), ["医疗机器人"]);
        assert_eq!(a.words("醫療機械人"), a.words("医疗机器人"));
        let text = "研發醫療機械人，";
        let traditional = a.tokens(text, Mode::Search);
        let texts = |toks: &[AToken]| toks.iter().map(|t| t.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&traditional), texts(&a.tokens("研发医疗机器人，", Mode::Search)));
        let whole = traditional.iter().find(|t| t.text == "医疗机器人").expect("the whole word");
        assert_eq!(&text[whole.from..whole.to], "醫療機械人");
        let bigrams = |t: &str| texts(&a.tokens(t, Mode::Bigrams));
        assert_eq!(bigrams("醫療機械人"), bigrams("医疗机器人"));
        // A word standing alone is the mainland word, as before; each block is rewritten.
        assert_eq!(a.words("機械人"), ["机器人"]);
        assert_eq!(a.words("研究：醫療機械人。AI機械人"), a.words("研究：医疗机器人。AI机器人"));
        // Inside a longer word (a name) it is left as written, in both modes.
        assert_eq!(a.words("香港機械人協會"), ["香港机械人协会"]);
        let name = texts(&a.tokens("香港機械人協會", Mode::Search));
        assert!(name.contains(&"香港机械人协会".into()) && name.contains(&"机器人".into()), "{name:?}");
    }

    #[test]
    fn texts_mixing_regional_words_with_anything_give_tokens_inside_the_original() {
        let a = analyzer();
        let pieces = [
            "醫療機械人",
            "機械人",
            "机械人员",
            "香港機械人協會",
            "，",
            " ",
            "AI",
            "x-1.5",
            "研發",
            "𠀀",
            "Ｒ",
            "机器",
        ];
        let mut seed: u64 = 7;
        for _ in 0..2_000 {
            let mut text = String::new();
            for _ in 0..(seed % 9) {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            for mode in [Mode::Words, Mode::Search, Mode::Bigrams] {
                let tokens = a.tokens(&text, mode);
                for t in &tokens {
                    assert!(t.from <= t.to && text.get(t.from..t.to).is_some(), "{text:?} {mode:?} {t:?}");
                }
                assert!(tokens.windows(2).all(|w| w[0].from <= w[1].from), "{text:?} {mode:?} {tokens:?}");
            }
        }
    }

    /// Every string of the bundled records (names, texts, list items), with its collection.
    pub(crate) fn bundled_strings() -> Vec<(&'static str, String)> {
        fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::String(s) => out.push(s.clone()),
                serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
                _ => {}
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut out = Vec::new();
        for name in ["entities", "industries", "roadmaps", "talents", "listings"] {
            let text = std::fs::read_to_string(dir.join(format!("{name}.jsonl"))).unwrap();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut texts = Vec::new();
                strings(&serde_json::from_str(line).unwrap(), &mut texts);
                out.extend(texts.into_iter().map(|t| (name, t)));
            }
        }
        out
    }

    #[test]
    fn converting_only_traditional_clauses_gives_what_converting_everything_gives() {
        let a = analyzer();
        let mut checked = 0;
        for (_, s) in bundled_strings().iter().filter(|(_, s)| s.chars().any(is_cjk)) {
            assert_eq!(a.to_script(s, Lang::Hans), a.converters().convert(s, Lang::Hans), "{s}");
            checked += 1;
        }
        assert!(checked > 3000, "{checked}");
        assert_eq!(a.to_script("周期與頭髮，乾燥的發展", Lang::Hans), "周期与头发，干燥的发展");
    }

    #[test]
    fn english_is_lowercased_and_stemmed_punctuation_dropped() {
        let a = analyzer();
        assert_eq!(a.words("Lithium Batteries, *AI*!"), ["lithium", "batteri", "ai"]);
    }

    #[test]
    fn bigrams_cover_cjk_runs() {
        let a = analyzer();
        let b: Vec<_> = a.tokens("港科 AI 大", Mode::Bigrams).into_iter().map(|t| t.text).collect();
        assert_eq!(b, ["港科", "大"]);
    }

    #[test]
    fn glossary_expands_across_languages() {
        let a = analyzer();
        let q = a.words("lithium battery");
        let e = a.vocab().expand(&q);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].tokens, ["锂电池"]);
    }

    fn related_of(a: &Analyzer, q: &str) -> Vec<String> {
        let tokens = a.words(q);
        let direct = a.vocab().expand(&tokens);
        let related = a.vocab().related(&tokens, &direct);
        assert!(related.iter().all(|e| e.bridge == Bridge::Related && e.weight() < Bridge::Glossary.weight()));
        related.into_iter().map(|e| e.tokens.join(" ")).collect()
    }

    #[test]
    fn related_terms_are_found_from_simplified_traditional_and_english_words() {
        let a = analyzer();
        let simplified = related_of(&a, "锂电池热管理");
        assert!(simplified.contains(&"散热".to_string()), "{simplified:?}");
        assert!(simplified.contains(&a.words("热失控").join(" ")), "{simplified:?}");
        assert!(!simplified.contains(&"热管理".to_string()), "the word itself is not its own relative");
        assert_eq!(related_of(&a, "鋰電池熱管理"), simplified);
        // English reaches the group through the glossary term (thermal management → 热管理).
        let english = related_of(&a, "thermal management");
        assert!(english.contains(&"散热".to_string()), "{english:?}");
        assert!(related_of(&a, "锂电池").is_empty());
    }

    #[test]
    fn related_terms_are_not_segmenter_words() {
        let a = analyzer();
        // 散热 is a stock jieba word either way; 热失控 is not made one by related_terms.tsv.
        assert_ne!(a.words("热失控"), ["热失控"]);
    }

    #[test]
    fn a_lemma_is_the_word_as_the_dictionary_lists_it() {
        let l = |w: &str| super::lemma(w);
        assert_eq!(
            [l("Batteries"), l("refrigerants"), l("processes"), l("gas"), l("analysis")],
            ["battery", "refrigerant", "process", "gas", "analysis"]
        );
        assert_eq!([l("HIPS"), l("MCUs"), l("ABS")], ["hips", "mcu", "abs"]);
        assert_eq!(super::lemma_variants("recovering")[..2], ["recover", "recovere"]);
        assert!(super::lemma_variants("handled").contains(&"handle".to_string()));
        assert!(super::lemma_variants("scrapped").contains(&"scrap".to_string()));
    }
}
