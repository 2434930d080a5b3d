"""A judged check of 相关文章 and 常写的主题 on the real corpus (People's Daily, January 1998).

For a handful of articles of different subjects, a reader's judgement of what the story is
about (its topic words, read from the article, not from the engine): every related article
must be about that too (hold one of the topic words), and the articles a reader would pick
first (same subject, often the same reporter) must be listed.  A reporter's themes hold no
date, number, unit or generic fragment.
"""

from __future__ import annotations

import re

import pytest

from search.understanding.related import related

# article id: (what a reader calls its subject, articles that must be listed, must not be)
JUDGED = {
    # 建行加快机构调整改革步伐 (施明慎): banking reform; his 工行加大支持国企改革力度 listed,
    # not a TV show or car alarms
    "19980114-02-006": ({"银行", "储蓄", "存款", "贷款", "金融", "工行", "中行", "建行"},
                        {"19980114-02-004"}, {"19980116-09-009", "19980112-11-002"}),
    # 集中资金保证重点加强服务工行投放巨款支持节日市场供应 (施明慎): the ICBC's lending
    "19980105-02-006": ({"工行", "工商银行", "银行", "贷款"}, {"19980114-02-004"}, set()),
    # 中行保持盈利大户地位 (施明慎): a bank's results
    "19980115-02-004": ({"银行", "中行", "存款", "贷款"}, {"19980115-02-011"}, set()),
    # 乒乓球擂台赛第十七场孔令辉王晨获胜: table tennis first (the corpus has four more
    # table-tennis stories), then other ball games at most
    "19980113-08-008": ({"乒乓", "羽毛球", "网球", "足球"}, {"19980120-08-006"}, set()),
    # 大量物资运抵灾区香港各界继续捐款捐物: relief for the earthquake area
    "19980118-01-007": ({"灾区", "捐", "救灾", "地震", "震区", "援助"}, set(), set()),
    # 首都国际机场实行空中雷达管制: air traffic
    "19980104-01-004": ({"机场", "航班", "民航", "飞机", "航空"}, set(), set()),
}


@pytest.mark.parametrize("article_id", sorted(JUDGED))
def test_related_articles_share_the_subject(corpus_index, article_id):
    topic, wanted, unwanted = JUDGED[article_id]
    found = related(corpus_index.state(), article_id, 5)
    assert found, "a story of a common subject has related articles"
    ids = [a["id"] for a in found]
    for a in found:
        other = corpus_index.get(a["id"])
        text = other["title"] + other["body"]
        assert any(w in text for w in topic), f"{a['title']} is not about {sorted(topic)}"
    assert wanted <= set(ids), (wanted - set(ids), [a["title"] for a in found])
    assert not unwanted & set(ids)


def test_the_closest_subject_comes_first(corpus_index):
    """Of a table-tennis story's related articles, table-tennis ones lead (the first three;
    the fourth story of the sport in the corpus, a two-line brief of another tournament,
    may follow a badminton report)."""
    found = related(corpus_index.state(), "19980113-08-008", 5)
    first = [corpus_index.get(a["id"]) for a in found[:3]]
    assert all("乒乓" in a["title"] + a["body"] for a in first), [a["title"] for a in first]


# What a theme never is: a date or time word, a number (with or without its unit or measure
# word), a money unit, or a scope fragment of news prose.
NOT_THEME = re.compile(
    r"^[0-9０-９.%]+|^[零〇一二三四五六七八九十百千万亿两几]+[年月日号个次元名位家项件]?$"
    r"|^[万亿]?元$|^(亿元|万元|公斤|公里|吨|全年|全行|首家|全市|今年|去年|明年|当天|目前|日前|"
    r"近日|十三日|本报|记者)$")


def test_themes_are_subjects_not_dates_numbers_or_units(corpus_index):
    names = [r["name"] for r in corpus_index.reporters(size=40)["reporters"]
             if r["count"] >= 3]
    assert len(names) >= 10
    for name in names:
        themes = [t["word"] for t in corpus_index.reporter(name)["themes"]]
        assert themes, name
        bad = [w for w in themes if NOT_THEME.search(w)]
        assert not bad, (name, bad)
    banking = {t["word"] for t in corpus_index.reporter("施明慎")["themes"]}
    assert banking & {"银行", "商业银行", "存款", "贷款", "分行", "金融风险"}, banking
