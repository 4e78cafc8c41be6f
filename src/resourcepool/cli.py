"""The `resourcepool` command: serve, migrate, demo, admin …"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any, Awaitable, Callable

from resourcepool.settings import get_settings

log = logging.getLogger("resourcepool")


class CommandError(Exception):
    """An error in the command's arguments or request: one line on stderr, exit 2."""


async def with_database(work: Callable[[], Awaitable[Any]]) -> Any:
    """Open the database (embedded or URL), run `work`, close it again."""
    from resourcepool.db.lifecycle import close_database, open_database

    await open_database(get_settings(), min_size=1, max_size=4)
    try:
        return await work()
    finally:
        await close_database()


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from resourcepool.app import create_app

    settings = get_settings()
    # Check the database before binding the port, so a bad URL is one clear line.
    from resourcepool.db.migrate import run_migrations

    asyncio.run(with_database(run_migrations))
    uvicorn.run(
        create_app(settings, background=not getattr(args, "no_background", False)),
        host=args.host,
        port=args.port,
        log_level="info",
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    """Run the background loops (mail, sweepers, periodic jobs) without serving pages."""
    from resourcepool.db.migrate import run_migrations
    from resourcepool.worker import run_worker

    async def work() -> None:
        await run_migrations()
        await run_worker()

    asyncio.run(with_database(work))


def cmd_migrate(args: argparse.Namespace) -> None:
    from resourcepool.db.migrate import run_migrations

    message = asyncio.run(with_database(lambda: run_migrations(quiet=True)))
    print(f"resourcepool: {message}")


def cmd_demo(args: argparse.Namespace) -> None:
    from resourcepool.db.migrate import run_migrations
    from resourcepool.demo import load_demo

    async def prepare() -> list[tuple[str, str, str]]:
        await run_migrations()
        return await load_demo()

    logins = asyncio.run(with_database(prepare))
    url = f"http://{args.host}:{args.port}"
    print(f"\nresourcepool demo: {url}\n")
    if logins:
        print("Demo logins (the same password for all; also listed in the README):")
        for email, password, what in logins:
            print(f"  {email:<38} {password:<20} {what}")
    print()
    cmd_serve(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="resourcepool", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    for name, func, helptext in (
        ("serve", cmd_serve, "run the web app"),
        ("demo", cmd_demo, "migrate, load the demo network if empty, and serve"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-* headers")
        p.add_argument("--forwarded-allow-ips", default="127.0.0.1")
        p.set_defaults(func=func)
        if name == "serve":
            p.add_argument("--no-background", action="store_true",
                           help="leave mail, sweepers and periodic jobs to `resourcepool worker`")

    p = sub.add_parser("worker", help="run the background loops (mail, sweepers, periodic jobs)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("admin", help="administration").add_subparsers(dest="admin_command", required=True)
    from resourcepool import admin_commands

    admin_commands.register(admin)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except CommandError as exc:
        print(f"resourcepool: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
