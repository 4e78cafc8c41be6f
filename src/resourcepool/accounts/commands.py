"""`resourcepool admin set-password`: set a user's password from the command line."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from resourcepool.cli import CommandError, with_database
from resourcepool.errors import DomainError


def _read_password(args: argparse.Namespace) -> str:
    if args.password is not None:
        return args.password
    if sys.stdin.isatty():
        first = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != first:
            raise CommandError("the two passwords differ")
        return first
    # Scripts pipe it in, so it never shows in the process list or shell history.
    return sys.stdin.readline().rstrip("\r\n")


def cmd_set_password(args: argparse.Namespace) -> None:
    from resourcepool.accounts.passwords import validate_password

    password = _read_password(args)
    try:
        validate_password(password)
    except DomainError as exc:
        raise CommandError(str(exc)) from None
    # Imported late: loading the engine is not needed to refuse a bad password.
    from resourcepool.accounts.service import find_user_by_email, set_password
    from resourcepool.db.engine import DB

    async def work() -> None:
        user = await find_user_by_email(args.email)
        if user is None:
            raise CommandError(f"no user with the email address {args.email!r}")
        async with DB.transaction():
            await set_password(user.id, password)

    asyncio.run(with_database(work))
    print(f"resourcepool: password set for {args.email}; their sessions have ended")


def register(admin: argparse._SubParsersAction) -> None:
    p = admin.add_parser(
        "set-password",
        help="set a user's password (ends their sessions)",
        description="Without --password it is asked for, or read from standard input when piped.",
    )
    p.add_argument("--email", required=True)
    p.add_argument("--password", help="the new password (visible in the process list; prefer a pipe)")
    p.set_defaults(func=cmd_set_password)
