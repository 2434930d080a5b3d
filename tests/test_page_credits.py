"""Page dumps laid out as union papers print them: writers credited at an article's end,
page chrome (本版编辑, 联系电话, 主办) in no article, and lines hard-wrapped by a PDF's text
extraction read back as paragraphs."""

from __future__ import annotations

from indexer.pagedump import parse_page

# A union weekly's page text: no blank lines, each item closed by its writer's credit.
WEEKLY = """陕西工人报　2023年3月14日　星期二　第２版
劳模工作室助力企业技术攻关
今年以来，市总工会组织十二家劳模创新工作室深入生产一线，围绕设备改造和工艺优化开展攻关。
工作室成员利用业余时间研究难题，全年完成技术革新项目四十余项，为企业节约成本三百多万元。
□宝鸡石油机械厂工会 韩晓燕
职工书屋里的读书会
每到周三晚上，车间的职工书屋总是座无虚席。职工们围坐在一起，分享近来读过的好书和心得。
读书会已经坚持了三年，参加的职工从最初的十几人发展到现在的一百多人。（通讯员 刘建军 王丽）
春节慰问困难职工
据新华社西安１月２０日电（马红、孙伟）春节临近，各级工会组织深入基层看望慰问困难职工，送去慰问金和年货。
慰问活动将持续到元宵节，确保困难职工过一个欢乐祥和的春节。（通讯员 周敏）
"""


def _by_title(arts):
    return {a.title: a for a in arts}


def test_closing_credit_line_names_the_writer_and_starts_nothing() -> None:
    arts = _by_title(parse_page(WEEKLY))
    first = arts["劳模工作室助力企业技术攻关"]
    assert first.reporters == ["韩晓燕"]
    assert first.body.endswith("□宝鸡石油机械厂工会 韩晓燕")  # the line stays in its article
    assert any("closing credit" in w for w in first.why)  # --dry-run says what decided
    nxt = arts["职工书屋里的读书会"]
    assert nxt.kicker == "" and nxt.subtitle == ""  # the credit is no part of the next headline
    assert nxt.reporters == ["刘建军", "王丽"]


def test_closing_credit_outweighs_a_relayed_datelines_names() -> None:
    # 据新华社…电（马红、孙伟） names the agency's writers; the page's own correspondent, credited
    # at the end, wrote the item
    arts = _by_title(parse_page(WEEKLY))
    assert arts["春节慰问困难职工"].reporters == ["周敏"]
    assert any(w.startswith("reporters 周敏: the closing credit") for w in arts["春节慰问困难职工"].why)


def test_reporter_byline_and_closing_credit_both_count() -> None:
    page = """工人日报　2023年3月14日　第３版
技能大赛决赛落幕
本报记者 张立新
本月十日，全省职工职业技能大赛决赛在西安落下帷幕，来自各行业的三百名选手同台竞技。
比赛设置了电工、焊工、数控车工等十个工种，获奖选手将被授予省技术能手称号。（通讯员 李卫东）
"""
    (art,) = parse_page(page)
    assert art.reporters == ["张立新", "李卫东"]


# A 专版's chrome above its first article and under its last.
ZHUANBAN = """工人日报　2023年3月14日　星期二
第８版
联系电话：０２９－８７３３３８４０
主办：宝鸡市总工会　承办：宝鸡市人力资源社会保障局

职工技能培训班开班
本报讯 昨天，市总工会职工技能培训班在市工人文化宫开班，首期学员一百二十人。
培训班免费开设电工、焊工等课程，报名请到市工人文化宫一楼。
地址：宝鸡市经二路１２号

困难职工帮扶中心搬迁
本报讯 市困难职工帮扶中心近日迁入新址，服务窗口由三个增加到八个，办事更加方便。

本版编辑：贾西平　美编：苗再新
本版投稿邮箱：zgzb28@163.com
"""


def test_page_chrome_is_in_no_article_and_dry_run_lists_it() -> None:
    arts = parse_page(ZHUANBAN)
    text = "\n".join(a.kicker + a.title + a.subtitle + a.body for a in arts)
    for chrome in ("联系电话", "主办：", "本版编辑", "投稿邮箱"):
        assert chrome not in text
    assert [a.title for a in arts] == ["职工技能培训班开班", "困难职工帮扶中心搬迁"]
    why = " ".join(arts[0].why)
    for chrome in ("联系电话：０２９－８７３３３８４０", "本版投稿邮箱：zgzb28@163.com"):
        assert chrome in why  # every printed line is accounted for in --dry-run
    # the same words inside the page are an article's text: a notice's address stays
    assert arts[0].body.endswith("地址：宝鸡市经二路１２号")


def _wrapped(paragraphs: list[str], width: int) -> str:
    """Lines as a PDF's text extraction gives them: broken every ``width`` characters."""
    out = []
    for p in paragraphs:
        out += [p[k:k + width] for k in range(0, len(p), width)] if p else [""]
    return "\n".join(out) + "\n"


WRAPPED = [
    "宝鸡市总工会举办第三届职工职业技能大赛暨劳动竞赛表彰大会",
    "本报讯 记者王政报道：昨天，宝鸡市总工会举办第三届职工职业技能大赛，来自全市四十多家企业的二百六十名选手参加了电工、焊工、钳工等十二个工种的比赛。",
    "大赛期间，市总工会还为获得全国五一劳动奖章的职工举行了表彰大会，并组织劳模工匠走进车间，与青年职工交流技术革新的经验和体会，鼓励他们立足岗位成长成才。",
    "",
    "职工书屋",
    "车间里的读书会",
    "每到周三晚上，车间的职工书屋总是座无虚席。职工们围坐在一起，分享近来读过的好书和心得体会，有时还请来作家和劳模讲课，大家听得津津有味。",
    "读书会已经坚持了三年，参加的职工从最初的十几人发展到现在的一百多人，还有不少职工的读后感在报刊上发表。",
]


