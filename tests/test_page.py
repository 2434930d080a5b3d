"""Page-dump splitting: the acceptance sample exactly, and many generated pages.

The generated pages come from real People's Daily articles (``tests/pagegen.py``) printed in
several layouts; each page knows its truth, so the checks are strict: exact article count,
the title found in the headline block, the body equal to what was printed (column breaks
repaired, nothing lost, nothing glued on from a neighbour) and the printed reporters.
"""

from __future__ import annotations

import json
import os

import pytest

from indexer.pagedump import PageArticle, page_date, parse_page
from tests.helpers import DATA, SHARED
from tests.helpers import SAMPLE as SAMPLE_PATH
from tests.pagegen import ALL_LAYOUTS, LAYOUTS, LONG_LAYOUTS, Page, make_page, norm

SAMPLE = str(SAMPLE_PATH)  # the bundled copy of ../shared/samples/page-sample.txt
SEED_CHECK = str(SHARED / "checks" / "seed_page.py")
# The acceptance check itself lives in ../shared (absent from a bare clone); its truth is
# copied into tests/data so the splitter is held to it everywhere.
needs_shared = pytest.mark.skipif(not os.path.exists(SEED_CHECK),
                                  reason="../shared/checks (acceptance checks) not beside the clone")


def _seed_truth() -> dict:
    return json.loads((DATA / "seed-truth.json").read_text(encoding="utf-8"))


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


def test_sample_page_layout_details() -> None:
    arts = parse_page(open(SAMPLE, encoding="utf-8").read())
    assert arts[0].title == "北京市产业工人队伍建设改革推进会暨朝阳区产改博览会举办"
    assert arts[0].kicker == "奋进新征程 建功新时代·我为职工办实事"
    assert arts[0].subtitle == ""
    assert any("有 / 限公司" in j and "有限公司" in j for j in arts[0].joins)
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
    assert arts[1].kicker == "第二篇报道的引题"
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


def test_page_header_number_and_name() -> None:
    from indexer.pagedump import page_label

    assert page_label("人民日报　１９９８年１月８日　星期四\n第10版\n标题") == ("10", "")
    assert page_label("劳动午报\n03版：综合新闻\n标题") == ("3", "综合新闻")
    assert page_label("第０３版：要闻\n") == ("3", "要闻")
    assert page_label("标题\n\n正文。\n（下转第二版）") is None
    arts = parse_page("２０２２年９月３０日　星期五\n03版：综合新闻\n\n职工书屋揭牌\n\n"
                      "本报讯（记者 张三）近日，职工书屋揭牌。\n")
    assert [a.title for a in arts] == ["职工书屋揭牌"]


def test_page_number_helper_and_file_names() -> None:
    from indexer.readers.pagefile import page_from_filename
    from indexer.records import page_number

    assert [page_number(x) for x in ("第3版", "03版", "第０３版", "A03版", "3", "第03版：要闻")] == [
        "3", "3", "3", "A3", "3", "3"]
    assert page_number("2022") is None and page_number("要闻") is None
    for name in ("2022-09-30_03.txt", "20220930-03版.txt", "ldwb_20220930_p03.txt",
                 "/x/2022-09-30-第3版.txt", "page3_20220930.txt"):
        assert page_from_filename(name) == "3", name
    assert page_from_filename("20220930.txt") is None


def test_reader_fills_page_kicker_and_notes(tmp_path) -> None:
    from indexer.readers.pagefile import read_page_dump
    from indexer.records import Loaded, Rejection

    text = ("引题在这里\n职工书屋揭牌\n本报讯（记者 张三）近日，北京链家置地房地产经纪有\n"
            "限公司职工书屋揭牌。\n")
    path = tmp_path / "2022-09-30_05.txt"
    path.write_text(text, encoding="utf-8")
    got = list(read_page_dump(str(path)))
    assert len(got) == 1 and isinstance(got[0], Loaded)
    art = got[0].article
    assert (art.kicker, art.title, art.page, art.date) == ("引题在这里", "职工书屋揭牌", "5",
                                                            "2022-09-30")
    assert any("有 / 限公司" in n for n in got[0].notes)
    undated = tmp_path / "page_05.txt"
    undated.write_text(text, encoding="utf-8")
    rej = list(read_page_dump(str(undated)))
    assert len(rej) == 1 and isinstance(rej[0], Rejection) and "--date" in rej[0].reason


