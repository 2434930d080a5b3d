"""Issue 16, the web and engine findings, reproduced against real servers.

Each test causes its finding for real: a real index on disk, ``unionsearch serve``
(waitress) as a subprocess, raw HTTP.  The assertions are on statuses, sizes and memory,
never on how long a request took.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import quote, urlencode

import pytest

from .helpers import Server, http_get, unionsearch

# A guard against a hang only (a socket timeout, a wait): no test here asserts how long a
# request takes; sizes, statuses and what the server still answers are the assertions.
HANG_S = 120


@pytest.fixture(scope="module")
def corpus_server(archive_server):
    """The session's server over the corpus and the sample page (only read here); no
    request of this module leaves a traceback in its log."""
    yield archive_server
    text = archive_server.text()
    assert "Traceback" not in text, text[-3000:]


def get(srv, target: str, **kw):
    """(status, headers, body); the socket timeout only guards against a hang."""
    return http_get(srv.base, target, timeout=HANG_S, **kw)


def top_reporters(srv, n: int) -> list[str]:
    status, _, body = http_get(srv.base, "/api/search?q=%E7%9A%84")
    names = [f["value"] for f in json.loads(body)["facets"]["reporter"]]
    assert len(names) >= n
    return names[:n]


# -- 1. a results page that grew with the square of its filters -----------------------------

def test_3000_reporters_is_a_small_quick_400(corpus_server):
    """3,000 reporters: a 400 of a few KB (the JSON API: {"error"}), not a page that grows
    with the square of its filters."""
    qs = "&".join(f"reporter={quote(f'张三{i}')}" for i in range(3000))
    status, headers, body = get(corpus_server, "/search?q=%E5%B7%A5&" + qs)
    assert status == 400, status
    assert len(body) < 50_000, len(body)
    page = body.decode("utf-8")
    assert "检索参数有误" in page and "最多" in page
    status, headers, body = get(corpus_server, "/api/search?" + qs)
    assert status == 400
    assert list(json.loads(body)) == ["error"] and "too many" in json.loads(body)["error"]


@pytest.mark.parametrize("target, word", [
    ("/api/search?q=" + "%E5%B7%A5" * 1001, "too long"),
    ("/api/search?q=x&reporter=" + "%E5%BC%A0" * 51, "too long"),
    ("/api/search?q=x&" + "&".join(f"reporter=r{i}" for i in range(21)), "at most 20"),
    ("/api/search?q=x&" + "&".join(f"zzz{i}=1" for i in range(41)), "too many"),
    ("/api/search?q=x&zzz=" + "a" * 1001, "too long"),
    ("/api/articles/x?q=" + "a" * 1001, "too long"),
])
def test_request_bounds_are_400_json(corpus_server, target, word):
    status, _, body = http_get(corpus_server.base, target)
    assert status == 400, (status, body[:200])
    assert word in json.loads(body)["error"]


def test_request_bounds_html_and_limits_accepted(corpus_server):
    # Over a bound: the friendly 400 page, with a link that drops the offending parameter.
    status, _, body = http_get(corpus_server.base, "/search?q=" + "%E5%B7%A5" * 1001)
    assert status == 400 and "检索词太长了" in body.decode("utf-8")
    # At the bounds: answered.
    names = top_reporters(corpus_server, 20)
    ok = urlencode([("q", "工" * 1000), *(("reporter", n) for n in names)])
    for path in ("/api/search?", "/search?"):
        status, _, body = http_get(corpus_server.base, path + ok)
        assert status == 200, body[:300]


def test_largest_valid_results_page_is_bounded(corpus_server):
    """Every bound at once, on the HTML page that repeats them in every link.

    q of 1,000 characters that still matches most of the corpus (的 and one long
    exclusion), 20 real reporters, 100 hits: under 4 MB.
    """
    names = top_reporters(corpus_server, 20)
    q = "的 -" + "鿰" * 997
    assert len(q) == 1000
    target = "/search?" + urlencode([("q", q), *(("reporter", n) for n in names),
                                      ("size", "100"), ("sort", "newest")])
    status, _, body = get(corpus_server, target)
    assert status == 200
    assert body.count(b'<li class="hit">') == 100
    assert len(body) < 4_000_000, len(body)


# -- 10. lenient numbers and dates, undecodable reporter on the command line ------------------

@pytest.mark.parametrize("params, word", [
    ({"page": "١"}, "page"),
    ({"page": "1_0"}, "page"),
    ({"size": "１０"}, "size"),
    ({"page": "+2"}, "page"),
    ({"page": "9" * 5000}, "page"),
    ({"from": "2022-W01-1"}, "from"),
    ({"from": "20220101"}, "from"),
    ({"to": "2022-01-01T00:00"}, "to"),
])
def test_lenient_numbers_and_dates_are_refused(corpus_server, params, word):
    status, _, body = http_get(corpus_server.base, "/api/search?q=x&" + urlencode(params))
    assert status == 400, (params, body[:200])
    assert word in json.loads(body)["error"]


def test_plain_numbers_and_dates_still_work(corpus_server):
    target = "/api/search?" + urlencode({"q": "经济", "page": " 2 ", "size": "5",
                                         "from": "1998-01-01", "to": "1998-01-31"})
    status, _, body = http_get(corpus_server.base, target)
    data = json.loads(body)
    assert status == 200 and data["page"] == 2 and data["size"] == 5


def test_cli_undecodable_reporter_is_a_usage_error(corpus_index):
    r = unionsearch("search", "", "--reporter", "\udcff", "--index-dir",
                    corpus_index.index_dir, timeout=120)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "reporter" in r.stderr
    r = unionsearch("search", "\udcff工", "--index-dir", corpus_index.index_dir, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr


# -- 2. a long quoted phrase was a 500 ------------------------------------------------------

def _long_phrase(corpus_docs: list[dict], n: int = 200) -> tuple[str, str]:
    """(article id, a passage of ``n`` characters of its body without line breaks)."""
    for doc in corpus_docs:
        for para in doc["body"].split("\n"):
            para = para.strip()
            if len(para) >= n + 40 and not any(c.isspace() for c in para[20:20 + n]):
                return doc["id"], para[20:20 + n]
    raise AssertionError("no paragraph long enough")


def test_long_quoted_phrase_is_found_and_marked(corpus_server, corpus_index, corpus_docs):
    """A 200-character quoted sentence: was an IndexError (500) in the snippet window."""
    from html import escape

    art_id, phrase = _long_phrase(corpus_docs)
    q = f'"{phrase}"'
    status, _, body = http_get(corpus_server.base, "/api/search?" + urlencode({"q": q}))
    assert status == 200, body[:300]
    data = json.loads(body)
    assert data["total"] >= 1 and data["hits"][0]["id"] == art_id
    snippet = data["hits"][0]["snippet"]
    assert "<mark>" + escape(phrase[:40]) in snippet, snippet
    status, _, body = http_get(corpus_server.base, "/search?" + urlencode({"q": q}))
    assert status == 200 and ("<mark>" + escape(phrase[:40])) in body.decode("utf-8")
    status, _, body = http_get(corpus_server.base, f"/articles/{quote(art_id)}?"
                               + urlencode({"q": q}))
    assert status == 200 and ("<mark>" + escape(phrase)) in body.decode("utf-8")
    r = unionsearch("search", q, "--json", "--index-dir", corpus_index.index_dir, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["hits"][0]["id"] == art_id
    r = unionsearch("search", q, "--index-dir", corpus_index.index_dir, timeout=120)
    assert r.returncode == 0 and "【" + phrase[:40] in r.stdout, r.stdout[:500]


@pytest.mark.parametrize("n", [61, 79, 80, 81, 159, 160, 161, 500])
def test_snippet_any_match_length(n):
    """Matches of every length around the two window widths (80 and 160) show their start."""
    from search.retrieval.highlight import Needles, snippet
    from search.retrieval.query import parse

    body = "前文" * 50 + "甲乙丙丁" * (n // 4) + "戊" * (n % 4) + "后文" * 50
    phrase = body[100:100 + n]
    out = snippet(body, Needles(parse(f'"{phrase}"')))
    assert "<mark>" + phrase[:30] in out, out


# -- 4. a running server kept serving the old index after --rebuild --------------------------

def test_rebuild_while_serving_is_seen_at_once(tmp_path):
    """Old index 300 articles, rebuilt with 120 others at the same generation number.

    Before: /healthz said 300 for ever and cached hits 404'd.  Now the first request
    after ``index --rebuild`` returns sees the new index (two ``stat`` calls per request).
    """
    from .helpers import corpus_rows, write_jsonl

    idx = tmp_path / "idx"
    old_rows = corpus_rows(300, prefix="old", body_chars=300)
    new_rows = corpus_rows(120, prefix="new", body_chars=300, start=500)
    r = unionsearch("index", str(write_jsonl(tmp_path / "old.jsonl", old_rows)),
                    "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    old_tocs = sorted(p.name for p in idx.glob("_*.toc"))
    word = "经济"
    with Server(idx, log=tmp_path / "serve.log") as srv:
        assert srv.documents() == 300
        status, _, body = http_get(srv.base, "/api/search?q=" + quote(word))
        before = json.loads(body)
        assert before["total"] and all(h["id"].startswith("old") for h in before["hits"])
        http_get(srv.base, "/search?q=" + quote(word))  # cached pages too
        http_get(srv.base, "/")
        r = unionsearch("index", "--rebuild", str(write_jsonl(tmp_path / "new.jsonl", new_rows)),
                        "--index-dir", str(idx))
        assert r.returncode == 0, r.stderr
        # The case of the issue: the new index has the same generation number(s).
        assert sorted(p.name for p in idx.glob("_*.toc")) == old_tocs
        assert srv.documents() == 120
        status, _, body = http_get(srv.base, "/api/search?q=" + quote(word) + "&size=100")
        after = json.loads(body)
        assert after["total"] and all(h["id"].startswith("new") for h in after["hits"])
        for hit in after["hits"]:
            assert http_get(srv.base, "/api/articles/" + quote(hit["id"]))[0] == 200
        status, _, page = http_get(srv.base, "/search?q=" + quote(word))
        links = re.findall(r'href="(/articles/[^"?]+)', page.decode("utf-8"))
        assert links and all("/articles/new" in link for link in links)
        for link in links:
            assert http_get(srv.base, link)[0] == 200
        assert http_get(srv.base, "/api/articles/old000000")[0] == 404
        assert "120" in http_get(srv.base, "/")[2].decode("utf-8")
        # And again: a second rebuild (the folder's inode may be reused) is seen too.
        r = unionsearch("index", "--rebuild", str(write_jsonl(tmp_path / "old.jsonl", old_rows)),
                        "--index-dir", str(idx))
        assert r.returncode == 0 and srv.documents() == 300
    assert "Traceback" not in (tmp_path / "serve.log").read_text(errors="replace")


# -- 7. behind a proxy sending X-Forwarded-Proto: https, every absolute URL is https --------

ABSOLUTE = re.compile(r"\b(https?)://([^\s\"'<>]+)")
PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "intranet.example.org",
         "X-Forwarded-Prefix": "/search"}


def absolute_urls(body: bytes) -> list[tuple[str, str]]:
    # Neither the OpenSearch XML namespace nor the documentation's example origin is an
    # address of the service.
    return [(s, rest) for s, rest in ABSOLUTE.findall(body.decode("utf-8"))
            if not rest.startswith(("a9.com/", "oa.example.org"))]


def test_forwarded_https_through_waitress(sample_index, tmp_path):
    """Through waitress (which cleared these headers before): https and the proxy's host."""
    with Server(sample_index.index_dir, log=tmp_path / "serve.log") as srv:
        for path in ("/embed/help", "/opensearch.xml"):
            status, _, body = http_get(srv.base, path, headers=PROXY)
            urls = absolute_urls(body)
            assert status == 200 and urls, body[:300]
            assert all(s == "https" and rest.startswith("intranet.example.org/search/")
                       for s, rest in urls), urls
        # A prefix that does not look like a short path is ignored: a 200 KB one made a
        # 3.2 MB page.
        for prefix in ("/" + "a" * 200_000, "/a/" * 30, "/x<y>", "search"):
            status, _, body = http_get(srv.base, "/embed/help",
                                       headers={**PROXY, "X-Forwarded-Prefix": prefix})
            assert status == 200 and len(body) < 20_000, (prefix[:20], len(body))
            assert all(rest.startswith("intranet.example.org/embed") for _, rest in
                       absolute_urls(body))
        # A forwarded host that is not a host is ignored.
        status, _, body = http_get(srv.base, "/opensearch.xml",
                                   headers={**PROXY, "X-Forwarded-Host": "evil.org/x?" + "a" * 300})
        assert all(rest.startswith(srv.base.split("//")[1]) for _, rest in absolute_urls(body))