def test_hard_wrapped_lines_are_read_back_as_paragraphs() -> None:
    arts = parse_page("工人日报　2023年3月14日　星期二\n第８版\n\n" + _wrapped(WRAPPED, 18))
    assert [(a.kicker, a.title) for a in arts] == [
        ("", "宝鸡市总工会举办第三届职工职业技能大赛暨劳动竞赛表彰大会"),  # a title over two lines
        ("职工书屋", "车间里的读书会")]
    first, second = arts
    # a phrase the wrap broke is found whole, in its own article
    assert "来自全市四十多家企业的二百六十名选手" in first.body
    assert "与青年职工交流技术革新的经验和体会" in first.body
    assert "还有不少职工的读后感在报刊上发表" in second.body
    assert first.body.count("\n") == 1  # two paragraphs, as printed
    assert any("hard-wrapped at 18" in w for w in first.why)


def test_closing_credit_line_of_a_unit_no_list_knows() -> None:
    # the text above was cut short at the column's foot; the credit still closes it
    page = """劳动午报　2023年3月14日　第２版
安全生产月活动启动
本月起，公司在各车间开展安全生产月活动，组织职工排查隐患、演练应急预案，并且
□青峰岭矿业公司机修车间 苗秋生
冬训热身赛开赛
本报讯 全市职工冬季长跑热身赛昨天开赛，三千多名职工参加比赛。
"""
    arts = _by_title(parse_page(page))
    assert arts["安全生产月活动启动"].reporters == ["苗秋生"]
    assert arts["冬训热身赛开赛"].subtitle == "" and arts["冬训热身赛开赛"].kicker == ""


def test_closing_credit_in_parentheses_of_an_unknown_unit_over_a_relayed_report() -> None:
    page = """陕西工人报　2023年3月14日　第２版
东亚经济传真
据新华社雅加达１月１６日电（记者洪秉明）印度尼西亚政府将修改最近公布的年度预算草案。
据新华社马尼拉１月１６日电菲律宾外交部已决定大幅削减其驻外使领馆人员编制。（青峰岭矿业公司工会 苗秋生）
"""
    (art,) = parse_page(page)
    assert art.reporters == ["苗秋生"]  # the weekly's own correspondent compiled the round-up


def test_wrapped_paragraph_ending_at_full_width_does_not_run_into_a_long_title() -> None:
    first = ("本报讯 市总工会昨天召开全委会议，总结去年工作，部署今年任务，号召全市职工立足岗位"
             "建功立业，为经济社会发展作出新的更大贡献，会议还表彰了一批先进集体和先进个人，并为获奖者颁发奖牌。")
    assert len(first) % 18 == 0  # its last line fills the width, as a column's can
    second = "据新华社西安１月１０日电（记者郑金发）全省各级工会组织近日开展送温暖活动，走访慰问困难职工家庭。"
    page = ("工人日报　2023年3月14日\n第８版\n\n" + _wrapped(
        ["市总工会召开全委会议", first, "全省工会开展送温暖活动走访慰问困难职工家庭一万多户",
         second, "这次活动共发放慰问金三千多万元，慰问品价值八百多万元，受到困难职工的欢迎。"], 18))
    arts = parse_page(page)
    assert [a.title for a in arts] == ["市总工会召开全委会议",
                                       "全省工会开展送温暖活动走访慰问困难职工家庭一万多户"]
    assert arts[0].body.endswith("并为获奖者颁发奖牌。")


def test_department_signing_off_with_a_credit_ends_the_article() -> None:
    page = """陕西工人报　2023年3月14日　第２版
我们的心愿
在新的一年到来之际，我们为读者奉献上这份副刊，希望为职工的文化生活增添新的色彩。
亲爱的读者，请与我们同行。
文艺部（王言彬）
工会干部谈心得
部队官兵盛赞新编话剧
据新华社北京１月１１日电（记者周志方）观看过大型话剧的官兵认为，这是一部弘扬主旋律的优秀作品。
"""
    arts = _by_title(parse_page(page))
    assert arts["我们的心愿"].reporters == ["王言彬"]
    assert arts["我们的心愿"].body.endswith("文艺部（王言彬）")
    assert arts["部队官兵盛赞新编话剧"].kicker == "工会干部谈心得"


def test_credit_after_the_last_sentence_of_a_paragraph_opening_with_a_dateline() -> None:
    # one paragraph: a dateline byline opens it and the writer's credit closes it; the credit
    # after a photographer's (（新华社记者…摄）（单三娅）) is the writer's, the photographer no one's
    page = """人民日报　1998年1月15日　第４版
教职工住房建设实现历史性突破
本报北京１月１４日讯新华社记者尹鸿祝、本报记者毕全忠报道：记者从国家教委获悉，全国城镇教职工住房建设共投资五百四十二亿元，教职工家庭人均居住面积提高到八点四五平方米。（汪大昭）

不忘藏北人民的拉萨市民
一月一日，六十四辆满载拉萨人民捐助物资的汽车运往那曲灾区，拉萨各机关、学校为灾区人民捐赠了大量钱款和食品。
（新华社记者索朗罗布摄）（单三娅）
"""
    arts = _by_title(parse_page(page))
    housing = arts["教职工住房建设实现历史性突破"]
    assert housing.reporters == ["尹鸿祝", "毕全忠", "汪大昭"]  # under a 记者 byline both count
    assert housing.body.endswith("。（汪大昭）")  # the credit stays in the text as printed
    assert arts["不忘藏北人民的拉萨市民"].reporters == ["单三娅"]
