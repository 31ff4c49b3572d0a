//! Query understanding for natural-language needs: which kinds of partner a query asks for.
//! Partner words (团队, 高校, 实验室, supplier …) and need phrasing (寻找, 有没有, looking, who …)
//! come from `hint_words.txt`, each with the kinds and collections it points to; the search turns
//! them into a re-ranking boost, never a filter.

use super::Vocab;

/// The kinds of partner the words of one query point to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartnerIntent {
    /// For each distinct partner word of the query, the kind codes and collection names it
    /// points to.
    targets: Vec<Vec<String>>,
}

impl PartnerIntent {
    /// The intent of the analysed query `tokens`, stopwords included: 寻找 and `looking` are not
    /// searched for, but they say that a partner is wanted.
    pub fn of(vocab: &Vocab, tokens: &[String]) -> PartnerIntent {
        let mut seen: Vec<&str> = Vec::new();
        let mut targets = Vec::new();
        for t in tokens {
            let points_to = vocab.hint_kinds(t);
            if points_to.is_empty() || seen.contains(&t.as_str()) {
                continue;
            }
            seen.push(t);
            targets.push(points_to.to_vec());
        }
        PartnerIntent { targets }
    }

    /// True when the query names no kind of partner.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// The share (0 to 1) of the query's partner words that point to a record of `collection`
    /// (`entities`, `talents` …) and `kind` (`university`, `supply` …).
    pub fn share(&self, collection: &str, kind: Option<&str>) -> f32 {
        if self.targets.is_empty() {
            return 0.0;
        }
        let hits =
            self.targets.iter().filter(|t| t.iter().any(|c| c == collection || Some(c.as_str()) == kind)).count();
        hits as f32 / self.targets.len() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    fn vocab() -> Vocab {
        let hints: HashMap<String, Vec<String>> = [
            ("寻找", vec!["entities", "talents", "supply"]),
            ("高校", vec!["university"]),
            ("团队", vec!["university", "talents", "supply"]),
        ]
        .into_iter()
        .map(|(w, k)| (w.to_string(), k.into_iter().map(String::from).collect()))
        .collect();
        Vocab::new(Vec::new(), HashSet::from(["寻找".to_string()]), hints)
    }

    fn tokens(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn each_partner_word_counts_once_and_the_share_says_how_many_point_to_a_record() {
        let i = PartnerIntent::of(&vocab(), &tokens("寻找 锂电池 高校 团队 团队"));
        assert!(!i.is_empty());
        assert_eq!(i.share("entities", Some("university")), 1.0);
        assert!((i.share("listings", Some("supply")) - 2.0 / 3.0).abs() < 1e-6);
        assert!((i.share("talents", None) - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(i.share("listings", Some("demand")), 0.0);
        assert_eq!(i.share("roadmaps", None), 0.0);
    }

    #[test]
    fn a_query_without_partner_words_has_no_intent() {
        let i = PartnerIntent::of(&vocab(), &tokens("锂电池 热管理"));
        assert!(i.is_empty());
        assert_eq!(i.share("entities", Some("university")), 0.0);
    }
}
