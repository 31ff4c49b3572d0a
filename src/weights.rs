//! Every weight that combines into a ranking score, in one place: search clauses, the re-rank,
//! suggestions and matchmaking. Each says what it weighs and how it was chosen; the judged sets
//! and the figures each change moved are in `docs/RELEVANCE.md`.
//!
//! Changing one changes answers: run the judged sets (`cargo test --test api -- parity relevance
//! matches --nocapture`) before and after. Limits and thresholds that are not weights (most words
//! searched, most expansions, when a word is common …) stay with the code they limit. A boost of
//! 1.0 at a use site is the unit the others are counted in (a word the user typed), not a weight.

/// Per-field boosts of a query word (and of each token of an expansion), times the word's weight.
pub mod fields {
    /// A word in a record's name or alias (`title_s`): a title says what the record is. Set by
    /// hand with the first version ("name ×3"); judged sets in docs/RELEVANCE.md.
    pub const TITLE: f32 = 3.0;
    /// A word in a record's body (`body_s`): the unit. Set by hand; judged sets in
    /// docs/RELEVANCE.md.
    pub const BODY: f32 = 1.0;
    /// A word in a record's context labels (`meta_s`: city, clusters, kind, affiliation). Set by
    /// hand with the first version; judged sets in docs/RELEVANCE.md.
    pub const META: f32 = 0.5;
}

/// Boosts of the nets that find a query word written otherwise: its sub-words (港科 of 港科大)
/// and its CJK bigrams (钙钛 of 钙钛矿), which are partial matches.
pub mod subwords {
    /// A sub-word of a query word of three or more CJK characters, in a name. Set by hand with
    /// the first version; judged sets in docs/RELEVANCE.md (subword category).
    pub const TITLE: f32 = 0.8;
    /// A sub-word of a query word, in a body. Set by hand with the first version; judged sets in
    /// docs/RELEVANCE.md (subword category).
    pub const BODY: f32 = 0.3;
    /// Every bigram of an all-CJK query word, together. Set by hand with the first version;
    /// judged sets in docs/RELEVANCE.md (subword category).
    pub const BIGRAMS: f32 = 0.3;
}

/// Weights of an expansion by a vocabulary bridge, relative to the user's own words (1.0), before
/// the IDF ratio that keeps a rare synonym from outscoring the word typed.
pub mod expansions {
    /// Mainland ↔ Hong Kong ↔ Taiwan wording. Set by hand with the first version ("expansions
    /// 0.6–0.8"); judged sets in docs/RELEVANCE.md.
    pub const REGIONAL: f32 = 0.8;
    /// A record's name and its aliases. Set by hand with the first version; judged sets in
    /// docs/RELEVANCE.md (alias category).
    pub const ALIAS: f32 = 0.7;
    /// The zh ↔ en glossary. Set by hand; raising it to 0.85 was tried (en pairs 0.617 → 0.624,
    /// mixed and subword −0.01) and dropped: docs/RELEVANCE.md.
    pub const GLOSSARY: f32 = 0.6;
    /// Pairs learned from the records' bilingual texts: between the glossary and related terms
    /// (commit 83d4078); raising it to 0.75 was tried and dropped with the glossary's.
    pub const LEARNED: f32 = 0.55;
    /// A CC-CEDICT sense the records confirm: the least trusted bridge. Set by hand when the
    /// bridge came in (commit 00cb324; its message and docs/RELEVANCE.md say 0.4, the code 0.25).
    pub const DICTIONARY: f32 = 0.25;
    /// A related, not equivalent, term (`related_terms.tsv`): natural 0.702 → 0.820 with it, at
    /// 0.4× first and 0.5× since (commit ea492fe); judged sets in docs/RELEVANCE.md.
    pub const RELATED: f32 = 0.5;
    /// Least share of its bridge weight an expansion keeps when its tokens are rarer than the
    /// words it replaces (the IDF ratio's floor; the ratio is at most 1). Set by hand (commit
    /// 8efc90e: 機械人 outscored 机器人); judged sets in docs/RELEVANCE.md.
    pub const MIN_IDF_RATIO: f32 = 0.2;
}

