"""Readers: formats, encodings, and every rejection with file, line and reason."""

import json

from indexer.readers import read
from indexer.records import Loaded, Rejection, Skipped


def loaded(items):
    return [i for i in items if isinstance(i, Loaded)]


def rejected(items):
    return [i for i in items if isinstance(i, Rejection)]


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return str(path)


REC = {"title": "勞動者之歌", "body": "職工們唱響勞動之歌。", "date": "2022-09-30",
       "reporter": "刘欣欣、周美玉", "page": 3, "url": "http://x/1"}


def test_jsonl_fields_and_optional_ones(tmp_path):
    p = write(tmp_path / "a.jsonl", json.dumps(REC, ensure_ascii=False) + "\n")
    (item,) = list(read([p]))
    art = item.article
    assert (art.title, art.date, art.reporters, art.page) == (
        "勞動者之歌", "2022-09-30", ["刘欣欣", "周美玉"], "3")
    # Without an id, a stable hash of date, title and body: re-reading gives the same id.
    assert len(art.stable_id()) == 16
    assert list(read([p]))[0].article.stable_id() == art.stable_id()


def test_jsonl_reporters_as_a_list_and_other_separators(tmp_path):
    lines = [dict(REC, reporter=["张三", "李四"]), dict(REC, reporter="张三,李四"),
             dict(REC, reporter="张三；李四"), dict(REC, reporter="张三 ，李四")]
    p = write(tmp_path / "a.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert [i.article.reporters for i in read([p])] == [["张三", "李四"]] * 4


def test_jsonl_broken_lines_are_reported_with_line_numbers_and_the_rest_imported(tmp_path):
    good = json.dumps(REC, ensure_ascii=False)
    lines = [good, "{broken", good.replace("2022-09-30", "2022-02-30"),
             json.dumps({k: v for k, v in REC.items() if k != "date"}, ensure_ascii=False),
             "[1, 2]", "", good]
    p = write(tmp_path / "a.jsonl", "\n".join(lines))
    items = list(read([p]))
    assert len(loaded(items)) == 2
    reasons = {r.where: r.reason for r in rejected(items)}
    assert set(reasons) == {"line 2", "line 3", "line 4", "line 5"}
    assert "JSON" in reasons["line 2"] and "date" in reasons["line 3"]
    assert "no date" in reasons["line 4"]
    assert all(r.source == p for r in rejected(items))


def test_utf8_bom_and_gb18030_are_read(tmp_path):
    text = json.dumps(REC, ensure_ascii=False) + "\n"
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    gbk = write(tmp_path / "gbk.jsonl", text, "gb18030")
    csv_gbk = write(tmp_path / "gbk.csv", "title,body,date\n勞動者,職工們,2022-09-30\n", "gbk")
    for p in (str(bom), gbk, csv_gbk):
        (item,) = list(read([p]))
        assert isinstance(item, Loaded), item
        assert item.article.title.startswith("勞動者")


def test_binary_and_empty_files_are_rejected(tmp_path):
    binary = tmp_path / "x.jsonl"
    binary.write_bytes(bytes(range(256)) * 10)
    empty = write(tmp_path / "e.csv", "")
    page = write(tmp_path / "e-2022-01-01.txt", "  \n\n")
    items = list(read([str(binary), empty, page]))
    assert [type(i) for i in items] == [Rejection] * 3
    assert "binary" in items[0].reason and "empty" in items[1].reason


def test_csv_without_required_columns_names_them(tmp_path):
    p = write(tmp_path / "a.csv", "headline,text\nx,y\n")
    (rej,) = list(read([p]))
    assert isinstance(rej, Rejection) and "title" in rej.reason and "date" in rej.reason


def test_csv_rows(tmp_path):
    p = write(tmp_path / "a.csv", 'id,title,body,date,reporter\n'
              'x1,标题一,"正文,有逗号\n第二段",2022-01-02,张三、李四\n'
              'x2,标题二,正文,2022/01/03,\n'
              'x3,标题三,正文,not-a-date,\n'
              'x4,too,many,fields,here,really\n')
    items = list(read([p]))
    arts = [i.article for i in loaded(items)]
    assert [a.id for a in arts] == ["x1", "x2"]
    assert arts[0].body == "正文,有逗号\n第二段" and arts[0].reporters == ["张三", "李四"]
    assert arts[1].date == "2022-01-03"
    assert {r.where for r in rejected(items)} == {"line 5", "line 6"}


def test_folders_are_read_recursively_and_unknown_paths_reported(tmp_path):
    (tmp_path / "d" / "e").mkdir(parents=True)
    write(tmp_path / "d" / "a.jsonl", json.dumps(REC, ensure_ascii=False))
    write(tmp_path / "d" / "e" / "b.csv", "title,body,date\n标题,正文,2022-01-01\n")
    write(tmp_path / "d" / "e" / "notes.md", "not imported, but listed")
    items = list(read([str(tmp_path / "d"), str(tmp_path / "missing")]))
    assert len(loaded(items)) == 2
    assert [r.reason for r in rejected(items) if not isinstance(r, Skipped)] == [
        "no such file or folder"]
    assert [(r.source, r.reason) for r in items if isinstance(r, Skipped)] == [
        (str(tmp_path / "d" / "e" / "notes.md"), "skipped: a .md file, which no reader takes")]


def test_html_article(tmp_path):
    p = write(tmp_path / "2022-09-30-a.html", """<html><head><title>站点</title></head><body>
      <nav>导航</nav><article><h1>紫砂培训班举办</h1><h2>副题</h2>
      <p class="byline">记者 陈曦</p><p>本报讯 近日，培训班举办。</p><p>第二段&amp;。</p>
      <script>alert(1)</script></article></body></html>""")
    (item,) = list(read([p]))
    art = item.article
    assert art.title == "紫砂培训班举办" and art.subtitle == "副题"
    assert art.reporters == ["陈曦"] and art.date == "2022-09-30"
    assert art.body == "本报讯 近日，培训班举办。\n第二段&。"


def test_page_without_a_date_is_rejected_with_how_to_fix(tmp_path):
    p = write(tmp_path / "page.txt", "标题\n\n本报讯（记者 张三）正文内容在这里。\n")
    (rej,) = list(read([p]))
    assert isinstance(rej, Rejection) and "--date" in rej.reason
    (item,) = list(read([p], date="2022-09-30"))
    assert item.article.date == "2022-09-30"
