"""Atom feeds as a feed reader sees them: a real ``unionsearch serve``, read by feedparser.

A feed is the search it names, newest first, its first 50 articles; it validates as Atom
(feedparser reports no error and reads it as ``atom10``), answers 304 to a reader that
polls with what it was given, and a hostile headline stays text.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import feedparser
import pytest

from .helpers import Server, http_get, unionsearch, write_jsonl

HOSTILE = '<script>alert("x")</script> & ]]> 职工 <b>加粗</b>\x0b'


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feeds")
    rows = [{"title": f"工匠精神报道之{n}", "date": f"2022-{1 + n % 12:02d}-{1 + n % 28:02d}",
             "body": f"第{n}篇：工匠精神在车间。", "reporter": "周美玉" if n % 2 else "王强"}
            for n in range(70)]
    rows.append({"title": HOSTILE, "date": "2022-12-31", "body": "工匠精神 <img src=x onerror=1>",
                 "reporter": "周美玉"})
    done = unionsearch("index", str(write_jsonl(folder / "a.jsonl", rows)), "--paper", "ldwb",
                       "--index-dir", str(folder / "idx"))
    assert done.returncode == 0, done.stderr
    more = [{"title": "另一份报纸的工匠精神", "date": "2022-12-30", "body": "工匠精神。",
             "paper": "ldb"}]
    done = unionsearch("index", str(write_jsonl(folder / "b.jsonl", more)),
                       "--index-dir", str(folder / "idx"))
    assert done.returncode == 0, done.stderr
    with Server(folder / "idx", log=folder / "serve.log") as srv:
        yield srv


def _get(server, target: str, headers: dict | None = None):
    """(status, headers by lower-case name, body)."""
    status, got, body = http_get(server.base, target, headers=headers)
    return status, {k.lower(): v for k, v in got.items()}, body


def _feed(server, query: str):
    status, headers, body = _get(server, "/feed.atom?" + query)
    assert status == 200, body
    assert headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, headers


def _api(server, query: str) -> dict:
    status, _, body = _get(server, "/api/search?" + query)
    assert status == 200, body
    return json.loads(body)


def test_a_feed_is_the_newest_fifty_of_its_search(server):
    q = "q=" + quote("工匠精神")
    parsed, _ = _feed(server, q)
    shown = _api(server, q + "&sort=newest&size=50")
    assert len(parsed.entries) == 50 and shown["total"] == 72
    assert [e.link.rsplit("/", 1)[1] for e in parsed.entries] == [h["id"] for h in shown["hits"]]
    first = parsed.entries[0]
    assert first.published.startswith("2022-12-31")
    assert first.author == "周美玉" and first.tags[0].term == "ldwb"


def test_filters_follow_a_reporter_and_a_paper(server):
    parsed, _ = _feed(server, "reporter=" + quote("王强"))
    assert parsed.entries and all(e.author == "王强" for e in parsed.entries)
    parsed, _ = _feed(server, "paper=ldb")
    assert [e.title for e in parsed.entries] == ["另一份报纸的工匠精神"]
    status, _, body = _get(server, "/feed.atom?paper=" + quote("劳动"))
    assert status == 400 and b"paper" in body
    # the pages that have a feed say so in their head
    for page in ("/search?q=" + quote("工匠精神"), "/reporters/" + quote("周美玉"),
                 "/issues?paper=ldb"):
        status, _, body = _get(server, page)
        assert status == 200 and b'<link rel="alternate" type="application/atom+xml"' in body


def test_a_repeated_conditional_request_is_304(server):
    q = "q=" + quote("工匠精神")
    _, headers = _feed(server, q)
    status, again, body = _get(server, "/feed.atom?" + q,
                               headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b"" and again["etag"] == headers["etag"]
    status, _, body = _get(server, "/feed.atom?" + q,
                           headers={"If-Modified-Since": headers["last-modified"]})
    assert status == 304 and body == b""
    status, _, _ = _get(server, "/feed.atom?" + q, headers={"If-None-Match": '"other"'})
    assert status == 200
    _, other = _feed(server, "q=" + quote("车间"))
    assert other["etag"] != headers["etag"]  # another search, another answer


def test_a_hostile_title_is_text_in_the_feed(server):
    status, _, body = _get(server, "/feed.atom?q=" + quote("工匠精神"))
    assert b"<script>" not in body and b"<b>" not in body and b"<img" not in body
    parsed = feedparser.parse(body)
    assert not parsed.bozo
    title = parsed.entries[0].title_detail
    assert title.type == "text/plain"
    assert parsed.entries[0].title == HOSTILE.replace("\x0b", "")
