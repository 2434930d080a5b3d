"""Damaged posting lists through the C decoder (search/_native.c) and its NumPy reference
(tests/oracles.py): each damaged input raises ``DamagedPostings`` or decodes to a
well-formed list, the two decoders agree on every input, crafted values (a count of
2**63-1, a docnum delta of 2**61, docnums at or past the segment's size, cuts) are always
refused, and a damaged list met by a search answers 503 naming ``unionsearch check``.

Structure alone cannot tell a flipped docnum delta that still gives an ascending list
below the segment's size from the original: such inputs are counted, and must decode
identically in both twins.  The checksums of the file catch them before a search decodes
them (``tests/test_damaged_files.py``); the decoders' checks are what stands against a
list crafted with its checksums made again.
"""

from __future__ import annotations

import numpy as np
import pytest

from search import schema as f
from search.engine import Engine
from search.storage import segments, usx
from search.storage.usx import across, varint
from search.storage.usx.varint import DamagedPostings

from . import oracles
from .helpers import corpus_rows, import_in_parts

pytest.importorskip("search._native", reason="not built: only the NumPy decoder here")


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> str:
    return import_in_parts(tmp_path_factory.mktemp("dmg"),
                           corpus_rows(120, prefix="dm", body_chars=500), 2)


@pytest.fixture(scope="module")
def lists(index) -> list[tuple[str, np.ndarray, int]]:
    """Real lists of every layout: (layout, bytes, the segment's documents)."""
    out = []
    for sp in Engine(index).state().view.usx:
        for field in f.WORD_FIELDS + f.GRAM_FIELDS + f.CHAR_FIELDS:
            ends = sp.array(f"{field}.ends")
            for i in range(0, len(ends), max(1, len(ends) // 25)):
                raw = sp.encoded(field, i)
                layouts = (["chars"] if field in f.CHAR_FIELDS else ["words"]
                           if field in f.WORD_FIELDS else ["grams", "gram counts"])
                out += [(layout, raw, sp.doc_count) for layout in layouts]
    return out


def _decode(fn, layout: str, raw: np.ndarray, size: int):  # noqa: ANN001, ANN202
    try:
        docs, weights, pos = fn(layout, [raw], [0], [size])
    except DamagedPostings:
        return "damaged"
    return (docs.tolist(), weights.tolist(), None if pos is None else pos.tolist())


def _well_formed(out, size: int) -> bool:  # noqa: ANN001
    docs, weights, pos = out
    if not docs or docs[0] < 0 or docs[-1] >= size or any(b <= a for a, b in zip(
            docs, docs[1:], strict=False)):
        return False
    if any(w < 1 or w != int(w) for w in weights):
        return False
    if pos is not None:
        if len(pos) != sum(int(w) for w in weights):
            return False
        at = 0
        for w in weights:
            one = pos[at : at + int(w)]
            if one[0] < 0 or any(b <= a for a, b in zip(one, one[1:], strict=False)):
                return False
            at += int(w)
    return True


def _damaged_inputs(lists, rng) -> list[tuple[str, np.ndarray, int, str]]:  # noqa: ANN001
    """Flips, cuts, random bytes, crafted counts and docnums over the real lists."""
    out = []
    for layout, raw, size in lists:
        for _ in range(20):
            bad = raw.copy()
            k = int(rng.integers(1, 4))
            at = rng.integers(0, len(bad), k)
            bad[at] ^= (1 << rng.integers(0, 8, k)).astype(np.uint8)
            out.append((layout, bad, size, "flip"))
        for _ in range(3):
            bad = raw.copy()
            bad[rng.integers(0, len(bad))] = rng.integers(0, 256)
            out.append((layout, bad, size, "byte"))
        for cut in sorted({1, len(raw) // 2, len(raw) - 1} - {0, len(raw)}):
            out.append((layout, raw[:cut], size, "cut"))
        out.append((layout, raw, size - 1 if size > 1 else 0, "smaller segment"))
    return out


def _crafted(size: int) -> list[tuple[str, np.ndarray, int, str]]:
    """Hand-made lists every decoder must refuse."""
    enc = lambda *v: varint.encode(np.array(v, dtype=np.uint64))[0]  # noqa: E731
    return [
        ("words", enc(1, (5 << 1) | 1, 2**63 - 1), size, "count 2**63-1"),
        ("grams", enc(1, (5 << 1) | 1, 2**63 - 1, 1, 2), size, "count 2**63-1"),
        ("gram counts", enc(1, (5 << 1) | 1, 2**40, 1), size, "count 2**40"),
        ("chars", enc(2, 1, 2**61), size, "delta 2**61"),
        ("words", enc(2, 2, 2**61 << 1), size, "delta 2**61"),
        ("chars", enc(1, size), size, "docnum = size"),
        ("words", enc(2, 2, 0), size, "docnum twice"),
        ("words", enc(0), size, "df 0"),
        ("words", enc(2**62, 1), size, "df 2**62"),
        ("grams", enc(1, 3, 5, 0), size, "positions not ascending"),
        ("grams", enc(1, 3, 5, 0), size, "positions not ascending"),
        ("grams", enc(1, 2, 2**40), size, "position 2**40"),
        ("words", np.array([0x81] * 10 + [1], dtype=np.uint8), size, "11-byte varint"),
        ("words", np.zeros(0, dtype=np.uint8), size, "empty"),
    ]


def test_damaged_lists_are_refused_or_well_formed_and_the_twins_agree(lists) -> None:
    rng = np.random.default_rng(24)
    inputs = _damaged_inputs(lists, rng)
    biggest = max(s for _, _, s in lists)
    inputs += _crafted(biggest)
    assert len(inputs) >= 10_000, len(inputs)
    outcome = {"damaged": 0, "a real list": 0, "another well-formed list": 0}
    real: dict[tuple[str, int], list] = {}  # the real lists decoded, by layout and length
    for lay, raw, s in lists:
        real.setdefault((lay, len(raw)), []).append(_decode(oracles.decode_across_numpy, lay,
                                                            raw, s))
    for layout, bad, size, how in inputs:
        c = _decode(across.decode_across, layout, bad, size)
        numpy = _decode(oracles.decode_across_numpy, layout, bad, size)
        assert c == numpy, (layout, how, bad.tolist(), size)
        if c == "damaged":
            outcome["damaged"] += 1
            continue
        same = how != "smaller segment" and c in real.get((layout, len(bad)), [])
        outcome["a real list" if same else "another well-formed list"] += 1
        assert how not in ("smaller segment",) or size > max(c[0]), (layout, how)
        assert _well_formed(c, size), (layout, how, bad.tolist())
    for layout, bad, size, how in _crafted(biggest):
        assert _decode(across.decode_across, layout, bad, size) == "damaged", how
        assert _decode(oracles.decode_across_numpy, layout, bad, size) == "damaged", how
    cuts = [(lay, bad, s) for lay, bad, s, how in inputs if how == "cut" and lay != "gram counts"]
    assert all(_decode(across.decode_across, lay, bad, s) == "damaged" for lay, bad, s in cuts)
    assert outcome["damaged"] > len(inputs) // 2
    print(outcome)  # the rate of undetectable damage, for bench/RESULTS.md


def test_a_damaged_list_under_a_search_is_a_503_naming_check(index, tmp_path) -> None:
    """A list whose docnums run past its segment, met by a search: the JSON API and the
    page answer 503 and name ``unionsearch check``; the log names the file."""
    import shutil

    from web.app import create_app

    folder = tmp_path / "idx"
    shutil.copytree(index, folder)
    engine = Engine(str(folder))
    sp = engine.state().view.usx[0]
    i = sp.term_index(f.TEXT_C, "的")
    assert i >= 0
    ends = sp.array(f"{f.TEXT_C}.ends")
    start = int(ends[i - 1]) if i else 0
    arrays = {name: np.array(sp.array(name)) for name in sp.names()
              if not name.endswith(".blocks")}
    raw = sp.encoded(f.TEXT_C, i)
    df_len = int(np.argmax(raw < 0x80)) + 1
    # The first docnum: 127, past this small segment's documents, written with every
    # checksum right (as a crafted file would be): the decoder's own checks refuse it.
    arrays[f"{f.TEXT_C}.data"][start + df_len] = 0x7F
    assert sp.doc_count <= 127
    usx.write(sp.path, sp.doc_count, arrays)
    segments._usx_cache.clear()  # as a server started now would open it
    segments._verified.clear()
    app = create_app(index_dir=str(folder))
    client = app.test_client()
    resp = client.get("/api/search?q=的")
    assert resp.status_code == 503
    assert "unionsearch check" in resp.get_json()["error"]
    resp = client.get("/search?q=的")
    assert resp.status_code == 503 and "unionsearch check" in resp.get_data(as_text=True)
