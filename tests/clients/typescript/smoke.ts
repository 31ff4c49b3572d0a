// Smoke test of a TypeScript client generated from gba-search's OpenAPI document, against a
// running server: types by openapi-typescript (generated/schema.d.ts, written by run.sh), calls by
// openapi-fetch. run.sh type-checks this file with `tsc --noEmit` (strict) before running it, so a
// path, parameter, body or response shape that the document gets wrong fails at compile time;
// the assertions below check that the server answers what the document says.
//
// Usage: BASE_URL=http://127.0.0.1:8080 TOKEN=gba_… npx tsx smoke.ts
// Exits 0 when every check passed, 1 otherwise; the last line is "typescript client: N passed, N failed".

import assert from "node:assert/strict";
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

type Schemas = components["schemas"];
type ErrorBody = Schemas["Error"];
type SearchResponse = Schemas["SearchResponse"];

const BASE_URL = (process.argv[2] ?? process.env.BASE_URL ?? "").replace(/\/+$/, "");
const TOKEN = process.argv[3] ?? process.env.TOKEN ?? "";
if (!BASE_URL || !TOKEN) {
  console.error("usage: BASE_URL=… TOKEN=… tsx smoke.ts   (or tsx smoke.ts BASE_URL TOKEN)");
  process.exit(2);
}

const anonymous = createClient<paths>({ baseUrl: BASE_URL });
const authed = createClient<paths>({ baseUrl: BASE_URL, headers: { Authorization: `Bearer ${TOKEN}` } });

const LISTING = {
  kind: "supply",
  title: "Generated-client probe: solid-state battery separator coating",
  description: "A ceramic-coated separator technology offered for licence to battery makers in the Greater Bay Area.",
  cooperation: ["license"],
  clusters: ["new_energy"],
};

let listingId: string | undefined;

/** Checks the status of an openapi-fetch answer and that it carries `data` (2xx). */
function ok<T>(what: string, status: number, r: { data?: T; error?: unknown; response: Response }): T {
  assert.equal(r.response.status, status, `${what}: HTTP ${r.response.status}, ${JSON.stringify(r.error ?? r.data)}`);
  assert.ok(r.data !== undefined, `${what}: no parsed body`);
  return r.data;
}

/** Checks the status of an error answer and the shape of its `Error` body. */
function failed(what: string, status: number, code: Schemas["ErrorCode"], r: { data?: unknown; error?: ErrorBody; response: Response }): string {
  assert.equal(r.response.status, status, `${what}: HTTP ${r.response.status}, ${JSON.stringify(r.error ?? r.data)}`);
  assert.ok(r.error, `${what}: no parsed error body`);
  assert.equal(r.error.error.code, code, `${what}: ${JSON.stringify(r.error)}`);
  assert.equal(typeof r.error.error.message, "string");
  assert.ok(r.error.error.message.length > 0, `${what}: empty message`);
  return `${status} ${r.error.error.code}: ${r.error.error.message}`;
}

function hits(what: string, answer: SearchResponse): string {
  assert.ok(answer.total > 0, `${what}: total is ${answer.total}`);
  const first = answer.hits[0];
  assert.ok(first, `${what}: no hits`);
  for (const field of ["id", "collection", "name"] as const) {
    assert.equal(typeof first[field], "string", `${what}: first hit has no ${field}`);
    assert.ok(first[field].length > 0, `${what}: first hit has an empty ${field}`);
  }
  return `total=${answer.total}, first ${first.collection}/${first.id} ${JSON.stringify(first.name)}`;
}

