//! The one table of the API's error codes: each code's HTTP status and what it means. Handlers,
//! middleware, the OpenAPI document (`ErrorCode` enum) and `docs/API.md` all take them from here.

use axum::http::StatusCode;

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:ident, $text:literal;)*) => {
        /// A stable, machine-readable error code (`error.code` of every error body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $(#[doc = $text] $variant,)*
        }

        impl ErrorCode {
            /// Every code, in the table's order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it appears in error bodies.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)* }
            }

            /// The HTTP status answered with this code.
            pub fn status(self) -> StatusCode {
                match self { $(ErrorCode::$variant => StatusCode::$status,)* }
            }

            /// What the code means, for the API reference.
            pub fn text(self) -> &'static str {
                match self { $(ErrorCode::$variant => $text,)* }
            }
        }
    };
}

error_codes! {
    BadRequest = "bad_request", BAD_REQUEST,
        "The request could not be read: a malformed path segment or header.";
    InvalidParameter = "invalid_parameter", BAD_REQUEST,
        "A parameter has a wrong value; the message names it and the values it takes.";
    InvalidQueryString = "invalid_query_string", BAD_REQUEST,
        "The query string cannot be parsed (a malformed escape, a parameter of the wrong type), \
         or names a parameter the operation does not have (the message lists the valid ones); \
         feeds ignore unknown parameters.";
    QueryTooLong = "query_too_long", BAD_REQUEST,
        "`q` or `text` is longer than 1,000 characters.";
    UnknownCollection = "unknown_collection", BAD_REQUEST,
        "`collections` names a collection that does not exist.";
    PageTooDeep = "page_too_deep", BAD_REQUEST,
        "The page asked for lies beyond the first 10,000 results; narrow the search instead.";
    InvalidJson = "invalid_json", BAD_REQUEST,
        "The body is not JSON, or not a JSON object of the expected shape.";
    InvalidOwner = "invalid_owner", BAD_REQUEST,
        "The owner given for a token is not a valid entity id.";
    OwnListing = "own_listing", BAD_REQUEST,
        "An organisation cannot express interest in its own listing, in itself or in its own experts.";
    Unauthorized = "unauthorized", UNAUTHORIZED,
        "No bearer token, or one the server does not know.";
    Forbidden = "forbidden", FORBIDDEN,
        "The token is valid but may not do this (another organisation's listing or messages, a moderator-only action).";
    NotFound = "not_found", NOT_FOUND,
        "No such record, listing, saved search or endpoint.";
    MethodNotAllowed = "method_not_allowed", METHOD_NOT_ALLOWED,
        "The path exists but not with this method; the `Allow` header lists those it takes.";
    Timeout = "timeout", REQUEST_TIMEOUT,
        "The request took longer than the server's timeout (30 s by default), body upload included.";
    Conflict = "conflict", CONFLICT,
        "The change conflicts with the record's state (editing a withdrawn listing).";
    PayloadTooLarge = "payload_too_large", PAYLOAD_TOO_LARGE,
        "The body is larger than 1 MiB.";
    UnsupportedMediaType = "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE,
        "The body is not sent as `Content-Type: application/json`.";
    InvalidFields = "invalid_fields", UNPROCESSABLE_ENTITY,
        "The JSON body is well formed but some fields are wrong; `fields` lists each with its problem.";
    RateLimited = "rate_limited", TOO_MANY_REQUESTS,
        "Too many writes for the organisation, or too many failed token checks from the address; see `Retry-After`.";
    Internal = "internal", INTERNAL_SERVER_ERROR,
        "A fault of the server, logged with its details; the request may be retried.";
    Unavailable = "unavailable", SERVICE_UNAVAILABLE,
        "The server is too busy to start the read in time; retry after `Retry-After` seconds.";
    InsufficientStorage = "insufficient_storage", INSUFFICIENT_STORAGE,
        "The data directory cannot be written (disk full or read-only): nothing was stored.";
}

impl ErrorCode {
    /// The code a status gets when the answer was made outside our handlers (the router's 405,
    /// the body limit's 413, the timeout's 408).
    pub fn for_status(status: StatusCode) -> ErrorCode {
        match status {
            StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
            StatusCode::REQUEST_TIMEOUT => ErrorCode::Timeout,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
            StatusCode::NOT_FOUND => ErrorCode::NotFound,
            s if s.is_server_error() => ErrorCode::Internal,
            _ => ErrorCode::BadRequest,
        }
    }

    /// The Markdown table of every code, as `docs/API.md` shows it between its markers.
    pub fn markdown_table() -> String {
        let mut out = String::from("| code | HTTP status | meaning |\n|---|---|---|\n");
        for c in ErrorCode::ALL {
            out.push_str(&format!("| `{}` | {} | {} |\n", c.as_str(), c.status().as_u16(), c.text()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_errors() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "{} twice", c.as_str());
            assert!(c.status().is_client_error() || c.status().is_server_error(), "{c:?}");
        }
    }

    #[test]
    fn the_web_ui_has_its_own_message_for_every_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web/i18n.js");
        let js = std::fs::read_to_string(&path).expect("web/i18n.js");
        let table = &js[js.find("export const ERROR_CODES = {").expect("ERROR_CODES in web/i18n.js")..];
        let table = &table[..table.find("\n};").expect("end of ERROR_CODES")];
        for c in ErrorCode::ALL {
            let row = table.lines().find(|l| l.trim_start().starts_with(&format!("{}: [", c.as_str())));
            let row = row.unwrap_or_else(|| panic!("web/i18n.js ERROR_CODES has no message for {}", c.as_str()));
            assert_eq!(row.matches("', '").count(), 2, "{}: three messages (简, 繁, EN)", c.as_str());
        }
        let rows = table.lines().filter(|l| l.trim_start().contains(": ['")).count();
        assert_eq!(rows, ErrorCode::ALL.len(), "web/i18n.js ERROR_CODES lists a code the API does not have");
    }

    #[test]
    fn docs_api_md_shows_the_table_of_codes() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/API.md");
        let doc = std::fs::read_to_string(&path).expect("docs/API.md");
        let (start, end) = ("<!-- error-codes:start -->\n", "<!-- error-codes:end -->");
        let from = doc.find(start).expect("start marker") + start.len();
        let to = doc.find(end).expect("end marker");
        assert_eq!(
            &doc[from..to],
            ErrorCode::markdown_table(),
            "docs/API.md's error table is out of date: paste ErrorCode::markdown_table() between the markers"
        );
    }
}
