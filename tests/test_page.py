"""Page-dump splitting: the acceptance sample exactly, and many generated pages.

The generated pages come from real People's Daily articles (``tests/pagegen.py``) printed in
several layouts; each page knows its truth, so the checks are strict: exact article count,
the title found in the headline block, the body equal to what was printed (column breaks
repaired, nothing lost, nothing glued on from a neighbour) and the printed reporters.
"""

from __future__ import annotations

import json
import os
import re

import pytest

from indexer.page import PageArticle, page_date, parse_page
from tests.helpers import SHARED
from tests.pagegen import LAYOUTS, Page, make_page, norm

SAMPLE = str(SHARED / "samples" / "page-sample.txt")
SEED_CHECK = str(SHARED / "checks" / "seed_page.py")
needs_shared = pytest.mark.skipif(
    not (os.path.exists(SAMPLE) and os.path.exists(SEED_CHECK)), reason="shared sample missing")


def _seed_truth() -> dict:
    src = open(SEED_CHECK, encoding="utf-8").read()
    m = re.search(r"json\.loads\(r'''(.*?)'''\)", src, re.S)
    assert m, "truth JSON not found in seed_page.py"
    return json.loads(m.group(1))


@needs_shared
def test_sample_page_matches_seed_truth() -> None:
    truth = _seed_truth()
    arts = parse_page(open(SAMPLE, encoding="utf-8").read())
    assert len(arts) == len(truth["articles"]) == 6
    for art, want in zip(arts, truth["articles"], strict=True):
        assert want["title_has"] in art.title + art.subtitle
        assert sorted(art.reporters) == sorted(want["reporters"])
    phrases = dict(truth["phrases"], **truth.get("stretch_phrases", {}))
    for phrase, where in phrases.items():
        found = [i for i, a in enumerate(arts) if phrase in a.title + a.subtitle + a.body]
        assert found == where, phrase


@needs_shared
def test_sample_page_layout_details() -> None:
    arts = parse_page(open(SAMPLE, encoding="utf-8").read())
    assert arts[0].title == "北京市产业工人队伍建设改革推进会暨朝阳区产改博览会举办"
    assert arts[0].subtitle == "奋进新征程 建功新时代·我为职工办实事"
    assert arts[1].title == "VR图片展唱响北京劳动者之歌"
    assert arts[0].body.startswith("本报讯（记者 刘欣欣）9月29日")
    # captions and credits stay at the end of their article
    assert arts[1].body.endswith("图为上线现场，北京大工匠代表及华灯班班组获得精美照片。\n邱勇 摄")
    assert arts[4].reporters == ["周美玉", "王宇"]
    # joining never adds a space: every space in the bodies was printed on the page
    text = open(SAMPLE, encoding="utf-8").read()
    assert sum(a.body.count(" ") for a in arts) <= text.count(" ")
    assert "\n\n" not in "".join(a.body for a in arts)
    assert "顺义天竺项目部" in arts[5].body
    assert "《把一切献给党》" in arts[2].body


def test_page_date_header_forms() -> None:
    assert page_date("劳动午报\n\n２０２２年９月３０日　星期五\n\n第３版\n\n标题") == "2022-09-30"
    assert page_date("2022-09-30\n要闻\n") == "2022-09-30"
    assert page_date("2022年9月30日\n\n标题\n\n本报讯（记者 张三）近日…") == "2022-09-30"
    assert page_date("一九九八年一月一日 星期四\n标题") == "1998-01-01"
    # a date inside an article sentence is not the issue date
    assert page_date("标题\n\n本报讯（记者 张三）2022年9月29日，会议举行。") is None
    assert page_date("没有日期的页面\n正文。") is None


def test_header_lines_are_not_articles() -> None:
    text = ("劳动午报　２０２２年９月３０日　星期五\n第３版\n\n职工书屋揭牌\n\n"
            "本报讯（记者 张三）近日，职工书屋揭牌。\n\n责任编辑：李四\n")
    arts = parse_page(text)
    assert [a.title for a in arts] == ["职工书屋揭牌"]
    assert arts[0].body == "本报讯（记者 张三）近日，职工书屋揭牌。"
    assert arts[0].reporters == ["张三"]


def test_byline_line_before_and_after_title_and_exclaiming_title() -> None:
    text = "\n".join([
        "本报记者 张三",
        "技能比武展风采！",
        "一线职工同台竞技，比出了技术，比出了干劲。",  # comma'd subtitle? no: body
        "第二篇报道的引题",
        "谁来守护城市的夜晚？",
        "本报记者 李四 王五",
        "夜色中的环卫工人",
        "依然在街头忙碌。他们说：“城市干净了，我们就高兴。”",
    ])
    arts = parse_page(text)
    assert [a.title for a in arts] == ["技能比武展风采！", "谁来守护城市的夜晚？"]
    assert arts[0].reporters == ["张三"]
    assert arts[1].reporters == ["李四", "王五"]
    assert arts[1].subtitle == "第二篇报道的引题"
    assert norm(arts[1].body) == norm("本报记者 李四 王五夜色中的环卫工人依然在街头忙碌。"
                                      "他们说：“城市干净了，我们就高兴。”")


def test_column_fragment_with_open_bracket_is_not_a_headline() -> None:
    text = "\n\n".join([
        "职工合唱团唱响红歌",
        "本报讯（记者 张三）近日，职工合唱团举行汇报演出。",
        "《鼓浪屿之波》 《把一切献",
        "给党》《我和我的祖国》……职工们演唱了多首曲目。",
    ])
    arts = parse_page(text)
    assert len(arts) == 1
    assert "《把一切献给党》" in arts[0].body


# ---------------------------------------------------------------------------- generated

