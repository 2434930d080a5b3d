"""Page dumps of 要闻简报 items and 专栏 / 读者来信 pages: a title run into its 本报讯 lead, the
writers named inside the lead, commentaries signed □ 张三 / ◎张三 / 经济日报评论员 and closed
by the writer's post, letters signed with the reader's place and name."""

from __future__ import annotations

from indexer.byline import author_line, parse_byline
from indexer.pagedump import parse_page

BRIEFS = """某市日报　1998年1月8日　第２版

李鹏会见德国客人　本报讯（通讯员 李志勇 记者 于海生）国务院总理李鹏今天下午在人民大会堂会见德国客人，双方就经贸合作交换了意见。

京杭运河苏南段四级航道日前通航
本报讯（通讯员 何水根）京杭运河苏南段四级航道日前通航，整治一新的航道极大地改善了航运条件。

《周恩来手迹大字典》永成摹本 本报讯 记者罗晋标报道：由外交部档案馆精心编辑的字典近日出版，收录手迹一千余件。
"""


def test_a_title_run_into_its_lead_is_the_headline_and_the_lead_names_the_writers() -> None:
    arts = parse_page(BRIEFS)
    assert [a.title for a in arts] == ["李鹏会见德国客人", "京杭运河苏南段四级航道日前通航",
                                       "《周恩来手迹大字典》永成摹本"]
    assert arts[0].body.startswith("本报讯（通讯员 李志勇 记者 于海生）国务院总理")
    assert arts[0].reporters == ["于海生", "李志勇"]  # the 记者 first, as every reader gives
    assert arts[2].reporters == ["罗晋标"]
    assert any("lead-in run into its dateline" in w for w in arts[0].why)


def test_a_sentence_before_a_space_and_a_dateline_stays_text() -> None:
    page = ("工人日报　1998年1月8日　第２版\n\n职工文化节开幕\n本报讯（记者 张平）职工文化节昨天开幕，"
            "全市职工踊跃参加。\n会议指出，各级工会要办好实事。 本报讯这样的字样也会出现在句中。\n")
    arts = parse_page(page)
    assert [a.title for a in arts] == ["职工文化节开幕"]
    assert "会议指出，各级工会要办好实事。 本报讯" in arts[0].body


COLUMNS = """经济日报　1998年1月24日　第１１版
【经济茶座】
济南交警带头人
◎王锦鹄 毛磊
　　１９９５年１０月，李长水出任交警支队支队长，他做出的第一个大动作，就是重塑交警新形象。
　　三年过去，济南交警成为全国“窗口”行业的表率。（作者系国务院发展研究中心研究员）
想起了剧组评优
　　这些年已习惯了媒体上披露演艺界的不良行为，剧组评优却让人眼前一亮。
　　集投资都得数十万，可让观众记得住的有多少？
——四川省绵阳市涪城区读者 向兵
【读者来信】
天津农民进城包医院
　　今年１月，天津武清县的飞鹰集团公司以风险抵押的方式，进城承包管理河西医院。
　　新的行政领导班子上任第一天，院内环境静谧，医护人员各司其职。
湖北省武汉市江岸区 汪波
双拥的创举
经济日报评论员
　　诞生于革命战争年代的双拥工作之所以具有强大的生命力，在于它始终为党的中心工作服务。
"""


def test_commentaries_and_letters_are_signed_by_their_writers() -> None:
    arts = {a.title: a for a in parse_page(COLUMNS)}
    assert list(arts) == ["济南交警带头人", "想起了剧组评优", "天津农民进城包医院", "双拥的创举"]
    assert arts["济南交警带头人"].reporters == ["王锦鹄", "毛磊"]  # ◎ marks the byline
    assert arts["济南交警带头人"].kicker == "【经济茶座】"
    assert arts["想起了剧组评优"].reporters == ["向兵"]  # the reader's signature closes it
    assert arts["想起了剧组评优"].body.endswith("——四川省绵阳市涪城区读者 向兵")
    assert arts["天津农民进城包医院"].kicker == "【读者来信】"
    assert arts["天津农民进城包医院"].reporters == ["汪波"]
    assert arts["双拥的创举"].reporters == []  # a paper's commentary names no one
    assert arts["双拥的创举"].subtitle == ""


def test_the_writers_post_and_a_paper_commentary_name_no_one() -> None:
    assert parse_byline("三年过去。（作者系中国人民大学经济学院教授）") is None
    assert author_line("经济日报评论员") == ([], "a commentary credit")
    assert author_line("天津农民进城包医院") is None  # …包医院 ends with a unit, no name
    assert author_line("湖北省武汉市江岸区 汪波") == (
        ["汪波"], "a unit or place with the author's name")


