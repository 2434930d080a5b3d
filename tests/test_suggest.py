"""Did-you-mean and suggestions as you type, over the corpus plus the sample page.

公匠精神 (a homophone slip), 工匠精紳 (traditional look-alike) and 工精神 (a character
missing) each lead to 工匠精神 by one click; a query whose terms occur is left alone.
The search box lists suggestions in a real browser and works with the keyboard.
"""

from __future__ import annotations

import json
import random
import re
import threading
from html import unescape
from urllib.parse import quote

import pytest

from search.engine import Engine, SearchRequest
from search.text.normalize import squash
from search.understanding.suggest import suggest as suggest_from

from .helpers import console_errors, http_get, unionsearch

TYPOS = ["公匠精神", "工匠精紳", "工精神"]


@pytest.fixture(scope="module")
def index_dir(archive_dir):
    """The corpus and the sample page (built once per session, only read)."""
    return archive_dir


@pytest.fixture(scope="module")
def engine(index_dir):
    return Engine(index_dir)


def search(engine, q: str):
    return engine.search(SearchRequest.from_params(q))


# -- did-you-mean ------------------------------------------------------------------------

@pytest.mark.parametrize("typo", TYPOS)
def test_slips_lead_to_the_right_query(engine, typo):
    res = search(engine, typo)
    assert res["suggestion"] == "工匠精神"
    assert search(engine, res["suggestion"])["total"] > 0


def test_the_rest_of_the_query_is_kept(engine):
    res = search(engine, "公匠精神 -劳模")
    assert res["suggestion"] == "工匠精神 -劳模"


def test_a_query_whose_words_occur_gets_no_suggestion(engine, corpus_docs):
    rng = random.Random(7)
    asked = 0
    for doc in rng.sample(corpus_docs, 120):
        text = squash(doc["title"])
        if len(text) < 4:
            continue
        start = rng.randrange(len(text) - 3)
        q = text[start : start + rng.randint(2, 4)]
        if any(not ch.isalnum() for ch in q):
            continue
        asked += 1
        assert "suggestion" not in search(engine, q), q
    assert asked > 60
    assert "suggestion" not in search(engine, "工匠精神")


def test_nothing_to_correct_is_left_alone(engine):
    for q in ["", "的", "zzzz", "𠀀𠀁", "-公匠精神", "reporter:公匠精神", "工" * 40]:
        assert "suggestion" not in search(engine, q), q


# -- the same over HTTP and on the command line -------------------------------------------

@pytest.fixture(scope="module")
def server(archive_server):
    """:func:`index_dir` served (shared with other modules)."""
    return archive_server


def test_the_api_proposes_and_the_page_links_to_it(server):
    status, _, body = http_get(server.base, "/api/search?q=" + quote("公匠精神"))
    assert status == 200 and json.loads(body)["suggestion"] == "工匠精神"
    status, _, page = http_get(server.base, "/search?q=" + quote("公匠精神"))
    text = page.decode()
    assert status == 200 and "您是不是要找" in text
    href = unescape(re.search(r'class="didyoumean__link" href="([^"]+)"', text).group(1))
    status, _, page = http_get(server.base, href)
    assert status == 200 and "共找到" in page.decode() and "您是不是要找" not in page.decode()


def test_the_command_line_proposes(index_dir):
    r = unionsearch("search", "工匠精紳", "--index-dir", index_dir)
    assert r.returncode == 0 and "did you mean: 工匠精神" in r.stdout


# -- preparing the tables ------------------------------------------------------------------

def test_the_service_prepares_suggestions_before_the_first_keystroke(index_dir):
    from search.understanding import intent
    from web.app import ENGINE, create_app

    engine = create_app(index_dir, TESTING=True).extensions[ENGINE]
    st = engine.state()
    engine.preparing.join()
    assert intent.built(st, "prefixes")  # no keystroke yet
    assert intent.built(st, "vocabulary") and intent.built(st, "pinyin_words")
    found = suggest_from(st, "工匠")
    assert found and all("工匠" in s["text"] for s in found)
    # A command that searches once builds nothing it does not need.
    assert Engine(index_dir).preparing is None


def test_a_table_being_built_keeps_no_other_search_waiting(index_dir):
    from search.understanding import intent

    st = Engine(index_dir).state()
    gate, started = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        gate.wait()
        return "built"

    builder = threading.Thread(target=intent.per_generation, args=(st, "slow table", slow))
    builder.start()
    started.wait()
    # What a pinyin search needs: the vocabulary and the title words by pinyin.
    other = threading.Thread(target=intent.words_of, args=(st,))
    other.start()
    other.join(60)  # a guard against a hang, not a timing: it must not wait for ``gate``
    try:
        assert not other.is_alive() and intent.built(st, "pinyin_words")
        assert not intent.built(st, "slow table")
    finally:
        gate.set()
        builder.join()
    assert intent.per_generation(st, "slow table", lambda: "again") == "built"


# -- /api/suggest --------------------------------------------------------------------------

def suggest(server, q: str, size: str | None = None):
    path = "/api/suggest?q=" + quote(q) + (f"&size={size}" if size else "")
    status, headers, body = http_get(server.base, path)
    return status, json.loads(body)


def test_suggestions_by_characters(server):
    status, body = suggest(server, "工匠")
    texts = [s["text"] for s in body["suggestions"]]
    assert status == 200 and body["query"] == "工匠"
    assert all("工匠" in t for t in texts) and any(s["kind"] == "title" for s in body["suggestions"])
    assert len(texts) <= 8


