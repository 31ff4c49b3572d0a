//! The tantivy schema shared by all five collections.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analysis::{BIGRAM, SEARCH, WORDS};

/// Bump when the schema or the analysis changes: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 7;

/// Listing status codes stored in the `status` field (other collections are always `open`).
pub const STATUSES: [&str; 3] = ["open", "closed", "withdrawn"];

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `collection/id`, unique across the index.
    pub key: Field,
    /// The record id.
    pub id: Field,
    /// Collection ordinal (fast, indexed).
    pub collection: Field,
    /// City ordinal.
    pub city: Field,
    /// Cluster ordinals (multi-valued).
    pub cluster: Field,
    /// Kind ordinal.
    pub kind: Field,
    /// Status ordinal (see [`STATUSES`]).
    pub status: Field,
    /// Expiry as Unix seconds (`i64::MAX` when none).
    pub expires: Field,
    /// `updated_at` as Unix seconds.
    pub updated: Field,
    /// Names, English names and aliases, words mode with positions (phrases).
    pub title_w: Field,
    /// The same text in search mode (sub-word recall).
    pub title_s: Field,
    /// Body text in words mode with positions.
    pub body_w: Field,
    /// Body text in search mode.
    pub body_s: Field,
    /// Labels of city, clusters, kind, affiliation: low-weight context.
    pub meta_s: Field,
    /// CJK bigrams of names and body (safety net).
    pub bigram: Field,
    /// Whole normalised names and aliases (exact-name boost).
    pub name_key: Field,
    /// Suggestion keys: whole normalised names and aliases.
    pub suggest_full: Field,
    /// Suggestion keys: names from each inner word on (科技大学 for 香港科技大学).
    pub suggest_part: Field,
    /// Ids of the entities a record belongs to: a talent's `affiliation`, a listing's `owner`.
    pub refs: Field,
    /// The public JSON of the record.
    pub doc: Field,
}

fn text(tokenizer: &str, option: IndexRecordOption) -> TextOptions {
    TextOptions::default()
        .set_indexing_options(TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(option))
}

/// Builds the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let freqs = IndexRecordOption::WithFreqs;
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        collection: b.add_u64_field("collection", INDEXED | FAST | STORED),
        city: b.add_u64_field("city", INDEXED | FAST),
        cluster: b.add_u64_field("cluster", INDEXED | FAST),
        kind: b.add_u64_field("kind", INDEXED | FAST),
        status: b.add_u64_field("status", INDEXED | FAST),
        expires: b.add_i64_field("expires", INDEXED | FAST),
        updated: b.add_i64_field("updated", INDEXED | FAST),
        title_w: b.add_text_field("title_w", text(WORDS, positions)),
        title_s: b.add_text_field("title_s", text(SEARCH, freqs)),
        body_w: b.add_text_field("body_w", text(WORDS, positions)),
        body_s: b.add_text_field("body_s", text(SEARCH, freqs)),
        meta_s: b.add_text_field("meta_s", text(SEARCH, freqs)),
        bigram: b.add_text_field("bigram", text(BIGRAM, freqs)),
        name_key: b.add_text_field("name_key", STRING),
        suggest_full: b.add_text_field("suggest_full", STRING),
        suggest_part: b.add_text_field("suggest_part", STRING),
        refs: b.add_text_field("refs", STRING),
        doc: b.add_text_field("doc", STORED),
    };
    (b.build(), fields)
}

/// Fields from an existing schema (by name).
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        key: f("key")?,
        id: f("id")?,
        collection: f("collection")?,
        city: f("city")?,
        cluster: f("cluster")?,
        kind: f("kind")?,
        status: f("status")?,
        expires: f("expires")?,
        updated: f("updated")?,
        title_w: f("title_w")?,
        title_s: f("title_s")?,
        body_w: f("body_w")?,
        body_s: f("body_s")?,
        meta_s: f("meta_s")?,
        bigram: f("bigram")?,
        name_key: f("name_key")?,
        suggest_full: f("suggest_full")?,
        suggest_part: f("suggest_part")?,
        refs: f("refs")?,
        doc: f("doc")?,
    })
}
