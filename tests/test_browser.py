"""A real browser (Debian's chromium, driven by Playwright) against a real ``unionsearch serve``.

The service runs as a subprocess over the bundled sample page; a second tiny HTTP server on
another port (another origin) plays the intranet page that frames ``/embed``.
"""

from __future__ import annotations

import http.server
import threading

import pytest

from .helpers import Server, console_errors, free_port

ZISHA = "紫砂鉴赏与制作工艺"


class _HostPage(http.server.BaseHTTPRequestHandler):
    html = b""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.html)))
        self.end_headers()
        self.wfile.write(self.html)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def host_page():
    """The intranet page: another origin, framing /embed (and /search, which must refuse)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _HostPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def service(tmp_path_factory, host_page):
    """``unionsearch serve --sample-if-empty`` over an empty folder: the sample is loaded."""
    host_origin = f"http://127.0.0.1:{host_page.server_address[1]}"
    idx = tmp_path_factory.mktemp("browser") / "idx"
    log = tmp_path_factory.mktemp("log") / "serve.log"
    with Server(idx, "--sample-if-empty", "--frame-origin", host_origin, threads=4, log=log,
                env={"UNIONSEARCH_INDEX_DIR": "", "PYTHONUNBUFFERED": "1"}) as srv:
        assert srv.documents() > 0, srv.text()
        base = srv.base
        _HostPage.html = (
            "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>工会内网</title>"
            "</head><body><h1>工会内网首页</h1>"
            f"<iframe id='box' src='{base}/embed' title='检索' width='560' height='96'></iframe>"
            f"<iframe id='refused' src='{base}/search?q=x' title='不可嵌入' width='200' "
            "height='50'></iframe></body></html>").encode()
        yield base


def _errors(page) -> list[str]:
    """Console errors and uncaught page errors."""
    found = console_errors(page)
    page.on("pageerror", lambda e: found.append(str(e)))
    return found


def _assert_marked_results(page):
    mark = page.locator(".hit", has_text=ZISHA).locator("mark", has_text="工匠精神").first
    mark.wait_for(timeout=10_000)
    assert mark.inner_text() == "工匠精神"
    assert "共找到" in page.locator(".summary__count").inner_text()


def test_home_search_shows_marked_results(tab, service):
    page = tab(locale="zh-CN")
    errors = _errors(page)
    page.goto(service + "/")
    box = page.get_by_label("检索词")
    box.fill("工匠精神")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    _assert_marked_results(page)
    assert page.url.endswith("/search?q=%E5%B7%A5%E5%8C%A0%E7%B2%BE%E7%A5%9E")  # empty fields left out

    # The article page marks the query and links back to the results.
    page.locator(".hit__title a", has_text=ZISHA).click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article__body mark", has_text="工匠精神").count() >= 1
    jump = page.get_by_role("button", name="跳到下一处")
    jump.click()
    assert page.locator("mark.is-focus").count() == 1
    page.get_by_role("link", name="返回检索结果").click()
    _assert_marked_results(page)

    # A reporter link filters.
    page.locator(".hit__reporters a", has_text="陈曦").click()
    page.wait_for_url("**&reporter=*")
    chip = page.locator(".chip", has_text="记者：陈曦")
    chip.first.wait_for(timeout=10_000)  # counted once the filtered page has loaded
    assert chip.count() == 1
    assert errors == []


def test_search_from_a_framed_box_opens_the_full_service(tab, service, host_page):
    page = tab(locale="zh-CN")
    errors = _errors(page)
    page.goto(f"http://127.0.0.1:{host_page.server_address[1]}/")
    frame = page.frame_locator("#box")
    frame.get_by_label("劳动报刊全文检索").fill("工匠精神")
    with page.context.expect_page() as opened:
        frame.get_by_role("button", name="检索").click()
    results = opened.value
    results.wait_for_load_state()
    assert results.url.startswith(service + "/search?")
    _assert_marked_results(results)
    # The framing page itself stays where it was; only /embed may be framed.
    assert page.url.startswith(f"http://127.0.0.1:{host_page.server_address[1]}")
    refused = page.locator("#refused").element_handle().content_frame()
    assert refused is None or not refused.url.startswith(service)  # chrome-error://
    assert [e for e in errors if "frame" not in e] == []


def test_framed_box_can_open_results_in_the_top_window(tab, service, host_page):
    page = tab(locale="zh-CN")
    page.goto(f"http://127.0.0.1:{host_page.server_address[1]}/")
    frame = page.frame(url=lambda u: u.endswith("/embed"))
    frame.goto(service + "/embed?target=_top")
    frame.get_by_label("劳动报刊全文检索").fill("工匠精神")
    frame.get_by_role("button", name="检索").click()
    page.wait_for_url(service + "/search?**")
    _assert_marked_results(page)


def test_works_without_javascript(tab, service):
    page = tab(java_script_enabled=False, locale="zh-CN")
    page.goto(service + "/")
    page.get_by_label("检索词").fill("工匠精神")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/search?q=*")
    _assert_marked_results(page)
    # Facet links and the date form work without script too.
    page.locator(".facet__link", has_text="2022").click()
    chip = page.locator(".chip", has_text="日期")
    chip.first.wait_for(timeout=10_000)  # counted once the filtered page has loaded
    assert chip.count() == 1
    page.get_by_label("从").fill("2022-09-01")
    page.get_by_label("到").fill("2022-09-29")
    page.get_by_role("button", name="按日期筛选").click()
    empty = page.locator(".empty__title")
    empty.first.wait_for(timeout=10_000)
    assert empty.count() == 1
    # The embed box too.
    page.goto(service + "/embed?target=_top")
    page.get_by_label("劳动报刊全文检索").fill("工匠精神")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/search?q=*")
    _assert_marked_results(page)