def test_in_article_short_lines_stay_with_their_article() -> None:
    body = "这是一段足够长的正文，讲述了一家企业如何抓管理、抓队伍、抓作风的经验和做法。" * 4
    text = "\n".join([
        "抓班子带队伍促发展",
        "李明",
        body,
        "“领导抓”与“抓领导”",
        body,
        "一、思想认识到位",
        body,
        "问：下一步有什么打算？",
        "答：继续把工作做细做实。" + body,
        "【一线传真】",
        body,
    ])
    arts = parse_page(text)
    assert [a.title for a in arts] == ["抓班子带队伍促发展"]
    assert arts[0].reporters == ["李明"]
    assert "“领导抓”与“抓领导”\n" in arts[0].body


def test_roundup_sections_with_datelines_stay_one_article() -> None:
    text = "\n".join([
        "各地走访慰问困难职工",
        "本报讯（记者 张三）新年伊始，各地工会开展走访慰问活动，把党和政府的温暖送到困难职工"
        "家中，受到职工群众欢迎。各地还制定了帮扶计划，确保困难职工过好节日。" * 3,
        "江西",
        "本报南昌１月５日电记者傅丁根报道：新年伊始，江西省多层次开展走访困难企业活动。",
        "青岛",
        "本报青岛电记者宋学春报道：青岛市政府办公厅等单位近日分４路走访慰问。",
    ])
    arts = parse_page(text)
    assert len(arts) == 1


def test_titles_opening_like_a_cut_clause_and_closing_credits() -> None:
    """地震灾区写真 / 过好… start words, not a cut clause; a line ending in （新华社…电）
    closes its article and is never a headline; a short line under a ——subtitle is a source."""
    body = "这是一段足够长的正文，讲述了一家企业如何抓管理、抓队伍、抓作风的经验和做法。" * 3
    text = "\n".join([
        "职工书屋揭牌", "本报讯（记者 张三）近日，职工书屋揭牌。" + body,
        "谢谢！（新华社北京１２月３１日电）",
        "地震灾区写真", "本报记者 李四", "１月１０日河北省张北发生地震后，当地政府迅速行动。" + body,
        "工会动态", "环渤海区域经济研讨会", "——记一线职工", "京青联", "研讨会最近在北京举行。",
    ])
    arts = parse_page(text)
    assert [a.title for a in arts] == ["职工书屋揭牌", "地震灾区写真", "环渤海区域经济研讨会"]
    assert arts[0].body.endswith("谢谢！（新华社北京１２月３１日电）")
    assert arts[1].reporters == ["李四"]
    assert arts[2].body.startswith("京青联\n")


# ---------------------------------------------------------------------------- generated

