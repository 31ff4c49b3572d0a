//! What a record or a need is about, as weighted concepts (`analysis::Concept`), and how much two
//! such profiles share. A profile depends only on its own text and on the index's document
//! frequencies, so the similarity of two records is one number whoever asks and in whatever order.

use std::collections::HashMap;
use std::sync::Arc;

use crate::analysis::{Analyzer, Concept};
use crate::index::TermStats;
use crate::model::{Collection, Record};
use crate::weights::matching::profile as weights;

/// Concepts kept per side, the weightiest: the rest of a long text adds noise, not substance.
const MAX_CONCEPTS: usize = 24;

/// One side of a record: its Chinese texts or its English texts, as weighted concepts.
#[derive(Debug, Clone, Default)]
pub struct Side {
    /// Concepts with their weights, weightiest first.
    pub concepts: Vec<(Concept, f32)>,
    norm: f32,
    /// True for the side of the English texts.
    pub english: bool,
}

/// A record's or a need's concepts, one side per language it is written in: a bilingual record
/// is compared on whichever of its sides is closer, so its English half does not dilute what its
/// Chinese half shares with a Chinese need.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// The sides (one or two).
    pub sides: Vec<Side>,
}

/// Texts of a record by role.
#[derive(Debug, Default)]
pub struct Texts<'a> {
    /// Names and titles.
    pub title: Vec<&'a str>,
    /// Technology-field tags.
    pub fields: Vec<&'a str>,
    /// Descriptions and other body text.
    pub body: Vec<&'a str>,
}

/// Profiles of records computed on one index generation, reused by every match computed on it
/// (the board recomputes the pairs of many listings against the same candidates). A commit opens
/// a new generation and so empties it; the key holds the record's `updated_at`, so a record
/// edited in the store but not yet committed to the index is profiled again.
#[derive(Debug)]
pub struct ProfileCache {
    /// The generation the profiles are of, and the profiles.
    inner: std::sync::Mutex<(u64, lru::LruCache<ProfileKey, Arc<Profile>>)>,
}

/// A record's collection, id, `updated_at` and the side it faces.
type ProfileKey = (Collection, String, String, super::Facing);

/// Profiles kept.
const CACHED_PROFILES: usize = 2048;

impl Default for ProfileCache {
    fn default() -> ProfileCache {
        let capacity = std::num::NonZeroUsize::new(CACHED_PROFILES).unwrap_or(std::num::NonZeroUsize::MIN);
        ProfileCache { inner: std::sync::Mutex::new((0, lru::LruCache::new(capacity))) }
    }
}

impl ProfileCache {
    /// The profile of `record` facing `faces` on `idf`'s index generation: cached, or made by
    /// `make`.
    pub fn get(
        &self,
        idf: &mut Idf<'_>,
        record: &Record,
        faces: super::Facing,
        make: impl FnOnce(&mut Idf<'_>) -> Profile,
    ) -> Arc<Profile> {
        let generation = idf.stats.generation();
        let key =
            (record.collection, record.id.clone(), record.str("updated_at").unwrap_or_default().to_string(), faces);
        if let Ok(mut inner) = self.inner.lock() {
            if inner.0 != generation {
                inner.1.clear();
                inner.0 = generation;
            }
            if let Some(p) = inner.1.get(&key) {
                return p.clone();
            }
        }
        let profile = Arc::new(make(idf));
        if let Ok(mut inner) = self.inner.lock()
            && inner.0 == generation
        {
            inner.1.put(key, profile.clone());
        }
        profile
    }
}

/// Inverse document frequency of concepts, each looked up once.
pub struct Idf<'a> {
    analyzer: &'a Analyzer,
    stats: TermStats,
    seen: HashMap<String, f32>,
}

impl<'a> Idf<'a> {
    /// IDF against the index's current statistics.
    pub fn new(analyzer: &'a Analyzer, stats: TermStats) -> Idf<'a> {
        Idf { analyzer, stats, seen: HashMap::new() }
    }

    /// The IDF of a concept: of its rarest word, over the spellings of its set (a concept written
    /// in Chinese in some records and in English in others is as common as its commoner form).
    fn of(&mut self, c: &Concept) -> f32 {
        if let Some(&v) = self.seen.get(&c.key) {
            return v;
        }
        // By the key alone, so that a concept weighs the same in every record.
        let spellings: Vec<Vec<String>> = match self.analyzer.vocab().set_of(&c.key) {
            Some(set) => self.analyzer.vocab().set_terms(set).to_vec(),
            None => vec![c.key.split(' ').map(String::from).collect()],
        };
        let df = spellings
            .iter()
            .map(|tokens| tokens.iter().map(|t| self.stats.doc_freq(t)).min().unwrap_or(0))
            .max()
            .unwrap_or(0);
        let v = self.stats.idf(df);
        self.seen.insert(c.key.clone(), v);
        v
    }
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(crate::analysis::is_cjk)
}

impl Profile {
    /// The profile of `texts`: each text goes to the side of its language.
    pub fn of(idf: &mut Idf<'_>, texts: &Texts<'_>) -> Profile {
        let mut sides: [HashMap<String, (Concept, f32)>; 2] = [HashMap::new(), HashMap::new()];
        let roles = [(&texts.title, weights::TITLE), (&texts.fields, weights::FIELD), (&texts.body, weights::BODY)];
        for (list, weight) in roles {
            for text in list.iter() {
                let side = &mut sides[usize::from(!is_chinese(text))];
                let stats = &idf.stats;
                for c in idf.analyzer.concepts_in(text, &|t| stats.doc_freq(t)) {
                    let tf = weight * c.count;
                    side.entry(c.key.clone()).and_modify(|e| e.1 += tf).or_insert((c, tf));
                }
            }
        }
        let sides = sides
            .into_iter()
            .enumerate()
            .filter(|(_, side)| !side.is_empty())
            .map(|(i, side)| {
                let mut concepts: Vec<(Concept, f32)> = side
                    .into_values()
                    .map(|(c, tf)| {
                        let common = idf.analyzer.is_common_concept(&c);
                        // Sublinear in tf; below one occurrence (a reading shared among
                        // several words) in proportion.
                        let tf = if tf < 1.0 { tf } else { 1.0 + tf.ln() };
                        let w = tf * idf.of(&c) * if common { weights::COMMON_WORD } else { 1.0 };
                        (c, w)
                    })
                    .collect();
                concepts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
                concepts.truncate(MAX_CONCEPTS);
                let norm = concepts.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
                Side { concepts, norm, english: i == 1 }
            })
            .collect();
        Profile { sides }
    }

