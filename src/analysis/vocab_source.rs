//! Where the vocabulary's text comes from: the tables in `vocab/` are compiled into the binary
//! (the analyzer's defaults, so a deployment from an empty data directory analyses exactly as the
//! bundled one), and a data directory's `vocab/` folder may add to them or override them.
//!
//! Overlay rules, per table: a line whose key (first column; the whole line for
//! `related_terms.tsv`, which has no key) equals a built-in key replaces that entry; a line
//! `-KEY` removes it; any other line is added. Keys compare case-insensitively.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// One vocabulary table: its file name, whether its first column is a key, and its built-in text.
struct Table {
    name: &'static str,
    keyed: bool,
    builtin: &'static str,
}

/// The tables, in the order they are read.
const TABLES: [Table; 8] = [
    Table { name: "regional_terms.tsv", keyed: true, builtin: include_str!("../../vocab/regional_terms.tsv") },
    Table { name: "glossary_zh_en.tsv", keyed: true, builtin: include_str!("../../vocab/glossary_zh_en.tsv") },
    Table { name: "related_terms.tsv", keyed: false, builtin: include_str!("../../vocab/related_terms.tsv") },
    Table { name: "domain_terms.txt", keyed: true, builtin: include_str!("../../vocab/domain_terms.txt") },
    Table { name: "stopwords.txt", keyed: true, builtin: include_str!("../../vocab/stopwords.txt") },
    Table { name: "hint_words.txt", keyed: true, builtin: include_str!("../../vocab/hint_words.txt") },
    Table { name: "common_english.txt", keyed: true, builtin: include_str!("../../vocab/common_english.txt") },
    Table { name: "cedict_en.tsv", keyed: true, builtin: include_str!("../../vocab/cedict_en.tsv") },
];

/// How one table in force was made: built-in entries and what the data directory changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSummary {
    /// File name, e.g. `glossary_zh_en.tsv`.
    pub name: &'static str,
    /// Entries compiled into the binary.
    pub builtin: usize,
    /// Entries the data directory added.
    pub added: usize,
    /// Built-in entries the data directory replaced.
    pub replaced: usize,
    /// Built-in entries the data directory removed (`-KEY`).
    pub removed: usize,
    /// Entries in force.
    pub entries: usize,
}

/// The vocabulary's lines in force, table by table, and how each table was made.
#[derive(Debug, Clone, Default)]
pub struct VocabText {
    lines: HashMap<&'static str, Vec<Cow<'static, str>>>,
    /// One summary per table, in table order.
    pub tables: Vec<TableSummary>,
}

impl VocabText {
    /// The built-in tables with `overlay_dir` (`DATA/vocab`) applied; a missing folder or file
    /// changes nothing.
    pub fn load(overlay_dir: &Path) -> VocabText {
        VocabText::with_overlay(|t| match std::fs::read_to_string(overlay_dir.join(t.name)) {
            Ok(s) => Some(s),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                tracing::warn!(path = %overlay_dir.join(t.name).display(), error = %e,
                    "vocabulary overlay not read; the built-in table is used");
                None
            }
        })
    }

    /// The built-in tables alone.
    pub fn builtin() -> VocabText {
        VocabText::with_overlay(|_| None)
    }

    /// Each built-in table with the overlay text `overlay` gives for it, if any.
    fn with_overlay(overlay: impl Fn(&Table) -> Option<String>) -> VocabText {
        let mut out = VocabText::default();
        for t in &TABLES {
            let (lines, summary) = merge(t, overlay(t).as_deref());
            out.lines.insert(t.name, lines);
            out.tables.push(summary);
        }
        out
    }

    /// The entry lines of table `name` in force (comments and blank lines dropped, trimmed).
    pub fn lines(&self, name: &str) -> impl Iterator<Item = &str> {
        self.lines.get(name).into_iter().flatten().map(|l| l.as_ref())
    }

    /// [`VocabText::lines`], kept: built-in lines are borrowed from the binary, not copied.
    pub fn lines_kept(&self, name: &str) -> Vec<Cow<'static, str>> {
        self.lines.get(name).cloned().unwrap_or_default()
    }
}

/// A digest of the built-in tables: part of the index fingerprint and of the start-up cache's
/// signature, so a binary with other built-in vocabulary rebuilds what was derived from it.
pub fn builtin_digest() -> [u8; 32] {
    static DIGEST: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    *DIGEST.get_or_init(|| {
        let mut h = Sha256::new();
        for t in &TABLES {
            h.update(t.name.as_bytes());
            h.update(Sha256::digest(t.builtin.as_bytes()));
        }
        h.finalize().into()
    })
}

