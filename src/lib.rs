//! gba-search: search for the innovation resources of the Guangdong–Hong Kong–Macau Greater Bay
//! Area, in Simplified Chinese, Traditional Chinese and English.
//!
//! See `docs/ARCHITECTURE.md` for how the modules fit together.
#![warn(missing_docs)]

pub mod analysis;
pub mod board;
pub mod cli;
pub mod dataset;
pub mod durable;
pub mod engine;
pub mod error;
pub mod http;
pub mod index;
pub mod listings;
pub mod matching;
pub mod model;
pub mod saved;
pub mod synthetic;
pub mod weights;

pub use error::{Error, Result};
