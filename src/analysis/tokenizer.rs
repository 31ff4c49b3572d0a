//! The analysis pipeline as tantivy tokenizers (`gba_words`, `gba_search`, `gba_bigram`).

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{Analyzer, Mode};

/// A tantivy tokenizer backed by a shared [`Analyzer`] (cloning it clones an `Arc`).
#[derive(Clone)]
pub struct GbaTokenizer {
    analyzer: Arc<Analyzer>,
    mode: Mode,
}

impl GbaTokenizer {
    /// A tokenizer cutting text in `mode`.
    pub fn new(analyzer: Arc<Analyzer>, mode: Mode) -> GbaTokenizer {
        GbaTokenizer { analyzer, mode }
    }
}

/// The tokens of one text.
pub struct GbaTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl Tokenizer for GbaTokenizer {
    type TokenStream<'a> = GbaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GbaTokenStream {
        let tokens = self
            .analyzer
            .tokens(text, self.mode)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.from,
                offset_to: t.to,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        GbaTokenStream { tokens, index: 0 }
    }
}

impl TokenStream for GbaTokenStream {
    fn advance(&mut self) -> bool {
        self.index += 1;
        self.index <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index - 1]
    }
}

/// Tokenizer names used by the schema.
pub const WORDS: &str = "gba_words";
/// Search-mode tokenizer name.
pub const SEARCH: &str = "gba_search";
/// Bigram tokenizer name.
pub const BIGRAM: &str = "gba_bigram";

/// Registers the three tokenizers on an index.
pub fn register_tokenizers(index: &tantivy::Index, analyzer: &Arc<Analyzer>) {
    let m = index.tokenizers();
    m.register(WORDS, GbaTokenizer::new(analyzer.clone(), Mode::Words));
    m.register(SEARCH, GbaTokenizer::new(analyzer.clone(), Mode::Search));
    m.register(BIGRAM, GbaTokenizer::new(analyzer.clone(), Mode::Bigrams));
}
