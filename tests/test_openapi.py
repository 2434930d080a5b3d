"""The OpenAPI file describes every answer the running service gives.

schemathesis generates requests from ``/api/openapi.json`` (valid and invalid values,
every parameter, methods the API does not have) against a real ``unionsearch serve``
over the test corpus and checks each answer with ``--checks all``: no 5xx, every status
and body as described, invalid values refused, valid ones accepted, a 405 that names
the allowed methods.  Bounded (``ST_EXAMPLES`` per operation, a fixed seed); the
longer run and its figures: ``bench/schemathesis_run.py``, ``bench/RESULTS.md``.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from .helpers import BIN, REPO, http_get

ST_EXAMPLES = int(os.environ.get("ST_EXAMPLES", "12"))
CONFIG = REPO / "tests" / "schemathesis.toml"


@pytest.fixture(scope="module")
def server(archive_server):
    """The test corpus and the sample page (the OpenAPI file's examples are from it),
    served once for every module that only reads it."""
    return archive_server


def run_schemathesis(base: str, examples: int, cwd: str, seed: int = 1998,
                     phases: str = "examples,coverage,fuzzing",
                     timeout: float = 600) -> subprocess.CompletedProcess:
    """``st run`` with every check against ``base`` (its scratch files in ``cwd``); its
    output as text."""
    return subprocess.run(
        [str(BIN / "st"), "--config-file", str(CONFIG), "run", f"{base}/api/openapi.json",
         "--url", base, "--checks", "all", "--max-examples", str(examples), "--seed",
         str(seed), "--phases", phases, "--generation-database", "none", "--no-color",
         "--request-timeout", "30"],
        capture_output=True, text=True, timeout=timeout, cwd=cwd)


def test_every_answer_is_described(server, tmp_path) -> None:
    done = run_schemathesis(server.base, ST_EXAMPLES, str(tmp_path))
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    counts = re.search(r"(\d+) generated, (\d+) passed\n", done.stdout)
    assert counts and counts.group(1) == counts.group(2), done.stdout[-3000:]
    assert "No issues found" in done.stdout, done.stdout[-3000:]


@pytest.mark.parametrize("method", ["TRACE", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/api/search", "/healthz", "/search", "/api/reporters/x"])
def test_an_unsupported_method_is_405_naming_the_allowed_ones(server, method, path) -> None:
    status, headers, _ = http_get(server.base, path, method=method)
    assert status == 405
    assert set(headers["Allow"].split(", ")) >= {"GET", "HEAD"}, headers


@pytest.mark.parametrize("target", ["/api/search?to=", "/api/search?from=&size=&page=",
                                    "/api/trends?to=&by=", "/api/reporters?page=",
                                    "/api/suggest?q=g&size="])
def test_what_the_file_says_of_empty_values_holds(server, target) -> None:
    import json

    from web.openapi import document

    assert http_get(server.base, target)[0] == 200
    path, query = target.split("?")
    params = {p["name"]: p for p in document()["paths"][path]["get"]["parameters"]}
    for name in (pair[:-1] for pair in query.split("&") if pair.endswith("=")):
        schema = json.dumps(params[name]["schema"])
        assert '"pattern": "^\\\\s*$"' in schema or '""' in schema, (name, schema)
        assert "Empty" in params[name]["description"]
        if '"pattern"' in schema:  # blanks as JSON Schema's \s reads them: absent too
            for blank in ("%0D", "%20%09", "%E3%80%80", "%EF%BB%BF"):
                assert http_get(server.base, target.replace(f"{name}=", f"{name}={blank}"))[0] \
                    == 200, (name, blank)
            # U+001F is blank to Python's strip() but not to the schema: not a value either
            bad = target.replace(f"{name}=", f"{name}=%1F")
            assert http_get(server.base, bad)[0] == 400, bad


def test_a_trend_takes_as_many_q_as_the_file_says(server) -> None:
    """The form has three fields; the description says at most three ``q``, empty ones
    counted: a fourth is refused even when one of them is empty."""
    three = "/api/trends?q=%E5%B7%A5%E4%BA%BA&q=&q=%E5%B7%A5%E4%BC%9A"  # 工人, empty, 工会
    assert http_get(server.base, three)[0] == 200
    status, _, body = http_get(server.base, three + "&q=%E5%8A%B3%E6%A8%A1")  # and 劳模
    assert status == 400 and "at most 3" in body.decode(), body[:300]