def test_suggestions_by_pinyin(server):
    _, body = suggest(server, "lxx")
    assert {"text": "刘欣欣", "kind": "reporter"} in body["suggestions"]
    _, body = suggest(server, "jingji", "3")
    assert [s["text"] for s in body["suggestions"]][0] == "经济" and len(body["suggestions"]) <= 3


@pytest.mark.parametrize("q", ["", " ", "工" * 1000, "\x00\x01", "<script>", '"', "%", "𠀀",
                               "a" * 999, "OR", "reporter:"])
def test_any_text_is_answered(server, q):
    status, body = suggest(server, q)
    assert status == 200 and isinstance(body["suggestions"], list)


@pytest.mark.parametrize("size", ["0", "21", "x", "-1", "1.5"])
def test_a_bad_size_is_a_400(server, size):
    status, body = suggest(server, "工匠", size)
    assert status == 400 and "size" in body["error"]


def test_the_openapi_document_describes_suggest(server):
    _, _, body = http_get(server.base, "/api/openapi.json")
    doc = json.loads(body)
    assert "/api/suggest" in doc["paths"]
    props = doc["components"]["schemas"]["SearchResult"]["properties"]
    assert "suggestion" in props and "expanded" in props


# -- the search box, in a real browser -------------------------------------------------------





@pytest.fixture
def watched(tab):
    """A page with its console errors and uncaught exceptions (the run's kept tab, left
    blank after the test: a page left on the box keeps the browser drawing its caret)."""
    page = tab(locale="zh-CN")
    errors = console_errors(page)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def test_the_box_lists_suggestions_usable_with_the_keyboard(watched, server):
    from playwright.sync_api import expect

    page, errors = watched
    page.goto(server.base + "/")
    box = page.locator("input[type=search][name=q]").first
    box.click()
    box.press_sequentially("工匠", delay=30)
    listbox = page.get_by_role("listbox", name="检索建议")
    listbox.wait_for(timeout=10_000)
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.get_by_role("option")
    # The list for 工 may show before the one for 工匠 replaces it: wait for the latter.
    expect(options.first).to_contain_text("工匠", timeout=10_000)
    assert options.count() >= 2 and "工匠" in options.first.inner_text()
    box.press("ArrowDown")
    first_id = options.first.get_attribute("id")
    assert box.get_attribute("aria-activedescendant") == first_id
    assert options.first.get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # opens it again, on the first option
    chosen = options.first.inner_text().split("（")[0]
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("input[type=search][name=q]").first.input_value() == chosen
    assert "共找到" in page.locator(".summary__count").inner_text()
    assert not errors, errors


def test_the_embed_box_has_suggestions_too(watched, server):
    page, errors = watched
    page.goto(server.base + "/embed")
    box = page.locator("input[type=search][name=q]")
    box.click()
    box.press_sequentially("lxx", delay=30)
    option = page.get_by_role("option", name=re.compile("刘欣欣"))
    option.wait_for(timeout=10_000)
    assert not errors, errors


def test_without_javascript_the_box_still_searches(tab, server):
    page = tab(locale="zh-CN", java_script_enabled=False)
    page.goto(server.base + "/")
    box = page.locator("input[type=search][name=q]").first
    box.fill("工匠精神")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    assert "共找到" in page.locator(".summary__count").inner_text()
    assert page.get_by_role("listbox").count() == 0


# -- phrases and words of the whole archive ------------------------------------------------

@pytest.mark.parametrize("typed,phrase", [("工匠精", "工匠精神"), ("劳模精", "劳模精神"),
                                          ("产业工人队", "产业工人队伍")])
def test_a_phrase_of_the_archive_is_completed(server, engine, typed, phrase):
    """Typing stops inside a word: the archive's phrases it begins are proposed, each one
    found in the archive."""
    _, body = suggest(server, typed)
    words = [s["text"] for s in body["suggestions"] if s["kind"] == "word"]
    assert phrase in words, body["suggestions"]
    for text in words:
        assert text.startswith(typed)
        assert search(engine, f'"{text}"')["total"] > 0, text


def test_pinyin_finds_body_words_too(server):
    """工匠 is in bodies of the archive (and in the README's example): gongj lists it, among
    the box's ten, with no unit or number (公斤) taking a place."""
    _, body = suggest(server, "gongj", "10")
    texts = [s["text"] for s in body["suggestions"]]
    assert "工匠" in texts and "公斤" not in texts, texts
    _, body = suggest(server, "gongjiang")
    assert body["suggestions"][0]["text"] == "工匠"


# Numbers (with their unit or measure word), dates, money and weights: never a suggestion.
QUANTITY = re.compile(r"^[0-9０-９零〇一二三四五六七八九十百千万亿两几]+[年月日号个次元名位家项件]?$"
                      r"|^(亿元|万元|公斤|公里|千克|公顷|美元|去年|今年|明年|共计)$")


def test_suggestions_are_never_numbers_dates_or_units(server):
    for typed in ("一九", "十三", "亿", "公", "gongl", "shisan", "yiy", "去", "jin"):
        _, body = suggest(server, typed, "20")
        bad = [s["text"] for s in body["suggestions"]
               if s["kind"] == "word" and QUANTITY.search(s["text"])]
        assert not bad, (typed, bad)
