"""Shared fixtures: real indexes on disk, built once per test session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from indexer.readers import read
from indexer.writer import import_items
from search.engine import Engine

from .helpers import CLEAN, CORPUS, SAMPLE, Server, built_once, unionsearch

# Imports start no background merges in tests (each would compete for the CPU with the
# test after it); tests/test_merge_beside.py turns them on where it tests them.
os.environ.setdefault("UNIONSEARCH_MERGE_BESIDE", "0")
# Backups are authenticated with the installation's key: the tests' own, made by the first
# backup in a folder of this session (never the key in the home of whoever runs them).
if "UNIONSEARCH_KEY_FILE" not in os.environ:
    import tempfile

    os.environ["UNIONSEARCH_KEY_FILE"] = os.path.join(
        tempfile.mkdtemp(prefix="unionsearch-key-"), "backup.key")


@pytest.fixture(autouse=True, scope="session")
def _cheapest_password_hashes() -> None:
    """Argon2id with its cheapest parameters for the passwords hashed and checked in the
    test processes: the tests sign in and out many times, and what they check is who
    may do what, not the hash's cost (a hash names its parameters, so either kind checks).
    Servers started as processes hash with the defaults, as an installation does."""
    import argon2

    from web import accounts

    accounts._hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


@pytest.fixture(scope="session")
def corpus_docs() -> list[dict]:
    if not CORPUS.exists():
        pytest.fail(f"the shared corpus is missing: {CORPUS}")
    with open(CORPUS, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _imported(*sources: Path):
    """A builder for :func:`built_once`: ``sources`` imported into ``<folder>/idx``."""
    def build(folder: Path) -> None:
        summary = import_items(str(folder / "idx"), read([str(s) for s in sources]))
        assert summary.added and not summary.rejected, summary.rejected

    return build


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, corpus_docs) -> Engine:
    """The shared corpus in an index, built once per test run and only read."""
    path = built_once(tmp_path_factory, "corpus", _imported(CORPUS)) / "idx"
    engine = Engine(str(path))
    assert engine.stats()["documents"] == len(corpus_docs)
    return engine


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Engine:
    """The sample page in an index, built once per test run and only read."""
    path = built_once(tmp_path_factory, "sample", _imported(SAMPLE)) / "idx"
    engine = Engine(str(path))
    assert engine.stats()["documents"] == 6
    return engine


@pytest.fixture(scope="session")
def archive_dir(tmp_path_factory) -> str:
    """The corpus and the sample page in one index, built once per test run and only
    read (a test that changes an index makes its own)."""
    path = built_once(tmp_path_factory, "archive", _imported(CORPUS, SAMPLE)) / "idx"
    assert Engine(str(path)).stats()["documents"] > 2000
    return str(path)


@pytest.fixture(scope="session")
def archive_server(archive_dir, tmp_path_factory):
    """One ``unionsearch serve`` over :func:`archive_dir` for every test that only reads
    from it over HTTP (pages, the JSON API, the OpenAPI checks, a browser)."""
    log = tmp_path_factory.mktemp("archive-server") / "serve.log"
    with Server(archive_dir, log=log) as srv:
        yield srv


@pytest.fixture(scope="session")
def _sample_by_cli(tmp_path_factory) -> Path:
    """The sample page imported by the command line with a clean environment, once per run
    (only copied)."""
    def build(folder: Path) -> None:
        done = unionsearch("index", str(SAMPLE), "--index-dir", str(folder / "idx"), env=CLEAN)
        assert done.returncode == 0, done.stderr

    return built_once(tmp_path_factory, "sample-by-cli", build) / "idx"


@pytest.fixture()
def index(tmp_path, _sample_by_cli):
    """A fresh index of the sample page, made by the command line with a clean environment
    (a copy of one made once per run, this test's to change or serve with its own settings)."""
    import shutil

    path = tmp_path / "idx"
    shutil.copytree(_sample_by_cli, path)
    return path


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, shared by every browser test of the run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        _CHROMIUM["browser"] = b
        yield b
        _close_chromium()


# The run's chromium and the tabs :func:`tab` keeps in it, while open.
_CHROMIUM: dict = {}


def _close_chromium() -> None:
    """Close the kept tabs and chromium (once: after the run's last browser test, or at the
    session's end)."""
    for page in _CHROMIUM.pop("tabs", {}).values():
        page.context.close()
    browser = _CHROMIUM.pop("browser", None)
    if browser is not None:
        browser.close()


@pytest.fixture(scope="session")
def _kept_tabs(browser):
    """The tabs :func:`tab` hands out, one per set of context options, open for the run."""
    return _CHROMIUM.setdefault("tabs", {})


@pytest.fixture
def tab(browser, _kept_tabs):
    """``tab(**options)``: a page in a browser context made with ``options`` (Playwright's
    ``new_context`` arguments), blank, with no cookies and screen media.

    The page is kept open for the later tests that ask for the same options: a new context
    and its tab cost chromium a renderer process and its first drawing, several times what
    loading a document in an open tab costs.  Each test starts on ``about:blank`` with the
    context's cookies cleared and no other window open; the product keeps nothing else in a
    browser (no local or session storage).  Listeners a test added stay, unread.  A page left in a state that cannot be put back (closed, crashed, or
    failing to go blank) is closed and the next test gets a new one."""
    import json

    handed: list[str] = []

    def open_tab(**options):
        if options.get("java_script_enabled") is True:  # the default: the same tab
            del options["java_script_enabled"]
        key = json.dumps(options, sort_keys=True)
        page = _kept_tabs.get(key)
        if page is None or page.is_closed():
            page = _kept_tabs[key] = browser.new_context(**options).new_page()
        handed.append(key)
        return page

    yield open_tab
    for key in dict.fromkeys(handed):
        page = _kept_tabs[key]
        try:
            for other in page.context.pages:  # windows the test opened
                if other != page:
                    other.close()
            page.goto("about:blank")
            page.emulate_media(media="null")
            page.context.clear_cookies()
        except Exception:  # noqa: BLE001 - whatever went wrong, the next test gets a new tab
            del _kept_tabs[key]
            try:
                page.context.close()
            except Exception:  # noqa: BLE001
                pass


# A phone's window: 390 × 844, touch.
PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True}


