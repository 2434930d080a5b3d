"""Commands for editors' accounts and corrections: ``unionsearch user …`` and
``unionsearch corrections``.

A password is typed at a hidden prompt, or read from standard input with
``--password-stdin`` (scripts); it is never an argument (arguments show in ``ps`` and in
shell history) and never printed.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import NoReturn

import click

from .accounts import ROLES, AccountError, Accounts


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def _index_dir(value: str | None) -> str:
    from .cli import resolve_index_dir

    return resolve_index_dir(value)


_index_option = click.option("--index-dir", type=click.Path(file_okay=False), default=None,
                             help="Index folder [default: $UNIONSEARCH_INDEX_DIR or "
                                  "./index_data].")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group("user")
def user_cmd() -> None:
    """Editors' and administrators' accounts (reading needs none)."""


@user_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="editor: corrects articles; admin: also reverts changes, manages accounts.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_index_option
def user_add(name: str, role: str, password_stdin: bool, index_dir: str | None) -> None:
    """Add an account NAME."""
    try:
        with Accounts(_index_dir(index_dir)) as acc:
            if acc.get(name) is not None:
                _fail(f"user {name!r} exists already (unionsearch user passwd {name})")
            acc.add(name, role, _password(password_stdin))
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"added {role} {name}")


@user_cmd.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@_index_option
def user_passwd(name: str, password_stdin: bool, index_dir: str | None) -> None:
    """Set NAME's password (ends NAME's sessions, lifts a lock)."""
    try:
        with Accounts(_index_dir(index_dir)) as acc:
            if acc.get(name) is None:
                _fail(f"no user {name!r}")
            acc.passwd(name, _password(password_stdin))
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"password of {name} changed; {name}'s sessions ended")


@user_cmd.command("remove")
@click.argument("name")
@_index_option
def user_remove(name: str, index_dir: str | None) -> None:
    """Remove NAME's account (its changes stay in the history)."""
    try:
        with Accounts(_index_dir(index_dir)) as acc:
            acc.remove(name)
    except AccountError as exc:
        _fail(str(exc))
    click.echo(f"removed {name}")


@user_cmd.command("list")
@_index_option
def user_list(index_dir: str | None) -> None:
    """The accounts, their roles, whether they have an API token or are locked."""
    with Accounts(_index_dir(index_dir)) as acc:
        for u in acc.users():
            flags = (" token" if u["token"] else "") + (" locked" if u["locked"] else "")
            click.echo(f"{u['name']}\t{u['role']}{flags}")


@user_cmd.command("token")
@click.argument("name")
@_index_option
def user_token(name: str, index_dir: str | None) -> None:
    """Print a new API token for NAME (the old one stops working); send it as
    ``Authorization: Bearer TOKEN``."""
    try:
        with Accounts(_index_dir(index_dir)) as acc:
            click.echo(acc.new_token(name))
    except AccountError as exc:
        _fail(str(exc))


@click.command("corrections")
@click.option("--conflicts", "show_conflicts", is_flag=True,
              help="List corrections whose source changed at a re-import.")
@click.option("--all", "show_all", is_flag=True, help="With --conflicts: closed ones too.")
@_index_option
def corrections_cmd(show_conflicts: bool, show_all: bool, index_dir: str | None) -> None:
    """The editors' changes, newest first (or the re-import conflicts)."""
    from indexer.corrections import Corrections, has_store
    from indexer.editing import recover
    from search.storage.folder import IndexUnusable

    target = _index_dir(index_dir)
    try:
        recover(target, wait=60.0)  # a correction killed before its commit is finished first
    except IndexUnusable as exc:
        _fail(str(exc))
    if not has_store(target):
        click.echo("no corrections")
        return
    with Corrections(target, read_only=True) as store:
        if show_conflicts:
            found = store.conflicts(open_only=not show_all)
            for c in found:
                click.echo(f"{_when(c['at'])}  {c['source']}  {c['origin'] or '-'}  source now: "
                           f"{c['found']['title']}  corrected: "
                           f"{' / '.join(a['title'] for a in c['corrected']) or '(hidden)'}"
                           + ("" if c["open"] else f"  [closed by {c['closed_by']}]"))
            click.echo(f"{len(found)} conflict{'s' if len(found) != 1 else ''}")
            return
        for e in store.history(limit=1000):
            state = "" if e["applied"] else "  [not applied]"
            undone = f"  [reverted by {e['reverted_by']}]" if e["reverted_by"] else ""
            click.echo(f"{e['n']}  {_when(e['at'])}  {e['user']}  {e['action']}  "
                       f"{e['article']}  {e['summary']}{state}{undone}")


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


COMMANDS = (user_cmd, corrections_cmd)
