"""Bylines and photo credits: the printed forms, and parentheticals that are not bylines."""

from __future__ import annotations

import pytest

from indexer.byline import author_line, bare_names, dateline_end, parse_byline, photo_credit

FORMS = [
    ("本报讯（记者 刘欣欣）9月29日，北京市产业工人……", ["刘欣欣"]),
    ("本报讯 (记者 周美玉 通讯员 王宇) 近日,北京公交集团……", ["周美玉", "王宇"]),
    ("本报讯\u3000（记者\u3000周美玉\u3000通讯员\u3000王宇）\u3000近日", ["周美玉", "王宇"]),
    ("本报记者 张三", ["张三"]),
    ("本报记者 张三 李四", ["张三", "李四"]),
    ("本报记者　张三　李四", ["张三", "李四"]),
    ("本报通讯员 王五", ["王五"]),
    ("本报记者张玉来", ["张玉来"]),
    ("本报驻泰国记者成元生", ["成元生"]),
    ("新华社北京9月30日电（记者 李四、王五）国务院……", ["李四", "王五"]),
    ("据新华社汉城１月３日电（记者朱克川）由于受巨额短期外债压力的影响", ["朱克川"]),
    ("新华社济南１月１３日电（肖冠军）全国国际象棋棋王棋后大奖赛", ["肖冠军"]),
    ("本报北京１月１日讯 记者张三报道：今天，……", ["张三"]),
    ("本报北京１月１５日讯记者汪大昭报道：第八届全运会落幕不久", ["汪大昭"]),
    ("本报济南１月１日电记者贾建舟、刘磊报道：新年期间", ["贾建舟", "刘磊"]),
    ("本报北京1月1日讯（记者 张三）今天", ["张三"]),
    ("（记者 张三 通讯员 李四）近日，", ["张三", "李四"]),
    ("（记者 张三 实习生 李四）近日，", ["张三", "李四"]),
    ("通讯员 李四 记者 张三", ["张三", "李四"]),  # reporters first, then correspondents
    ("文/张三 图/李四", ["张三", "李四"]),
    ("文/本报记者 张三", ["张三"]),
    ("本报记者 阿依古丽·买买提", ["阿依古丽·买买提"]),
    ("……发放了慰问品。（张三）", ["张三"]),
    ("……发放了慰问品。（张三 李四）", ["张三", "李四"]),
    ("……发放了慰问品。（张三、李四）", ["张三", "李四"]),
    ("……同学们的欢迎。（本报记者 张三）", ["张三"]),
    ("……即可得到麦克风一支。（唐纯）", ["唐纯"]),
    ("……深受欢迎。（家贵 军敏）", ["家贵", "军敏"]),  # given-name pen names at the very end
    ("（赵新华）", ["赵新华"]),
    ("……大幅度增长。（周新华 姚信民）", ["周新华", "姚信民"]),
    # issue 10: no parentheses, glued names, an outlet before each name, a country in the dateline
    ("本报讯记者王政从地矿部获悉，", ["王政"]),
    ("本报北京１月２１日讯记者冉永平日前从有关方面了解到", ["冉永平"]),
    ("本报记者王德颖戴鹏", ["王德颖", "戴鹏"]),
    ("本报记者李济国贾建舟", ["李济国", "贾建舟"]),
    ("本报讯（光明日报记者李家杰、新华社记者王蔚）近日", ["李家杰", "王蔚"]),
    ("新华社达沃斯（瑞士）１月２９日电（记者李敬臣）世界经济论坛", ["李敬臣"]),
    ("本报北京１月２日讯记者谢湘、戴露报道：今天", ["谢湘", "戴露"]),
    ("中国青年报记者谢湘、戴露报道：今天", ["谢湘", "戴露"]),
    ("中国国防报记者黄运成新华社记者贾永黄秋生", ["黄运成", "贾永", "黄秋生"]),
    ("本报记者 欧阳晓光", ["欧阳晓光"]),
]


@pytest.mark.parametrize(("text", "names"), FORMS)
def test_byline_forms(text: str, names: list[str]) -> None:
    by = parse_byline(text)
    assert by is not None, text
    assert by.reporters == names
    assert 0 <= by.start < by.end <= len(text)


def test_span_covers_the_byline() -> None:
    text = "本报讯（记者 刘欣欣）9月29日，会议举行。"
    by = parse_byline(text)
    assert by and text[by.start:by.end] == "本报讯（记者 刘欣欣）"
    text = "会议举行。（张三 李四）"
    by = parse_byline(text)
    assert by and text[by.start:by.end] == "（张三 李四）"


