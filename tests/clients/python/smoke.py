#!/usr/bin/env python3
"""Smoke test of the Python client that openapi-python-client generates from gba-search's
OpenAPI document, against a running server.

Every call goes through the generated package `gba_search_client` (run.sh puts it on
PYTHONPATH; nothing is installed). The clients are made with `raise_on_unexpected_status=True`,
so an answer whose status the document does not list fails the check, and every body is parsed
by the generated models, so a body that does not fit its schema (a missing required field, an
error code outside the `ErrorCode` enum, …) fails too.

Usage: BASE_URL=http://127.0.0.1:8080 TOKEN=gba_… python3 smoke.py
       (or: python3 smoke.py BASE_URL TOKEN)
Exits 0 when every check passed, 1 otherwise; the last line is "python client: N passed, N failed".
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

import httpx

from gba_search_client import AuthenticatedClient, Client
from gba_search_client.api.alerts import get_board_feed
from gba_search_client.api.listings import create_listing, get_listing, withdraw_listing
from gba_search_client.api.matching import get_listing_matches
from gba_search_client.api.meta import get_health
from gba_search_client.api.records import get_record
from gba_search_client.api.search import search_records, suggest
from gba_search_client.models import (
    CreateListingBody,
    Error,
    ErrorCode,
    Health,
    MatchResponse,
    SearchRecordsLang,
    SearchResponse,
    Suggestion,
)
from gba_search_client.types import Response, Unset

LISTING = {
    "kind": "supply",
    "title": "Generated-client probe: solid-state battery separator coating",
    "description": (
        "A ceramic-coated separator technology offered for licence to battery makers in the Greater Bay Area."
    ),
    "cooperation": ["license"],
    "clusters": ["new_energy"],
}


def config() -> tuple[str, str]:
    args = sys.argv[1:]
    base_url = args[0] if len(args) > 0 else os.environ.get("BASE_URL", "")
    token = args[1] if len(args) > 1 else os.environ.get("TOKEN", "")
    if not base_url or not token:
        sys.exit("usage: BASE_URL=… TOKEN=… smoke.py   (or smoke.py BASE_URL TOKEN)")
    return base_url.rstrip("/"), token


BASE_URL, TOKEN = config()
TIMEOUT = httpx.Timeout(30.0)
anonymous = Client(base_url=BASE_URL, raise_on_unexpected_status=True, timeout=TIMEOUT)
authed = AuthenticatedClient(base_url=BASE_URL, token=TOKEN, raise_on_unexpected_status=True, timeout=TIMEOUT)

state: dict[str, Any] = {}


class Model:
    """Stands for "any generated model but Error" (free-form objects such as a record get a
    model named after the operation, e.g. GetRecordResponse200; the check does not depend on it)."""


def expect(resp: Response[Any], status: int, kind: type) -> Any:
    """The parsed body, after checking the status and the parsed type."""
    body = resp.content[:600].decode("utf-8", "replace")
    parsed = resp.parsed
    assert resp.status_code == status, f"expected HTTP {status}, got {int(resp.status_code)}: {body}"
    if kind is Model:
        ok = hasattr(parsed, "to_dict") and not isinstance(parsed, Error)
    else:
        ok = isinstance(parsed, kind)
    assert ok, f"expected a parsed {kind.__name__}, got {type(parsed).__name__}: {body}"
    return parsed


def set_(value: Any) -> bool:
    return value is not None and not isinstance(value, Unset) and value != ""


def check_hits(answer: SearchResponse, what: str) -> str:
    assert answer.total > 0, f"{what}: total is {answer.total}"
    assert answer.hits, f"{what}: no hits"
    first = answer.hits[0]
    for field in ("id", "collection", "name"):
        assert set_(getattr(first, field)), f"{what}: first hit has no {field}: {first.to_dict()}"
    return f"total={answer.total}, first {first.collection}/{first.id} {first.name!r}"


def health() -> str | None:
    h = expect(get_health.sync_detailed(client=anonymous), 200, Health)
    assert h.status == "ok", f"status is {h.status!r}"


def search_simplified() -> str | None:
    answer = expect(search_records.sync_detailed(client=anonymous, q="机器人", city="shenzhen"), 200, SearchResponse)
    detail = check_hits(answer, "q=机器人 city=shenzhen")
    assert all(h.city == "shenzhen" for h in answer.hits), [h.city for h in answer.hits]
    return detail


def search_traditional() -> str | None:
    answer = expect(
        search_records.sync_detailed(client=anonymous, q="機械人", lang=SearchRecordsLang.ZH_HANT), 200, SearchResponse
    )
    detail = check_hits(answer, "q=機械人 lang=zh-Hant")
    assert answer.lang == "zh-Hant", f"lang is {answer.lang!r}"
    return detail


def search_english() -> str | None:
    answer = expect(
        search_records.sync_detailed(client=anonymous, q="robot", cluster="robotics", collections="entities,talents"),
        200,
        SearchResponse,
    )
    detail = check_hits(answer, "q=robot cluster=robotics collections=entities,talents")
    assert {h.collection for h in answer.hits} <= {"entities", "talents"}, [h.collection for h in answer.hits]
    return detail


def read_record() -> str | None:
    record = expect(get_record.sync_detailed("entities", "ent-hkust", client=anonymous), 200, Model)
    data = record.to_dict()
    assert data.get("id") == "ent-hkust", data
    assert data.get("name") == "香港科技大學", f"name is {data.get('name')!r}"
    assert data.get("name_en") == "The Hong Kong University of Science and Technology", data.get("name_en")


def suggestions() -> str | None:
    found = expect(suggest.sync_detailed(client=anonymous, q="港科"), 200, list)
    assert found, "no completion for 港科"
    assert all(isinstance(s, Suggestion) for s in found), found
    assert any(s.id == "ent-hkust" for s in found), [s.to_dict() for s in found]
    return f"{len(found)} completions, first {found[0].text!r}"


def post_listing() -> str | None:
    listing = expect(
        create_listing.sync_detailed(client=authed, body=CreateListingBody.from_dict(LISTING)), 201, Model
    ).to_dict()
    assert isinstance(listing.get("id"), str) and listing["id"], listing
    assert listing.get("owner") == "ent-hkust", listing.get("owner")
    assert listing.get("title") == LISTING["title"], listing.get("title")
    state["listing"] = listing["id"]
    return f"created {listing['id']}"


def read_listing() -> str | None:
    assert "listing" in state, "no listing was created"
    listing = expect(get_listing.sync_detailed(state["listing"], client=anonymous), 200, Model).to_dict()
    assert listing.get("title") == LISTING["title"], listing


def listing_matches() -> str | None:
    assert "listing" in state, "no listing was created"
    answer = expect(get_listing_matches.sync_detailed(state["listing"], client=anonymous), 200, MatchResponse)
    assert answer.source == state["listing"], answer.source
    return f"{len(answer.matches)} matches"


def withdraw() -> str | None:
    assert "listing" in state, "no listing was created"
    listing = expect(withdraw_listing.sync_detailed(state["listing"], client=authed), 200, Model).to_dict()
    assert listing.get("status") == "withdrawn", listing.get("status")


def bad_parameter() -> str | None:
    err = expect(search_records.sync_detailed(client=anonymous, q="robot", per_page=1000), 400, Error)
    assert err.error.code == ErrorCode.INVALID_PARAMETER, err.error.code
    assert err.error.message, "no message"
    return f"400 {err.error.code}: {err.error.message}"


def unauthenticated() -> str | None:
    # createListing is typed for an AuthenticatedClient; a plain one sends no Authorization header.
    resp = create_listing.sync_detailed(client=anonymous, body=CreateListingBody.from_dict(LISTING))  # type: ignore[arg-type]
    err = expect(resp, 401, Error)
    assert err.error.code == ErrorCode.UNAUTHORIZED, err.error.code
    assert err.error.message, "no message"


def board_feed() -> str | None:
    feed = expect(get_board_feed.sync_detailed(client=anonymous), 200, str)
    assert feed.lstrip().startswith("<?xml") and "<feed" in feed, feed[:200]


CHECKS: list[tuple[str, Callable[[], str | None]]] = [
    ("getHealth", health),
    ("searchRecords Simplified (q=机器人 city=shenzhen)", search_simplified),
    ("searchRecords Traditional HK (q=機械人 lang=zh-Hant)", search_traditional),
    ("searchRecords English (q=robot cluster=robotics collections=entities,talents)", search_english),
    ("getRecord entities/ent-hkust", read_record),
    ("suggest q=港科", suggestions),
    ("createListing with the bearer token -> 201", post_listing),
    ("getListing of the new listing", read_listing),
    ("getListingMatches of the new listing", listing_matches),
    ("withdrawListing of the new listing", withdraw),
    ("searchRecords per_page=1000 -> 400 invalid_parameter", bad_parameter),
    ("createListing without a token -> 401 unauthorized", unauthenticated),
    ("getBoardFeed (Atom, as text)", board_feed),
]


def main() -> int:
    print(f"python client against {BASE_URL}")
    passed = failed = 0
    for name, check in CHECKS:
        try:
            detail = check()
        except httpx.TransportError as e:  # no answer at all: the traceback says nothing more
            failed += 1
            print(f"  FAIL {name}\n    {type(e).__name__}: {e} ({BASE_URL})")
        except Exception:  # noqa: BLE001 - report every failure, go on with the rest
            failed += 1
            print(f"  FAIL {name}")
            print("    " + traceback.format_exc().strip().replace("\n", "\n    "))
        else:
            passed += 1
            print(f"  ok   {name}" + (f" -- {detail}" if detail else ""))
    print(f"python client: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
