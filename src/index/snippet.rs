//! Highlighted snippets: the marks are found in the text as stored (byte offsets from its
//! analysis), and only the snippet's window is converted to the caller's script, piece by piece
//! between the marks, so `<mark>` wraps exactly the matched characters in whatever script is
//! returned.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::analysis::{Analyzer, Mode};

/// Finds what to mark of a query in texts: its words and sub-words, or its bigrams when no
/// word matches.
///
/// Cutting each hit's texts whole cost an eighth of the server's time under load, so only the
/// jieba blocks that can hold a word of the query are cut: those where a Chinese word (or one
/// of its regional spellings) occurs as a substring of the normalised text, or an English word
/// has the stem of one ([`Analyzer::search_tokens_around`]). The marks are the same as cutting
/// the whole text gives.
pub struct Marker<'q> {
    analyzer: &'q Analyzer,
    terms: &'q HashSet<String>,
    bigrams: &'q HashSet<String>,
    /// The query's words that are not English words (Chinese, numbers such as 3.5), as they
    /// are written in normalised text: with their regional spellings.
    words: Option<AhoCorasick>,
    /// True if some word of the query is an English word, found by stem.
    english: bool,
}

impl<'q> Marker<'q> {
    /// The marker of the query words `terms` (analysed, search mode) and `bigrams`.
    pub fn new(analyzer: &'q Analyzer, terms: &'q HashSet<String>, bigrams: &'q HashSet<String>) -> Marker<'q> {
        let patterns: Vec<&str> = terms
            .iter()
            .filter(|t| !is_english_word(t))
            .flat_map(|t| std::iter::once(t).chain(analyzer.regional_spellings(t)))
            .map(String::as_str)
            .collect();
        // Built for every search: an NFA builds in microseconds where the DFA that
        // `AhoCorasick::new` picks for few patterns took 3 % of the server's time.
        let words = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .ok()
            .filter(|f| f.patterns_len() > 0);
        Marker { analyzer, terms, bigrams, words, english: terms.iter().any(|t| is_english_word(t)) }
    }

    /// True if the query has nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.bigrams.is_empty()
    }

    /// Byte ranges of `text` that match the query: words and sub-words first; bigrams only when
    /// no word matched. Overlapping and touching ranges are merged.
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let analyzer = self.analyzer;
        let norm = analyzer.normalize(text);
        let mut spans: Vec<(usize, usize)> = Vec::new();
        if let Some(words) = &self.words {
            spans.extend(words.find_overlapping_iter(&norm.text).map(|m| (m.start(), m.end())));
        }
        if self.english {
            let runs = norm.text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| is_english_word(w));
            for word in runs {
                let at = word.as_ptr() as usize - norm.text.as_ptr() as usize;
                if self.terms.contains(analyzer.stem(word).as_str()) {
                    spans.push((at, at + word.len()));
                }
            }
        }
        let mut ranges: Vec<(usize, usize)> = analyzer
            .search_tokens_around(text, &norm, spans)
            .into_iter()
            .filter(|t| self.terms.contains(t.text.as_str()))
            .map(|t| (t.from, t.to))
            .collect();
        if ranges.is_empty() && !self.bigrams.is_empty() {
            ranges = analyzer
                .tokens(text, Mode::Bigrams)
                .into_iter()
                .filter(|t| self.bigrams.contains(t.text.as_str()))
                .map(|t| (t.from, t.to))
                .collect();
        }
        merge(ranges)
    }
}

/// An English word (ASCII letters and digits, a letter among them): jieba cuts it whole and
/// its term is its stem, which need not be a substring of it (happy → happi).
fn is_english_word(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_alphanumeric()) && word.bytes().any(|b| b.is_ascii_alphabetic())
}

