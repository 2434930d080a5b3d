"""Hostile but well-formed data: dates far outside any archive, huge streams, formulas in
cells, wide date ranges asked of the service, many exports at once.

Real files imported by the real CLI into a real index; the web side through Flask's test
client over that index.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .helpers import SAMPLE, unionsearch


def _line(i: int, date: str) -> str:
    return json.dumps({"id": f"d{i}", "title": f"标题{i}", "body": f"正文{i} 劳模精神",
                       "date": date}, ensure_ascii=False)


# --- dates outside the archive's plausible range are rejected at import, by line --------------

def test_dates_outside_the_plausible_range_are_rejected_with_their_line(tmp_path: Path):
    """Before: 0001-01-01 and 9999-12-31 were imported, and every results page, trend and
    calendar was drawn from year 1 to 9999."""
    later = (dt.date.today() + dt.timedelta(days=800)).isoformat()
    src = tmp_path / "far.jsonl"
    src.write_text("\n".join([_line(1, "0001-01-01"), _line(2, "2022-03-01"),
                              _line(3, "9999-12-31"), _line(4, "1899-12-31"),
                              _line(5, later), _line(6, "1949-10-01")]) + "\n",
                   encoding="utf-8")
    csv_src = tmp_path / "far.csv"
    csv_src.write_text("id,title,body,date\nc1,标题,正文,0001-01-01\nc2,标题二,正文二,2022-03-02\n",
                       encoding="utf-8")
    idx = tmp_path / "idx"
    done = unionsearch("index", str(src), str(csv_src), "--index-dir", str(idx))
    assert done.returncode == 1, done.stderr
    assert "3 added" in done.stdout
    for where in ("far.jsonl, line 1: date 0001-01-01 is outside",
                  "far.jsonl, line 3: date 9999-12-31 is outside",
                  "far.jsonl, line 4: date 1899-12-31 is outside",
                  f"far.jsonl, line 5: date {later} is outside",
                  "far.csv, line 2: date 0001-01-01 is outside"):
        assert where in done.stderr, done.stderr
    stats = json.loads(unionsearch("stats", "--json", "--index-dir", str(idx)).stdout)
    assert (stats["date_from"], stats["date_to"]) == ("1949-10-01", "2022-03-02")

    dry = unionsearch("index", str(src), "--dry-run")
    assert dry.returncode == 1 and "[line 3]: date 9999-12-31 is outside" in dry.stdout


def test_a_page_dated_out_of_range_by_date_is_refused(tmp_path: Path):
    done = unionsearch("index", str(SAMPLE), "--date", "0001-01-01",
                       "--index-dir", str(tmp_path / "idx"))
    assert done.returncode == 2 and "--date: date 0001-01-01 is outside" in done.stderr
    assert not (tmp_path / "idx").exists()