@pytest.fixture
def phone(tab):
    """A page in a phone-sized window (390 × 844, touch): :func:`tab`'s, kept for the run."""
    return tab(**PHONE)


# The order the tests run in.  The modules that use chromium come first, together: under
# `make test` (pytest-xdist, --dist loadgroup) they are one group that one process runs, so
# one chromium serves them all, and it is closed after the last of them (an idle chromium
# keeps spending CPU on its timers, more with tabs open).  Then the other modules, each whole
# on one process (a group of its own: its module fixtures are built once), the longest first
# (by the CPU seconds tests/cputime.py records, and the waits of the modules that start
# servers and processes): handed out in this order, a long module left to the end would
# keep one process busy while the other is idle.
LONGEST_FIRST = [
    "test_scans", "test_page", "test_install", "test_watch", "test_hardening_web",
    "test_hardening_import", "test_reliability_concurrency", "test_workers",
    "test_hardening_service", "test_metrics", "test_export", "test_bench",
    "test_reliability_crash", "test_merge_beside", "test_pdf", "test_damaged_files",
    "test_reliability_load", "test_ranking", "test_fuzz_http", "test_openapi",
    "test_skipping", "test_backup", "test_cli", "test_usx_merge", "test_recall",
    "test_check", "test_deploy", "test_reliability_imports", "test_settings",
    "test_damaged_postings", "test_editing_browser", "test_damage_under_server", "test_editing_crash", "test_suggest",
    "test_reporters", "test_merges", "test_web_api", "test_papers_browser",
    "test_reliability_input", "test_hardening_data", "test_browse", "test_papers_feeds",
    "test_papers", "test_untrusted", "test_editing",
]


def _module(item) -> str:
    return item.nodeid.split("::")[0].rpartition("/")[2].removesuffix(".py")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    chromium = {_module(item) for item in items if "browser" in item.fixturenames}
    items.sort(key=lambda item: (_module(item) not in chromium,
                                 rank.get(_module(item), len(rank))))
    grouped = getattr(config.option, "loadgroup", False)  # a worker's: its `dist` is "no"
    for item in items:
        group = "chromium" if _module(item) in chromium else _module(item)
        item.add_marker(pytest.mark.xdist_group(group))
        if grouped and not item.nodeid.endswith(f"@{group}"):
            # pytest-xdist's controller reads the group from the node id's suffix, which
            # its worker's own hook (run before this one) sets as ``_nodeid``: pytest 9
            # keeps the id in ``_id``.
            from _pytest.nodeid import coerce_node_id

            item._id = coerce_node_id(f"{item.nodeid}@{group}")
    last = [item for item in items if "browser" in item.fixturenames][-1:]
    config.stash[_LAST_BROWSER_TEST] = last[0] if last else None


_LAST_BROWSER_TEST = pytest.StashKey[pytest.Item | None]()
_PAST_LAST_BROWSER_TEST = pytest.StashKey[bool]()


@pytest.hookimpl(trylast=True)  # after the fixtures this test's teardown finishes
def pytest_runtest_teardown(item, nextitem) -> None:
    """Chromium is closed once the last test that uses it is done and its module's
    fixtures are finished: the tests run in the order above, so no later test of this
    process needs it."""
    if item.config.stash.get(_LAST_BROWSER_TEST, None) is item:
        item.config.stash[_PAST_LAST_BROWSER_TEST] = True
    if (item.config.stash.get(_PAST_LAST_BROWSER_TEST, False) and nextitem is not None
            and nextitem.module is not item.module):
        _close_chromium()