fn merge(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (a, b) in ranges {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Escapes text for HTML.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// `text` shown through `show` (a script conversion) with `ranges` wrapped in `<mark>`,
/// everything else escaped. Each piece between and inside the marks is converted on its own, so
/// the marks stay on the converted matches whatever lengths the conversion gives.
fn mark(text: &str, ranges: &[(usize, usize)], show: &dyn Fn(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(a, b) in ranges {
        if a < at || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        escape(&show(&text[at..a]), &mut out);
        out.push_str("<mark>");
        escape(&show(&text[a..b]), &mut out);
        out.push_str("</mark>");
        at = b;
    }
    escape(&show(&text[at..]), &mut out);
    out
}

/// Characters of context converted with a snippet's edges.
const EDGE: usize = 4;

/// A window of at most `max_chars` characters of `text` around its densest matches `ranges`,
/// shown through `show` (a script conversion, applied to the window only), escaped and marked,
/// with `…` where text was cut.
pub fn snippet(text: &str, ranges: &[(usize, usize)], max_chars: usize, show: &dyn Fn(&str) -> String) -> String {
    let text = text.trim();
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let n_chars = bounds.len() - 1;
    if n_chars <= max_chars {
        return mark(text, ranges, show);
    }
    let char_at = |byte: usize| bounds.partition_point(|&b| b < byte);
    // Best start: a little context before the match that lets the most matches fit.
    let mut best = (0usize, 0usize);
    for &(a, _) in ranges {
        let start = char_at(a).saturating_sub(12).min(n_chars - max_chars);
        let end = start + max_chars;
        let inside = ranges.iter().filter(|(x, y)| char_at(*x) >= start && char_at(*y) <= end).count();
        if inside > best.1 {
            best = (start, inside);
        }
    }
    let (start, end) = (best.0, best.0 + max_chars);
    let (a, b) = (bounds[start], bounds[end]);
    let inner: Vec<(usize, usize)> =
        ranges.iter().filter(|(x, y)| *x >= a && *y <= b).map(|(x, y)| (x - a, y - a)).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // A phrase cut by the window converts as it does in the whole text (制造 → 製造, not 制):
    // the pieces at the window's edges are converted with a few characters around them, which
    // are dropped again when the conversion kept the number of characters.
    let edged = |piece: &str| -> String {
        let from = piece.as_ptr() as usize - text.as_ptr() as usize;
        let to = from + piece.len();
        let before = if from == a { bounds[start.saturating_sub(EDGE)] } else { from };
        let after = if to == b { bounds[(end + EDGE).min(n_chars)] } else { to };
        if (before, after) == (from, to) {
            return show(piece);
        }
        let wide = show(&text[before..after]);
        let (lead, tail) = (text[before..from].chars().count(), text[to..after].chars().count());
        let n = wide.chars().count();
        if n == lead + piece.chars().count() + tail {
            wide.chars().skip(lead).take(n - lead - tail).collect()
        } else {
            show(piece)
        }
    };
    out.push_str(&mark(&text[a..b], &inner, &edged));
    if end < n_chars {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::analyzer;

    #[test]
    fn marks_exactly_the_matched_traditional_text() {
        let a = analyzer();
        let terms: HashSet<String> = ["集成电路".to_string()].into();
        let text = "研發集成電路與<b>封裝</b>";
        let r = Marker::new(&a, &terms, &HashSet::new()).ranges(text);
        assert_eq!(mark(text, &r, &|t: &str| t.to_string()), "研發<mark>集成電路</mark>與&lt;b&gt;封裝&lt;/b&gt;");
    }

    #[test]
    fn bigrams_mark_when_no_word_matches() {
        let a = analyzer();
        let bigrams: HashSet<String> = ["港科".to_string()].into();
        let empty = HashSet::new();
        let text = "香港科技大學";
        let r = Marker::new(&a, &empty, &bigrams).ranges(text);
        assert_eq!(mark(text, &r, &|t: &str| t.to_string()), "香<mark>港科</mark>技大學");
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let text = format!("{}机器人{}", "甲".repeat(100), "乙".repeat(100));
        let a = text.find("机器人").unwrap();
        let s = snippet(&text, &[(a, a + "机器人".len())], 40, &|t: &str| t.to_string());
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("<mark>机器人</mark>"), "{s}");
        assert_eq!(s.chars().count(), 40 + 2 + 13);
    }

    #[test]
    fn only_the_window_is_shown_converted_with_the_marks_on_the_match() {
        let a = analyzer();
        let terms: HashSet<String> = ["机器人".to_string()].into();
        let text = format!("{}医疗机器人研发{}", "甲".repeat(100), "乙".repeat(100));
        let r = Marker::new(&a, &terms, &HashSet::new()).ranges(&text);
        let shown = |t: &str| {
            assert!(t.chars().count() <= 40 + 2 * EDGE, "converted more than the window: {t}");
            a.to_script(t, crate::analysis::Lang::Hant)
        };
        let s = snippet(&text, &r, 40, &shown);
        assert!(s.contains("醫療<mark>機器人</mark>研發"), "{s}");
        // A conversion that changes lengths keeps the mark on the converted match.
        let s = snippet(&text, &r, 40, &|t: &str| t.replace("机器人", "robot").replace('甲', "ab"));
        assert!(s.contains("abab医疗<mark>robot</mark>研发"), "{s}");
        // A phrase cut by the window's end converts as in the whole text.
        let text = format!("{}机器人{}制造业{}", "甲".repeat(100), "乙".repeat(24), "丙".repeat(100));
        let r = Marker::new(&a, &terms, &HashSet::new()).ranges(&text);
        let s = snippet(&text, &r, 40, &shown);
        assert!(s.ends_with("乙製…"), "{s}");
    }

    /// What cutting the whole text marks: the reference [`Marker`] must agree with.
    fn marks_of_the_whole_cut(a: &Analyzer, text: &str, terms: &HashSet<String>) -> Vec<(usize, usize)> {
        let tokens = a.tokens(text, Mode::Search).into_iter();
        merge(tokens.filter(|t| terms.contains(t.text.as_str())).map(|t| (t.from, t.to)).collect())
    }

    #[test]
    fn cutting_only_the_blocks_that_can_match_marks_what_cutting_everything_marks() {
        let a = analyzer();
        let texts = [
            "香港機械人協會與醫療機械人研發中心合作，研发集成电路和Lithium Batteries（锂电池）热管理；AI晶片 5G芯片。",
            "深圳的机器人公司 robots, robotic arms and 3.5% efficiency: 機械人员、机械人员與機器人",
            "熱管理 thermal management for battery packs；散熱、熱失控防護 — 香港科技大學 HKUST",
        ];
        let mut compared = 0;
        for text in texts {
            let own: Vec<String> = a.tokens(text, Mode::Search).into_iter().map(|t| t.text.into()).collect();
            // Every token of the text alone, in pairs, and with words it does not hold.
            for (i, t) in own.iter().enumerate() {
                let pair = own.get(i + 3).cloned().unwrap_or_else(|| "不在".into());
                for terms in [vec![t.clone()], vec![t.clone(), pair, "absent".into(), "无关".into()]] {
                    let terms: HashSet<String> = terms.into_iter().collect();
                    let marked = Marker::new(&a, &terms, &HashSet::new()).ranges(text);
                    assert_eq!(marked, marks_of_the_whole_cut(&a, text, &terms), "{terms:?} in {text}");
                    compared += 1;
                }
            }
        }
        // The bundled records' descriptions, each with some of its own words and of the next's.
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut descriptions: Vec<String> = Vec::new();
        for name in ["entities", "listings", "talents"] {
            let lines = std::fs::read_to_string(dir.join(format!("{name}.jsonl"))).unwrap();
            for line in lines.lines().filter(|l| !l.trim().is_empty()).take(120) {
                let record: serde_json::Value = serde_json::from_str(line).unwrap();
                descriptions.extend(record["description"].as_str().map(String::from));
            }
        }
        for (i, text) in descriptions.iter().enumerate() {
            let next = &descriptions[(i + 1) % descriptions.len()];
            let own = a.tokens(text, Mode::Search).into_iter().step_by(7);
            let other = a.tokens(next, Mode::Search).into_iter().step_by(5);
            let terms: HashSet<String> = own.chain(other).map(|t| t.text.into()).collect();
            let marked = Marker::new(&a, &terms, &HashSet::new()).ranges(text);
            assert_eq!(marked, marks_of_the_whole_cut(&a, text, &terms), "{terms:?} in {text}");
            compared += 1;
        }
        assert!(compared > 400, "{compared}");
    }
}
