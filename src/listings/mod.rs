//! Supply and demand listings: the sled store (their source of truth), validation, bearer
//! tokens, and expressions of interest.

mod backup;
mod interests;
mod pairs;
mod saved;
mod store;
mod tokens;
mod validate;

pub use interests::{About, Interest};
pub use pairs::Pair;
pub use saved::{DELIVERIES_KEPT, Delivery, SavedQuery, SavedSearch, Webhook};
pub use store::ListingStore;
pub use tokens::{TokenInfo, hash_token};
pub use validate::{COOPERATION, DEFAULT_TTL_DAYS, validate, view};