    /// True when there is nothing to compare.
    pub fn is_empty(&self) -> bool {
        self.sides.is_empty()
    }

    /// The concepts of all sides, weightiest first, each key once.
    pub fn top(&self, n: usize) -> Vec<&(Concept, f32)> {
        let mut all: Vec<&(Concept, f32)> = self.sides.iter().flat_map(|s| s.concepts.iter()).collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
        let mut seen = std::collections::HashSet::new();
        all.retain(|(c, _)| seen.insert(c.key.clone()));
        all.truncate(n);
        all
    }
}

/// What two profiles share: the cosine of their closest sides, and the shared concepts of each
/// pair of sides with what each contributes (both sides' concepts, as each wrote it), largest
/// first.
#[derive(Debug, Default)]
pub struct Overlap<'a> {
    /// Cosine similarity of the closest sides, in [0, 1].
    pub similarity: f32,
    /// Per pair of sides that share something: whether each is English, and the shared concepts
    /// (`a`'s, `b`'s, the product of their weights), the closest pair first.
    pub shared: Vec<SharedSides<'a>>,
}

/// The concepts one side of `a` shares with one side of `b`.
#[derive(Debug)]
pub struct SharedSides<'a> {
    /// The two sides' languages: English or not.
    pub english: (bool, bool),
    /// Their cosine similarity.
    pub similarity: f32,
    /// Shared concepts: `a`'s, `b`'s, and the product of their weights, largest first.
    pub concepts: Vec<(&'a Concept, &'a Concept, f32)>,
}

impl<'a> Overlap<'a> {
    /// True when the profiles share no concept.
    pub fn is_empty(&self) -> bool {
        self.shared.is_empty()
    }

    /// The shared concepts to name to a reader: of the two sides in the reader's language when
    /// they share any (an English reader is shown what the English texts share), else of sides
    /// one of which is in the reader's language, else of the closest sides.
    pub fn for_reader(&self, english: bool) -> &[(&'a Concept, &'a Concept, f32)] {
        let both = |s: &&SharedSides<'a>| s.english == (english, english);
        let either = |s: &&SharedSides<'a>| s.english.0 == english || s.english.1 == english;
        let sides = self.shared.iter().find(both).or_else(|| self.shared.iter().find(either));
        sides.or(self.shared.first()).map_or(&[], |s| s.concepts.as_slice())
    }
}

/// The overlap of `a` and `b`; the same whichever is given first.
pub fn overlap<'a>(a: &'a Profile, b: &'a Profile) -> Overlap<'a> {
    let mut out = Overlap::default();
    for sa in &a.sides {
        for sb in &b.sides {
            if sa.norm == 0.0 || sb.norm == 0.0 {
                continue;
            }
            let by_key: HashMap<&str, &(Concept, f32)> = sb.concepts.iter().map(|e| (e.0.key.as_str(), e)).collect();
            let mut concepts: Vec<(&Concept, &Concept, f32)> = sa
                .concepts
                .iter()
                .filter_map(|(ca, wa)| by_key.get(ca.key.as_str()).map(|(cb, wb)| (ca, cb, wa * wb)))
                .collect();
            if concepts.is_empty() {
                continue;
            }
            // Summed in key order and normed by the product taken in a fixed order, so that
            // (a, b) and (b, a) give the same bits.
            concepts.sort_by(|x, y| x.0.key.cmp(&y.0.key));
            let dot = concepts.iter().map(|s| s.2).sum::<f32>();
            let (n1, n2) = if sa.norm <= sb.norm { (sa.norm, sb.norm) } else { (sb.norm, sa.norm) };
            let similarity = (dot / (n1 * n2)).min(1.0);
            concepts.sort_by(|x, y| y.2.total_cmp(&x.2).then_with(|| x.0.key.cmp(&y.0.key)));
            out.similarity = out.similarity.max(similarity);
            out.shared.push(SharedSides { english: (sa.english, sb.english), similarity, concepts });
        }
    }
    out.shared.sort_by(|x, y| y.similarity.total_cmp(&x.similarity));
    out
}
