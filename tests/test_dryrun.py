"""``unionsearch index --dry-run``: an editor sees how a source is read, and nothing is written."""

from __future__ import annotations

import json

from .helpers import SAMPLE, unionsearch


def test_dry_run_lists_each_article_and_writes_nothing(tmp_path) -> None:
    idx = tmp_path / "idx"
    r = unionsearch("index", str(SAMPLE), "--dry-run", "--index-dir", str(idx))
    assert r.returncode == 0, r.stderr
    assert not idx.exists() and not list(tmp_path.iterdir())
    out = r.stdout
    assert "VR图片展唱响北京劳动者之歌" in out
    assert "周美玉、王宇" in out
    assert "2022-09-30" in out
    assert "dry run: 6 articles read, 0 rejected; nothing written" in out


def test_dry_run_json_lines_carry_every_field(tmp_path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [
        {"id": "a1", "title": "标题一", "kicker": "引题一", "subtitle": "副题一",
         "body": "正文开头" + "中" * 100 + "正文结尾", "date": "2022-09-30", "page": "3",
         "reporter": "张三、李四"},
        {"title": "", "body": "", "date": "2022-09-30"},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                   encoding="utf-8")
    r = unionsearch("index", str(src), "--dry-run", "--json", "--index-dir", str(tmp_path / "i"))
    assert r.returncode == 1  # one line rejected, as a real import would say
    records = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(records) == 2
    art, rej = records
    assert (art["kicker"], art["title"], art["subtitle"]) == ("引题一", "标题一", "副题一")
    assert art["reporters"] == ["张三", "李四"]
    assert art["page"] == "3" and art["date"] == "2022-09-30"
    assert art["body_start"].startswith("正文开头") and art["body_end"].endswith("正文结尾")
    assert rej["where"] == "line 2" and "no title and no body" in rej["rejected"]
    assert not (tmp_path / "i").exists()


def test_dry_run_says_why_each_page_article_starts_and_how_its_headline_was_read(
        tmp_path) -> None:
    body = "这是一段足够长的正文，讲述了一家企业如何抓管理、抓队伍、抓作风的经验和做法。" * 3
    page = tmp_path / "2022-09-30_03.txt"
    page.write_text("\n".join([
        "关注春运", "大墙内的法制课", "姚祥明羊盘初", body, "（新华社发）",
        "农民工喜领返乡车票", "本报讯（记者 王五）" + body,
    ]) + "\n", encoding="utf-8")
    r = unionsearch("index", str(page), "--dry-run", "--index-dir", str(tmp_path / "idx"))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "依据  new article: 2 headline-shaped lines in a row" in out
    assert "依据  姚祥明羊盘初: author line under the headline (names run together)" in out
    assert "依据  headline block: a short or spaced line above the title: kicker" in out
    assert "依据  new article: above a dateline" in out
    r = unionsearch("index", str(page), "--dry-run", "--json", "--index-dir",
                    str(tmp_path / "idx"))
    first, second = (json.loads(line) for line in r.stdout.splitlines())
    assert (first["kicker"], first["title"], first["reporters"]) == (
        "关注春运", "大墙内的法制课", ["姚祥明", "羊盘初"])
    assert any("names run together" in why for why in first["why"])
    assert second["title"] == "农民工喜领返乡车票"
    assert second["why"][0] == "new article: above a dateline"