NOT_BYLINES = [
    "（附图片１张）",
    "（一九九七年十二月三十一日）",
    "（上接第一版）",
    "（下转第二版）",
    "（新华社）",
    "（完）",
    "（待续）",
    "……的情形。（本报曼谷１月１０日电）",
    "……得到了回答。（湖北省公安厅消防局）",
    "……的活动。（刘明英保平）",  # two names printed without a separator: not guessed
    "本报讯北京市电话局在本市电话网的基础上……",
    "新华社北京１月１１日电全国政协副主席万国权今天……",
    "记者今天在重灾区看到，",
    "记者从抗震救灾总指挥部获悉，",
    "本报讯记者从地矿部获悉，",
    "本报讯近日，记者从有关部门获悉",
    "这是一个（试点）项目。",
    "邱勇 摄",
    "（新华社记者兰红光摄）",
    "（新华社记者索朗罗布摄）",  # a photographer's credit, not ['索朗', '罗布摄']
    "",
]


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_not_bylines(text: str) -> None:
    assert parse_byline(text) is None


@pytest.mark.parametrize(("line", "names"), [
    ("邱勇 摄", ["邱勇"]),
    ("记者 张三 摄", ["张三"]),
    ("张三/摄", ["张三"]),
    ("（新华社记者兰红光摄）", ["兰红光"]),
    ("（新华社记者索朗罗布摄）", ["索朗罗布"]),
    ("（李文波摄）", ["李文波"]),
    ("本报记者 李舸 摄", ["李舸"]),
    ("王宇 邱勇 摄", ["王宇", "邱勇"]),
    ("图/张三", ["张三"]),
])
def test_photo_credit(line: str, names: list[str]) -> None:
    assert photo_credit(line) == names


@pytest.mark.parametrize("line", ["本报记者 张三", "新华社发", "图为活动现场。", "摄影展开幕",
                                  "（附图片１张）", "近日，记者在现场拍摄"])
def test_not_photo_credit(line: str) -> None:
    assert photo_credit(line) is None


def test_dateline_end() -> None:
    assert dateline_end("本报讯（记者 张三）") == 3
    assert dateline_end("本报北京１月１日讯 记者张三报道：") == len("本报北京１月１日讯")
    assert dateline_end("新华社北京9月30日电（记者 李四）") == len("新华社北京9月30日电")
    assert dateline_end("本报记者 张三") == 0
    assert dateline_end("本报通讯员 王五") == 0
    assert dateline_end("近日，北京市总工会……") == 0


def test_bare_author_lines() -> None:
    assert bare_names("宗志强") == ["宗志强"]
    assert bare_names("吕志贵 王立成") == ["吕志贵", "王立成"]
    for headline in ("图片新闻", "信息专递", "东方情缘", "一线故事·匠心筑梦", "科普之冬"):
        assert bare_names(headline) is None, headline


def test_spaced_name_line_with_one_rare_surname() -> None:
    from indexer.byline import pen_name_line

    assert pen_name_line("杨宇 刘观浦 刑金亮") == ["杨宇", "刘观浦", "刑金亮"]
    assert pen_name_line("送温暖 办实事") is None
    assert pen_name_line("新春 走基层") is None


def test_a_union_or_committee_vouches_for_the_name_after_it() -> None:
    from indexer.byline import unit_name

    # a closing credit: a pen name without a surname after …总工会, and a name whose
    # surname makes a word with the unit's last character (会宁)
    assert parse_byline("会谈。（吉林省延边州总工会永晴）").reporters == ["永晴"]
    assert parse_byline("会谈。（河北省沧州市总工会宁述勇）").reporters == ["宁述勇"]
    assert unit_name("河北省沧州市总工会 广记") == ("河北省沧州市总工会", "广记")
    # outside a credit a word after the union is no name
    assert unit_name("全国总工会召开") is None
    assert unit_name("市总工会成立") is None


@pytest.mark.parametrize(("text", "names"), [
    ("会谈。（浙江省温州市鹿城区永晴）", ["永晴"]),  # a district closes the unit
    ("会谈。（陕西省勉县新街子镇春生）", ["春生"]),  # a town
])
def test_a_closing_credit_after_a_placed_unit_gives_the_pen_name(text: str,
                                                                names: list[str]) -> None:
    from indexer import lexicon

    assert parse_byline(text).reporters == names
    with lexicon.without({"工会"}):  # a union's credit without the learned word 工会
        assert parse_byline("会谈。（吉林省延边州总工会钟行）").reporters == ["钟行"]


@pytest.mark.parametrize("text", ["会谈。（上海市浦东新区）", "会谈。（北京市朝阳区召开大会）",
                                  "会谈。（上海市总工会）"])
def test_a_place_alone_in_parentheses_is_no_credit(text: str) -> None:
    assert parse_byline(text) is None


def test_surnames_of_the_hundred_families_open_a_name() -> None:
    from indexer.byline import author_line

    assert author_line("河北省沧州市总工会 萧乾") == (["萧乾"], "a unit or place with the author's name")