def test_untrusted_peer_cannot_forward(sample_index, tmp_path):
    """With --trusted-proxy set to another address, loopback's headers are dropped."""
    with Server(sample_index.index_dir, "--trusted-proxy", "10.9.8.7",
                   log=tmp_path / "serve.log") as srv:
        status, _, body = http_get(srv.base, "/embed/help", headers=PROXY)
        host = srv.base.split("//")[1]
        assert status == 200
        assert all(s == "http" and rest.startswith(host + "/embed") for s, rest in
                   absolute_urls(body)), absolute_urls(body)
    with Server(sample_index.index_dir, log=tmp_path / "serve2.log",
                   env={"UNIONSEARCH_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"}) as srv:
        status, _, body = http_get(srv.base, "/opensearch.xml", headers=PROXY)
        assert all(s == "https" for s, _ in absolute_urls(body))
    r = unionsearch("serve", "--index-dir", sample_index.index_dir, "--trusted-proxy", "nginx",
                    "--port", "1", timeout=60)
    assert r.returncode == 2 and "trusted_proxies" in r.stderr


# -- 9. one slow search held every other one -------------------------------------------------

@pytest.fixture(scope="module")
def huge_index(tmp_path_factory):
    """300 corpus articles and one of 300,000 identical characters."""
    from .helpers import corpus_rows, write_jsonl

    d = tmp_path_factory.mktemp("huge")
    rows = corpus_rows(300, prefix="c", body_chars=400)
    rows.append({"id": "huge", "title": "重复的字", "body": "工" * 300_000, "date": "2022-01-01"})
    r = unionsearch("index", str(write_jsonl(d / "huge.jsonl", rows)), "--index-dir",
                    str(d / "idx"))
    assert r.returncode == 0, r.stderr
    return d / "idx"


