//! Supply and demand listings: the sled store (their source of truth), validation, bearer
//! tokens, and expressions of interest.

mod backup;
mod interests;
mod store;
mod tokens;
mod validate;

pub use interests::{About, Interest};
pub use store::{BOARD_PENDING, ListingStore, read_u64};
pub use tokens::{TokenInfo, hash_token};
pub use validate::{COOPERATION, DEFAULT_TTL_DAYS, validate, view};
