"""The `advisory-bot` console script."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.app import make_client
from bot.config import ConfigError, Mode, Settings, load_settings
from bot.console import Console
from bot.instance import Instance
from bot.manifest import manifest_yaml
from bot.server import http_server, metrics_server, socket_mode_handler, wsgi_app
from handlers.handover import make_archive
from models import demo
from models.backup import backup
from models.db import Database
from models.errors import UserError
from models.migrate import upgrade
from models.summaries import find_trial
from models.tables import pk
from models.types import utcnow
from scheduler.sweep import process_name, sweep
from ui.formatting import format_datetime

log = logging.getLogger("advisory_bot")

MIN_SWEEP_YEAR, MAX_SWEEP_YEAR = 2000, 2100


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


def db_backup(args: argparse.Namespace) -> int:
    """Copy the database to a file while the bot runs (SQLite's online backup, pg_dump)."""
    settings = load_settings(Mode.OFFLINE)
    database = Database(settings.database_url)
    try:
        print(backup(database, Path(args.file)))
    except UserError as error:
        print(f"advisory-bot: {error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    return 0


def export(args: argparse.Namespace) -> int:
    """Write one trial's archive (the same as `/group handover` makes) to a .zip file,
    without Slack; the trial's records are left as they are."""
    settings = load_settings(Mode.OFFLINE)
    database = _database(settings)
    try:
        with database.session(write=False) as session:
            found = find_trial(session=session, name=args.trial)
        if len(found) != 1:
            names = ", ".join(t.name for t in found[:8])
            print(
                f"advisory-bot: {'no trial is' if not found else 'several trials are'} called "
                f"“{args.trial}”" + (f" ({names})" if names else "") + ".",
                file=sys.stderr,
            )
            return 1
        out = Path(args.out)
        if out.suffix.lower() != ".zip":
            print(
                "advisory-bot: the archive is a .zip file: give --out a name ending .zip.",
                file=sys.stderr,
            )
            return 1
        built = make_archive(database=database, trial_id=pk(found[0]), now=utcnow(), tz=settings.tz)
        out.write_bytes(built.content)
    except (OSError, UserError) as error:
        print(f"advisory-bot: {error}", file=sys.stderr)
        return 1
    finally:
        database.dispose()
    print(f"{out}: {found[0].name}, {len(built.checksums)} files and a README with their SHA-256.")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on PORT. One
    instance; for more, run more (on PostgreSQL): they share PORT on one machine."""
    settings = load_settings(Mode.HTTP)
    if not settings.director_user_ids:
        log.warning("DIRECTOR_USER_IDS is not set: nobody can link channels to trials.")
    _database(settings).dispose()  # the schema brought up to date before serving
    instance = Instance.start(settings, reminders=args.reminders)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        log.info("Received signal %s; stopping.", signum)
        stop.set()

    if settings.socket_mode:
        assert settings.slack_app_token is not None
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        handler = socket_mode_handler(instance.app, settings.slack_app_token)
        scrape = None
        if settings.metrics_port is not None:
            scrape = metrics_server(instance.app, instance.database, port=settings.metrics_port)
            threading.Thread(target=scrape.run, name="metrics", daemon=True).start()
            log.info("Metrics at http://127.0.0.1:%s/metrics", settings.metrics_port)
        handler.connect()
        log.info("advisory-bot is running in Socket Mode.")
        stop.wait()
        handler.close()
        if scrape is not None:
            scrape.close()
    else:
        assert settings.slack_signing_secret is not None  # required in HTTP mode
        server = http_server(
            wsgi_app(
                instance.app,
                instance.database,
                signing_secret=settings.slack_signing_secret,
                metrics_token=settings.metrics_token,
                metrics_port=settings.metrics_port,
            ),
            host=args.host,
            port=settings.port,
            metrics_port=settings.metrics_port,
        )

        def close_server(signum: int, frame: FrameType | None) -> None:
            on_signal(signum, frame)
            # Waitress's own way out (as on Ctrl-C): its loop unwinds, then closes the
            # server once its threads have finished their requests. Closing it from here,
            # in the middle of the loop, now and then left a thread writing to a closed
            # pipe.
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, close_server)
        log.info("advisory-bot is listening on http://%s:%s/slack/events", args.host, settings.port)
        try:
            server.run()
        except (KeyboardInterrupt, OSError):
            # The signal's KeyboardInterrupt, had it come outside waitress's loop.
            if not stop.is_set():
                raise
    instance.stop()  # the replies owed are sent first
    return 0


def _sweep_time(text: str, tz: ZoneInfo) -> datetime:
    """--at as an aware time: a zone-less one in TIMEZONE, and one that exists there."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError as error:
        raise ConfigError(f"--at {text!r} is not an ISO time like 2026-12-14T09:00") from error
    if not MIN_SWEEP_YEAR <= at.year <= MAX_SWEEP_YEAR:
        raise ConfigError(f"--at {text!r} is out of range: give a time between 2000 and 2100.")
    if at.tzinfo is None:
        local = at.replace(tzinfo=tz)
        if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != at:
            raise ConfigError(
                f"--at {text!r} does not exist in {tz.key}: the clocks skip that hour."
            )
        at = local
    return at


def reminders(args: argparse.Namespace) -> int:
    """One reminder sweep as of now or --at; --dry-run only prints what would be sent."""
    settings = load_settings(Mode.OFFLINE if args.dry_run else Mode.SEND)
    now = utcnow()
    if args.at:
        at = _sweep_time(args.at, settings.tz)
        if at > now + timedelta(minutes=1) and not args.dry_run and not args.yes:
            raise ConfigError(
                f"--at {args.at} is in the future: a sweep at that time sends those reminders "
                "now and records them as sent, so they will not go again on the day. Add "
                "--dry-run to see them, or --yes if that is what you want."
            )
        now = at
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


def load_demo(args: argparse.Namespace) -> int:
    """Load the sixteen trials of the Social Sector Trials with fictional demo data."""
    settings = load_settings(Mode.OFFLINE)
    database = _database(settings)
    result = _load_demo(database, settings)
    database.dispose()
    if result.created:
        print(
            f"Loaded {len(result.created)} trials with demo members, tasks, meetings and "
            f"deadlines: {', '.join(result.created)}."
        )
    if result.existing:
        print(f"Already there, left as they were: {len(result.existing)} trials.")
    return 0


def _load_demo(database: Database, settings: Settings) -> demo.DemoResult:
    with database.session() as session:
        return demo.load(session=session, today=datetime.now(settings.tz).date(), tz=settings.tz)


def console(args: argparse.Namespace) -> int:
    """Type slash commands in the terminal against a local database; no Slack needed."""
    settings = load_settings(Mode.OFFLINE)
    database = _database(settings)
    if args.demo:
        _load_demo(database, settings)
    session_console = Console(settings, database, user=demo.DIRECTOR[0], channel="CCONSOLE")
    if args.user:
        user = session_console.user_named(args.user)
        if user is None:
            raise ConfigError(f"--as {args.user}: no such person (try --as director).")
        session_console.user = user
    channel = args.channel or ("#gore-district" if args.demo else None)
    if channel:
        session_console.channel = session_console.channel_named(channel)
    try:
        return session_console.run()
    finally:
        database.dispose()


def print_manifest(args: argparse.Namespace) -> int:
    """Print the Slack app manifest (YAML): Socket Mode, or HTTP with --url."""
    prefix = load_settings(Mode.OFFLINE).command_prefix
    print(manifest_yaml(url=args.url, prefix=prefix), end="")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="advisory-bot",
        description="Slack bot for the local advisory groups of the Social Sector Trials.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser("run", help=run.__doc__)
    run_parser.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on")
    run_parser.add_argument(
        "--no-reminders",
        dest="reminders",
        action="store_false",
        help="only serve Slack's requests; another process sends reminders",
    )
    run_parser.set_defaults(func=run)

    db_parser = commands.add_parser("db", help="database maintenance")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help=db_upgrade.__doc__).set_defaults(func=db_upgrade)
    backup_parser = db_commands.add_parser("backup", help=db_backup.__doc__)
    backup_parser.add_argument("file", help="the backup to write (a new file)")
    backup_parser.set_defaults(func=db_backup)

    reminders_parser = commands.add_parser("reminders", help=reminders.__doc__)
    reminders_parser.add_argument(
        "--at", help="ISO time (no zone: TIMEZONE), e.g. 2026-12-14T09:00"
    )
    reminders_parser.add_argument(
        "--yes",
        action="store_true",
        help="with --at in the future: send those reminders now and record them as sent",
    )
    reminders_parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the reminders that would be sent; send nothing",
    )
    reminders_parser.set_defaults(func=reminders)

    commands.add_parser("demo", help=load_demo.__doc__).set_defaults(func=load_demo)

    export_parser = commands.add_parser("export", help=export.__doc__)
    export_parser.add_argument(
        "--trial", required=True, help='the trial\'s name, e.g. "Gore District"'
    )
    export_parser.add_argument("--out", required=True, help="the .zip file to write")
    export_parser.set_defaults(func=export)

    console_parser = commands.add_parser("console", help=console.__doc__)
    console_parser.add_argument("--as", dest="user", help="who you are (e.g. director, @aroha.gor)")
    console_parser.add_argument("--channel", help="where you are (e.g. #gore-district)")
    console_parser.add_argument("--demo", action="store_true", help="load the demo data first")
    console_parser.set_defaults(func=console)

    manifest_parser = commands.add_parser("manifest", help=print_manifest.__doc__)
    manifest_parser.add_argument(
        "--url",
        help="HTTP mode: the bot's public base URL "
        "(requests go to <url>/slack/events); default: Socket Mode",
    )
    manifest_parser.set_defaults(func=print_manifest)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(Mode.OFFLINE)
        logs.configure(
            log_format=settings.log_format,
            level=settings.log_level,
            quiet=args.command in ("console", "demo", "manifest", "export"),
        )
        return int(args.func(args))
    except ConfigError as error:
        print(f"advisory-bot: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
