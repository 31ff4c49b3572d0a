//! Supply and demand listings: the sled store (their source of truth) and bearer tokens.

mod store;
mod tokens;

pub use store::ListingStore;
pub use tokens::{TokenInfo, hash_token};
