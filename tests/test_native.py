"""The C module (search/_native.c) against the NumPy references of tests/oracles.py.

The module is required (search/native.py): the first test says plainly that this install
has it, and that the engine reaches it.
"""

from __future__ import annotations

import numpy as np
import pytest

from search import schema as f
from search.engine import Engine
from search.storage.usx import across, varint

from . import oracles
from .helpers import corpus_rows, import_in_parts


def test_this_install_has_the_c_module():
    """The C module is required: the engine reaches it, and there is no other path."""
    from search import _native as built
    from search import native

    assert native.lib is built and varint._native is built and across._native is built


_native = pytest.importorskip("search._native")


def test_varints_match_numpy_on_every_length():
    rng = np.random.default_rng(7)
    # The NumPy decoder is exact below 2**53 (its sums are float64): far above any
    # docnum or position.
    values = np.concatenate([rng.integers(0, 1 << k, 500) for k in range(1, 54, 4)]
                            + [np.array([0, 127, 128, 16383, 16384, (1 << 53) - 1])])
    data, _ = varint.encode(values)
    assert varint.decode(data).tolist() == values.tolist()
    assert oracles.decode_numpy(data).tolist() == values.tolist()


def test_a_cut_varint_is_an_error_not_a_wrong_number():
    data, _ = varint.encode(np.array([5, 300, 70000]))
    for cut in (2, 4, 5):  # bytes 1 | 2-3 | 4-6: each cut ends inside a number
        with pytest.raises(ValueError, match="damaged"):
            varint.decode(data[:cut])


