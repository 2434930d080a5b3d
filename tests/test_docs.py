"""The README and docs/ as a newcomer follows them from a fresh clone.

Every link and image they name is in the repository (a clone has no ../shared beside it);
every path the service answers is described in docs/interface.md (or docs/papers.md, the
guide to several papers, feeds and 最新入库 it links); every screenshot the README
shows is one docs/make_screenshots.py makes.  (docs/install.md is run by
tests/test_install.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.app import create_app
from web.metrics import install_metrics
from web.views import ENGINE

from .helpers import REPO, build_index, unionsearch

DOCS = sorted([REPO / "README.md", REPO / "ARCHITECTURE.md", *(REPO / "docs").glob("*.md")])


def _targets(text: str) -> list[str]:
    """Relative link and image targets of a Markdown page (inline links and <img src>)."""
    found = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'<img src="([^"]+)"', text)
    return [t for t in found if not re.match(r"[a-z]+:", t) and not t.startswith("#")]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_link_leads_to_a_file_of_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text and "CONTRACT.md" not in text
    for target in _targets(text):
        path = (doc.parent / target.split("#")[0]).resolve()
        assert path.is_relative_to(REPO) and path.exists(), f"{doc.name}: {target}"


def test_the_readme_shows_the_screenshots_the_script_makes() -> None:
    shown = {Path(t).name for t in _targets((REPO / "README.md").read_text(encoding="utf-8"))
             if t.endswith(".png")}
    script = (REPO / "docs" / "make_screenshots.py").read_text(encoding="utf-8")
    made = set(re.findall(r'Shot\("([\w-]+\.png)"', script))
    assert shown and shown <= made, shown - made


def test_every_path_the_service_answers_is_in_the_interface(tmp_path) -> None:
    build_index(tmp_path / "idx", [])
    app = create_app(str(tmp_path / "idx"))
    install_metrics(app, app.extensions[ENGINE])  # what `serve --metrics` adds
    interface = "\n".join((REPO / "docs" / name).read_text(encoding="utf-8")
                          for name in ("interface.md", "papers.md"))
    for rule in app.url_map.iter_rules():
        path = rule.rule
        if path.startswith("/static/") or path.startswith("/api/<") or path == "/api/":
            continue  # files of the pages; the JSON 404 for unknown /api/ paths
        pattern = re.sub(r"<[^>]+>", "<[^>]+>", re.escape(path))
        assert re.search(pattern + r"(?![\w/])", interface), path


def test_the_readme_import_runs_as_pasted(tmp_path) -> None:
    """The README's import block, line by line, with the command on PATH as it says."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Importing"):text.index("\n## ", text.index("## Importing"))]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    lines = [ln.split("  #")[0].split() for ln in block.splitlines() if ln.strip()]
    assert [ln[:2] for ln in lines] == [["unionsearch", "index"], ["unionsearch", "index"],
                                        ["unionsearch", "search"]]
    env = {"UNIONSEARCH_INDEX_DIR": str(tmp_path / "idx"), "UNIONSEARCH_CONFIG": ""}
    out = [unionsearch(*ln[1:], env=env, cwd=str(REPO)) for ln in lines]
    assert [o.returncode for o in out] == [0, 0, 0], [o.stderr for o in out]
    added = re.search(r"(\d+) added, \d+ updated, \d+ unchanged(?:, \d+ merged)?, 0 rejected",
                          out[0].stdout)
    assert added and int(added.group(1)) >= 2012 + 6, out[0].stdout  # corpus, page (+ e-paper)
    assert "北京市产业工人队伍建设改革推进会" in out[1].stdout  # the dry run shows the article
    assert "紫砂" in out[2].stdout
