//! The five collections, their records, and the code tables (cities, clusters, kinds) with their
//! labels.

use serde_json::{Map, Value};

use crate::analysis::Lang;

/// One of the five collections of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Collection {
    /// 产业发展: industry / cluster / chain-segment profiles.
    Industries,
    /// 技术路线图: technology roadmaps.
    Roadmaps,
    /// 创新主体: enterprises, universities, institutes, labs …
    Entities,
    /// 高端人才: expert profiles.
    Talents,
    /// 供需信息: supply and demand listings.
    Listings,
}

impl Collection {
    /// All collections, in display order.
    pub const ALL: [Collection; 5] =
        [Collection::Entities, Collection::Talents, Collection::Listings, Collection::Roadmaps, Collection::Industries];

    /// The code used in URLs, files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Industries => "industries",
            Collection::Roadmaps => "roadmaps",
            Collection::Entities => "entities",
            Collection::Talents => "talents",
            Collection::Listings => "listings",
        }
    }

    /// Parses a collection code.
    pub fn parse(s: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// A small number stored in the index's fast fields.
    pub fn ord(self) -> u64 {
        self as u64
    }

    /// Inverse of [`Collection::ord`].
    pub fn from_ord(ord: u64) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.ord() == ord)
    }

    /// Labels in Simplified Chinese and English.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Collection::Industries => ("产业发展", "Industries"),
            Collection::Roadmaps => ("技术路线图", "Technology roadmaps"),
            Collection::Entities => ("创新主体", "Innovation entities"),
            Collection::Talents => ("高端人才", "Talents"),
            Collection::Listings => ("供需信息", "Supply & demand"),
        }
    }

    /// The bundled file of this collection inside the data directory.
    pub fn file_name(self) -> String {
        format!("{}.jsonl", self.as_str())
    }
}

/// A code table entry: code, Simplified Chinese label, English label.
pub type Code = (&'static str, &'static str, &'static str);

/// The 11 cities of the Greater Bay Area.
pub const CITIES: [Code; 11] = [
    ("guangzhou", "广州", "Guangzhou"),
    ("shenzhen", "深圳", "Shenzhen"),
    ("zhuhai", "珠海", "Zhuhai"),
    ("foshan", "佛山", "Foshan"),
    ("huizhou", "惠州", "Huizhou"),
    ("dongguan", "东莞", "Dongguan"),
    ("zhongshan", "中山", "Zhongshan"),
    ("jiangmen", "江门", "Jiangmen"),
    ("zhaoqing", "肇庆", "Zhaoqing"),
    ("hongkong", "香港", "Hong Kong"),
    ("macau", "澳门", "Macau"),
];

/// Cluster codes: the five world-class clusters first.
pub const CLUSTERS: [Code; 11] = [
    ("electronics", "电子信息", "Electronics & information"),
    ("automotive", "汽车", "Automotive"),
    ("smart_appliances", "智能家电", "Smart appliances"),
    ("robotics", "机器人", "Robotics"),
    ("green_petrochem", "绿色石化", "Green petrochemicals"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("new_materials", "新材料", "New materials"),
    ("new_energy", "新能源", "New energy"),
    ("semiconductors", "集成电路", "Semiconductors"),
    ("ai", "人工智能", "Artificial intelligence"),
    ("other", "其他", "Other"),
];

/// Hong Kong labels of the codes whose Hong Kong wording differs from the Traditional spelling of
/// the mainland label (電子資訊, not 電子信息); the web UI's zh-Hant tables use the same words.
pub const HONG_KONG_LABELS: [(&str, &str); 8] = [
    ("electronics", "電子資訊"),
    ("robotics", "機械人"),
    ("university", "大專院校"),
    ("research_institute", "科研機構"),
    ("incubator", "孵化器及園區"),
    ("supply", "技術供應"),
    ("license", "專利授權"),
    ("listings", "供求資訊"),
];

/// The Hong Kong label of `code` where it is not the Traditional spelling of the mainland one.
pub fn hong_kong_label(code: &str) -> Option<&'static str> {
    HONG_KONG_LABELS.iter().find(|(c, _)| *c == code).map(|(_, hk)| *hk)
}

/// Cooperation modes a listing offers or seeks.
pub const COOPERATION: [Code; 7] = [
    ("transfer", "技术转让", "Technology transfer"),
    ("license", "专利许可", "Licensing"),
    ("joint_development", "联合研发", "Joint development"),
    ("equity", "作价入股", "Equity"),
    ("commissioned_rd", "委托研发", "Commissioned R&D"),
    ("talent", "人才合作", "Talent cooperation"),
    ("other", "其他", "Other"),
];

/// The label of `code` in `table` for a reader of `lang` ([`localized_label`]).
pub fn code_label(table: &[Code], code: &str, lang: Lang, to_hant: impl Fn(&str) -> String) -> Option<String> {
    let (_, zh, en) = lookup(table, code)?;
    Some(localized_label(code, zh, en, lang, to_hant))
}

/// The label of `code` (Simplified `zh`, English `en`) for a reader of `lang`: the English or
/// Simplified label, or for Traditional readers the Hong Kong word ([`HONG_KONG_LABELS`]) or else
/// `to_hant` of the Simplified one. The API (facet labels, match reasons) and the web UI's tables
/// (`web/codes.js`, generated from this) show the same words.
pub fn localized_label(code: &str, zh: &str, en: &str, lang: Lang, to_hant: impl Fn(&str) -> String) -> String {
    match lang {
        Lang::En => en.to_string(),
        Lang::Hant => hong_kong_label(code).map_or_else(|| to_hant(zh), str::to_string),
        _ => zh.to_string(),
    }
}

/// Kinds of entities and of listings (one table; the collection says which apply).
pub const KINDS: [Code; 8] = [
    ("enterprise", "企业", "Enterprise"),
    ("university", "高校", "University"),
    ("research_institute", "科研院所", "Research institute"),
    ("lab", "实验室", "Laboratory"),
    ("incubator", "孵化器与园区", "Incubator / park"),
    ("service_org", "服务机构", "Service organisation"),
    ("supply", "技术供给", "Supply (offer)"),
    ("demand", "技术需求", "Demand (need)"),
];

/// Entity kinds allowed by the contract.
pub const ENTITY_KINDS: [&str; 6] =
    ["enterprise", "university", "research_institute", "lab", "incubator", "service_org"];

/// Listing kinds allowed by the contract.
pub const LISTING_KINDS: [&str; 2] = ["supply", "demand"];

/// Position of `code` in `table`, used as the fast-field value.
pub fn code_ord(table: &[Code], code: &str) -> Option<u64> {
    table.iter().position(|(c, _, _)| *c == code).map(|p| p as u64)
}

/// The code at position `ord` of `table`.
pub fn code_at(table: &[Code], ord: u64) -> Option<&'static str> {
    table.get(ord as usize).map(|(c, _, _)| *c)
}