@pytest.fixture(scope="module")
def lists(tmp_path_factory):
    """Real encoded lists of every layout from a two-segment index: (field, bytes,
    the segment's number of documents)."""
    idx = import_in_parts(tmp_path_factory.mktemp("dec"), corpus_rows(160, prefix="dc",
                                                                       body_chars=600), 2)
    view = Engine(idx).state().view
    out = []
    for field in f.WORD_FIELDS + f.GRAM_FIELDS + f.CHAR_FIELDS:
        for sp in view.usx:
            ends = sp.array(f"{field}.ends")
            for i in range(0, len(ends), max(1, len(ends) // 60)):
                out.append((field, sp.encoded(field, i), sp.doc_count))
    return out


def _layouts(field: str) -> list[str]:
    if field in f.CHAR_FIELDS:
        return ["chars"]
    if field in f.WORD_FIELDS:
        return ["words"]
    return ["grams", "gram counts"]


def test_every_layout_decodes_as_numpy_does(lists):
    assert len(lists) > 500
    by_field: dict[str, list[tuple[np.ndarray, int]]] = {}
    for field, raw, size in lists:
        by_field.setdefault(field, []).append((raw, size))
    for field, items in by_field.items():
        for layout in _layouts(field):
            for some in (items[:1], items[:7], items):  # one segment's list, several
                group = [raw for raw, _ in some]
                sizes = [size for _, size in some]
                offsets = [1000 * k for k in range(len(group))]
                want = oracles.decode_across_numpy(layout, group, offsets, sizes)
                got = across.decode_across(layout, group, offsets, sizes)
                assert got[0].tolist() == want[0].tolist(), (field, layout)
                assert got[1].tolist() == want[1].tolist(), (field, layout)
                if layout == "grams":
                    assert got[2].tolist() == want[2].tolist(), field
                else:
                    assert got[2] is None and want[2] is None


def test_damaged_lists_are_errors_never_a_crash(lists):
    """Cut anywhere, or with bytes flipped, a list raises ValueError or decodes to some
    numbers; it never reads or writes past its arrays (the process would die)."""
    rng = np.random.default_rng(3)
    long = [(fld, raw, size) for fld, raw, size in lists if len(raw) > 20][:40]
    assert long
    for field, raw, size in long:
        for layout in _layouts(field):
            for cut in sorted({1, len(raw) // 2, len(raw) - 1}):
                if layout != "gram counts":
                    with pytest.raises(ValueError, match="damaged"):
                        across.decode_across(layout, [raw[:cut]], [0], [size])
            for _ in range(20):
                bad = raw.copy()
                bad[rng.integers(0, len(bad), 3)] = rng.integers(0, 256, 3)
                try:
                    docs, weights, pos = across.decode_across(layout, [bad], [0], [size])
                except ValueError:
                    continue
                assert len(docs) == len(weights) <= len(bad)


def test_wrong_arrays_are_refused():
    out = np.empty(4, dtype=np.int64)
    with pytest.raises(TypeError):
        _native.varints(np.zeros(4, dtype=np.int64), out)  # data must be bytes
    with pytest.raises(ValueError):
        _native.postings(np.zeros(8, dtype=np.uint8), np.zeros(1, dtype=np.int64),
                         np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), 1, out,
                         np.empty(4), out)
    with pytest.raises(ValueError):
        _native.postings(np.zeros(2, dtype=np.uint8), np.array([0, 2]), np.array([0]),
                         np.array([5]), 9, out, np.empty(4), out)


def test_merge_add_is_the_union_with_values_added():
    from search.retrieval import evaluate

    rng = np.random.default_rng(11)
    for n_a, n_b, span in ((0, 5, 10), (5, 0, 10), (300, 40, 1000), (5000, 5000, 8000),
                           (20000, 300, 10**6)):
        a = np.unique(rng.integers(0, span, n_a)).astype(np.int64)
        b = np.unique(rng.integers(0, span, n_b)).astype(np.int64)
        av, bv = rng.random(len(a)), rng.random(len(b))
        docs, values = evaluate.merge_add(a, av, b, bv)
        want = {}
        for d, v in zip(a.tolist(), av.tolist(), strict=True):
            want[d] = v
        for d, v in zip(b.tolist(), bv.tolist(), strict=True):
            want[d] = want.get(d, 0.0) + v
        assert docs.tolist() == sorted(want)
        assert np.allclose(values, [want[d] for d in sorted(want)])
        np_docs, np_values = oracles.merge_add_numpy(a, av, b, bv)  # the NumPy reference
        assert np_docs.tolist() == docs.tolist() and np_values.tolist() == values.tolist()


def _phrases(corpus_docs) -> list[str]:
    from search.text.normalize import squash

    rng = np.random.default_rng(5)
    out = ["工" * 9, "工工工工工", "的的", "中国共产党", "人民", "，", "。”", "新华社北京"]
    for doc in corpus_docs[::25]:
        s = squash(doc["body"])
        for _ in range(4):
            n = int(rng.integers(3, 14))
            if len(s) > n:
                i = int(rng.integers(0, len(s) - n))
                out.append(s[i : i + n])
    return out


def test_phrase_check_in_c_finds_what_numpy_finds(corpus_index, corpus_docs):
    """Every phrase (real text cut at random, repetitive runs, punctuation) gives the same
    documents and occurrence counts from the C walk as from the NumPy key sorts of
    tests/oracles.py (tests/test_recall.py checks the engine against a scan of the texts)."""
    from search import schema as f
    from search.results import _QueryView
    from search.retrieval import evaluate

    st = corpus_index.state()
    phrases = _phrases(corpus_docs)
    assert len(phrases) > 300
    for field in (f.TEXT_G, f.HEAD_G):
        c = [evaluate.Evaluator(_QueryView(st.view), st.arrays).substring_in(field, p)
             for p in phrases]
        ref = [oracles.phrase_numpy(evaluate.Evaluator(_QueryView(st.view), st.arrays),
                                    field, p) for p in phrases]
        for p, (cd, cc), (rd, rc) in zip(phrases, c, ref, strict=True):
            assert cd.tolist() == rd.tolist(), (field, p)
            assert cc.tolist() == rc.tolist(), (field, p)
        if field == f.TEXT_G:  # cut from bodies: each found at least where it was cut
            assert all(len(d) for d, _ in c[8:]), field


def test_phrase_refuses_inconsistent_lists():
    docs = np.array([1, 5], dtype=np.int64)
    weights = np.array([2.0, 1.0])
    short = np.array([3], dtype=np.int64)  # 3 positions promised, 1 given
    out_d, out_c = np.empty(2, dtype=np.int64), np.empty(2)
    with pytest.raises(ValueError, match="positions"):
        _native.phrase([(docs, weights, short)], np.array([0, 0], dtype=np.int64), out_d, out_c)
    with pytest.raises(ValueError, match="entries"):
        _native.phrase([(docs, weights, short)], np.array([0, 1], dtype=np.int64), out_d, out_c)
    with pytest.raises(TypeError):
        _native.phrase([(docs, weights)], np.array([0, 0], dtype=np.int64), out_d, out_c)


def test_facets_in_c_count_what_numpy_counts(corpus_index, monkeypatch):
    """The C facet counts give the same facets (years, reporters) as the NumPy reference."""
    from search import results

    st = corpus_index.state()
    arrays = st.arrays
    rng = np.random.default_rng(2)
    live = np.flatnonzero(arrays.live)
    subsets = [live, live[:1], live[::7], np.sort(rng.choice(live, 300, replace=False)),
               np.zeros(0, dtype=np.int64)]
    got = [results.facets(arrays, d) for d in subsets]
    monkeypatch.setattr(results, "facet_counts", oracles.facet_counts_numpy)
    want = [results.facets(arrays, d) for d in subsets]
    assert got == want
    assert got[0]["reporter"] and got[0]["year"] == [{"value": "1998", "count": len(live)}]


def test_bm25f_in_c_scores_exactly_as_numpy(corpus_index, corpus_docs):
    """The same documents and bit-identical scores: the C pass does the same float
    operations in the same order (rankings and ties must not move)."""
    from search.results import _QueryView
    from search.retrieval import evaluate
    from search.text.analysis import words

    st = corpus_index.state()
    ws = sorted({w for d in corpus_docs[::40] for w in words(d["title"])})[:150]
    assert len(ws) > 50

    def scored(term):
        ev = evaluate.Evaluator(_QueryView(st.view), st.arrays)
        return [term(ev, *ev._word_fields(w, head, text)) for w in ws for head, text in
                ((True, True), (True, False), (False, True))]

    c = scored(evaluate.Evaluator.term)
    ref = scored(oracles.term_numpy)
    for m, r in zip(c, ref, strict=True):
        assert m.docs.tolist() == r.docs.tolist()
        assert m.scores.tolist() == r.scores.tolist()
    assert sum(len(m) for m in c) > 1000


# --- building a segment's postings ----------------------------------------------------

def _segment_arrays(heads: list[str], bodies: list[str], monkeypatch, in_c: bool) -> dict:
    """A segment's arrays built by the engine (C), or with every C step replaced by its
    reference in tests/oracles.py."""
    import types

    from search.storage.usx import postings

    # A skip table on every list of more than one block: 600 articles hold few lists
    # above the format's threshold.
    monkeypatch.setattr(postings, "SKIP_MIN_DOCS", postings.BLOCK_DOCS)
    if not in_c:
        monkeypatch.setattr(postings, "encode_field", oracles.encode_field_numpy)
        monkeypatch.setattr(postings, "_gram_and_char_fields",
                            oracles.gram_and_char_fields_numpy)
        monkeypatch.setattr(postings, "_native", types.SimpleNamespace(
            Numbering=oracles.Numbering, skip_table=oracles.skip_table_numpy,
            union_df=oracles.union_df_lists_numpy))
    try:
        return postings.build(heads, bodies)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("texts", ["corpus", "odd"])
def test_segment_files_built_in_c_hold_the_numpy_bytes(corpus_docs, monkeypatch, texts):
    """Every array of a segment's .usx file (terms, ends, encoded postings, words,
    lengths, skip tables) is the same, byte for byte and type for type, whichever builds it."""
    if texts == "corpus":
        docs = corpus_docs[:600]
        heads, bodies = [d["title"] for d in docs], [d["body"] for d in docs]
    else:  # empty texts, one character, punctuation only, one character repeated
        heads = ["", "工", "。。。", "", "ＡＢＣ abc", "工会" * 50]
        bodies = ["", "", "“”", "会" * 3000, "\n\n", "劳动午报记者 王伟\n工匠精神"]
    in_c = _segment_arrays(heads, bodies, monkeypatch, True)
    in_numpy = _segment_arrays(heads, bodies, monkeypatch, False)
    assert in_c.keys() == in_numpy.keys()
    if texts == "corpus":  # skip tables of bigram and word lists were compared too
        assert len(in_c["text_g.skip_terms"]) > 20 and len(in_c["text.skip_terms"]) > 5
    for name, arr in in_numpy.items():
        assert in_c[name].dtype == arr.dtype, name
        assert np.array_equal(in_c[name], arr), name


def test_segment_of_only_empty_texts_builds_in_c(monkeypatch):
    arrays = _segment_arrays(["", ""], ["", " "], monkeypatch, True)
    assert len(arrays["text_g.keys"]) == 0 and len(arrays["text_c.data"]) == 0


def test_encode_postings_in_c_with_keys_that_need_hashing():
    """Keys above 2**22 (bigrams) go through a hash table that grows as terms arrive:
    100,000 distinct keys, each in a few documents, come out as NumPy orders them."""
    from .oracles import encode_field_numpy

    rng = np.random.default_rng(3)
    n = 300_000
    keys = rng.integers(1 << 40, (1 << 40) + 100_000, n).astype(np.uint64)
    doc = np.sort(rng.integers(0, 5000, n)).astype(np.int32)
    pos = rng.integers(0, 100, n).astype(np.int32)
    order = np.lexsort((pos, doc))
    keys, doc, pos = keys[order], doc[order], pos[order]
    terms, ends, data = _native.encode_postings(keys, doc, pos, False)
    want_keys, want = encode_field_numpy(keys, doc, pos, False)
    assert np.array_equal(np.frombuffer(terms, np.uint64), want_keys)
    assert np.array_equal(np.frombuffer(ends, np.int64), want["ends"])
    assert np.array_equal(np.frombuffer(data, np.uint8), want["data"])


def test_encode_postings_refuses_arrays_that_do_not_fit():
    keys = np.arange(4, dtype=np.uint64)
    with pytest.raises(ValueError, match="lengths"):
        _native.encode_postings(keys, np.zeros(3, np.int32), None, True)
    with pytest.raises(TypeError):
        _native.encode_postings(keys, np.zeros(4, np.int64), None, True)
    with pytest.raises(TypeError):
        _native.encode_postings(keys.astype(np.uint16), np.zeros(4, np.int32), None, True)


def test_numbering_in_c_numbers_words_as_python_does(corpus_docs):
    from search.text.analysis import index_tokens, is_word
    from search.text.normalize import normalize

    from .oracles import Numbering

    texts = [normalize(d["body"]) for d in corpus_docs[:200]]
    got, want = _native.Numbering(is_word), Numbering(is_word)
    got_ids, want_ids = [], []
    for text in texts:
        toks = index_tokens(text)
        got_ids.append(got.ids(toks))
        want_ids.append(want.ids(toks))
    assert got_ids == want_ids
    assert got.vocab == want.vocab
    assert -1 in np.frombuffer(b"".join(got_ids), np.int32)  # punctuation is no word


def test_numbering_tells_apart_tokens_of_every_width_and_length():
    """Keys of one, two and four bytes a character, short (in the table's slot) and long
    (past 16 bytes), and tokens alike but for their last character or their width: each
    its own word, numbered as Python's dict numbers them, across the table's growth."""
    from .oracles import Numbering

    base = ["工会", "工人", "a", "ab", "abc", "é", "𠀀", "𠀀a", "a" * 16, "a" * 17,
            "工" * 8, "工" * 9, "工" * 8 + "人", "\x00", "\x00\x00", "", "1998", "１９９８"]
    tokens = base + [f"{w}{k}" for k in range(3000) for w in ("词", "x", "𠀀")] + base
    is_word = bool
    got, want = _native.Numbering(is_word), Numbering(is_word)
    assert got.ids(tokens) == want.ids(tokens)
    assert got.vocab == want.vocab
    ids = np.frombuffer(got.ids(base), np.int32)
    assert ids[base.index("")] == -1
    assert len(set(ids[ids >= 0].tolist())) == len(base) - 1


def test_numbering_passes_on_an_error_of_is_word():
    def broken(token: str) -> bool:
        raise RuntimeError("broken filter")

    with pytest.raises(RuntimeError, match="broken filter"):
        _native.Numbering(broken).ids(["工会"])
    with pytest.raises(TypeError):
        _native.Numbering(bool).ids(["工会", 3])


def test_fold_in_c_is_str_translate_on_every_code_point(corpus_docs):
    """normalize's C fold gives what ``str.translate`` with the table gives: on every code
    point (full-width, traditional, astral, the table's last entry and past it) and on
    real articles."""
    from search.text import normalize

    table = normalize.char_table()
    every = "".join(chr(c) for c in range(0, 0x30000) if not 0xD800 <= c <= 0xDFFF)
    assert _native.fold(every, normalize.fold_array()) == every.translate(table)
    for doc in corpus_docs[:300]:
        assert normalize.normalize(doc["body"]) == doc["body"].translate(table)
    assert normalize.normalize("劳動午報 ＡＢＣ１２３") == "劳动午报 abc123"
    assert normalize.normalize("") == ""


def test_is_word_in_c_is_any_isalnum_on_every_code_point():
    """A token is a word when one of its characters is a letter, digit or ideograph, as
    ``str.isalnum`` says: checked on every code point, alone and after punctuation."""
    from search.text.analysis import is_word

    for cp in range(0x110000):
        ch = chr(cp)
        if is_word(ch) != ch.isalnum() or is_word("，" + ch) != ch.isalnum():
            raise AssertionError(f"U+{cp:04X}")
    assert not is_word("") and not is_word("——") and is_word("——工会")
