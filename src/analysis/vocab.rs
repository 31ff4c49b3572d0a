//! Vocabulary bridges loaded from `data/vocab/`: regional term sets (mainland ↔ Hong Kong ↔
//! Taiwan), the zh ↔ en glossary, the records' own aliases, domain terms for the segmenter, and
//! query stopwords. Terms are stored as analysed token sequences, so lookups work in any script.

use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Where a set of equivalent terms came from; decides the weight of its expansions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bridge {
    /// Mainland ↔ Hong Kong ↔ Taiwan vocabulary.
    Regional,
    /// Chinese ↔ English glossary.
    Glossary,
    /// A record's name and its aliases.
    Alias,
}

impl Bridge {
    /// Boost of an expansion relative to the user's own words (1.0).
    pub fn weight(self) -> f32 {
        match self {
            Bridge::Regional => 0.8,
            Bridge::Alias => 0.7,
            Bridge::Glossary => 0.6,
        }
    }
}

/// Raw vocabulary as read from the files (terms not yet analysed).
#[derive(Debug, Default, Clone)]
pub struct RawVocab {
    /// Sets of equivalent terms with their origin.
    pub sets: Vec<(Bridge, Vec<String>)>,
    /// Words the segmenter must keep whole.
    pub domain_terms: Vec<String>,
    /// Query stopwords.
    pub stopwords: Vec<String>,
    /// Words naming the kind of partner wanted (团队, lab …): searched, but not counted when
    /// hits are re-ranked by coverage.
    pub hint_words: Vec<(String, Vec<String>)>,
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn read(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "vocabulary file not read");
            String::new()
        }
    }
}

impl RawVocab {
    /// Reads the files of `dir` (`data/vocab`); a missing file logs a warning and counts as empty.
    pub fn load(dir: &Path) -> RawVocab {
        let mut v = RawVocab::default();
        for line in data_lines(&read(dir, "regional_terms.tsv")) {
            let terms: Vec<String> = line.split('\t').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
            if terms.len() > 1 {
                v.sets.push((Bridge::Regional, terms));
            }
        }
        for line in data_lines(&read(dir, "glossary_zh_en.tsv")) {
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
        v.domain_terms = data_lines(&read(dir, "domain_terms.txt")).map(String::from).collect();
        v.stopwords = data_lines(&read(dir, "stopwords.txt")).map(String::from).collect();
        v.hint_words = data_lines(&read(dir, "hint_words.txt"))
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
    /// Weight relative to the user's own words.
    pub weight: f32,
}

/// Analysed vocabulary, ready for query expansion.
#[derive(Debug, Default)]
pub struct Vocab {
    /// Analysed terms of each set.
    sets: Vec<(Bridge, Vec<Vec<String>>)>,
    /// Key (tokens joined by a space) → sets that contain it.
    index: HashMap<String, Vec<usize>>,
    stopwords: HashSet<String>,
    hints: HashMap<String, Vec<String>>,
    max_span: usize,
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
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        let mut max_span = 1;
        for (i, (_, terms)) in sets.iter().enumerate() {
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
        Vocab { sets, index, stopwords, hints, max_span }
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
        let mut i = 0;
        while i < tokens.len() {
            let mut matched = 0;
            for len in (1..=self.max_span.min(tokens.len() - i)).rev() {
                let key = tokens[i..i + len].join(" ");
                let Some(ids) = self.index.get(&key) else {
                    continue;
                };
                for &id in ids {
                    let (bridge, terms) = &self.sets[id];
                    for t in terms {
                        if t.join(" ") == key || out.iter().any(|e| e.start == i && &e.tokens == t) {
                            continue;
                        }
                        out.push(Expansion { start: i, len, tokens: t.clone(), weight: bridge.weight() });
                    }
                }
                matched = len;
                break;
            }
            i += matched.max(1);
        }
        out
    }
}
