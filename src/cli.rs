//! The command line (`gba-search serve | import | reindex | export | restore | gen | vocab | openapi |
//! token create`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::engine::{self, Engine, Paths, Rebuild};
use crate::error::{Error, Invalid, Result};
use crate::model::Collection;

/// gba-search: search the innovation resources of the Guangdong–Hong Kong–Macau Greater Bay Area
/// (粤港澳大湾区创新资源检索) in Simplified Chinese, Traditional Chinese and English.
#[derive(Debug, Parser)]
#[command(name = "gba-search", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data and the index live.
#[derive(Debug, Args, Clone)]
pub struct Dirs {
    /// Data directory: bundled JSONL files, vocabulary, the listings database (the truth).
    #[arg(long, env = "GBA_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
    /// Index directory (derived; rebuilt from the data directory when needed).
    #[arg(long, env = "GBA_INDEX_DIR", default_value = "index")]
    index_dir: PathBuf,
}

impl Dirs {
    fn paths(&self) -> Paths {
        Paths { data_dir: self.data_dir.clone(), index_dir: self.index_dir.clone() }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service (builds the index from the data directory first when needed).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "GBA_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Origins allowed to call the API from other sites (CORS), comma-separated, such as
        /// `https://portal.example.org`; `*` allows any. Default: none.
        #[arg(long, env = "GBA_CORS_ORIGINS", value_delimiter = ',', value_parser = crate::http::parse_origin)]
        cors_origins: Vec<crate::http::Origin>,
        /// Listing writes (post, edit, renew, withdraw, interest) a minute per organisation; 0 = unlimited.
        #[arg(long, env = "GBA_WRITES_PER_MINUTE", default_value_t = 60)]
        writes_per_minute: u32,
        /// Failed token checks a minute per client address before it gets 429; 0 = unlimited.
        #[arg(long, env = "GBA_AUTH_FAILURES_PER_MINUTE", default_value_t = 10)]
        auth_failures_per_minute: u32,
        /// Number of recent search answers, and of suggestions, kept in memory (reused for the
        /// same request while the index is unchanged and no listing has expired since, for at most
        /// 5 minutes); 0 turns the cache off.
        #[arg(long, env = "GBA_SEARCH_CACHE", default_value_t = crate::index::DEFAULT_ANSWERS)]
        search_cache: usize,
        /// Searches, suggestions and record reads computed at once (default: three per core);
        /// the others wait their turn, in the order they came.
        #[arg(long, env = "GBA_CONCURRENT_READS", default_value_t = crate::http::default_concurrent_reads(), value_parser = clap::value_parser!(u32).range(1..))]
        concurrent_reads: u32,
        /// Longest time a request may take, body upload included, before it is answered 408
        /// (milliseconds).
        #[arg(long, env = "GBA_REQUEST_TIMEOUT_MS", default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..))]
        request_timeout_ms: u64,
        /// Longest time a search, suggestion or record read waits for its turn under overload
        /// before it is answered 503 with `Retry-After` (milliseconds).
        #[arg(long, env = "GBA_READ_QUEUE_TIMEOUT_MS", default_value_t = 10_000)]
        read_queue_timeout_ms: u64,
        /// Accept plain `http://` webhooks to 127.0.0.1 / localhost (local development and tests).
        #[arg(long, env = "GBA_WEBHOOKS_ALLOW_LOOPBACK_HTTP")]
        webhooks_allow_loopback_http: bool,
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Import a JSONL file into a collection: records are upserted by id; malformed lines are
    /// reported with their line numbers and skipped (exit code 3 when any line was skipped).
    Import {
        /// Collection: entities, talents, listings, roadmaps or industries.
        #[arg(long)]
        collection: String,
        /// The JSON Lines file to read.
        file: PathBuf,
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Rebuild the index from the data directory, with a progress bar.
    Reindex {
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Back up: write every collection (listings from the store, private fields included) and
    /// the expressions of interest to DIR as JSON Lines that `import` reads, the vocabulary
    /// overlay, and a complete copy of the listings database (tokens, saved searches, webhooks).
    Export {
        /// Output directory (created if needed).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Restore an `export` into an empty data directory (the index is rebuilt at the next start).
    Restore {
        /// Directory written by `export`.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        dirs: Dirs,
    },
    /// Write N deterministic synthetic records (drawn from the data directory's records) to
    /// DIR/<collection>.jsonl, for benchmarks: the same seed always gives the same files.
    Gen {
        /// Number of records.
        #[arg(long)]
        docs: u64,
        /// Random seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory (created if needed).
        #[arg(long)]
        out: PathBuf,
        /// Data directory whose records are the templates.
        #[arg(long, env = "GBA_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
    /// Show the analysis vocabulary in force: the tables built into the binary and what the data
    /// directory's `vocab/` overlay adds, replaces or removes (see vocab/README.md).
    Vocab {
        /// Data directory whose `vocab/` folder is the overlay.
        #[arg(long, env = "GBA_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
        /// Also print the Chinese ↔ English pairs learned from the data directory's records.
        #[arg(long)]
        learned: bool,
    },
    /// Print the OpenAPI 3.1 document of the HTTP API (what `/api/openapi.json` serves), for
    /// client generators.
    Openapi,
    /// Manage organisation tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
}

#[derive(Debug, Subcommand)]
enum TokenCommand {
    /// Create a bearer token for an organisation and print it once (only its hash is stored).
    Create {
        /// The entity id the token acts for (e.g. ent-hkust).
        #[arg(long)]
        owner: String,
        /// Make it a moderator token.
        #[arg(long)]
        admin: bool,
        /// Data directory.
        #[arg(long, env = "GBA_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
}

/// Exit code when an import skipped malformed lines.
pub const EXIT_SKIPPED: u8 = 3;

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve {
            addr,
            cors_origins,
            writes_per_minute,
            auth_failures_per_minute,
            search_cache,
            concurrent_reads,
            request_timeout_ms,
            read_queue_timeout_ms,
            webhooks_allow_loopback_http,
            dirs,
        } => {
            let config = crate::http::Config {
                cors_origins,
                writes_per_minute,
                auth_failures_per_minute,
                webhooks_allow_loopback_http,
                concurrent_reads,
                request_timeout: std::time::Duration::from_millis(request_timeout_ms),
                read_queue_timeout: std::time::Duration::from_millis(read_queue_timeout_ms),
                search_cache,
            };
            let engine = Arc::new(Engine::open(dirs.paths(), Rebuild::IfStale, true)?);
            engine.index().set_suggestion_cache(search_cache);
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(|e| Error::io("starting the async runtime", e))?;
            rt.block_on(crate::http::serve(engine, addr, config))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { collection, file, dirs } => import(&collection, &file, &dirs),
        Command::Reindex { dirs } => {
            let engine = Engine::open(dirs.paths(), Rebuild::Always, true)?;
            let counts = engine.index().counts()?;
            engine.close()?;
            let parts: Vec<String> = counts.collections().iter().map(|(c, n)| format!("{c} {n}")).collect();
            println!("reindexed: {}", parts.join(", "));
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen { docs, seed, out, data_dir } => {
            for (name, n) in crate::synthetic::generate(&data_dir, docs, seed, &out)? {
                println!("{name}: {n} record(s) → {}", out.join(format!("{name}.jsonl")).display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { out, dirs } => {
            for (file, n) in engine::export(&dirs.data_dir, &out)? {
                println!("{n} → {}", file.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { from, dirs } => {
            for (name, n) in engine::restore(&from, &dirs.data_dir, &dirs.index_dir)? {
                println!("{name}: {n}");
            }
            println!("restored into {}; the index is rebuilt at the next start", dirs.data_dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            let doc = crate::http::openapi_document();
            let text = serde_json::to_string_pretty(doc.as_ref())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Vocab { data_dir, learned } => vocab(&data_dir, learned),
        Command::Token { command: TokenCommand::Create { owner, admin, data_dir } } => {
            token_create(&owner, admin, &data_dir)
        }
    }
}

/// `import`: upserts a collection's records from a JSONL file.
fn import(collection: &str, file: &Path, dirs: &Dirs) -> Result<ExitCode> {
    let c = Collection::parse(collection).ok_or_else(|| {
        Error::invalid(
            Invalid::Collection,
            format!("unknown collection {collection:?}: use entities, talents, listings, roadmaps or industries"),
        )
    })?;
    let engine = Engine::open(dirs.paths(), Rebuild::IfStale, true)?;
    let report = engine.import(c, file)?;
    engine.close()?;
    for e in &report.skipped {
        eprintln!("{}:{}: skipped: {}", file.display(), e.line, e.message);
    }
    println!("imported {} {} record(s), skipped {} line(s)", report.imported, c.as_str(), report.skipped.len());
    Ok(if report.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_SKIPPED) })
}

/// `vocab`: the tables in force, and with `learned` the term pairs learned from the records.
fn vocab(data_dir: &Path, learned: bool) -> Result<ExitCode> {
    let overlay = data_dir.join("vocab");
    let raw = crate::analysis::RawVocab::load(&overlay);
    println!("vocabulary in force (built in, with the overlay {}):", overlay.display());
    println!("{:<20} {:>8} {:>8} {:>6} {:>9} {:>8}", "table", "entries", "built-in", "added", "replaced", "removed");
    for t in &raw.tables {
        println!("{:<20} {:>8} {:>8} {:>6} {:>9} {:>8}", t.name, t.entries, t.builtin, t.added, t.replaced, t.removed);
    }
    if learned {
        let analyzer = engine::analyzer_for(data_dir)?;
        println!("\nlearned from the records ({} pairs):", analyzer.learned().len());
        for (zh, en) in analyzer.learned() {
            println!("{zh}\t{en}");
        }
        let confirmed = analyzer.dictionary_pairs();
        println!("\ndictionary senses the records confirm (CC-CEDICT, {} pairs):", confirmed.len());
        for (zh, en) in confirmed {
            println!("{zh}\t{en}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `token create`: a bearer token for `owner`, printed once.
fn token_create(owner: &str, admin: bool, data_dir: &Path) -> Result<ExitCode> {
    if !crate::dataset::valid_id(owner) {
        return Err(Error::invalid(Invalid::Owner, format!("--owner {owner:?} is not a valid entity id")));
    }
    let token = engine::with_store(data_dir, |store| store.create_token(owner, admin)).map_err(|e| match e {
        Error::Locked(dir) => Error::invalid(
            Invalid::Parameter,
            format!(
                "a gba-search server holds {} (sled lets one process open the database). Create the token \
                 through it with a moderator token: curl -X POST http://127.0.0.1:8080/api/tokens \
                 -H 'Authorization: Bearer MODERATOR_TOKEN' -H 'content-type: application/json' \
                 -d '{{\"owner\":\"{owner}\"}}' — or stop the server and run this again",
                dir.display()
            ),
        ),
        other => other,
    })?;
    eprintln!("token for {owner}{} (shown once; keep it secret):", if admin { " (moderator)" } else { "" });
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