@pytest.fixture(scope="module")
def huge_server(huge_index):
    log = huge_index.parent / "serve.log"
    with Server(huge_index, log=log) as srv:
        yield srv
    assert "Traceback" not in log.read_text(errors="replace")


PATHOLOGICAL = ["工" * 900, '"' + "工" * 900 + '"', "工 工工 工工工", "工工",
                " ".join('"' + "工" * n + '"' for n in range(20, 44)),
                " OR ".join("工" * n for n in range(2, 34))]


def test_slow_query_does_not_hold_healthz(huge_index, monkeypatch):
    """/healthz answers while every search in the server is still running.

    The app is served by waitress in this process, with each search held inside
    ``Engine.search`` until the test lets it go: /healthz must answer meanwhile (nothing
    it needs is held by a search), and the held searches then finish with 200."""
    import threading

    from waitress import wasyncore

    from search.engine import Engine
    from web.app import create_app
    from web.lifecycle import listen

    from .helpers import free_port

    entered, release = threading.Semaphore(0), threading.Event()
    real_search = Engine.search

    def held_search(self, req):
        entered.release()
        assert release.wait(HANG_S), "never released"
        return real_search(self, req)

    monkeypatch.setattr(Engine, "search", held_search)
    port = free_port()
    server = listen(create_app(str(huge_index)), "127.0.0.1", port, threads=8)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)

    loop = threading.Thread(target=serve)
    loop.start()
    base = f"http://127.0.0.1:{port}"
    results: dict[str, int] = {}

    def search(target: str) -> None:
        results[target] = http_get(base, target, timeout=HANG_S)[0]

    targets = [("/api/search?size=100&q=" if n % 2 else "/search?q=") + quote(q)
               for n, q in enumerate(PATHOLOGICAL)]
    searches = [threading.Thread(target=search, args=(t,)) for t in targets]
    try:
        for t in searches:
            t.start()
        for _ in targets:  # every search is inside the engine now, and stays there
            assert entered.acquire(timeout=HANG_S), "a search never reached the engine"
        for _ in range(3):
            status, _, body = http_get(base, "/healthz", timeout=HANG_S)
            assert status == 200 and json.loads(body)["documents"] == 301, (status, body)
        assert not results, f"a held search finished: {results}"
    finally:
        release.set()
        for t in searches:
            t.join()
        stop.set()
        loop.join()
        server.close()
        server.task_dispatcher.shutdown()
    assert results == dict.fromkeys(targets, 200), results


