//! Names of organisations in a record's text, so that a reader can follow them to their pages:
//! found through the index's name keys (every entity's name, English name and aliases), never by
//! scanning a list of all names, which at a million records would not fit a request.

use tantivy::Term;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::SearchIndex;
use super::query::any_of;
use crate::analysis::{Mode, is_cjk};
use crate::error::Result;
use crate::model::Collection;

/// Most words of a name looked up at one place ("Sun Yat-sen University" is four).
const NAME_WORDS: usize = 4;

/// Most names returned for one text.
const MOST_MENTIONS: usize = 20;

/// Most bytes of a text looked through: a long listing text costs a lookup per word, and the
/// organisations a text names come early.
const MOST_BYTES: usize = 4_000;

/// One organisation named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The name as the text writes it.
    pub text: String,
    /// The entity's id.
    pub id: String,
}

/// Could `s` be a name: three Chinese characters or more (两字 names such as 中大 are too often
/// other words or more than one organisation), or four letters or more.
fn name_like(s: &str) -> bool {
    let cjk = s.chars().filter(|c| is_cjk(*c)).count();
    if cjk > 0 {
        return cjk >= 3 && !s.chars().any(|c| c.is_whitespace() || (!is_cjk(c) && !c.is_alphanumeric()));
    }
    s.chars().filter(|c| c.is_alphabetic()).count() >= 4
}

impl SearchIndex {
    /// The organisations `text` names, in order, each once: at each place the longest run of
    /// one to [`NAME_WORDS`] words that is the name, English name or an alias of exactly one
    /// entity (other than `skip`).
    pub fn entity_mentions(&self, text: &str, skip: &str) -> Result<Vec<Mention>> {
        let searcher = self.reader.searcher();
        let mut end = text.len().min(MOST_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let text = &text[..end];
        let tokens = self.analyzer.tokens(text, Mode::Words);
        let entities = Collection::Entities.ord();
        let named = |surface: &str| -> Result<Option<String>> {
            let term = Term::from_field_text(self.fields.name_key, &self.analyzer.key(surface));
            if searcher.doc_freq(&term)? == 0 {
                return Ok(None);
            }
            let of: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic))),
                (Occur::Must, any_of(self.fields.collection, &[entities])),
            ];
            let top = searcher.search(&BooleanQuery::new(of), &TopDocs::with_limit(2).order_by_score())?;
            match top[..] {
                [(_, addr)] => Ok(Some(self.record_at(&searcher, addr)?.id)),
                _ => Ok(None),
            }
        };
        let mut out: Vec<Mention> = Vec::new();
        let mut i = 0;
        while i < tokens.len() && out.len() < MOST_MENTIONS {
            let mut found = None;
            for len in (1..=NAME_WORDS.min(tokens.len() - i)).rev() {
                let Some(surface) = text.get(tokens[i].from..tokens[i + len - 1].to) else { continue };
                if name_like(surface)
                    && let Some(id) = named(surface)?
                {
                    found = Some((len, Mention { text: surface.to_string(), id }));
                    break;
                }
            }
            match found {
                Some((len, m)) => {
                    if m.id != skip && !out.iter().any(|o| o.text == m.text) {
                        out.push(m);
                    }
                    i += len;
                }
                None => i += 1,
            }
        }
        Ok(out)
    }
}