def test_post_cut_at_a_column_end_is_no_name() -> None:
    # 中共西藏自治区党委副 / 书记丹增…: the line ends inside the post, it credits nobody
    assert author_line("中共西藏自治区党委副") is None


@pytest.mark.parametrize(("text", "names"), [
    # the role word inside the parenthesis is the evidence: the name need not open with a
    # listed surname, nor with a character that starts no ordinary word (向)
    ("本报讯（记者向兵）近日，文化部在京召开电视剧创作座谈会。", ["向兵"]),
    ("本报讯（记者剑武）日前，中国美术馆举办迎春书画展。", ["剑武"]),
    ("（记者剑武）日前，中国美术馆举办迎春书画展。", ["剑武"]),
    ("本报讯（通讯员乜红兵 记者向兵）近日，", ["向兵", "乜红兵"]),
])
def test_a_role_word_in_parentheses_vouches_for_any_name(text: str, names: list[str]) -> None:
    assert parse_byline(text).reporters == names


@pytest.mark.parametrize("text", [
    "本报讯（记者调查）近日，", "本报讯（记者手记）近日，", "本报讯（记者从市总工会获悉）近日，",
    "（记者在现场）近日，",
])
def test_a_role_word_with_a_word_after_it_is_no_credit(text: str) -> None:
    assert parse_byline(text) is None


def test_a_closing_credit_with_a_surname_outside_the_common_list() -> None:
    # union weekly: the writer's name closes the article; 刑 is rare but a surname
    assert parse_byline("职工们纷纷表示要把会议精神落到实处。（刑金亮）").reporters == ["刑金亮"]
    assert author_line("刑金亮") == (["刑金亮"], "an author's name alone")


def test_spaced_names_never_take_a_role_word_for_a_name() -> None:
    from indexer.byline import pen_name_line

    assert pen_name_line("南林 通讯员 李四") is None
    assert author_line("南林 通讯员 李四") is None


def test_a_pen_name_credit_followed_by_a_correspondent() -> None:
    from indexer.readers.epaper import names_from_author

    # 文汇报: the archive's 韩、钟（昆音） (a pen name with the place it writes from), then 通讯员
    assert names_from_author("■本报记者 韩 钟（昆音） 通讯员 陈晓东") == ["韩", "钟（昆音）", "陈晓东"]
    assert names_from_author("本报记者 韩 钟（昆音）") == ["韩", "钟（昆音）"]


@pytest.mark.parametrize(("line", "name"), [
    ("湖南株洲电力机车厂士心", "士心"),
    ("株洲电力机车厂士心", "士心"),
])
def test_a_pen_name_under_a_title_after_a_placed_factory(line: str, name: str) -> None:
    assert author_line(line) == ([name], "a unit or place with the author's name")


@pytest.mark.parametrize("line", ["参观株洲电力机车厂", "株洲电力机车厂扩建", "湖南株洲电力机车厂投产"])
def test_a_headline_ending_at_a_factory_is_no_credit(line: str) -> None:
    assert author_line(line) is None


@pytest.mark.parametrize("line", ["株洲电力机车厂巡礼", "株洲电力机车厂职工", "湖南株洲电力机车厂车间"])
def test_a_label_or_a_group_after_a_placed_factory_is_no_pen_name(line: str) -> None:
    assert author_line(line) is None


@pytest.mark.parametrize(("line", "names"), [
    ("杨宇刘观浦刑金亮", ["杨宇", "刘观浦", "刑金亮"]),  # names run together, one rare surname
    ("河北省沧州市总工会刑金亮", ["刑金亮"]),  # not 金亮: the rare surname opens the name
    ("河北省沧州市总工会 刑金亮", ["刑金亮"]),
])
def test_a_rare_surname_in_author_lines(line: str, names: list[str]) -> None:
    assert author_line(line)[0] == names



def test_an_authors_post_in_closing_brackets_names_no_one() -> None:
    from indexer.byline import closing_credit

    for tail in ("（作者为某省总工会研究室主任）", "（作者为中共中央党校教授）", "（作者单位：劳动科学研究所）"):
        assert parse_byline("改革要一步一步地推进。" + tail) is None
        assert closing_credit("改革要一步一步地推进。" + tail) is None
    assert closing_credit("改革要一步一步地推进。（汪大昭）").reporters == ["汪大昭"]


def test_a_surname_of_the_baijiaxing_that_opens_no_word_reads_alone() -> None:
    # 郄 opens no ordinary word, so a name it opens needs no role word beside it.
    assert author_line("郄霜涛") == (["郄霜涛"], "an author's name alone")
    assert author_line("河北省沧州市总工会 郄霜涛")[0] == ["郄霜涛"]
