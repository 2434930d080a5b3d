"""Editors' corrections: they survive re-imports, ``--rebuild``, ``backup``/``restore``;
a changed source is a listed conflict; and each attack on the sign-in and the writes
is made for real against the app (real index on disk, real accounts, argon2 hashes)."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from indexer import editing
from indexer.backup import backup, restore
from indexer.corrections import Corrections
from indexer.readers import read
from indexer.writer import import_items
from web.accounts import LOCK_AFTER, Accounts
from web.app import create_app

from .helpers import CLEAN, SAMPLE, unionsearch

ED_PW, ADMIN_PW = "editor password 1", "admin password 22"


def _titles(idx) -> dict[str, str]:
    from search.storage import folder as sindex

    with sindex.open_index(str(idx)).searcher() as s:
        return {d["id"]: d["title"] for d in s.all_stored_fields()}


def _page_index(tmp_path):
    idx = tmp_path / "idx"
    page = tmp_path / "page-2022-09-30.txt"
    shutil.copy(SAMPLE, page)
    import_items(str(idx), read([str(page)]))
    return idx, page


def test_corrections_survive_reimport_rebuild_backup_and_restore(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("UNIONSEARCH_KEY_FILE", str(tmp_path / "backup.key"))
    idx, page = _page_index(tmp_path)
    ids = list(_titles(idx))
    editing.edit(str(idx), "ed", ids[0], {"title": "更正后的标题", "reporters": "张三、李四"})
    editing.split(str(idx), "ed", ids[1], 2, "拆出来的一篇")
    editing.hide(str(idx), "ed", ids[2])
    corrected = _titles(idx)
    assert corrected[ids[0]] == "更正后的标题" and f"{ids[1]}-2" in corrected
    assert ids[2] not in corrected
    summary = import_items(str(idx), read([str(page)]))
    assert summary.added == 0 and summary.updated == 0
    assert _titles(idx) == corrected
    import_items(str(idx), read([str(page)]), rebuild=True)
    assert _titles(idx) == corrected
    backup(str(idx), str(tmp_path / "bak"))
    assert (tmp_path / "bak" / "corrections.db").exists()
    assert not list((tmp_path / "bak").glob(".*"))  # no accounts, no secret key in a backup
    editing.edit(str(idx), "ed", ids[0], {"title": "备份之后的改动"})
    restore(str(tmp_path / "bak"), str(idx), force=True)
    assert _titles(idx) == corrected
    with Corrections(idx) as store:
        assert [e["action"] for e in store.history()] == ["hide", "split", "edit"]


def test_a_changed_source_keeps_the_correction_and_lists_the_conflict(tmp_path) -> None:
    src = tmp_path / "a.jsonl"
    row = {"id": "n1", "title": "原标题", "body": "第一段。\n第二段。", "date": "2022-09-30"}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    idx = tmp_path / "idx"
    import_items(str(idx), read([str(src)]))
    editing.edit(str(idx), "ed", "n1", {"title": "编辑改的标题"})
    row["body"] = "第一段。\n来源改过的第二段。"
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    import_items(str(idx), read([str(src)]))
    assert _titles(idx)["n1"] == "编辑改的标题"
    done = unionsearch("corrections", "--conflicts", "--index-dir", str(idx), env=CLEAN)
    assert done.returncode == 0, done.stderr
    assert "n1" in done.stdout and "原标题" in done.stdout and "编辑改的标题" in done.stdout


def test_revert_brings_back_the_readers_version_and_is_recorded(tmp_path) -> None:
    idx, page = _page_index(tmp_path)
    first = list(_titles(idx))[0]
    before = _titles(idx)[first]
    entry = editing.edit(str(idx), "ed", first, {"title": "错改的标题"})
    editing.revert(str(idx), "boss", entry["n"])
    assert _titles(idx)[first] == before
    with Corrections(idx) as store:
        history = store.history()
    assert history[0]["action"] == "revert" and history[1]["reverted_by"] == history[0]["n"]
    import_items(str(idx), read([str(page)]))
    assert _titles(idx)[first] == before


# -- the web app, attacked --------------------------------------------------------------

@pytest.fixture
def site(tmp_path):
    idx, _ = _page_index(tmp_path)
    with Accounts(idx) as acc:
        acc.add("ed", "editor", ED_PW)
        acc.add("boss", "admin", ADMIN_PW)
    app = create_app(str(idx), TESTING=True)
    return app, idx


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html)[1]


def _sign_in(client, name: str, password: str):
    token = _token(client.get("/login").text)
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": token})


def test_no_write_without_a_session(site) -> None:
    app, idx = site
    c = app.test_client()
    before = _titles(idx)
    art = next(iter(before))
    token = _token(c.get(f"/articles/{art}").text)  # a reader's own CSRF token
    assert c.patch(f"/api/articles/{art}", json={"title": "x"}).status_code == 401
    for action in ("split", "merge", "hide"):
        assert c.post(f"/api/articles/{art}/{action}", json={}).status_code == 401
    for action, data in (("edit", {"title": "匿名改的"}), ("hide", {}),
                         ("split", {"paragraph": "2", "title": "t"}), ("merge", {"with": "next"})):
        resp = c.post(f"/articles/{art}/{action}", data={**data, "csrf_token": token})
        assert resp.status_code == 401 and "登录" in resp.text
    assert c.post("/admin/history/1/revert", data={"csrf_token": token}).status_code == 401
    assert c.get("/admin/history").status_code == 302
    assert _titles(idx) == before


def test_csrf_token_missing_or_wrong_is_refused(site) -> None:
    app, idx = site
    c = app.test_client()
    assert _sign_in(c, "ed", ED_PW).status_code == 303
    art = next(iter(_titles(idx)))
    before = _titles(idx)
    assert c.post(f"/articles/{art}/edit", data={"title": "无令牌"}).status_code == 403
    assert c.post(f"/articles/{art}/edit",
                  data={"title": "错令牌", "csrf_token": "forged"}).status_code == 403
    assert c.patch(f"/api/articles/{art}", json={"title": "无令牌"}).status_code == 403
    other = app.test_client()  # another signed-in browser's token is wrong here
    _sign_in(other, "boss", ADMIN_PW)
    foreign = _token(other.get(f"/articles/{art}").text)
    assert c.post(f"/articles/{art}/edit",
                  data={"title": "别人的令牌", "csrf_token": foreign}).status_code == 403
    assert _titles(idx) == before
    good = _token(c.get(f"/articles/{art}").text)
    assert c.post(f"/articles/{art}/edit",
                  data={"title": "有令牌", "csrf_token": good}).status_code == 303
    assert _titles(idx)[art] == "有令牌"


def test_an_editor_cannot_manage_users_or_revert(site) -> None:
    app, idx = site
    c = app.test_client()
    _sign_in(c, "ed", ED_PW)
    art = next(iter(_titles(idx)))
    token = _token(c.get(f"/articles/{art}").text)
    c.post(f"/articles/{art}/edit", data={"title": "编辑改的", "csrf_token": token})
    assert c.get("/admin/users").status_code == 403
    assert c.post("/admin/users", data={"remove": "boss", "csrf_token": token}).status_code == 403
    assert c.post("/admin/history/1/revert", data={"csrf_token": token}).status_code == 403
    with Accounts(idx) as acc:
        assert acc.get("boss") is not None
    assert _titles(idx)[art] == "编辑改的"


def test_the_session_id_changes_at_sign_in_and_ends_at_sign_out(site) -> None:
    app, _ = site
    c = app.test_client()
    _sign_in(c, "ed", ED_PW)
    first = c.get_cookie("unionsearch_session").value
    _sign_in(c, "ed", ED_PW)  # a planted (or earlier) session is replaced, not reused
    second = c.get_cookie("unionsearch_session").value
    assert first != second
    stale = app.test_client()
    stale.set_cookie("unionsearch_session", first)
    assert stale.get("/admin/history").status_code == 302  # the old id signs no one in
    cookie = [h for h in c.get("/").headers.getlist("Set-Cookie")]
    assert not any("unionsearch_session" in h for h in cookie)
    resp = app.test_client().get("/")
    _sign_in(c, "ed", ED_PW)
    login = c.post("/login", data={"name": "ed", "password": ED_PW,
                                   "csrf_token": _token(c.get("/login").text)})
    set_cookie = next(h for h in login.headers.getlist("Set-Cookie")
                      if h.startswith("unionsearch_session="))
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    token = _token(c.get("/").text)
    c.post("/logout", data={"csrf_token": token})
    assert c.get("/admin/history").status_code == 302
    assert resp.status_code == 200


def test_twenty_wrong_passwords_lock_the_account_and_slow_the_address(site) -> None:
    app, _ = site
    c = app.test_client()
    for _ in range(LOCK_AFTER):
        assert _sign_in(c, "ed", "wrong password!").status_code in (401, 429)
    locked = app.test_client()
    locked.environ_base["REMOTE_ADDR"] = "10.0.0.9"  # another address
    resp = _sign_in(locked, "ed", ED_PW)  # the right password, refused while locked
    assert resp.status_code == 401 and "锁定" in resp.text
    assert _sign_in(c, "boss", ADMIN_PW).status_code == 429  # that address waits
    assert _sign_in(locked, "boss", ADMIN_PW).status_code == 303  # others do not


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_xss_typed_into_every_field_is_escaped_everywhere(site) -> None:
    app, idx = site
    c = app.test_client()
    _sign_in(c, "ed", ED_PW)
    art = next(iter(_titles(idx)))
    token = _token(c.get(f"/articles/{art}").text)
    fields = {"kicker": "引" + XSS, "title": "标题" + XSS, "subtitle": "副" + XSS,
              "reporters": "记者<script>alert(1)</script>", "page": "1" + XSS[:10],
              "body": "正文" + XSS + "\n第二段" + XSS}
    resp = c.post(f"/articles/{art}/edit", data={**fields, "csrf_token": token})
    assert resp.status_code == 303, resp.text
    c.post(f"/articles/{art}/flag", data={"kind": "title", "note": XSS, "csrf_token": token})
    pages = [f"/articles/{art}", "/search?q=标题", "/admin/history", "/admin/flags",
             f"/admin/history?article={art}", "/issues/2022-09-30", "/reporters"]
    for path in pages:
        text = c.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text, path
    hit = c.get("/api/search?q=标题").json["hits"][0]  # JSON holds the text; its HTML escapes it
    assert hit["title"].startswith("标题<script>")
    assert "<script>" not in hit["title_html"] + hit["snippet"]
    assert "标题&lt;script&gt;" in c.get(f"/articles/{art}").text


def test_secrets_never_leave_in_logs_metrics_config_or_exports(site, tmp_path, caplog,
                                                               monkeypatch) -> None:
    from web.metrics import install_metrics
    from web.views import ENGINE

    app, idx = site
    install_metrics(app, app.extensions[ENGINE])
    c = app.test_client()
    caplog.set_level("DEBUG")
    _sign_in(c, "ed", "a wrong password here")
    _sign_in(c, "ed", ED_PW)
    with Accounts(idx) as acc:
        hashes = [r[0] for r in acc.db.execute("SELECT hash FROM users")]
    secret = (idx / ".secret-key").read_bytes()
    assert (idx / ".secret-key").stat().st_mode & 0o777 == 0o600
    assert (idx / ".accounts.db").stat().st_mode & 0o777 == 0o600
    texts = [caplog.text, c.get("/metrics").text, c.get("/export.csv?q=劳动").text]
    done = unionsearch("config", "--index-dir", str(idx), env=CLEAN)
    texts.append(done.stdout + done.stderr)
    monkeypatch.setenv("UNIONSEARCH_KEY_FILE", str(tmp_path / "k"))
    backup(str(idx), str(tmp_path / "bak"))
    blobs = b"".join(p.read_bytes() for p in (tmp_path / "bak").iterdir())
    for text in texts:
        assert ED_PW not in text and not any(h in text for h in hashes)
        assert secret.hex() not in text
    assert ED_PW.encode() not in blobs and not any(h.encode() in blobs for h in hashes)
    assert secret not in blobs


def test_api_token_writes_and_the_answer_is_searchable_at_once(site) -> None:
    app, idx = site
    with Accounts(idx) as acc:
        token = acc.new_token("ed")
    c = app.test_client()
    art = next(iter(_titles(idx)))
    auth = {"Authorization": f"Bearer {token}"}
    resp = c.patch(f"/api/articles/{art}", json={"title": "接口改的标题"}, headers=auth)
    assert resp.status_code == 200, resp.json
    assert resp.json["result"][0]["title"] == "接口改的标题"
    hits = c.get("/api/search?q=接口改的标题").json["hits"]
    assert hits and hits[0]["id"] == art and "<mark>" in hits[0]["title_html"]
    bad = c.patch(f"/api/articles/{art}", json={"date": "2022-13-40"}, headers=auth)
    assert bad.status_code == 400 and "date" in bad.json["error"]
    wrong = {"Authorization": "Bearer ust_not-a-token"}
    assert c.patch(f"/api/articles/{art}", json={"title": "x"}, headers=wrong).status_code == 401


def test_readers_flag_without_signing_in_and_are_limited(site) -> None:
    app, idx = site
    c = app.test_client()
    art = next(iter(_titles(idx)))
    token = _token(c.get(f"/articles/{art}").text)
    assert c.post(f"/articles/{art}/flag", data={"kind": "reporter"}).status_code == 403
    codes = [c.post(f"/articles/{art}/flag", data={"kind": "reporter", "note": "作者错了",
                                                   "csrf_token": token}).status_code
             for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429
    with Corrections(idx) as store:
        assert len(store.flags()) == 10
    ed = app.test_client()
    _sign_in(ed, "ed", ED_PW)
    assert "作者错了" in ed.get("/admin/flags").text
    ed_token = _token(ed.get(f"/articles/{art}").text)
    ed.post(f"/articles/{art}/edit", data={"reporters": "王五", "csrf_token": ed_token})
    with Corrections(idx) as store:
        assert store.flags() == []  # closed when corrected


def test_an_idle_session_ends_and_https_cookies_are_secure(site) -> None:
    app, idx = site
    c = app.test_client()
    _sign_in(c, "ed", ED_PW)
    assert c.get("/admin/history").status_code == 200
    with Accounts(idx) as acc:  # the session was last used longer ago than the idle time
        acc.db.execute("UPDATE sessions SET seen = seen - ?",
                       (app.config["SESSION_IDLE"] * 60 + 1,))
    assert c.get("/admin/history").status_code == 302
    https = app.test_client()
    token = _token(https.get("/login").text)
    resp = https.post("/login", data={"name": "ed", "password": ED_PW, "csrf_token": token},
                      headers={"X-Forwarded-Proto": "https"})  # from nginx on loopback
    cookie = next(h for h in resp.headers.getlist("Set-Cookie")
                  if h.startswith("unionsearch_session="))
    assert "Secure" in cookie


def test_single_sign_on_only_from_a_trusted_proxy_and_only_when_set(site) -> None:
    app, idx = site
    header = {"X-Remote-User": "ed"}
    assert app.test_client().get("/admin/history", headers=header).status_code == 302  # off
    sso = create_app(str(idx), TESTING=True, sso_header="X-Remote-User")
    assert sso.test_client().get("/admin/history", headers=header).status_code == 200
    outside = sso.test_client()
    outside.environ_base["REMOTE_ADDR"] = "192.0.2.7"  # not a trusted proxy
    assert outside.get("/admin/history", headers=header).status_code == 302
    unknown = {"X-Remote-User": "nobody"}
    assert sso.test_client().get("/admin/history", headers=unknown).status_code == 302


def test_a_merge_at_import_leaves_a_corrected_article_alone(tmp_path) -> None:
    idx = tmp_path / "idx"
    story = {"title": "全市职工技能大赛开幕", "body": "本报讯 全市职工技能大赛今天开幕。\n"
             "来自各行业的五百名选手参赛。", "date": "2022-09-30"}
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({**story, "id": "a1"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    import_items(str(idx), read([str(first)]))
    editing.edit(str(idx), "ed", "a1", {"reporters": "刘欣欣"})
    copy = tmp_path / "b.jsonl"  # the same story from another source: merged, were it not
    copy.write_text(json.dumps({**story, "id": "b1"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    import_items(str(idx), read([str(copy)]))
    from search.storage import folder as sindex

    with sindex.open_index(str(idx)).searcher() as s:
        kept = s.document(id="a1")
    assert kept["reporters"] == ["刘欣欣"] and kept["title"] == story["title"]


def _user_cmd(idx, *args: str, password: str | None = None):
    from .helpers import unionsearch

    return unionsearch("user", *args, "--index-dir", str(idx),
                       input=None if password is None else password + "\n", env=CLEAN)


def test_the_user_commands(tmp_path) -> None:
    idx, _ = _page_index(tmp_path)
    added = _user_cmd(idx, "add", "wangfang", "--role", "editor", "--password-stdin",
                      password=ED_PW)
    assert added.returncode == 0 and ED_PW not in added.stdout + added.stderr
    short = _user_cmd(idx, "add", "li", "--role", "editor", "--password-stdin", password="short")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    again = _user_cmd(idx, "add", "wangfang", "--role", "admin", "--password-stdin",
                      password=ADMIN_PW)
    assert again.returncode == 2 and "exists" in again.stderr
    assert _user_cmd(idx, "add", "x", "--role", "boss").returncode == 2
    token = _user_cmd(idx, "token", "wangfang").stdout.strip()
    assert token.startswith("ust_")
    assert _user_cmd(idx, "list").stdout.split() == ["wangfang", "editor", "token"]
    app = create_app(str(idx), TESTING=True)
    c = app.test_client()
    _sign_in(c, "wangfang", ED_PW)
    assert c.get("/admin/history").status_code == 200
    assert _user_cmd(idx, "passwd", "wangfang", "--password-stdin",
                     password=ADMIN_PW).returncode == 0
    assert c.get("/admin/history").status_code == 302  # her sessions ended
    assert _sign_in(c, "wangfang", ED_PW).status_code == 401
    assert _sign_in(c, "wangfang", ADMIN_PW).status_code == 303
    assert _user_cmd(idx, "remove", "wangfang").returncode == 0
    assert c.get("/admin/history").status_code == 302
    assert app.test_client().patch("/api/articles/x", json={"title": "t"},
                                   headers={"Authorization": f"Bearer {token}"}
                                   ).status_code == 401
    assert _user_cmd(idx, "remove", "wangfang").returncode == 2


def test_an_editor_takes_the_sources_new_version_of_a_conflict(tmp_path) -> None:
    idx = tmp_path / "jidx"
    src = tmp_path / "a.jsonl"
    row = {"id": "n1", "title": "原标题", "body": "第一段。\n第二段。", "date": "2022-09-30"}
    src.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    import_items(str(idx), read([str(src)]))
    editing.edit(str(idx), "ed", "n1", {"title": "编辑改的标题"})
    src.write_text(json.dumps({**row, "title": "来源改好的标题"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    import_items(str(idx), read([str(src)]))
    with Accounts(idx) as acc:
        acc.add("ed", "editor", ED_PW)
    c = create_app(str(idx), TESTING=True).test_client()
    _sign_in(c, "ed", ED_PW)
    page = c.get("/admin/conflicts").text
    assert "来源改好的标题" in page and "编辑改的标题" in page
    n = re.search(r'/admin/conflicts/(\d+)/take', page)[1]
    assert c.post(f"/admin/conflicts/{n}/take", data={"csrf_token": _token(page)}).status_code == 303
    assert _titles(idx)["n1"] == "来源改好的标题"
    assert "没有待处理的冲突" in c.get("/admin/conflicts").text
    assert import_items(str(idx), read([str(src)])).unchanged == 1
    assert _titles(idx)["n1"] == "来源改好的标题"
    with Corrections(idx) as store:
        assert store.history()[0]["action"] == "resolve"


def test_a_link_to_an_article_merged_by_an_editor_leads_to_the_merged_one(site) -> None:
    app, idx = site
    ids = list(_titles(idx))
    editing.merge(str(idx), "ed", ids[3], ids[4], (4, 5))
    app.extensions["engine"].notice_commit()  # merged outside the service's requests
    c = app.test_client()
    page = c.get(f"/articles/{ids[4]}?q=职工")
    assert page.status_code == 302 and page.headers["Location"].endswith(f"/articles/{ids[3]}?q=%E8%81%8C%E5%B7%A5")
    api = c.get(f"/api/articles/{ids[4]}")
    assert api.status_code == 302 and api.headers["Location"].endswith(f"/api/articles/{ids[3]}")
    editing.hide(str(idx), "ed", ids[0])
    app.extensions["engine"].notice_commit()  # hidden by another process than the service's
    assert c.get(f"/articles/{ids[0]}").status_code == 404  # hidden: no article to lead to


def test_a_page_dump_changed_where_an_article_was_corrected_lists_a_conflict(site, tmp_path) -> None:
    app, idx = site
    page_file = tmp_path / "page-2022-09-30.txt"
    c = app.test_client()
    _sign_in(c, "ed", ED_PW)
    hit = c.get("/api/search?q=公交保修").json["hits"][0]
    token = _token(c.get(f"/articles/{hit['id']}").text)
    assert c.post(f"/articles/{hit['id']}/edit",
                  data={"title": "编辑改过的公交标题", "csrf_token": token}).status_code == 303
    text = page_file.read_text(encoding="utf-8")  # the source re-typed there: a new id
    assert "北京公交保修" in text
    page_file.write_text(text.replace("北京公交保修", "北京公交维修"), encoding="utf-8")
    import_items(str(idx), read([str(page_file)]))
    assert _titles(idx)[hit["id"]] == "编辑改过的公交标题"  # the correction is kept
    with Corrections(idx) as store:
        found = store.conflicts()
    assert len(found) == 1 and found[0]["source"] == hit["id"]
    assert "北京公交维修" in found[0]["found"]["title"]
    assert found[0]["origin"].startswith("2022-09-30|")


def test_a_save_over_another_editors_newer_change_is_refused(site) -> None:
    app, idx = site
    art = next(iter(_titles(idx)))
    first, second = app.test_client(), app.test_client()
    _sign_in(first, "ed", ED_PW)
    _sign_in(second, "boss", ADMIN_PW)
    forms = [c.get(f"/articles/{art}").text for c in (first, second)]  # both open the form
    based = [re.search(r'name="based_on" value="([^"]+)"', f)[1] for f in forms]
    assert first.post(f"/articles/{art}/edit", data={
        "title": "第一位编辑的标题", "csrf_token": _token(forms[0]),
        "based_on": based[0]}).status_code == 303
    late = second.post(f"/articles/{art}/edit", data={
        "title": "第二位编辑的标题", "csrf_token": _token(forms[1]), "based_on": based[1]})
    assert late.status_code == 409 and "someone else" in late.text
    assert _titles(idx)[art] == "第一位编辑的标题"