/// Boosts of phrases, of the whole query as a name, and of partner words: score only, or matches
/// of their own.
pub mod phrases {
    /// A run of two or more consecutive query words found as a phrase in a name. Set by hand;
    /// judged sets in docs/RELEVANCE.md.
    pub const TITLE: f32 = 4.0;
    /// The same run found as a phrase in a body: score only, never a match by itself. Set by
    /// hand; judged sets in docs/RELEVANCE.md.
    pub const BODY: f32 = 2.0;
    /// A multi-token expansion found as a phrase in a name, times the expansion's weight. Set by
    /// hand; judged sets in docs/RELEVANCE.md.
    pub const EXPANSION_TITLE: f32 = 2.0;
    /// A multi-token expansion found as a phrase in a body, times the expansion's weight. Set by
    /// hand; judged sets in docs/RELEVANCE.md.
    pub const EXPANSION_BODY: f32 = 1.0;
    /// A record whose name or an alias is the whole query: a name search finds its record first
    /// whatever else shares its words. Set by hand; judged sets in docs/RELEVANCE.md (alias).
    pub const NAME: f32 = 8.0;
    /// Score added to records of the kind (and again of the collection) a partner word (团队,
    /// lab …) points to: "a small constant boost" (commit d1f6b27); a boost of 8 was tried and
    /// dropped (natural 0.701 → 0.692): docs/RELEVANCE.md.
    pub const HINT: f32 = 2.0;
}

/// The re-rank of the best hits: score × coverage factor × intent factor.
pub mod rerank {
    /// The coverage factor of a record that covers none of the query's concepts; one that covers
    /// them all gets 1 (`FLOOR + SPAN × coverage^EXPONENT`). Sharpened from 0.3 + 0.7·cov to
    /// 0.1 + 0.9·cov³, with hint words kept out of the coverage (natural 0.661 → 0.686):
    /// docs/RELEVANCE.md.
    pub const COVERAGE_FLOOR: f32 = 0.1;
    /// What full coverage adds to [`COVERAGE_FLOOR`]: the factor ends at 1.
    pub const COVERAGE_SPAN: f32 = 1.0 - COVERAGE_FLOOR;
    /// Power of the coverage share in the factor: exponent 2 (natural 0.832 but simplified,
    /// English, traditional, mixed down) and 4 (0.809) were tried and dropped: docs/RELEVANCE.md.
    pub const COVERAGE_EXPONENT: i32 = 3;
    /// Coverage credit of a concept met only through its sub-words or bigrams (a full match
    /// counts 1). Set by hand; judged sets in docs/RELEVANCE.md.
    pub const PARTIAL_CREDIT: f32 = 0.5;
    /// Coverage credit of a concept met only through a related term: "a related match counting
    /// half"; 0.75 was tried and dropped (natural 0.785–0.798, English −0.02): docs/RELEVANCE.md.
    pub const RELATED_CREDIT: f32 = 0.5;
    /// Least weight of a concept in the coverage (a word's weight is its IDF, which is near 0
    /// for a word most records have). Set by hand; judged sets in docs/RELEVANCE.md.
    pub const MIN_CONCEPT_WEIGHT: f32 = 0.1;
    /// The intent factor is 1 + this × the share of the query's partner words pointing to a
    /// record's kind (寻找…高校团队: a university lab, not a roadmap): 0.6 first, 1.0 since, with
    /// partner words breaking phrase runs (natural 0.802 → 0.819): docs/RELEVANCE.md.
    pub const INTENT: f32 = 1.0;
}

