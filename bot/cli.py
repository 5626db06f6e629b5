"""The `advisory-bot` console script."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType

from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app
from bot.config import ConfigError, Mode, Settings, load_settings
from bot.server import http_server, socket_mode_handler
from models.db import Database
from models.migrate import upgrade

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
    database.dispose()
    return 0


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