def test_a_list_of_units_and_names_after_the_text_stays_text() -> None:
    page = ("工人日报　1998年1月8日　第２版\n获奖名单公布\n本报讯（记者 张平）首届职工技能大赛获奖名单如下。\n"
            "河南省洛阳市 张建国\n湖北省武汉市江岸区 李文华\n四川省绵阳市涪城区 王小明\n")
    arts = parse_page(page)
    assert [a.title for a in arts] == ["获奖名单公布"]
    assert arts[0].reporters == ["张平"]
    assert arts[0].body.endswith("四川省绵阳市涪城区 王小明")


def test_a_name_a_column_cut_off_under_a_dateline_is_no_author() -> None:
    """吴邦国 alone under a short 本报讯 lead is the next paragraph cut by a column (吴邦国 /
    说，…): the lead's credit names the writer, the minister is no reporter."""
    page = ("工人日报　1998年1月8日　第２版\n\n吴邦国会见荷兰客人\n本报讯（通讯员 向贤彪）国务院副总理吴邦国"
            "今天下午在中南海会见了荷兰客人一行。\n吴邦国\n说，双方签署了合作备忘录，这次访华将增进相互之间的"
            "了解，推动双方友好合作关系的发展。\n")
    arts = parse_page(page)
    assert [a.title for a in arts] == ["吴邦国会见荷兰客人"]
    assert arts[0].reporters == ["向贤彪"]


def test_a_headline_under_a_list_printed_without_stops_starts_an_article() -> None:
    """A 内容提要 whose ● items end with no stop: the last item is finished, and the kicker and
    title under it head the next article (a comma'd item still goes on in the next line)."""
    page = "\n".join([
        "人民日报　1998年1月22日　第１０版", "", "内容提要", "汪有富",
        "●一九九七年，在旱灾严重的情况下，农业仍获得较好收成，农民收入继续增加",
        "●调整结构必须吃透两头：一头是当地的优势，一头是市场的动向",
        "●我国农村公共管理状况已有了重大改善，要明确管理内容，",
        "稳定管理组织，帮助基层干部掌握管理方法",
        "科教兴国在行动", "我国铁路营业里程亚洲第一",
        "本报北京１月４日讯记者江世杰从今天开幕的全国铁路领导干部会议获悉：我国铁路营业里程居亚洲第一。"])
    arts = parse_page(page)
    assert [(a.kicker, a.title) for a in arts] == [("", "内容提要"),
                                                   ("科教兴国在行动", "我国铁路营业里程亚洲第一")]
    assert "要明确管理内容，稳定管理组织，帮助基层干部掌握管理方法" in arts[0].body
    assert any("ends with no stop" in w for w in arts[1].why)
    assert arts[1].reporters == ["江世杰"]


def test_a_title_over_an_author_line_is_never_read_as_a_cut_paragraph() -> None:
    """【百姓话题】 / 奔驰在德国高速公路上 / ◎殷峻彪: the author line stands between the title and
    the text, so no word runs from the title into the text (上|刚 is no column cut)."""
    page = ("人民日报 1998-01-26 第04版\n\n【百姓话题】\n奔驰在德国高速公路上\n◎殷峻彪\n"
            "　　刚到德国就听朋友说，在德国有两大享受：喝啤酒和开汽车。笔者只想就开车的感受，述之以笔。\n")
    arts = parse_page(page)
    assert [(a.kicker, a.title, a.reporters) for a in arts] == [
        ("【百姓话题】", "奔驰在德国高速公路上", ["殷峻彪"])]


def test_a_letter_signed_under_its_picture_caption() -> None:
    """The reader's signature may follow the caption of the letter's picture, which ends
    with no stop."""
    page = ("人民日报 1998-01-26 第04版\n\n迎战世纪之敌\n　　近年，艾滋病已成为一些国家青壮年死亡的首位原因，"
            "人类已没有退路。\n　　图片：\n　　图为“世界艾滋病日”北京街头的宣传活动\n"
            "——湖北省武汉市江岸区读者 郑宏范\n")
    arts = parse_page(page)
    assert [(a.title, a.reporters) for a in arts] == [("迎战世纪之敌", ["郑宏范"])]
    assert arts[0].body.endswith("——湖北省武汉市江岸区读者 郑宏范")