fn entry_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn key_of(table: &Table, line: &str) -> String {
    let key = if table.keyed { line.split('\t').next().unwrap_or(line).trim() } else { line };
    key.to_lowercase()
}

/// The built-in lines of `table` with `overlay` applied (see the module's rules).
fn merge(table: &Table, overlay: Option<&str>) -> (Vec<Cow<'static, str>>, TableSummary) {
    let Some(overlay) = overlay else {
        // No overlay: the built-in lines as they are (the dictionary has 67,000).
        let lines: Vec<Cow<'static, str>> = entry_lines(table.builtin).map(Cow::Borrowed).collect();
        let n = lines.len();
        return (lines, TableSummary { name: table.name, builtin: n, entries: n, ..TableSummary::default() });
    };
    let mut lines: Vec<Option<Cow<'static, str>>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for line in entry_lines(table.builtin) {
        by_key.entry(key_of(table, line)).or_insert(lines.len());
        lines.push(Some(Cow::Borrowed(line)));
    }
    let mut summary = TableSummary { name: table.name, builtin: lines.len(), ..TableSummary::default() };
    for line in entry_lines(overlay) {
        if let Some(key) = line.strip_prefix('-') {
            if let Some(i) = by_key.remove(&key_of(table, key.trim()))
                && lines[i].take().is_some()
                && i < summary.builtin
            {
                summary.removed += 1;
            }
            continue;
        }
        match by_key.get(&key_of(table, line)) {
            Some(&i) if lines[i].is_some() => {
                if i < summary.builtin && lines[i].as_deref() != Some(line) {
                    summary.replaced += 1;
                }
                lines[i] = Some(Cow::Owned(line.to_string()));
            }
            _ => {
                by_key.insert(key_of(table, line), lines.len());
                lines.push(Some(Cow::Owned(line.to_string())));
                summary.added += 1;
            }
        }
    }
    let lines: Vec<Cow<'static, str>> = lines.into_iter().flatten().collect();
    summary.entries = lines.len();
    (lines, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(builtin: &'static str) -> Table {
        Table { name: "glossary_zh_en.tsv", keyed: true, builtin }
    }

    #[test]
    fn an_overlay_adds_replaces_and_removes_entries_by_key() {
        let t = table("# comment\n锂电池\tlithium battery\n电动汽车\telectric vehicle\n储能\tenergy storage\n");
        let overlay = "锂电池\tlithium battery | li-ion battery\n-储能\n氢能\thydrogen energy\n";
        let (lines, s) = merge(&t, Some(overlay));
        assert_eq!(
            lines,
            ["锂电池\tlithium battery | li-ion battery", "电动汽车\telectric vehicle", "氢能\thydrogen energy"]
        );
        assert_eq!((s.builtin, s.added, s.replaced, s.removed, s.entries), (3, 1, 1, 1, 3));
    }

    #[test]
    fn an_overlay_that_repeats_the_builtin_table_changes_nothing() {
        let t = table("锂电池\tlithium battery\n电动汽车\telectric vehicle\n");
        let (lines, s) = merge(&t, Some(t.builtin));
        assert_eq!(lines, entry_lines(t.builtin).collect::<Vec<_>>());
        assert_eq!((s.added, s.replaced, s.removed, s.entries), (0, 0, 0, 2));
    }

    #[test]
    fn unkeyed_tables_compare_whole_lines() {
        let t = Table {
            name: "related_terms.tsv", keyed: false, builtin: "热管理\t散热\n缺陷检测\t视觉检测\n"
        };
        let (lines, s) = merge(&t, Some("热管理\t导热\n-缺陷检测\t视觉检测\n"));
        assert_eq!(lines, ["热管理\t散热", "热管理\t导热"]);
        assert_eq!((s.added, s.removed), (1, 1));
    }

    #[test]
    fn the_builtin_tables_are_not_empty_and_a_missing_overlay_is_the_builtin() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = VocabText::load(&dir.path().join("vocab"));
        let builtin = VocabText::builtin();
        assert_eq!(loaded.tables, builtin.tables);
        for t in &builtin.tables {
            assert!(t.entries > 50, "{t:?}");
            assert_eq!(t.entries, t.builtin);
        }
    }
}
