//! Listing validation on arbitrary JSON: never a panic; an accepted listing has every required
//! field, and a rejection names at least one field.
#![no_main]

use gba_search::listings::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    match validate(&value, 1_790_000_000) {
        Ok(body) => {
            for field in ["kind", "description", "cooperation", "expires_at"] {
                assert!(body.contains_key(field), "accepted without {field}: {body:?}");
            }
            assert!(body.contains_key("title") || body.contains_key("name"));
        }
        Err(errors) => assert!(!errors.is_empty()),
    }
});