def test_huge_article_page_is_bounded(huge_server):
    """The article page marks at most 1,000 matches of a word per paragraph."""
    status, _, body = get(huge_server, "/articles/huge?q=%E5%B7%A5")
    assert status == 200
    assert body.count(b"<mark>") <= 1000 + 10 and len(body) < 2_000_000


# -- 10. a 53 MB page from q = 的 + 250 KB of "+" ------------------------------------------

def test_padded_query_is_a_small_400(corpus_server):
    """``+`` is a space in a query string: the query was 的 and 250,000 spaces, repeated in
    every link of the page (53 MB).  Now a 400 of a few KB."""
    for path in ("/search", "/api/search", "/articles/19980101-01-001", "/embed"):
        status, _, body = get(corpus_server, path + "?q=%E7%9A%84" + "+" * 250_000)
        assert status == 400 and len(body) < 20_000, (path, status, len(body))


# -- no request of any shape: 5xx, > 2 s, > a few MB, or +100 MB of server memory ---------

def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _hostile_targets(names: list[str]) -> list[tuple[str, dict]]:
    reporters = "&".join(f"reporter={quote(f'张三{i}')}" for i in range(3000))
    big_valid = urlencode([("q", "的 -" + "鿰" * 997), *(("reporter", n) for n in names),
                           ("size", "100")])
    out = [
        ("/search?q=%E5%B7%A5&" + reporters, {}),
        ("/api/search?" + reporters, {}),
        ("/search?q=%E7%9A%84" + "+" * 250_000, {}),
        ("/search?" + big_valid, {}),
        ("/api/search?" + big_valid, {}),
        ("/embed/help", {"X-Forwarded-Prefix": "/" + "a" * 200_000,
                         "X-Forwarded-Proto": "https"}),
        ("/opensearch.xml", {"X-Forwarded-Host": "h" * 100_000}),
        ("/api/search?q=x&page=%D9%A1", {}),
        ("/api/search?q=x&from=2022-W01-1", {}),
        ("/search?q=x&page=1_0", {}),
        ("/api/search?q=%E7%9A%84&page=10000&size=100", {}),
        ("/articles/huge?q=%E5%B7%A5", {}),
        ("/articles/huge?q=" + quote('"' + "工" * 900 + '"'), {}),
        ("/api/search?" + "&".join(f"zzz{i}=" + "a" * 1000 for i in range(60)), {}),
        ("/api/search?" + "&".join("q=" + "%E5%B7%A5" * 1000 for _ in range(20)), {}),
    ]
    for q in PATHOLOGICAL + ["的", '"' + "的" * 300 + '"', "工" * 1000,
                             " OR ".join("的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于"),
                             "(" * 400 + "工" + ")" * 400, "-" * 1000, "title:" * 150]:
        for path in ("/api/search?size=100&q=", "/search?size=100&q=", "/search?sort=oldest&q="):
            out.append((path + quote(q), {}))
    return out


