//! The one integration-test binary (each test binary costs a link on a 2-core machine).

mod cli;
mod common;
mod crash;
mod listings;
mod records;
mod relevance;
mod search;
mod server;
