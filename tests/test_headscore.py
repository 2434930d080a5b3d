"""The learned headline-block score (indexer/headscore.py) on real page text.

Of two plain headline lines the hand-set chain takes the first for a kicker unless a rule
says otherwise; a title that ends on what someone asked for (…会议代表要求), a long title
over a short subtitle, or a title over a two-character line were read upside down.  (A
page may print a …要求 line as the 引题 by newspaper convention; the corpus these families
print stores it as the title, and that is what is measured.)  These pages are built from
the corpus by tests/pagefamilies.py, each read without the learned words its family
contributed (as the benchmark reads them).  The sample page's long kicker over a short
title stays a kicker (tests/test_page.py).
"""

from __future__ import annotations

import json

import pytest

from bench.ingest_pages import TUNED, own_words
from indexer import headscore, lexicon
from indexer.pagedump import parse_page
from tests.pagefamilies import make_family_page


def test_fitted_weights_are_shipped_and_fitted_on_tuned_families_only() -> None:
    w = headscore.weights()
    assert w is not None, "indexer/headscore.json missing or fitted for other features"
    assert 0.5 <= w["threshold"] < 1.0
    data = json.loads(headscore.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert set(data["fitted_on"]) <= {*TUNED, "tests/pagegen.py"}  # no held-out family
    with headscore.off():
        assert headscore.weights() is None
    assert headscore.weights() is not None


@pytest.mark.parametrize(("family", "seed", "title", "second"), [
    ("ldwb", 37, "李鹏接见石油天然气总公司会议代表要求", "加快石油资源勘探开发满足国民经济发展需求"),
    ("pictures", 92, "国务院关于修改《电力设施保护条例》的决定", "中华人民共和国国务院令"),
    ("pictures", 55, "环渤海区域经济发展战略研讨会", "京青联"),
])
def test_the_score_reads_a_title_the_chain_took_for_a_kicker(family: str, seed: int,
                                                             title: str, second: str) -> None:
    page = make_family_page(family, seed)
    assert title in {a.title for a in page.articles}
    with lexicon.without(own_words(family)):
        got = {a.title: a for a in parse_page(page.text)}
        assert title in got and got[title].kicker == ""
        why = " ".join(got[title].why)
        # --dry-run names the score, the features that decided and what the rule said
        assert "scored" in why and "the rule said" in why and "share of" in why
        assert second not in {a.title for a in got.values()}
        with headscore.off():  # the hand-set chain alone read the block upside down
            chain = {a.title: a for a in parse_page(page.text)}
        assert title not in chain and second in chain and chain[second].kicker == title


def test_typography_that_decides_is_never_scored() -> None:
    body = "本报讯　全市职工技能大赛昨日开幕，来自各行各业的五百名选手参加比赛。" * 3
    text = "\n".join(["", "大赛开幕", "全市职工技能大赛昨日开幕（附图片１张）", body, ""])
    (art,) = parse_page(text)
    assert art.kicker == "大赛开幕" and art.title == "全市职工技能大赛昨日开幕（附图片１张）"
    assert "scored" not in " ".join(art.why)


def test_a_section_numeral_under_a_title_is_no_title() -> None:
    # 小黑板两题 / 一 / text / 二 / text: the numerals number the parts of one article.
    text = ("就像那许许多多先辈那样，他也把身躯融入这片贫瘠的土地。\n\n小黑板两题\n一\n"
            "杭州新声路综合市场中心的十字路口，有一块见“美”就颂扬，见“丑”就揭批的小黑板。\n"
            "每期黑板报面世，摊主们总要抽空去看一看。\n")
    arts = parse_page(text)
    got = next(a for a in arts if "小黑板" in a.kicker + a.title)
    assert (got.kicker, got.title) == ("", "小黑板两题")
    assert "摊主们总要抽空去看一看" in got.body


@pytest.mark.parametrize(("text", "title"), [
    # a unit with the writer's name run on, under the title
    ("养老保险，保证了困难职工的最低工资标准。\n\n迎接新世纪铸造新辉煌\n辽宁省鞍山钢铁公司白雪松\n"
     "———人民日报文艺部、光明日报文艺部、求是杂志文教部联合召开话剧发展研讨会发言摘要\n编者按：\n"
     "为纪念中国话剧九十年，人民日报文艺部最近召开了话剧发展研讨会。\n", "迎接新世纪铸造新辉煌"),
    # a short greeting that opens the essay, under the title
    ("１０年来，这条航线已安全运送中外旅客１０多万人次。（首发集团八达岭分公司 刘东凯）\n"
     "唱国歌与写杂文\n新年好！\n新年１９９８。如按江湖中流行的谐音骗术来说，可以称为“你久久发”。\n"
     "今年，偶然感触到两个似乎风马牛不相及的问题：唱国歌和写杂文。\n", "唱国歌与写杂文"),
])
def test_an_author_line_or_a_greeting_under_a_title_is_no_title(text: str, title: str) -> None:
    got = next(a for a in parse_page(text) if title in a.kicker + a.title)
    assert (got.kicker, got.title) == ("", title)
