"""A crafted index or backup runs nothing: a table of contents is read only once its
checksum footer holds, pickles are read through a restricted unpickler (search/storage/store.py)
and backups are authenticated (indexer/backup.py).

Each payload is a table of contents whose pickle would create a file, by ``os.system``,
``subprocess``, ``builtins.open`` or ``eval``, with its checksum footer made again as an
attacker who knows the format would; every command that could open it must refuse it as
damaged or untrusted, exit 2, and the file must not exist afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import crc32c
import pytest
from whoosh.filedb.filestore import FileStorage  # the attacker's tool, not the project's
from whoosh.index import TOC

from search.engine import Engine
from search.storage import store
from search.storage.folder import IndexUnusable

from .helpers import SAMPLE, unionsearch


class Payload:
    """Pickles as a call of ``fn(*args)``: what a crafted pickle does on load."""

    def __init__(self, fn, args):  # noqa: ANN001
        self.fn, self.args = fn, args

    def __reduce__(self):  # noqa: ANN204
        return self.fn, self.args


def payloads(marker: Path) -> dict[str, Payload]:
    return {
        "os.system": Payload(os.system, (f"touch {marker}",)),
        "subprocess": Payload(subprocess.call, (["touch", str(marker)],)),
        "builtins.open": Payload(open, (str(marker), "w")),
        "eval": Payload(eval, (f"open({str(marker)!r}, 'w')",)),
    }


def plant(folder: Path, payload: Payload, footer: bool = True) -> str:
    """A newer generation's TOC in ``folder`` whose segment list is ``payload``, with a
    checksum footer that holds (``footer``) or none."""
    gen = max(int(p.name.split("_")[-1].split(".")[0]) for p in folder.glob("_articles_*.toc"))
    TOC(store.build_schema(), [payload], gen + 1).write(
        FileStorage(str(folder)), store.INDEX_NAME)
    toc = folder / store.toc_name(gen + 1)
    if footer:
        body = toc.read_bytes()
        toc.write_bytes(body + struct.pack(">8sQI", store.TOC_MAGIC, len(body),
                                           crc32c.crc32c(body)))
    return toc.name


@pytest.fixture(scope="module")
def sample_idx(tmp_path_factory) -> Path:
    idx = tmp_path_factory.mktemp("untrusted") / "idx"
    assert unionsearch("index", str(SAMPLE), "--index-dir", str(idx)).returncode == 0
    return idx


def refused(done: subprocess.CompletedProcess) -> bool:
    text = (done.stdout + done.stderr).lower()
    return done.returncode == 2 and ("damaged" in text or "untrusted" in text)


@pytest.mark.parametrize("kind", ["os.system", "subprocess", "builtins.open", "eval"])
def test_a_crafted_index_is_refused_and_runs_nothing(sample_idx, tmp_path, kind) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "crafted"
    shutil.copytree(sample_idx, folder)
    plant(folder, payloads(marker)[kind])
    for args in (["check"], ["check", "--quick"], ["search", "工匠精神"],
                 ["restore", str(folder), "--index-dir", str(tmp_path / "target")]):
        where = [] if args[0] == "restore" else ["--index-dir", str(folder)]
        done = unionsearch(*args, *where)
        assert refused(done), (args, done.stdout, done.stderr)
        assert not marker.exists(), args
    assert "untrusted" in unionsearch("check", "--index-dir", str(folder)).stderr
    with pytest.raises(IndexUnusable, match="untrusted"):
        Engine(str(folder))
    assert not marker.exists()
    assert not (tmp_path / "target").exists() or not any((tmp_path / "target").iterdir())


def test_a_table_of_contents_without_its_checksum_is_not_parsed(sample_idx, tmp_path) -> None:
    """The payload planted with no footer, or with a footer that does not hold: refused by
    the checksum, before the unpickler sees a byte."""
    marker = tmp_path / "ran"
    for how in ("none", "wrong"):
        folder = tmp_path / how
        shutil.copytree(sample_idx, folder)
        toc = folder / plant(folder, payloads(marker)["builtins.open"], footer=how == "wrong")
        if how == "wrong":
            data = bytearray(toc.read_bytes())
            data[-1] ^= 1
            toc.write_bytes(bytes(data))
        with pytest.raises(IndexUnusable, match=f"{toc.name}.*(checksum|footer)"):
            Engine(str(folder))
        done = unionsearch("check", "--quick", "--index-dir", str(folder))
        assert refused(done) and toc.name in done.stderr, done.stderr
        assert not marker.exists()


def test_a_crafted_backup_is_refused_before_anything_is_read(sample_idx, tmp_path) -> None:
    """A payload added to a backup, with its manifest kept, removed, or forged to list the
    payload (its SHA-256 recomputed): ``check`` and ``restore`` refuse, nothing runs."""
    marker = tmp_path / "ran"
    good = tmp_path / "good"
    assert unionsearch("backup", str(good), "--index-dir", str(sample_idx)).returncode == 0
    manifest = json.loads((good / "unionsearch-backup.json").read_text(encoding="utf-8"))
    assert len(manifest["hmac_sha256"]) == 64

    def crafted(name: str, how: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(good, folder)
        toc = plant(folder, payloads(marker)["os.system"])
        man = folder / "unionsearch-backup.json"
        if how == "removed":
            man.unlink()
        elif how == "forged":
            data = (folder / toc).read_bytes()
            import hashlib

            forged = dict(manifest, generation=manifest["generation"] + 1)
            forged["files"] = {**manifest["files"], toc: {
                "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}
            man.write_text(json.dumps(forged), encoding="utf-8")
        return folder

    for how in ("kept", "removed", "forged"):
        folder = crafted(how, how)
        for args in (["check", "--index-dir", str(folder)],
                     ["check", "--quick", "--index-dir", str(folder)],
                     ["restore", str(folder), "--index-dir", str(tmp_path / f"t-{how}")]):
            done = unionsearch(*args)
            assert done.returncode == 2, (how, args, done.stdout, done.stderr)
            assert not marker.exists(), (how, args)
        if how == "forged":
            assert "forged" in unionsearch("check", "--index-dir", str(folder)).stderr
    # The genuine backup is still trusted and restores.
    done = unionsearch("restore", str(good), "--index-dir", str(tmp_path / "restored"))
    assert done.returncode == 0, done.stderr


def test_a_backup_needs_the_installations_key(sample_idx, tmp_path) -> None:
    good = tmp_path / "good"
    assert unionsearch("backup", str(good), "--index-dir", str(sample_idx)).returncode == 0
    key = Path(os.environ["UNIONSEARCH_KEY_FILE"])
    assert key.stat().st_mode & 0o777 == 0o600
    other = {"UNIONSEARCH_KEY_FILE": str(tmp_path / "elsewhere.key")}
    done = unionsearch("restore", str(good), "--index-dir", str(tmp_path / "t"), env=other)
    assert done.returncode == 2 and "no backup key" in done.stderr
    (tmp_path / "elsewhere.key").write_bytes(os.urandom(32))  # another installation's key
    done = unionsearch("check", "--index-dir", str(good), env=other)
    assert done.returncode == 2 and "forged" in done.stderr
    shutil.copy(key, tmp_path / "elsewhere.key")  # the key copied, as docs/operations.md says
    done = unionsearch("restore", str(good), "--index-dir", str(tmp_path / "t"), env=other)
    assert done.returncode == 0, done.stderr


def test_backup_refuses_a_folder_inside_the_index_and_a_damaged_index(sample_idx,
                                                                      tmp_path) -> None:
    done = unionsearch("backup", str(sample_idx / "bk-today"), "--index-dir", str(sample_idx))
    assert done.returncode == 2 and "inside the index" in done.stderr
    assert not (sample_idx / "bk-today").exists()
    damaged = tmp_path / "damaged"
    shutil.copytree(sample_idx, damaged)
    usx = next(damaged.glob("*.usx"))  # cut short, as a full disk leaves it
    usx.write_bytes(usx.read_bytes()[: usx.stat().st_size // 2])
    done = unionsearch("backup", str(tmp_path / "bk"), "--index-dir", str(damaged))
    assert done.returncode == 2 and "damaged" in done.stderr, done.stderr
    assert not (tmp_path / "bk").exists()
    assert not list(tmp_path.glob("bk.partial-*"))


def test_only_what_an_index_holds_is_unpickled() -> None:
    import pickle

    assert store.restricted_loads(pickle.dumps({"id": "a", "n": 3, "b": b"x"}, 2)) == {
        "id": "a", "n": 3, "b": b"x"}
    for obj in (Payload(os.system, ("true",)), Payload(eval, ("1",)), Payload(getattr, (
            Payload(__import__, ("os",)), "system"))):
        with pytest.raises(store.UntrustedData):
            store.restricted_loads(pickle.dumps(obj))
    with pytest.raises(store.UntrustedData):  # _codecs.encode for Latin-1 only
        store.restricted_loads(pickle.dumps(Payload(__import__("_codecs").encode,
                                                         ("x", "rot13"))))
