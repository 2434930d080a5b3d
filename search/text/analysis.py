"""Words of Chinese text: what is indexed for ranking and what a query asks for.

Articles are cut in jieba's search mode (a query word inside a longer word,
精神 in 精神风貌, still matches when the words occur apart); queries in its
precise mode.  Only tokens with a letter, digit or ideograph are words:
punctuation is matched through the character bigrams (see
:mod:`search.storage.usx`), never as a word.
"""

from __future__ import annotations

from ..native import lib as _native
from . import wordseg
from .normalize import normalize

# Bumped whenever what is indexed changes: an index built otherwise must be rebuilt.
# (The index fingerprint appends the .usx format's own tag: "+usx1".)
ANALYZER_VERSION = "searchwords1+grams2+chars1"


# Words worth indexing: anything with a letter, digit or ideograph (a character
# ``str.isalnum`` accepts).  In C, so the import's numbering runs it without a call.
is_word = _native.is_word


def words(text: str) -> list[str]:
    """The words of a query: jieba's precise mode."""
    return [w for w in wordseg.cut(normalize(text)) if is_word(w)]


def index_words(text: str) -> list[str]:
    """The words of an article: search mode."""
    return normalized_index_words(normalize(text))


def normalized_index_words(norm: str) -> list[str]:
    """:func:`index_words` of text already normalised (the indexer normalises once)."""
    return [w for w in index_tokens(norm) if is_word(w)]


def index_tokens(norm: str) -> list[str]:
    """Every token of an article's normalised text, words or not: the indexed words are
    those :func:`is_word` accepts (the segment builder filters them itself, a
    dictionary lookup per token)."""
    return wordseg.cut_for_search(norm)
