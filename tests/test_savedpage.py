"""Pages a scraper saved as records (标题：/作者： fields, 【标题】 lines between ==== rules),
and a headline the lead repeats: read from the page's own marks, said in ``--dry-run``."""

from __future__ import annotations

from indexer.pagedump import parse_page
from indexer.savedpage import saved_records

LEAD = ("本报讯（记者 王晓东）今年以来，市总工会把职工技能培训作为服务职工的重点工作，"
        "全年培训职工三万余人次，帮助两千多名职工取得技能等级证书。")
TEXT = ("围绕产业发展需要，市总工会联合人社部门开设了数控、焊接、电工等二十多个培训项目，"
        "并在企业一线设立了十个职工培训基地。")
VERSE = "春风吹过了田野"

FIELDS = f"""标题：市总工会培训职工三万人次
日期：20250110
版面：03 - 工会新闻
链接：https://zqb.cyol.com/pc/content/202501/10/content_123456.html
--------------------------------------------------

标题：市总工会培训职工三万人次
作者：本报记者 王晓东
{LEAD}

{TEXT}

标题：一个老工人的心愿
日期：20250110
版面：03 - 工会新闻
链接：https://zqb.cyol.com/pc/content/202501/10/content_123457.html
--------------------------------------------------

标题：一个老工人的心愿
作者：李瑛
{TEXT}
"""

BRACKETS = f"""【市总工会培训职工三万人次】

{LEAD}
{TEXT}

============================================================

【田野】

李瑛
{VERSE}
{VERSE}

============================================================
"""


def test_a_page_of_labelled_fields_gives_one_article_per_title() -> None:
    arts = parse_page(FIELDS)
    assert [a.title for a in arts] == ["市总工会培训职工三万人次", "一个老工人的心愿"]
    assert [a.reporters for a in arts] == [["王晓东"], ["李瑛"]]
    first = arts[0]
    assert "链接" not in first.body and "日期：" not in first.body  # the saver's fields
    assert LEAD in first.body and TEXT in first.body
    assert "作者：本报记者 王晓东" in first.body  # printed: kept, read for the names
    assert any("标题：" in w and "marked" in w for w in first.why)  # --dry-run says why
    assert any("链接：https://zqb.cyol.com" in w for w in first.why)  # and lists the fields


def test_records_joined_without_a_newline_between_them_are_split_at_the_title() -> None:
    """Files saved with no last newline, joined by ``cat``: the next 标题： runs on after the
    last sentence of the record before."""
    glued = FIELDS.replace(f"{TEXT}\n\n标题：一个", f"{TEXT}标题：一个")
    assert glued != FIELDS
    arts = parse_page(glued)
    assert [a.title for a in arts] == ["市总工会培训职工三万人次", "一个老工人的心愿"]
    assert arts[0].body.endswith(TEXT)


def test_a_file_that_names_its_paper_before_the_first_record() -> None:
    """A line or two before the first record (the paper, the day): the saver's, listed in
    ``--dry-run``, in no article."""
    for page in ("中国青年报 2025年01月10日\n" + FIELDS, "人民日报 第03版\n\n" + BRACKETS):
        arts = parse_page(page)
        assert [a.title for a in arts] == ["市总工会培训职工三万人次",
                                           "一个老工人的心愿" if "标题" in page else "田野"]
        assert "2025年01月10日" not in arts[0].body and "第03版" not in arts[0].body
        assert any("中国青年报 2025年01月10日" in w or "人民日报 第03版" in w
                   for w in arts[0].why)


def test_a_merged_file_of_bracketed_titles_gives_one_article_per_title() -> None:
    arts = parse_page(BRACKETS)
    assert [a.title for a in arts] == ["市总工会培训职工三万人次", "田野"]
    assert arts[0].reporters == ["王晓东"]
    assert arts[1].reporters == ["李瑛"]  # a name alone over the verse
    assert arts[1].body.count(VERSE) == 2  # short verse lines stay text, not titles
    assert "=====" not in "".join(a.body for a in arts)


def test_a_column_kicker_in_brackets_is_no_saver_mark() -> None:
    """【栏目】 over a title, no rules: a printed page, read line by line as before."""
    page = f"【县域经济】\n产业园区引来新项目\n\n{LEAD}\n\n{TEXT}\n"
    assert saved_records(page) is None
    arts = parse_page(page)
    assert [(a.kicker, a.title) for a in arts] == [("【县域经济】", "产业园区引来新项目")]
    assert saved_records(f"本报讯 标题：一句话里的标题。\n{TEXT}\n") is None


def test_a_line_the_lead_repeats_is_the_headline() -> None:
    """A 简讯 titled with its lead's first words: the long comma'd line is no headline shape,
    but the paragraph under it says the same words from its start."""
    title = "由市总工会、市人社局、市教育局和市工商联联合举办的全市首届职工职业技能大赛"
    page = (f"市总工会培训职工三万人次\n\n{LEAD}\n{TEXT}\n{title}\n"
            f"本报讯{title}昨天在市体育中心开幕，来自全市二百多家企业的一千余名职工参赛。\n")
    arts = parse_page(page)
    assert [a.title for a in arts] == ["市总工会培训职工三万人次", title]
    assert any("repeats it from its start" in w for w in arts[1].why)
