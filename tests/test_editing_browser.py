"""The issue's scenario in a real browser (Debian's chromium, Playwright) against a real
``unionsearch serve``: an administrator adds an editor on the command line; the editor
signs in, corrects a headline and a byline, splits a glued article and merges a cut one;
the search shows the corrections at once; re-importing the page file and ``--rebuild``
keep them; the history lists each change and the administrator reverts one."""

from __future__ import annotations

import shutil

import pytest

from .helpers import CLEAN, SAMPLE, Server, console_errors, unionsearch

ED_PW, ADMIN_PW = "editor password 1", "admin password 22"


def _add_user(idx, name: str, role: str, password: str) -> None:
    done = unionsearch("user", "add", name, "--role", role, "--password-stdin",
                       "--index-dir", str(idx), input=password + "\n", env=CLEAN)
    assert done.returncode == 0, done.stderr
    assert password not in done.stdout + done.stderr


@pytest.fixture
def served(tmp_path):
    page = tmp_path / "page-2022-09-30.txt"
    shutil.copy(SAMPLE, page)
    idx = tmp_path / "idx"
    done = unionsearch("index", str(page), "--index-dir", str(idx), env=CLEAN)
    assert done.returncode == 0, done.stderr
    _add_user(idx, "boss", "admin", ADMIN_PW)
    _add_user(idx, "xiaowang", "editor", ED_PW)
    with Server(idx, log=tmp_path / "serve.log", env=CLEAN) as srv:
        yield srv.base, idx, page


def _sign_in(page, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("form.login button[type=submit]")
    page.wait_for_load_state()
    assert f"已登录：{name}" in page.inner_text(".account-bar")


def _open_hit(page, base: str, query: str) -> None:
    page.goto(f"{base}/search?q={query}")
    page.locator(".hit a, .result a, main a[href*='/articles/']").first.click()
    page.wait_for_load_state()


def _titles_of_search(page, base: str, query: str) -> str:
    page.goto(f"{base}/search?q={query}")
    return page.inner_text("main")


def test_an_editor_corrects_the_archive_in_the_browser(browser, served) -> None:
    base, idx, page_file = served
    ctx = browser.new_context(locale="zh-CN")
    page = ctx.new_page()
    errors = console_errors(page)
    _sign_in(page, base, "xiaowang", ED_PW)

    # a headline and a byline
    _open_hit(page, base, "紫砂鉴赏")
    form = page.locator("form.edit-form")
    form.locator("input[name=title]").fill("紫砂壶培训班开班 百名职工学手艺")
    form.locator("input[name=reporters]").fill("陈晓、周敏")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.inner_text("h1") == "紫砂壶培训班开班 百名职工学手艺"
    assert "陈晓" in page.inner_text(".article__byline")
    assert "已保存更正" in page.inner_text(".corrections__done")

    # a glued article split at its third paragraph
    _open_hit(page, base, "VR图片展")
    glued_url = page.url
    split = page.locator("form.split-form")
    split.locator("select[name=paragraph]").select_option("3")
    split.locator("input[name=title]").fill("劳动者最美微笑照片展出")
    split.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.split("?")[0] == glued_url.split("?")[0]
    assert "本版下一篇：劳动者最美微笑照片展出" in page.inner_text(".article__steps")

    # a cut article merged with the next one of its 版面
    _open_hit(page, base, "公交保修")
    next_title = page.locator("a[rel=next]").inner_text()
    page.locator("form.merge-form button[value=next]").click()
    page.wait_for_load_state()
    body = page.inner_text(".article__body")
    assert "北京公交保修" in page.inner_text("h1") and "钢筋工" in body
    merged_away = next_title.split("：", 1)[1].rstrip(" ›")
    assert merged_away not in page.inner_text(".article__steps")

    # the search shows the corrections at once, highlighted
    text = _titles_of_search(page, base, "紫砂壶培训班")
    assert "紫砂壶培训班开班" in text
    assert page.locator("mark").count() > 0
    assert "劳动者最美微笑照片展出" in _titles_of_search(page, base, "最美微笑")

    # re-importing the original page file, then --rebuild, keep every correction
    for extra in ([], ["--rebuild"]):
        done = unionsearch("index", str(page_file), "--index-dir", str(idx), *extra, env=CLEAN)
        assert done.returncode == 0, done.stderr
        assert "紫砂壶培训班开班" in _titles_of_search(page, base, "紫砂壶培训班")
        assert "劳动者最美微笑照片展出" in _titles_of_search(page, base, "最美微笑")
        page.goto(f"{base}/issues/2022-09-30")
        assert merged_away not in page.inner_text("main")

    # the history lists each change; the administrator reverts the byline and headline
    page.goto(f"{base}/admin/history")
    rows = page.locator("tr.history-entry")
    assert rows.count() == 3
    assert page.locator("tr.history-entry button").count() == 0  # an editor cannot revert
    admin = browser.new_context(locale="zh-CN").new_page()
    _sign_in(admin, base, "boss", ADMIN_PW)
    admin.goto(f"{base}/admin/history?action=edit")
    assert admin.locator("tr.history-entry").count() == 1
    assert "xiaowang" in admin.inner_text("tr.history-entry")
    admin.locator("tr.history-entry button").click()
    admin.wait_for_load_state()
    assert admin.locator("tr.history-entry").count() == 4
    assert "撤销第" in admin.inner_text("tr.history-entry >> nth=0")
    assert "紫砂鉴赏与制作工艺" in _titles_of_search(admin, base, "紫砂鉴赏")
    admin.context.close()
    assert not errors, errors  # no CSP violation, no script error
    ctx.close()
