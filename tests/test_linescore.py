"""The learned score for a lone short line (indexer/linescore.py) on real page text.

A page printed with no blank lines (人民日报 1998 style) gives no gap evidence: whether a
short line after a complete paragraph starts a new article is read from the line and the
text around it.  These pages are built from the corpus by tests/pagefamilies.py.
"""

from __future__ import annotations

import pytest

from indexer import linescore
from indexer.pagedump import parse_page
from tests.pagefamilies import make_family_page


def test_fitted_weights_are_shipped_and_complete() -> None:
    w = linescore.weights()
    assert w is not None, "indexer/linescore.json missing or fitted for other features"
    assert 0.0 < w["rule_floor"] < w["threshold"] < 1.0
    with linescore.off():
        assert linescore.weights() is None
    assert linescore.weights() is not None


@pytest.mark.parametrize(("seed", "title"), [(3, "德彻底放开电信市场"), (12, "图片新闻"),
                                             (34, "云南省举办百对新人集体婚礼")])
def test_a_lone_title_after_a_finished_article_starts_one(seed: int, title: str) -> None:
    page = make_family_page("pd1998", seed)
    assert title in {a.title for a in page.articles}
    got = {a.title: a for a in parse_page(page.text)}
    assert title in got, f"{title} read as part of the article above"
    why = " ".join(got[title].why)
    assert "scored" in why  # --dry-run names the score and the features that decided
    with linescore.off():  # the hand-set rule alone glued it to the article above
        assert title not in {a.title for a in parse_page(page.text)}


def test_a_line_kept_as_text_says_why_and_loses_nothing() -> None:
    page = make_family_page("pd1998", 3)
    got = parse_page(page.text)
    host = next(a for a in got if a.title.startswith("邹家华在全国建设工作会议上强调"))
    kept = [w for w in host.why if "text of this article" in w]
    assert kept and kept[0].startswith("建设部部长侯捷在会上介绍了")
    assert "scored" in kept[0]
    assert "建设部部长侯捷在会上介绍了１９９８年建设工作的主要任务。" in host.body
    everything = "".join(a.kicker + a.title + a.subtitle + a.body for a in got)
    for t in page.articles:
        for line in t.lines:
            assert line.strip() in everything.replace("\n", "") or line.startswith("责任编辑")


def test_a_line_opening_with_a_dash_never_starts_an_article() -> None:
    """A ———list item (or a subtitle's run-on) standing alone between paragraphs stays in
    its article whatever the score says: with the threshold forced to zero (every scored
    line a headline), it is text of the article above and keeps its dashes."""
    page = make_family_page("ldwb", 1012)
    item = next(ln for ln in page.text.splitlines() if ln.startswith("———产品规模化"))
    w = linescore.weights()
    assert w is not None
    was = w["threshold"]
    w["threshold"] = 0.0
    try:
        got = parse_page(page.text)
    finally:
        w["threshold"] = was
    assert not any(a.title and item.lstrip("—").startswith(a.title) for a in got)
    host = next(a for a in got if item in a.body)
    assert any("opens with a dash" in why for why in host.why)
