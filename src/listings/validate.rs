//! Validation of a submitted listing: every bad field is named, so the client can show each
//! message beside its field.

use serde_json::{Map, Value};

use crate::error::FieldError;
use crate::model::{self, Record};

/// Cooperation modes of the contract.
pub const COOPERATION: [&str; 7] = {
    let t = model::COOPERATION;
    [t[0].0, t[1].0, t[2].0, t[3].0, t[4].0, t[5].0, t[6].0]
};

/// Days a listing stays open unless it says otherwise.
pub const DEFAULT_TTL_DAYS: i64 = 180;

/// Shortest description, in characters.
pub const MIN_DESCRIPTION_CHARS: usize = 30;

/// Fields the server sets; a client's values are ignored.
pub const SERVER_FIELDS: [&str; 7] = ["id", "owner", "status", "created_at", "updated_at", "last_confirmed_at", "seq"];

fn text_field(body: &Map<String, Value>, key: &str, max: usize, errors: &mut Vec<FieldError>) -> Option<String> {
    match body.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.chars().count() <= max => Some(s.trim().to_string()),
        Some(Value::String(_)) => {
            errors.push(FieldError::new(key, format!("must be at most {max} characters")));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(key, "must be a string"));
            None
        }
    }
}

fn string_list(body: &Map<String, Value>, key: &str, errors: &mut Vec<FieldError>) -> Vec<String> {
    match body.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.len() <= 50 => {
            let mut out = Vec::new();
            for item in items {
                match item.as_str().map(str::trim) {
                    Some(s) if !s.is_empty() && s.chars().count() <= 100 => out.push(s.to_string()),
                    _ => {
                        errors.push(FieldError::new(key, "items must be non-empty strings of at most 100 characters"));
                        return Vec::new();
                    }
                }
            }
            out
        }
        Some(_) => {
            errors.push(FieldError::new(key, "must be a list of at most 50 strings"));
            Vec::new()
        }
    }
}

