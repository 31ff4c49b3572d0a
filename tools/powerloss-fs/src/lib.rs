//! powerloss-fs: an in-memory FUSE file system that simulates power loss for crash tests.
//!
//! [`model`] holds the file system and its durability tracking (no FUSE types, unit-tested);
//! [`fuse`] adapts it to the kernel through `fuser`.

pub mod fuse;
pub mod model;