SEEDS = range(40)
# Pages the current heuristics get wrong, with the reason (see the report in the module doc
# of indexer.page); they stay in the run as non-strict xfails so an improvement shows up.
KNOWN_MISSES: dict[tuple[str, int], str] = {
    ("sample", 0): 'headline read as a column fragment: 温暖进农家',
    ("sample", 19): 'column fragment read as a headline: 以上海市虹口',
    ("sample", 20): 'headline read as a column fragment: 昆明世博会接受社会捐赠',
    ("sample", 26): "#3 title '京青联' / '环渤海区域经济发展战略研讨会', want '环渤海区域经济发展战略研讨会'",
    ("sample", 39): 'headline read as a column fragment: 企业赞助体育的着眼点',
    ("dense", 0): '#4 body differs from the printed body (19980112-11-004)',
    ("dense", 3): 'headline read as a column fragment: 充分发挥体育中介公司作用',
    ("dense", 26): 'headline read as a column fragment: 行政职能商品化怪健全监督机制',
    ("dense", 27): 'headline read as a column fragment: １９９７世界十大科技进展',
    ("dense", 30): 'headline read as a column fragment: 莫把入股当“集资”',
    ("single", 7): '#1 body differs from the printed body (19980116-01-001)',
    ("full", 2): '#2 body differs from the printed body (19980107-11-003)',
    ("full", 20): 'column fragment read as a headline: 黑龙江省',
    ("bylines", 3): 'headline read as a column fragment: “可持续发展与环境保护”研讨',
    ("bylines", 9): 'column fragment read as a headline: 中宣部副部长',
    ("bylines", 14): '#5 body differs from the printed body (19980117-07-005)',
    ("bylines", 25): 'column fragment read as a headline: “前收盘”',
    ("bylines", 34): '#0 body differs from the printed body (19980118-03-007)',
    ("mixed", 27): 'column fragment read as a headline: 会议听取并通过了理事会秘书长',
    ("mixed", 29): "#5 reporters ['何忠洲', '王路曼', '李中文'], want ['何忠洲', '王路曼']",
    ("dense-bylines", 0): "#4 reporters [], want ['广记']",
    ("dense-bylines", 7): "#4 reporters [], want ['广记']",
    ("dense-bylines", 9): "#4 title '杨宇 刘观浦 刑金亮' / '国家技术发明奖——“功勋种质”的由来', want '国家技术发明奖—",
    ("dense-bylines", 13): 'headline read as a column fragment: 入伍到队第一天',
    ("dense-bylines", 31): '#3 body differs from the printed body (19980116-01-001)',
    ("dense-bylines", 39): '#0 body differs from the printed body (19980106-10-003)',
}


def _check(page: Page, got: list[PageArticle]) -> list[str]:
    problems = []
    if len(got) != len(page.articles):
        titles = [a.title for a in got]
        return [f"{len(got)} articles, want {len(page.articles)}: {titles}"]
    for k, (g, t) in enumerate(zip(got, page.articles, strict=True)):
        if t.title not in g.title + " " + g.subtitle or g.title not in t.heads:
            problems.append(f"#{k} title {g.title!r} / {g.subtitle!r}, want {t.title!r}")
        body = norm(g.body)
        if body != norm(t.body):
            problems.append(f"#{k} body differs from the printed body ({t.id})")
        for p in t.paras:
            if norm(p) not in body:
                problems.append(f"#{k} lost paragraph {p[:20]!r}")
                break
        if t.reporters is not None and g.reporters != t.reporters:
            problems.append(f"#{k} reporters {g.reporters}, want {t.reporters}")
        for name in g.reporters:
            if name not in g.body + g.title + g.subtitle:
                problems.append(f"#{k} reporter {name!r} not printed")
    return problems


def _cases():
    for layout in LAYOUTS:
        for seed in SEEDS:
            marks = []
            if (layout, seed) in KNOWN_MISSES:
                marks = [pytest.mark.xfail(reason=KNOWN_MISSES[(layout, seed)], strict=False)]
            yield pytest.param(layout, seed, id=f"{layout}-{seed}", marks=marks)


@pytest.mark.parametrize(("layout", "seed"), list(_cases()))
def test_generated_page(layout: str, seed: int) -> None:
    page = make_page(seed, layout)
    problems = _check(page, parse_page(page.text))
    assert not problems, "\n".join(problems)
    if page.date:
        assert page_date(page.text) == page.date


# Measured when written: see the report; floors sit a little under the measured rates.
ARTICLE_FLOOR = 0.95
PAGE_FLOOR = 0.75


def test_generated_accuracy_floor() -> None:
    """Regression floor over more pages than the strict list: article- and page-level."""
    pages = ok_pages = arts = ok_arts = 0
    for layout in LAYOUTS:
        for seed in range(100, 160):
            page = make_page(seed, layout)
            got = parse_page(page.text)
            pages += 1
            ok_pages += not _check(page, got)
            for t in page.articles:
                arts += 1
                ok_arts += any(
                    t.title in g.title + " " + g.subtitle and norm(g.body) == norm(t.body)
                    and (t.reporters is None or g.reporters == t.reporters) for g in got)
    print(f"generated: {ok_arts}/{arts} articles, {ok_pages}/{pages} pages exactly right")
    assert ok_arts / arts >= ARTICLE_FLOOR, f"{ok_arts}/{arts} articles"
    assert ok_pages / pages >= PAGE_FLOOR, f"{ok_pages}/{pages} pages"


@needs_shared
def test_the_shared_acceptance_check_passes() -> None:
    """../shared/checks/seed_page.py, run as CI would: unionsearch on PATH."""
    import subprocess
    import sys

    env = {**os.environ, "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}"}
    r = subprocess.run([sys.executable, SEED_CHECK], capture_output=True, text=True, env=env,
                       timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "checks hold" in r.stdout