/// Checks a submitted listing body and returns the cleaned body (server fields removed,
/// `title`/`name` both set, `expires_at` defaulted). `now` is Unix seconds.
pub fn validate(input: &Value, now: i64) -> Result<Map<String, Value>, Vec<FieldError>> {
    let Value::Object(body) = input else {
        return Err(vec![FieldError::new("body", "must be a JSON object")]);
    };
    let mut errors = Vec::new();
    let mut out = body.clone();
    for f in SERVER_FIELDS {
        out.remove(f);
    }
    check_texts(body, &mut out, &mut errors);
    check_lists(body, &mut out, &mut errors);
    check_details(body, &mut errors);
    check_expiry(body, now, &mut out, &mut errors);
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The kind, the title (set as `title` and `name` in `out`), the description (trimmed in `out`)
/// and the other texts.
fn check_texts(body: &Map<String, Value>, out: &mut Map<String, Value>, errors: &mut Vec<FieldError>) {
    match body.get("kind").and_then(Value::as_str) {
        Some(k) if model::LISTING_KINDS.contains(&k) => {}
        _ => errors.push(FieldError::new("kind", "required: supply (an offer) or demand (a need)")),
    }
    let title = text_field(body, "title", 200, errors).or_else(|| text_field(body, "name", 200, errors));
    match title.filter(|t| !t.is_empty()) {
        Some(t) => {
            out.insert("title".into(), Value::String(t.clone()));
            out.insert("name".into(), Value::String(t));
        }
        None => errors.push(FieldError::new("title", "required: a short title of the offer or need")),
    }
    let description = text_field(body, "description", 20_000, errors).unwrap_or_default();
    if description.chars().count() < MIN_DESCRIPTION_CHARS {
        errors.push(FieldError::new(
            "description",
            format!("required, at least {MIN_DESCRIPTION_CHARS} characters: what the technology does or what problem must be solved"),
        ));
    }
    for key in ["name_en", "description_en", "benefit", "ip_status"] {
        text_field(body, key, 20_000, errors);
    }
    out.insert("description".into(), Value::String(description));
}

/// The cooperation modes, clusters and technology fields (set cleaned in `out`): at least one
/// mode, and a cluster or a field.
fn check_lists(body: &Map<String, Value>, out: &mut Map<String, Value>, errors: &mut Vec<FieldError>) {
    let cooperation = string_list(body, "cooperation", errors);
    if cooperation.is_empty() {
        errors.push(FieldError::new("cooperation", format!("at least one of {}", COOPERATION.join(", "))));
    } else if let Some(bad) = cooperation.iter().find(|c| !COOPERATION.contains(&c.as_str())) {
        errors.push(FieldError::new("cooperation", format!("{bad:?} is not one of {}", COOPERATION.join(", "))));
    }
    let clusters = string_list(body, "clusters", errors);
    if let Some(bad) = clusters.iter().find(|c| model::lookup(&model::CLUSTERS, c).is_none()) {
        let codes: Vec<&str> = model::CLUSTERS.iter().map(|c| c.0).collect();
        errors.push(FieldError::new("clusters", format!("{bad:?} is not one of {}", codes.join(", "))));
    }
    let fields = string_list(body, "fields", errors);
    for (key, list) in [("cooperation", &cooperation), ("clusters", &clusters), ("fields", &fields)] {
        if !list.is_empty() {
            out.insert(key.into(), Value::Array(list.iter().cloned().map(Value::String).collect()));
        }
    }
    if clusters.is_empty() && fields.is_empty() {
        errors.push(FieldError::new("clusters", "give at least one cluster code or one technology field (`fields`)"));
    }
}

/// The city, the readiness level, the budget and the contact, when given.
fn check_details(body: &Map<String, Value>, errors: &mut Vec<FieldError>) {
    match body.get("city") {
        None | Some(Value::Null) => {}
        Some(Value::String(c)) if model::lookup(&model::CITIES, c).is_some() => {}
        Some(_) => {
            let codes: Vec<&str> = model::CITIES.iter().map(|c| c.0).collect();
            errors.push(FieldError::new("city", format!("must be one of {}", codes.join(", "))));
        }
    }
    match body.get("trl") {
        None | Some(Value::Null) => {}
        Some(v) if v.as_u64().is_some_and(|t| (1..=9).contains(&t)) => {}
        Some(_) => errors.push(FieldError::new("trl", "must be a whole number from 1 to 9")),
    }
    match body.get("budget_cny") {
        None | Some(Value::Null) => {}
        Some(Value::Object(b)) => {
            let num = |k: &str| b.get(k).map(|v| v.as_f64().filter(|x| *x >= 0.0 && x.is_finite()));
            match (num("min"), num("max")) {
                (Some(None), _) | (_, Some(None)) => {
                    errors.push(FieldError::new("budget_cny", "min and max must be non-negative numbers"))
                }
                (Some(Some(lo)), Some(Some(hi))) if lo > hi => {
                    errors.push(FieldError::new("budget_cny", "min must not exceed max"))
                }
                (None, None) => errors.push(FieldError::new("budget_cny", "give min, max or both")),
                _ => {}
            }
        }
        Some(_) => errors.push(FieldError::new("budget_cny", "must be an object {\"min\": …, \"max\": …}")),
    }
    match body.get("contact") {
        None | Some(Value::Null) | Some(Value::Object(_)) => {}
        Some(_) => errors.push(FieldError::new("contact", "must be an object such as {\"name\": …, \"email\": …}")),
    }
}

/// The expiry time: in the future when given, [`DEFAULT_TTL_DAYS`] from `now` in `out` when not.
fn check_expiry(body: &Map<String, Value>, now: i64, out: &mut Map<String, Value>, errors: &mut Vec<FieldError>) {
    match body.get("expires_at") {
        None | Some(Value::Null) => {
            out.insert("expires_at".into(), Value::String(model::format_rfc3339(now + DEFAULT_TTL_DAYS * 86_400)));
        }
        Some(Value::String(s)) => match model::parse_rfc3339(s) {
            Some(t) if t > now => {}
            Some(_) => errors.push(FieldError::new("expires_at", "must be in the future")),
            None => errors.push(FieldError::new("expires_at", "must be an RFC 3339 time such as 2027-06-30T00:00:00Z")),
        },
        Some(_) => errors.push(FieldError::new("expires_at", "must be an RFC 3339 time string")),
    }
}

/// The listing as its owner (or a moderator) sees it, and as the public sees it.
pub fn view(record: &Record, privileged: bool) -> Map<String, Value> {
    if privileged { record.body.clone() } else { record.public_body() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_bad_field_is_named() {
        let e = validate(
            &json!({"kind": "offer", "description": "短", "cooperation": ["gift"], "trl": 12, "city": "paris"}),
            0,
        )
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|f| f.field.as_str()).collect();
        for f in ["kind", "title", "description", "cooperation", "clusters", "trl", "city"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn a_good_listing_gets_defaults_and_loses_server_fields() {
        let ok = validate(
            &json!({"kind": "supply", "title": "氮化鎵外延片", "description": "提供六英寸氮化鎵外延片與器件工藝開發，適用於快充與數據中心電源。",
                    "cooperation": ["license"], "fields": ["氮化鎵"], "owner": "someone-else", "status": "closed"}),
            1_000,
        )
        .unwrap();
        assert_eq!(ok["name"], "氮化鎵外延片");
        assert!(ok.get("owner").is_none() && ok.get("status").is_none());
        assert!(ok["expires_at"].as_str().unwrap().starts_with("1970-06"));
    }
}