SEEDS = range(40)
# Pages the current heuristics get wrong, with the reason; they stay in the run as non-strict
# xfails so an improvement shows up.  Three more pass since titles opening with 地/过 (地震灾区写真,
# 过好『廉政节』) are no longer glued to the line above as a cut clause, spaced name lines with one
# rare surname (杨宇 刘观浦 刑金亮) are read as authors, and a dictionary word across a break
# (元帅长 / 子) marks a column fragment: bylines-14, dense-bylines-9/39; six more since a short line
# standing alone between paragraphs is weighed by indexer/linescore.py.  Of the rest, "N-1
# articles" pages are a short real headline with no dateline/byline under it whose body shares
# words with the article above, kept as its subhead; "N+1 articles" are a subhead or column
# fragment taken for a headline; "#k body differs" are column fragments judged the wrong way;
# 京青联 (sample-26) is a source line under a title with no ——subtitle; the 广记 / 李中文 cases
# are pen-name lines the corpus credits differently.
KNOWN_MISSES: dict[tuple[str, int], str] = {
    ('sample', 19): "7 articles, want 6: ['莫让国资再“流血”——上海市检察机关查处国有资产流失犯罪述评', '国有', '照片人物的故事', '痛定思痛搞整顿",
    ('sample', 20): "5 articles, want 6: ['山东烟台市委宣传部赵巍巍', '《林散之书法集》显大家风范', '伊拉克媒体报道美英军舰阻挠赴伊商船', '冰暴袭击",
    ('sample', 26): "#3 title '京青联' / '', want '环渤海区域经济发展战略研讨会'",
    ('dense', 0): "5 articles, want 6: ['积极发展规范运作', '“中国光明工程”正式启动', '哈塔米总统称伊朗尚无需同美恢复外交关系', '『兵妈妈』做红",
    ('dense', 3): "5 articles, want 6: ['河北专家咨询团服务经济去年创直接经济效益３９亿元', '日国际收支盈余增加韩决定整顿金融机构', '去年国债发行兑付",
    ('dense', 26): "5 articles, want 6: ['李鹏会见美国客人', '我陆上石油勘探开发告捷吴邦国要求抓好改革攻坚和科技攻关', '林业部部长陈耀邦', '京青联",
    ('dense', 27): "4 articles, want 6: ['联合国特委会驻伊总部遭袭击', '印尼缓建一批大型项目泰国股市汇市再创新低', '节能环保电视机', '强化守土有责",
    ('dense', 30): "5 articles, want 6: ['成也规模败也规模', '国际广播电台听众来信超过６５万封', '丹东市部分企业优待军嫂——调岗不下岗全部留工厂', ",
    ('single', 7): '#1 body differs from the printed body (19980116-01-001)',
    ('full', 2): '#2 body differs from the printed body (19980107-11-003)',
    ('bylines', 9): "7 articles, want 6: ['教师“五笔字”漂亮学生“五笔字”规范庄河中小学写字教育堪称一绝', '我军唯一『锚索部队』完成四百多项工程抢险', ",
    ('bylines', 25): "7 articles, want 6: ['展示中国传统文化魅力《周恩来外交学》面世', '阿拉伯国家议会联盟召开反恐怖紧急会议', '李鹏会见美国客人', '",
    ('bylines', 34): "7 articles, want 6: ['便士邮票', '地震灾区写真', …, '八一队本轮']: a column fragment (本轮 / 在客场) taken for a headline",
    ('mixed', 29): "#5 reporters ['何忠洲', '王路曼', '李中文'], want ['何忠洲', '王路曼']",
    ('dense-bylines', 7): "#4 reporters [], want ['广记']",
    ('dense-bylines', 31): '#3 body differs from the printed body (19980116-01-001)',
}


def _check(page: Page, got: list[PageArticle]) -> list[str]:
    problems = []
    if len(got) != len(page.articles):
        titles = [a.title for a in got]
        return [f"{len(got)} articles, want {len(page.articles)}: {titles}"]
    for k, (g, t) in enumerate(zip(got, page.articles, strict=True)):
        if t.title not in g.title + " " + g.subtitle + " " + g.kicker or g.title not in t.heads:
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
    # The feature/byline-form layouts are measured by rates (test_feature_layout_floor and
    # bench/ingest_accuracy.py), not page by page: long features still miss some subheads.
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
ARTICLE_FLOOR = 0.94
PAGE_FLOOR = 0.8


def test_generated_accuracy_floor() -> None:
    """Regression floor over more pages than the strict list: article- and page-level."""
    pages = ok_pages = arts = ok_arts = 0
    for layout in ALL_LAYOUTS:
        for seed in range(100, 160 if layout not in LONG_LAYOUTS else 120):
            page = make_page(seed, layout)
            got = parse_page(page.text)
            pages += 1
            ok_pages += not _check(page, got)
            for t in page.articles:
                arts += 1
                ok_arts += any(
                    t.title in g.title + " " + g.subtitle + " " + g.kicker
                    and norm(g.body) == norm(t.body)
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
