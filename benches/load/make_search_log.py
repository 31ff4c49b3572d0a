#!/usr/bin/env python3
"""Writes benches/load/search_paths.txt: the representative search log (issue 25), searches only,
from the project's own query sets, in a fixed shuffled order:

- the judged queries (tests/relevance/judgments.jsonl): Simplified, Traditional, English, aliases
  and abbreviations, mixed scripts, sub-words, natural-language needs, and filtered queries with
  their filters (each twice; aliases and filtered three times);
- the held-out natural-language needs (heldout_natural.jsonl);
- both sides of the parity query pairs (mainland / Hong Kong wording, Chinese / English);
- the bilingual needs of the parity sets, in Chinese and in English, as long searches.

Usage: python3 benches/load/make_search_log.py   (from the repository root; prints the mix)
"""
import collections
import json
import random
import urllib.parse

REL = "tests/relevance/"


def read(name):
    with open(REL + name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def path(q, params=None):
    query = {"q": q}
    for k, v in (params or {}).items():
        query[k] = ",".join(v) if isinstance(v, list) else str(v)
    return "/api/search?" + urllib.parse.urlencode(query)


# How many times each judged query is in the log: aliases, abbreviations and filters are a larger
# share of what people type than of the parity sets.
REPEAT = {"alias": 3, "filtered": 3, "natural": 1}

rows = []  # (kind, path)
for case in read("judgments.jsonl"):
    kind = {"natural": "need"}.get(case["category"], case["category"])
    rows += [(kind, path(case["q"], case.get("params")))] * REPEAT.get(case["category"], 2)
for case in read("heldout_natural.jsonl"):
    rows.append(("need", path(case["q"], case.get("params"))))
for name in ["parity_queries.jsonl", "heldout_parity_queries.jsonl"]:
    for p in read(name):
        rows.append(("parity " + p["kind"], path(p["a"])))
        rows.append(("parity " + p["kind"], path(p["b"])))
for name in ["parity_needs.jsonl", "heldout_parity_needs.jsonl"]:
    for n in read(name):
        rows.append(("need", path(n["zh"])))
        rows.append(("need", path(n["en"])))
random.Random(25).shuffle(rows)
with open("benches/load/search_paths.txt", "w", encoding="utf-8") as f:
    f.write("".join(p + "\n" for _, p in rows))
mix = collections.Counter(kind for kind, _ in rows)
print(f"{len(rows)} searches:", ", ".join(f"{k} {v} ({v / len(rows):.0%})" for k, v in mix.most_common()))
