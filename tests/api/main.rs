//! The one integration-test binary (each test binary costs a link on a 2-core machine).

mod browser;
mod cli;
mod clients;
mod common;
mod crash;
mod errors;
mod faults;
mod hostile;
mod lighthouse;
mod listings;
mod matching;
mod parity;
mod powerloss;
mod records;
mod relevance;
mod saved;
mod schema;
mod search;
mod server;
mod vocab;
mod web;
