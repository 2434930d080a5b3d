"""Hostile requests against a running ``unionsearch serve`` (a real subprocess, real HTTP).

Property-based (hypothesis, derandomised for CI): any ``q`` and any value of every other
parameter of ``/api/search``, ``/search``, ``/articles/<id>``, ``/api/articles/<id>`` and
``/embed`` — unbalanced quotes and brackets, lone operators, empty field prefixes,
wildcards, control characters, NUL, characters outside the BMP, 10,000-character strings,
invalid percent-encoding, huge page numbers, any parameter repeated up to 60 times with
values up to 1,500 characters — is answered 200 or 400/404, never 5xx, in at most
``MAX_BYTES``.  Articles and queries full of ``<>&"'`` never come back as markup other than
``<mark>``.  Expensive queries over the corpus index are answered, and nothing can be
written.  (``HANG_S``, a socket timeout, only guards against a hang: no assertion here is
on time.)

``FUZZ_EXAMPLES`` (default 120) sets the examples per property.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import SAMPLE, Server, http_get, unionsearch, write_jsonl

HANG_S = 120
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

EVIL = ['<x-evil>', '</x-evil>', '" x-evil="1', "' x-evil='1", "<script>x-evil()</script>",
        "&x-evil;", "&lt;", "&amp;", "<mark>", "</mark>", "&", "<", ">", '"', "'"]
WORDS = ["工匠", "精神", "劳模", "职工", "工会", "lt", "amp", "quot", "mark", "x", "39"]


def _evil_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(EVIL + WORDS + [" ", "，"]) for _ in range(n))


@pytest.fixture(scope="module")
def evil_rows():
    rng = random.Random(1998)
    rows = [{"id": f"e{i}", "title": _evil_text(rng, 8), "subtitle": _evil_text(rng, 4),
             "body": _evil_text(rng, 80), "date": f"2021-0{1 + i % 9}-1{i % 10}",
             "reporter": rng.choice(["张<b>三</b>", "李'四", '王"五', "赵&六"]),
             "page": rng.choice(["<i>1</i>", "2", "A&B"]),
             "url": rng.choice(["javascript:alert(1)", "https://x.org/?a=1&b=<2>"])}
            for i in range(30)]
    rows.append({"id": "with/slash and space", "title": "路径里的斜杠", "body": "工匠精神",
                 "date": "2021-12-31"})
    return rows


@pytest.fixture(scope="module")
def server(tmp_path_factory, evil_rows):
    d = tmp_path_factory.mktemp("fuzz")
    data = write_jsonl(d / "evil.jsonl", evil_rows)
    r = unionsearch("index", str(data), str(SAMPLE), "--index-dir", str(d / "idx"))
    assert r.returncode == 0, r.stderr
    with Server(d / "idx", log=d / "serve.log") as srv:
        yield srv
    log = (d / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]


# -- strategies ---------------------------------------------------------------------------

TOKENS = ['"', "'", "“", "”", "「", "(", ")", "[", "]", "{", "}", "OR", "AND", "NOT", "or",
          "-", "+", "!", "title:", "reporter:", "body:", "标题:", "记者:", "正文:", ":", "*",
          "?", "~", "^2", "\\", "/", "a*", "*国", "的", "工匠", "精神", "工匠精神", "劳模",
          "\x00", "\x1f", "\x7f", "\u200b", "\ufeff", "\U0001F600", "𠀀", "　", "\t", "\n",
          *EVIL]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
tokens = st.lists(st.one_of(st.sampled_from(TOKENS), text), max_size=25).map(
    lambda xs: "".join(xs))
spaced = st.lists(st.sampled_from(TOKENS), max_size=25).map(" ".join)
long_text = st.builds(lambda s, n: (s or "长") * n, st.sampled_from(TOKENS + ["工", "a"]),
                      st.integers(1000, 10_000)).map(lambda s: s[:10_000])
query_text = st.one_of(text, tokens, spaced, long_text)
numberish = st.one_of(st.integers(-10**30, 10**30).map(str), st.sampled_from(
    ["", "0", "1", "100", "101", "10000", "10001", "1e3", "0x10", " 2 ", "１", "-0", "NaN",
     "99999999999999999999999"]), text)
dateish = st.one_of(st.dates().map(str), st.sampled_from(
    ["", "2022-02-30", "2022-13-01", "0000-01-01", "9999-12-31", "20220101", "2022/01/01",
     "2022年1月1日"]), text)
BAD_PERCENT = ["%", "%z", "%zz", "%e5%b7", "%ff", "%00", "%C0%80", "%%", "%u4e2d", "%E5%"]


@st.composite
def encoded(draw, value_strategy):
    """A query-string value: percent-encoded, sometimes with broken escapes mixed in."""
    value = quote(draw(value_strategy), safe="")
    if draw(st.integers(0, 4)) == 0:
        cut = draw(st.integers(0, len(value)))
        value = value[:cut] + draw(st.sampled_from(BAD_PERCENT)) + value[cut:]
    return value


@st.composite
def search_query(draw):
    parts = []
    names = ["q", "reporter", "reporter", "from", "to", "sort", "page", "size", "zzz", "q"]
    for name in draw(st.lists(st.sampled_from(names), max_size=8)):
        strategy = {"q": query_text, "reporter": st.one_of(text, st.sampled_from(
                        ["张<b>三</b>", "赵&六", "刘欣欣", ""])),
                    "from": dateish, "to": dateish, "page": numberish, "size": numberish,
                    "sort": st.one_of(st.sampled_from(["relevance", "newest", "oldest"]), text),
                    "zzz": text}[name]
        parts.append(f"{name}={draw(encoded(strategy))}")
    return "&".join(parts)


@st.composite
def repeated_query(draw):
    """Parameters repeated 0-60 times with values of 0-1,500 characters: across the bounds
    (20 reporters, 40 parameters, 50 characters a reporter, 1,000 any value)."""
    parts = [f"q={draw(encoded(query_text))}"] if draw(st.booleans()) else []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(["reporter", "q", "page", "from", "zzz", "size", "sort"]))
        count = draw(st.sampled_from([1, 2, 19, 20, 21, 39, 40, 41, 60]))
        length = draw(st.sampled_from([0, 1, 49, 50, 51, 999, 1000, 1001, 1500]))
        unit = draw(st.sampled_from(["%E5%BC%A0", "a", "+", "%E7%9A%84", "1", "%3C", "%"]))
        value = unit * length  # percent-escapes count as one character
        parts.extend(f"{name}={value}" for _ in range(count))
    draw(st.randoms()).shuffle(parts)
    return "&".join(parts)


# -- checks -----------------------------------------------------------------------------------

ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
MARK = re.compile(r"</?mark>")


def check_fragment(fragment: str, plain: str | None = None) -> None:
    """Escaped text with ``<mark>`` as the only markup; ``plain`` is what it must show."""
    tags = MARK.findall(fragment)
    assert tags == ["<mark>", "</mark>"] * (len(tags) // 2), fragment
    bare = MARK.sub("", fragment)
    assert "<" not in bare and ">" not in bare, fragment
    assert all(ENTITY.match(bare, m.start()) for m in re.finditer("&", bare)), fragment
    if plain is not None:
        assert html.unescape(bare) == plain, (fragment, plain)


def check_page(body: str) -> None:
    low = body.lower()
    assert "<x-evil" not in low and "</x-evil" not in low
    assert '" x-evil="' not in low and "' x-evil='" not in low
    assert "<script>x-evil" not in low


MAX_BYTES = 5_000_000  # no answer may be larger (issue 16: 964 MB, 53 MB, 3.2 MB pages)


def get(server, target: str, method: str = "GET", **kw):
    status, headers, body = http_get(server.base, target, method=method,
                                     **{"timeout": HANG_S, **kw})
    assert status < 500, (target[:300], status, body[:500])
    assert len(body) < MAX_BYTES, (target[:300], len(body))
    return status, headers, body


# -- properties ------------------------------------------------------------------------------

@FUZZ
@given(qs=search_query())
def test_api_search_any_parameters(server, qs):
    status, headers, body = get(server, "/api/search?" + qs)
    assert status in (200, 400), (qs, status)
    assert headers.get("Content-Type", "").startswith("application/json")
    data = json.loads(body)
    if status == 400:
        assert isinstance(data["error"], str) and data["error"]
        return
    assert data["total"] >= len(data["hits"])
    for hit in data["hits"]:
        check_fragment(hit["title_html"], hit["title"])
        check_fragment(hit["snippet"])


@FUZZ
@given(qs=search_query())
def test_html_search_any_parameters(server, qs):
    status, _, body = get(server, "/search?" + qs)
    assert status in (200, 400), (qs, status)
    check_page(body.decode("utf-8"))


@FUZZ
@given(qs=repeated_query(), path=st.sampled_from(["/api/search", "/search", "/articles/e1",
                                                   "/api/articles/e1", "/embed", "/"]))
def test_repeated_and_long_parameters(server, qs, path):
    status, headers, body = get(server, f"{path}?{qs}")
    # 431: over waitress's 256 KB for the request line and headers, refused before the app.
    assert status in (200, 400, 431), (path, qs[:200], status)
    if status == 431:
        assert len(qs) > 200_000
    elif path.startswith("/api/"):
        data = json.loads(body)
        assert status == 200 or (list(data) == ["error"] and data["error"])
    else:
        check_page(body.decode("utf-8"))


ids = st.one_of(st.sampled_from(["e0", "e1", "e29", "with/slash and space", "", ".", "..",
                                 "../../etc/passwd", "e0/../e1", "%00", "nope"]), text)


@FUZZ
@given(art_id=ids, q=st.one_of(st.none(), encoded(query_text)), api=st.booleans(),
       bad=st.sampled_from(["", "%", "%zz", "%e5%b7"]))
def test_article_pages_any_id(server, art_id, q, api, bad):
    target = ("/api/articles/" if api else "/articles/") + quote(art_id, safe="/") + bad
    if q is not None:
        target += "?q=" + q
    status, _, body = get(server, target)
    assert status in (200, 404, 400) or (status in (301, 308) and not art_id), (target, status)
    if api and status in (200, 404):
        data = json.loads(body)
        assert ("error" in data) if status == 404 else (data["id"] and "body" in data)
    elif not api:
        check_page(body.decode("utf-8"))


@FUZZ
@given(qs=st.lists(st.tuples(st.sampled_from(["target", "q", "lang", "theme", "x"]),
                             encoded(st.one_of(text, st.sampled_from(
                                 ["_top", "_blank", "_parent", "javascript:x-evil", *EVIL])))),
                   max_size=4))
def test_embed_any_parameters(server, qs):
    status, _, body = get(server, "/embed?" + "&".join(f"{k}={v}" for k, v in qs))
    assert status == 200
    page = body.decode("utf-8")
    check_page(page)
    assert "javascript:x-evil" not in page


def test_evil_articles_come_back_escaped(server, evil_rows):
    """Every evil article, searched by pieces of its own text, in the API and the pages."""
    for row in evil_rows[:30]:
        for q in {row["title"][:6], row["body"][10:16], "lt", "amp", "quot", "<", "&", '"'}:
            status, _, body = get(server, "/api/search?size=100&q=" + quote(q, safe=""))
            assert status == 200, (q, body[:300])
            for hit in json.loads(body)["hits"]:
                check_fragment(hit["title_html"], hit["title"])
                check_fragment(hit["snippet"])
            status, _, body = get(server, "/search?q=" + quote(q, safe=""))
            assert status == 200
            check_page(body.decode("utf-8"))
        status, _, body = get(server, f"/articles/{row['id']}?q=" + quote(row["title"][:4]))
        assert status == 200
        check_page(body.decode("utf-8"))
        status, _, body = get(server, f"/api/articles/{row['id']}")
        assert json.loads(body)["title"] == row["title"]  # stored as written, escaped on output


def test_no_write_endpoints(server):
    """No write without signing in: the editors' correction routes (docs/editing.md)
    answer 401 to an anonymous request, everything else 404/405, and nothing changes."""
    docs = server.documents()
    targets = ["/api/search?q=x", "/api/articles/e1", "/api/articles", "/api/", "/api/index",
               "/api/import", "/articles/e1", "/search", "/", "/healthz", "/embed"]
    for target in targets:
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            status, _, _ = get(server, target, method=method, body=b'{"id": "e1"}',
                               headers={"Content-Type": "application/json"})
            expected = (401,) if (method, target) == ("PATCH", "/api/articles/e1") else (404, 405)
            assert status in expected, (method, target, status)
    assert server.documents() == docs
    status, _, body = get(server, "/api/articles/e1")
    assert status == 200


# -- expensive queries over the corpus ------------------------------------------------------

EXPENSIVE = ["*", "a*", "*国", "?", "的", "中", "国", '"的"', "了", "的 的 的 的", "-的",
             "NOT 的", "title:", "reporter:", "body:的", " OR ".join("的一是不了人我在有他这为之大来"
                                                            "以个中上们到说国和地也子时道出而要于就下得"
                                                            * 30)[:6000],
             " OR ".join(f"词{i}" for i in range(1000)), "工" * 10_000, '"' + "的" * 3000 + '"',
             "(" * 500 + "的" + ")" * 500, "-" * 1000, "title:" * 500]


@pytest.fixture(scope="module")
def corpus_server(archive_server):
    """The session's server over the corpus and the sample page (these queries only read)."""
    return archive_server


@pytest.mark.parametrize("q", EXPENSIVE, ids=lambda q: repr(q[:20]))
def test_expensive_queries_are_bounded(corpus_server, q):
    for target in (f"/api/search?q={quote(q, safe='')}&size=100",
                   f"/api/search?q={quote(q, safe='')}&page=10000&size=100",
                   f"/api/search?q={quote(q, safe='')}&sort=oldest",
                   f"/search?q={quote(q, safe='')}"):
        status, _, body = get(corpus_server, target)
        assert status in (200, 400), (target[:200], status, body[:300])