def test_hostile_mix_against_a_real_server(huge_server):
    """Every shape of issue 16 and more, 3 rounds from 4 clients at once.

    No answer is a 5xx or larger than 5 MB, and the server's memory grows by less than
    100 MB over its warmed-up size.
    """
    import threading

    srv = huge_server
    names = top_reporters(srv, 20)
    for q in ("工", "经济", "的", "工人", *PATHOLOGICAL):  # warm up: arrays, caches, code paths
        for path in ("/search?size=100&q=", "/api/search?size=100&q=", "/articles/huge?q="):
            get(srv, path + quote(q))
    steady = _rss_mb(srv.proc.pid)
    targets = _hostile_targets(names) * 3
    problems: list = []
    stats = {"max_bytes": 0, "peak_mb": steady}
    lock = threading.Lock()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss = _rss_mb(srv.proc.pid)
            with lock:
                stats["peak_mb"] = max(stats["peak_mb"], rss)
            time.sleep(0.05)

    def client(part: list) -> None:
        for target, headers in part:
            status, _, body = get(srv, target, headers=headers)
            with lock:
                stats["max_bytes"] = max(stats["max_bytes"], len(body))
                if status >= 500 or len(body) > 5_000_000:
                    problems.append((target[:120], status, len(body)))

    sampler = threading.Thread(target=sample)
    sampler.start()
    clients = [threading.Thread(target=client, args=(targets[i::4],)) for i in range(4)]
    for t in clients:
        t.start()
    for t in clients:
        t.join()
    done.set()
    sampler.join()
    print(f"hostile mix: {len(targets)} requests, largest {stats['max_bytes'] / 1e6:.2f} MB, "
          f"RSS {steady:.0f} MB -> peak {stats['peak_mb']:.0f} MB")
    assert not problems, problems
    assert stats["peak_mb"] - steady < 100, stats
    assert http_get(srv.base, "/healthz")[0] == 200