const checks: Array<[string, () => Promise<string | void>]> = [
  ["getHealth", async () => {
    const h = ok("health", 200, await anonymous.GET("/api/health"));
    assert.equal(h.status, "ok");
  }],
  ["searchRecords Simplified (q=机器人 city=shenzhen)", async () => {
    const answer = ok("search", 200, await anonymous.GET("/api/search", { params: { query: { q: "机器人", city: "shenzhen" } } }));
    const detail = hits("q=机器人 city=shenzhen", answer);
    assert.ok(answer.hits.every((h) => h.city === "shenzhen"), JSON.stringify(answer.hits.map((h) => h.city)));
    return detail;
  }],
  ["searchRecords Traditional HK (q=機械人 lang=zh-Hant)", async () => {
    const answer = ok("search", 200, await anonymous.GET("/api/search", { params: { query: { q: "機械人", lang: "zh-Hant" } } }));
    const detail = hits("q=機械人 lang=zh-Hant", answer);
    assert.equal(answer.lang, "zh-Hant");
    return detail;
  }],
  ["searchRecords English (q=robot cluster=robotics collections=entities,talents)", async () => {
    const answer = ok("search", 200, await anonymous.GET("/api/search", {
      params: { query: { q: "robot", cluster: "robotics", collections: "entities,talents" } },
    }));
    const detail = hits("q=robot cluster=robotics collections=entities,talents", answer);
    assert.ok(answer.hits.every((h) => h.collection === "entities" || h.collection === "talents"));
    return detail;
  }],
  ["getRecord entities/ent-hkust", async () => {
    const record = ok("record", 200, await anonymous.GET("/api/{collection}/{id}", {
      params: { path: { collection: "entities", id: "ent-hkust" } },
    }));
    assert.equal(record["id"], "ent-hkust");
    assert.equal(record["name"], "香港科技大學");
    assert.equal(record["name_en"], "The Hong Kong University of Science and Technology");
  }],
  ["suggest q=港科", async () => {
    const found = ok("suggest", 200, await anonymous.GET("/api/suggest", { params: { query: { q: "港科" } } }));
    const first = found[0];
    assert.ok(first, "no completion for 港科");
    assert.ok(found.some((s) => s.id === "ent-hkust"), JSON.stringify(found));
    return `${found.length} completions, first ${JSON.stringify(first.text)}`;
  }],
  ["createListing with the bearer token -> 201", async () => {
    const listing = ok("create", 201, await authed.POST("/api/listings", { body: LISTING }));
    assert.equal(typeof listing["id"], "string");
    assert.equal(listing["owner"], "ent-hkust");
    assert.equal(listing["title"], LISTING.title);
    listingId = String(listing["id"]);
    return `created ${listingId}`;
  }],
  ["getListing of the new listing", async () => {
    assert.ok(listingId, "no listing was created");
    const listing = ok("read", 200, await anonymous.GET("/api/listings/{id}", { params: { path: { id: listingId } } }));
    assert.equal(listing["title"], LISTING.title);
  }],
  ["getListingMatches of the new listing", async () => {
    assert.ok(listingId, "no listing was created");
    const answer = ok("matches", 200, await anonymous.GET("/api/listings/{id}/matches", { params: { path: { id: listingId } } }));
    assert.equal(answer.source, listingId);
    assert.ok(Array.isArray(answer.matches));
    for (const m of answer.matches) {
      assert.equal(typeof m.id, "string");
      assert.equal(typeof m.score, "number");
    }
    return `${answer.matches.length} matches`;
  }],
  ["withdrawListing of the new listing", async () => {
    assert.ok(listingId, "no listing was created");
    const listing = ok("withdraw", 200, await authed.DELETE("/api/listings/{id}", { params: { path: { id: listingId } } }));
    assert.equal(listing["status"], "withdrawn");
  }],
  ["searchRecords per_page=1000 -> 400 invalid_parameter", async () => {
    return failed("per_page=1000", 400, "invalid_parameter",
      await anonymous.GET("/api/search", { params: { query: { q: "robot", per_page: 1000 } } }));
  }],
  ["createListing without a token -> 401 unauthorized", async () => {
    failed("no token", 401, "unauthorized", await anonymous.POST("/api/listings", { body: LISTING }));
  }],
  ["getBoardFeed (Atom, as text)", async () => {
    const feed = ok("feed", 200, await anonymous.GET("/feeds/board", { parseAs: "text" }));
    assert.ok(feed.trimStart().startsWith("<?xml") && feed.includes("<feed"), feed.slice(0, 200));
  }],
];

console.log(`typescript client against ${BASE_URL}`);
let passed = 0;
let failures = 0;
for (const [name, check] of checks) {
  try {
    const detail = await check();
    passed += 1;
    console.log(`  ok   ${name}${detail ? ` -- ${detail}` : ""}`);
  } catch (e) {
    failures += 1;
    console.log(`  FAIL ${name}`);
    const text = e instanceof Error ? `${e.stack ?? e.message}${e.cause ? `\ncause: ${String(e.cause)}` : ""}` : String(e);
    console.log(`    ${text.replace(/\n/g, "\n    ")}`);
  }
}
console.log(`typescript client: ${passed} passed, ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