/// The table entry of `code`.
pub fn lookup(table: &[Code], code: &str) -> Option<Code> {
    table.iter().find(|(c, _, _)| *c == code).copied()
}

/// A record of any collection: its id and its JSON object (unknown fields kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Which collection it belongs to.
    pub collection: Collection,
    /// Its id, unique in the collection.
    pub id: String,
    /// The whole JSON object, `id` included.
    pub body: Map<String, Value>,
}

/// Fields never shown in public responses.
pub const PRIVATE_FIELDS: [&str; 1] = ["contact"];

impl Record {
    /// A string field, if present and a non-empty string.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.body.get(key).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
    }

    /// A list of strings (non-strings are skipped); a lone string counts as a one-item list.
    pub fn strs(&self, key: &str) -> Vec<&str> {
        match self.body.get(key) {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            Some(Value::String(s)) => vec![s.as_str()],
            _ => Vec::new(),
        }
    }

    /// The main title: `name`, or `title` for listings.
    pub fn name(&self) -> &str {
        self.str("name").or_else(|| self.str("title")).unwrap_or(&self.id)
    }

    /// The record as shown to the public: private fields removed.
    pub fn public_body(&self) -> Map<String, Value> {
        let mut body = self.body.clone();
        for f in PRIVATE_FIELDS {
            body.remove(f);
        }
        body
    }

    /// `updated_at` (or `created_at`) as a Unix timestamp, 0 when absent or unreadable.
    pub fn updated_ts(&self) -> i64 {
        ["updated_at", "created_at"].iter().filter_map(|k| self.str(k)).find_map(parse_rfc3339).unwrap_or(0)
    }
}

/// Parses an RFC 3339 timestamp into Unix seconds.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Formats Unix seconds as RFC 3339 (UTC).
pub fn format_rfc3339(ts: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// `bytes` fresh random bytes as lower-case hex (ids, tokens, secrets).
pub fn random_hex(bytes: usize) -> crate::Result<String> {
    let mut b = vec![0u8; bytes];
    getrandom::fill(&mut b).map_err(|e| crate::Error::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(b))
}

/// The current time as Unix seconds.
pub fn now_ts() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
