//! The analysis pipeline as tantivy tokenizers (`gba_words`, `gba_search`, `gba_bigram`).

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::{AToken, Analyzer, Mode};

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

/// The tokens of one text, handed to tantivy one at a time through a single [`Token`] whose text
/// buffer is reused.
pub struct GbaTokenStream {
    tokens: std::vec::IntoIter<AToken>,
    token: Token,
}

impl Tokenizer for GbaTokenizer {
    type TokenStream<'a> = GbaTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> GbaTokenStream {
        let tokens = self.analyzer.tokens(text, self.mode).into_iter();
        GbaTokenStream { tokens, token: Token { position: usize::MAX, ..Token::default() } }
    }
}

impl TokenStream for GbaTokenStream {
    fn advance(&mut self) -> bool {
        let Some(t) = self.tokens.next() else { return false };
        self.token.text.clear();
        self.token.text.push_str(&t.text);
        self.token.offset_from = t.from;
        self.token.offset_to = t.to;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
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
