"""Word segmentation: jieba's dictionary and algorithm, run by jieba-rs.

``rjieba`` is the Rust port of jieba 0.42.1: the same dictionary, the same
tokens and offsets (``tests/test_wordseg.py`` checks this against jieba), about
twenty times faster and loaded in a tenth of the time.  One segmenter serves the
process; words learned from bylines and the user dictionary are added to it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

DEFAULT_USERDICT = Path(__file__).with_name("userdict.txt")

_lock = threading.Lock()
_added: set[str] = set()
_waiting: list[str] = []  # words taught before the segmenter was built, in their order
_segmenter = None


def _engine():
    """The process's segmenter, built (jieba's dictionary loaded) at its first use: a
    command that opens an index and never cuts text does not pay for the dictionary.
    Words taught before are added to it then, in the order they were taught."""
    global _segmenter
    if _segmenter is None:
        with _lock:
            if _segmenter is None:
                import rjieba

                engine = rjieba.Jieba()
                for word in _waiting:
                    engine.add_word(word, None, None)
                _waiting.clear()
                _segmenter = engine
    return _segmenter


_TAGGER_WARM = "一策"  # two characters jieba's dictionary lacks as a word: tagged by its HMM
_tagger_ready = False


def ready() -> None:
    """Build the segmenter now (jieba's dictionary loaded), where its first cut must not
    pay for it: before a search's clock starts, in a service's background start-up.

    The part-of-speech model that :func:`tag` uses for words outside the dictionary is
    loaded by jieba-rs at the first such word, once per process: it is loaded here too,
    so that the first query holding an unknown word does not pay for it."""
    global _tagger_ready
    engine = _engine()
    if not _tagger_ready:
        engine.tag(_TAGGER_WARM, True)
        _tagger_ready = True


def add_words(words: Iterable[str]) -> None:
    """Teach the segmenter whole words (names from bylines, dictionary entries); before
    the segmenter is built they wait for it."""
    with _lock:
        for word in words:
            word = word.strip()
            if len(word) >= 2 and word not in _added:
                if _segmenter is None:
                    _waiting.append(word)
                else:
                    _segmenter.add_word(word, None, None)
                _added.add(word)


def read_userdict(path: str | os.PathLike) -> list[str]:
    """Words of a jieba-style user dictionary: ``word [freq] [tag]`` per line."""
    words = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                words.append(line.split()[0])
    return words


def userdict_path() -> Path:
    """The user dictionary: ``$UNIONSEARCH_USERDICT``, else the one shipped in ``search/``."""
    return Path(os.environ.get("UNIONSEARCH_USERDICT") or DEFAULT_USERDICT)


@lru_cache(maxsize=4)
def _load_userdict(path: str, mtime: float) -> str:
    """Load the user dictionary once per file version; return its digest."""
    data = Path(path).read_bytes()
    add_words(read_userdict(path))
    return hashlib.sha256(data).hexdigest()[:16]


def ensure_userdict() -> str:
    """Load the configured user dictionary; the digest goes into the fingerprint."""
    path = userdict_path()
    if not path.exists():
        return "none"
    return _load_userdict(str(path), path.stat().st_mtime)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` triples with character offsets, jieba's default mode."""
    return _engine().tokenize(text, "default", True)


def is_word(text: str) -> bool:
    """Whether jieba's own dictionary holds ``text`` as one word (成立, 高温; not 王宇).

    Names learned from bylines do not count: the question is whether a string reads as an
    ordinary word, which a personal name rarely does.
    """
    return text not in _added and len(_engine().cut(text, False)) == 1


def cut(text: str) -> list[str]:
    """jieba's precise mode with HMM: how a query is cut into words."""
    return _engine().cut(text, True)


def cut_for_search(text: str) -> list[str]:
    """Words plus the dictionary words inside long ones (精神风貌 → 精神, 风貌, 精神风貌)."""
    return _engine().cut_for_search(text, True)


def segmenter_version() -> str:
    """The segmenter's name and version, part of the index fingerprint."""
    return "rjieba-" + metadata.version("rjieba")


def tag(text: str) -> list[tuple[str, str]]:
    """``(word, part of speech)`` in jieba's precise mode; words taught without a tag
    (bylines, the user dictionary) have the tag ``""``."""
    return _engine().tag(text, True)