/// Scores of completions (`/api/suggest`): prior of the record's collection plus bonuses, less
/// the length penalty.
pub mod suggest {
    /// Prior of an entity (an organisation): its names come first. Set by hand; no judged set
    /// for suggestions.
    pub const ENTITY_PRIOR: f32 = 3.0;
    /// Prior of an industry or a roadmap. Set by hand; no judged set for suggestions.
    pub const PROFILE_PRIOR: f32 = 2.0;
    /// Prior of any other record. Set by hand; no judged set for suggestions.
    pub const OTHER_PRIOR: f32 = 1.0;
    /// Highest prior: completions on inner words (at most `MAX_PRIOR - LEN_PENALTY`) are read
    /// only when they could still make the list.
    pub const MAX_PRIOR: f32 = ENTITY_PRIOR;
    /// Score of a match on a name or alias (`suggest_full`) over one on an inner word. Set by
    /// hand; no judged set for suggestions.
    pub const FULL_BONUS: f32 = 2.0;
    /// Score of a term equal to the prefix. Set by hand; no judged set for suggestions.
    pub const EXACT_BONUS: f32 = 5.0;
    /// Score lost per character a term has beyond the prefix. Set by hand; no judged set for
    /// suggestions.
    pub const LEN_PENALTY: f32 = 0.05;
}

/// Matchmaking: the parts of a pair's score, each in [0, 1] of its own weight; they add up to at
/// most 1. Chosen on `tests/relevance/matches.jsonl` (docs/RELEVANCE.md, "Matching"), which is
/// therefore not held out for them.
pub mod matching {
    /// Shared concepts (the text): full weight at [`SIMILARITY_FULL`] cosine similarity. Set by
    /// hand (0.5, 0.65, then 0.70 with one score per pair, commit c1f8f08) on the match set.
    pub const TEXT: f32 = 0.70;
    /// Cosine similarity of concept profiles counted as a full text match. Measured on the judged
    /// match set: counterparts judged "clearly relevant" mostly reach 0.3–0.5; 0.6 and 0.8 tried.
    pub const SIMILARITY_FULL: f32 = 0.45;
    /// A cluster in common. Set by hand on the match set (0.10 first).
    pub const CLUSTER: f32 = 0.08;
    /// A technology-field tag in common. Set by hand on the match set.
    pub const FIELD: f32 = 0.08;
    /// A cooperation mode in common (listings), times the share of a full text match the pair
    /// reaches: two listings that agree on how to work together but not on what are no match.
    /// Set by hand on the match set; the scaling (of this, [`READINESS`] and [`CROSS_BORDER`])
    /// lifted listing matches 0.819 → 0.824: docs/RELEVANCE.md.
    pub const COOPERATION: f32 = 0.05;
    /// The offer is as ready as the need asks, or one level short (listings), times the text
    /// share as [`COOPERATION`]. Set by hand on the match set.
    pub const READINESS: f32 = 0.05;
    /// One side in Hong Kong or Macau, the other in the nine Guangdong cities, times the text
    /// share as [`COOPERATION`]. Set by hand on the match set (0.05 first).
    pub const CROSS_BORDER: f32 = 0.04;
    /// The most a pair sharing no concept and no field can score: below any pair that does. Set
    /// by hand (commit c1f8f08).
    pub const NO_SUBSTANCE_CAP: f32 = 0.25;

    /// How much a concept counts in a record's match profile, by where it was found.
    pub mod profile {
        /// A concept in a name counts this many times one in the body (a title says what it is
        /// about). Set by hand (commit c1f8f08); match set in docs/RELEVANCE.md.
        pub const TITLE: f32 = 2.0;
        /// A technology-field tag counts this many times one in the body. Set by hand (commit
        /// c1f8f08); match set in docs/RELEVANCE.md.
        pub const FIELD: f32 = 1.5;
        /// A concept in the body: the unit.
        pub const BODY: f32 = 1.0;
        /// A common word that is no term of the vocabulary (many, less, routes; 时间, 具备:
        /// `Analyzer::is_common_word`): it says how a text is written more than what it is
        /// about. 0.1, 0.3 and 0.5 tried on the bilingual needs (0.578 / 0.575 / 0.600), 0.5 kept:
        /// docs/RELEVANCE.md.
        pub const COMMON_WORD: f32 = 0.5;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coverage_factor_runs_from_its_floor_to_one() {
        // The re-rank wrote 0.1 + 0.9 · cov³: the named span must be that same 0.9.
        assert_eq!(rerank::COVERAGE_SPAN.to_bits(), 0.9f32.to_bits());
        assert_eq!(rerank::COVERAGE_FLOOR + rerank::COVERAGE_SPAN, 1.0);
    }
}
