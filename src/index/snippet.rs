//! Highlighted snippets computed from the analysed text (byte offsets into the text shown), so
//! `<mark>` wraps exactly the matched characters in whatever script is returned.

use std::collections::HashSet;

use crate::analysis::{Analyzer, Mode};

/// Byte ranges of `text` that match the query: words and sub-words first; bigrams only when no
/// word matched. Overlapping and touching ranges are merged.
pub fn matches(
    analyzer: &Analyzer,
    text: &str,
    terms: &HashSet<String>,
    bigrams: &HashSet<String>,
) -> Vec<(usize, usize)> {
    let mut ranges: Vec<(usize, usize)> = analyzer
        .tokens(text, Mode::Search)
        .into_iter()
        .filter(|t| terms.contains(&t.text))
        .map(|t| (t.from, t.to))
        .collect();
    if ranges.is_empty() && !bigrams.is_empty() {
        ranges = analyzer
            .tokens(text, Mode::Bigrams)
            .into_iter()
            .filter(|t| bigrams.contains(&t.text))
            .map(|t| (t.from, t.to))
            .collect();
    }
    merge(ranges)
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

/// Text with `ranges` wrapped in `<mark>`, everything else escaped.
pub fn mark(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(a, b) in ranges {
        if a < at || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        escape(&text[at..a], &mut out);
        out.push_str("<mark>");
        escape(&text[a..b], &mut out);
        out.push_str("</mark>");
        at = b;
    }
    escape(&text[at..], &mut out);
    out
}

/// A window of at most `max_chars` characters around the densest matches, escaped and marked,
/// with `…` where text was cut.
pub fn snippet(text: &str, ranges: &[(usize, usize)], max_chars: usize) -> String {
    let text = text.trim();
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let n_chars = bounds.len() - 1;
    if n_chars <= max_chars {
        return mark(text, ranges);
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
    out.push_str(&mark(&text[a..b], &inner));
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
        let r = matches(&a, text, &terms, &HashSet::new());
        assert_eq!(mark(text, &r), "研發<mark>集成電路</mark>與&lt;b&gt;封裝&lt;/b&gt;");
    }

    #[test]
    fn bigrams_mark_when_no_word_matches() {
        let a = analyzer();
        let bigrams: HashSet<String> = ["港科".to_string()].into();
        let text = "香港科技大學";
        let r = matches(&a, text, &HashSet::new(), &bigrams);
        assert_eq!(mark(text, &r), "香<mark>港科</mark>技大學");
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let text = format!("{}机器人{}", "甲".repeat(100), "乙".repeat(100));
        let a = text.find("机器人").unwrap();
        let s = snippet(&text, &[(a, a + "机器人".len())], 40);
        assert!(s.starts_with('…') && s.ends_with('…') && s.contains("<mark>机器人</mark>"), "{s}");
        assert_eq!(s.chars().count(), 40 + 2 + 13);
    }
}
