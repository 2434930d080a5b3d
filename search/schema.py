"""Every field of an article in the index, declared once: what is kept and how it is found.

An article is stored as printed (Whoosh's stored fields, :data:`STORED`); Whoosh
indexes its ``id`` (unique), its ``reporter`` names (whole names, normalised,
commas between them) and its ``day`` (yyyymmdd as an integer column that filters,
sorting and the year facet read), built by :func:`search.storage.store.build_schema`.

Its text is indexed beside each Whoosh segment, in the segment's ``.usx`` file
(:mod:`search.storage.usx`): two texts, each three ways.  The whole pipeline of each
field, from the stored article to what is written, is :data:`TEXT_FIELDS`:

=========  ====================  ======================================  ==================
field      text                  pipeline                                for
=========  ====================  ======================================  ==================
``head``   kicker, title,        normalize → jieba search-mode words →   BM25F, title
           subtitle              only words with a letter/digit/ideograph weighted ×3
``head_g`` the same              normalize → squash (no whitespace) →    phrases: any
                                 overlapping bigrams, with positions     substring of 2+
``head_c`` the same              normalize → squash → each character     one-character
                                 once per article                        searches
``text``   body                  as ``head``                             BM25F
``text_g`` body                  as ``head_g``                           phrases
``text_c`` body                  as ``head_c``                           one character
=========  ====================  ======================================  ==================

The steps are :func:`search.text.normalize.normalize`, :func:`search.text.analysis.index_words`
and :func:`search.text.normalize.squash`; a query meets the same steps (its words by
jieba's precise mode, its phrases squashed and covered by bigrams in
:mod:`search.retrieval.evaluate`).  Change any step and bump
:data:`search.text.analysis.ANALYZER_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass

# Stored fields (as printed), and the fields Whoosh indexes.
ID, TITLE, SUBTITLE, BODY, REPORTERS, DATE, PAGE, URL, KICKER = (
    "id", "title", "subtitle", "body", "reporters", "date", "page", "url", "kicker")
DIGEST = "digest"  # of the stored content: tells "unchanged" from "updated"
# Where an article read from a PDF or scan was printed (file, page, size, regions): a dict,
# absent from every other article.
PRINTED = "printed"
REPORTER, DAY = "reporter", "day"
# The publication (报刊) an article was printed in, by its short key (``ldwb``): stored and
# indexed by Whoosh, absent from articles of an archive of one unnamed paper.  ``added``:
# when the import that wrote the article started (seconds since 1970, a numeric column),
# absent (0) from articles written before it was recorded.
PAPER, ADDED = "paper", "added"
# ``id``, ``paper`` and ``added`` are stored too, with their index; ``kicker`` (引题) is
# absent from articles stored before it.
STORED = (TITLE, SUBTITLE, KICKER, BODY, REPORTERS, DATE, PAGE, URL, DIGEST, PRINTED)

# The text fields of the .usx file.
HEAD, HEAD_G, HEAD_C, TEXT, TEXT_G, TEXT_C = (
    "head", "head_g", "head_c", "text", "text_g", "text_c")
WORDS, GRAMS, CHARS = "words", "grams", "chars"


@dataclass(frozen=True)
class TextField:
    """One ``.usx`` field: which text of the article (``head`` or ``text``), cut how."""

    name: str
    source: str
    unit: str


TEXT_FIELDS = (
    TextField(HEAD, HEAD, WORDS), TextField(HEAD_G, HEAD, GRAMS), TextField(HEAD_C, HEAD, CHARS),
    TextField(TEXT, TEXT, WORDS), TextField(TEXT_G, TEXT, GRAMS), TextField(TEXT_C, TEXT, CHARS),
)
UNIT = {tf.name: tf.unit for tf in TEXT_FIELDS}
WORD_FIELDS = tuple(tf.name for tf in TEXT_FIELDS if tf.unit == WORDS)
GRAM_FIELDS = tuple(tf.name for tf in TEXT_FIELDS if tf.unit == GRAMS)
CHAR_FIELDS = tuple(tf.name for tf in TEXT_FIELDS if tf.unit == CHARS)
CHARS_OF = {HEAD_G: HEAD_C, TEXT_G: TEXT_C}  # a gram field's one-character twin


SOURCES = (HEAD, TEXT)  # the two texts, in the order a .usx file holds their fields


def fields_of(source: str) -> tuple[str, str, str]:
    """The (words, grams, chars) fields of one text, ``head`` or ``text``."""
    by_unit = {tf.unit: tf.name for tf in TEXT_FIELDS if tf.source == source}
    return by_unit[WORDS], by_unit[GRAMS], by_unit[CHARS]
