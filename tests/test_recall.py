"""Every article containing a phrase is found, whatever jieba does to it.

Hundreds of random 2–8 character substrings of the real corpus: the quoted
query must return exactly the articles a substring search over the normalised
text returns; the unquoted query must return all of them first.
"""

import random

import pytest

from search.engine import SearchRequest
from search.text.normalize import squash

QUOTE_CHARS = set('"＂“”「」『』')


def _substrings(docs, count, seed):
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        doc = rng.choice(docs)
        text = "".join(rng.choice([doc["title"], doc["body"], doc["body"]]).split())
        size = rng.randint(2, 8)
        if len(text) < size:
            continue
        start = rng.randrange(len(text) - size + 1)
        sub = text[start : start + size]
        if not QUOTE_CHARS & set(sub):
            out.append(sub)
    return out


@pytest.fixture(scope="module")
def truth(corpus_docs):
    forms = [(d["id"], squash(d["title"]), squash(d["body"])) for d in corpus_docs]

    def articles_containing(sub):
        s = squash(sub)
        return {i for i, title, body in forms if s in title or s in body}

    return articles_containing


def _all_ids(engine, q):
    ids, page = [], 1
    while True:
        res = engine.search(SearchRequest(q=q, size=100, page=page))
        ids += [h["id"] for h in res["hits"]]
        if len(ids) >= res["total"] or not res["hits"]:
            return ids, res["total"]
        page += 1


def test_quoted_substrings_find_exactly_the_containing_articles(corpus_index, corpus_docs, truth):
    for sub in _substrings(corpus_docs, 300, seed=1998):
        want = truth(sub)
        ids, total = _all_ids(corpus_index, f'"{sub}"')
        assert total == len(want) and set(ids) == want, sub


def test_unquoted_substrings_rank_every_containing_article_first(corpus_index, corpus_docs,
                                                                  truth):
    checked = 0
    for sub in _substrings(corpus_docs, 300, seed=2026):
        if sub[0] in "-+" or ":" in sub or "：" in sub or sub in ("OR", "NOT", "AND"):
            continue  # operator syntax, not text
        want = truth(sub)
        ids, _ = _all_ids(corpus_index, sub)
        assert set(ids[: len(want)]) == want, sub
        checked += 1
    assert checked > 250


def test_jieba_splits_do_not_hide_phrases(corpus_index):
    # 匠精 and 济发 are not words to jieba; substrings across word boundaries still match.
    for q in ('"济发"', '"展战略"', '"国经济"'):
        assert corpus_index.search(SearchRequest(q=q))["total"] > 0, q


def test_full_width_and_traditional_forms_match(corpus_index):
    wide = corpus_index.search(SearchRequest(q='"１９９８年"', size=1))["total"]
    narrow = corpus_index.search(SearchRequest(q='"1998年"', size=1))["total"]
    assert wide == narrow > 100
    simp = corpus_index.search(SearchRequest(q='"劳动"'))["total"]
    trad = corpus_index.search(SearchRequest(q='"勞動"'))["total"]
    assert trad == simp > 10
