"""The `advisory-bot` console script."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import datetime
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app, make_client
from bot.config import ConfigError, Mode, Settings, load_settings
from bot.formatting import format_datetime
from bot.server import http_server, socket_mode_handler
from models.db import Database
from models.migrate import upgrade
from models.types import utcnow
from scheduler.runner import start as start_scheduler
from scheduler.sweep import process_name, sweep

log = logging.getLogger("advisory_bot")


def _database(settings: Settings) -> Database:
    database = Database(settings.database_url)
    try:
        upgrade(database)
    except SQLAlchemyError as error:
        shown = database.url.render_as_string(hide_password=True)
        raise ConfigError(
            f"Can't bring the database at {shown} up to date: {error.__class__.__name__}: "
            f"{str(error).splitlines()[0]}"
        ) from error
    return database


def db_upgrade(_args: argparse.Namespace) -> int:
    """Apply database migrations."""
    settings = load_settings(Mode.OFFLINE)
    _database(settings).dispose()
    print("The database is up to date.")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT."""
    settings = load_settings(Mode.HTTP)
    if not settings.director_user_ids:
        log.warning("DIRECTOR_USER_IDS is not set: nobody can link channels to trials.")
    database = _database(settings)
    app = create_app(settings, database=database)
    scheduler = start_scheduler(database=database, client=app.client, settings=settings)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("Received signal %s; stopping.", signum)
        stop.set()

    if settings.socket_mode:
        assert settings.slack_app_token is not None
        handler = socket_mode_handler(app, settings.slack_app_token)
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        handler.connect()
        log.info("advisory-bot is running in Socket Mode.")
        stop.wait()
        handler.close()
    else:
        server = http_server(app, database, host=args.host, port=settings.port)

        def close_server(signum: int, frame: FrameType | None) -> None:
            on_signal(signum, frame)
            server.close()

        signal.signal(signal.SIGTERM, close_server)
        log.info("advisory-bot is listening on http://%s:%s/slack/events", args.host, settings.port)
        try:
            server.run()
        except (KeyboardInterrupt, OSError):
            # waitress raises OSError from its loop once the server is closed under it.
            if not stop.is_set():
                raise
    scheduler.shutdown(wait=True)
    database.dispose()
    return 0


def reminders(args: argparse.Namespace) -> int:
    """One reminder sweep as of now or --at; --dry-run only prints what would be sent."""
    settings = load_settings(Mode.OFFLINE if args.dry_run else Mode.SEND)
    now = utcnow()
    if args.at:
        try:
            now = datetime.fromisoformat(args.at)
        except ValueError as error:
            raise ConfigError(
                f"--at {args.at!r} is not an ISO time like 2026-12-14T09:00"
            ) from error
        if now.tzinfo is None:
            now = now.replace(tzinfo=settings.tz)
    database = _database(settings)
    client = None if args.dry_run else make_client(settings)
    result = sweep(
        now=now,
        database=database,
        client=client,
        settings=settings,
        me=process_name(),
        dry_run=args.dry_run,
    )
    database.dispose()
    when = format_datetime(now, settings.tz)
    if args.dry_run:
        print(f"Reminders due at {when} ({settings.timezone}); dry run: nothing sent or recorded.")
        if result.lines:
            print(f"{'kind':<11} {'reference':<10} {'recipient':<24} trial")
            print("\n".join(result.lines))
        print(f"{len(result.lines)} would be sent; {result.taken} already sent.")
        return 0
    print(
        f"Reminder sweep at {when}: {result.sent} sent, {result.failed} failed (the next "
        f"sweep retries them), {result.taken} already sent or taken, {result.missed} missed."
    )
    return 1 if result.failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisory-bot",
        description="Slack bot for the local advisory groups of the Social Sector Trials.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser("run", help=run.__doc__)
    run_parser.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    run_parser.set_defaults(func=run)

    db_parser = commands.add_parser("db", help="database maintenance")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help=db_upgrade.__doc__).set_defaults(func=db_upgrade)

    reminders_parser = commands.add_parser("reminders", help=reminders.__doc__)
    reminders_parser.add_argument(
        "--at", help="ISO time (no zone: TIMEZONE), e.g. 2026-12-14T09:00"
    )
    reminders_parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the reminders that would be sent; send nothing",
    )
    reminders_parser.set_defaults(func=reminders)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as error:
        print(f"advisory-bot: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
