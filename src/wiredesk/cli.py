"""The `wiredesk` command: one entry point for the demo, live mode, and source management.

Each subcommand is a small function; the heavy lifting is in services and the pipeline, which
the admin and the workers share.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

DEMO_ENV = {
    # The demo world lives on 127.0.0.1, which the outbound client refuses unless told otherwise.
    "WIREDESK_HTTP_ALLOW_PRIVATE": "127.0.0.0/8",
    # The demo outlets are ours and local: pace requests lightly so ingest takes seconds.
    "WIREDESK_HOST_DELAY": "0.02",
    "WIREDESK_WORKERS": "3",
}


def _setup(extra_env: dict[str, str] | None = None) -> None:
    """Configure Django; `extra_env` gives defaults that the user's environment still overrides."""
    for key, value in (extra_env or {}).items():
        os.environ.setdefault(key, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wiredesk.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_demo(args: argparse.Namespace) -> int:
    _setup(DEMO_ENV)
    from wiredesk.demo.runner import run_demo

    _migrate()
    return run_demo(host=args.host, port=args.port, ingest_only=args.ingest_only)


def cmd_run(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.models import Source
    from wiredesk.sources.services import import_opml_file
    from wiredesk.web.runner import serve_with_workers
    from wiredesk.web.static_files import collect_if_changed

    _migrate()
    collect_if_changed()  # before the web processes start: WhiteNoise reads the folder once
    if not Source.objects.exists() and not args.no_starter:
        starter = Path(__file__).parent / "sources" / "starter.opml"
        added, _ = import_opml_file(starter)
        print(f"Loaded {added} starter sources from {starter} (edit with `wiredesk sources`, the admin, or OPML).")
    if args.web_processes is not None and args.web_processes < 1:
        print("error: --web-processes must be 1 or more", file=sys.stderr)
        return 2
    return serve_with_workers(args.host, args.port, web_processes=args.web_processes)


def cmd_add_source(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.fetchers import build_fetchers
    from wiredesk.sources.services import SourceError, add_source

    _migrate()
    fetchers = build_fetchers()
    try:
        source = add_source(args.url, fetchers, outlet_name=args.name or "", interval=args.interval)
    except SourceError as error:
        print(f"error: {error.code}: {error.message}", file=sys.stderr)
        return 2
    finally:
        fetchers.client.close()
    print(f"Source {source.pk}: {source.feed_url} ({source.outlet.name})")
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.services import SourceError, import_opml_file

    _migrate()
    try:
        added, present = import_opml_file(Path(args.file), interval=args.interval)
    except (OSError, SourceError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Added {added} sources; {present} were already present.")
    return 0


def cmd_export_opml(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.services import export_opml

    text = export_opml()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.models import Source
    from wiredesk.sources.reporting import source_rows
    from wiredesk.sources.services import enable_source

    _migrate()
    if args.enable is not None:
        try:
            source = enable_source(args.enable)
        except Source.DoesNotExist:
            print(f"error: no source with id {args.enable}", file=sys.stderr)
            return 2
        print(f"Source {source.pk} ({source.feed_url}) is on again and will be checked now.")
        return 0
    rows = source_rows()
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No sources yet. Add one with `wiredesk add-source URL`.")
        return 0
    for row in rows:
        error = f"\n     error {row['last_error_code']}: {row['last_error_message']}" if row["last_error_code"] else ""
        off = (f"\n     turned off: {row['disabled_reason']} (turn on again: wiredesk sources --enable {row['id']})"
               if row["disabled_reason"] and not row["enabled"] else "")
        share = "-" if row["not_modified_share"] is None else f"{100 * row['not_modified_share']:.0f}%"
        print(f"[{row['id']}] {row['outlet']} — {row['feed_url']}\n"
              f"     status {row['status']}; last success {row['last_success_at'] or 'never'}; "
              f"next check {row['next_check_at']} (every {row['check_interval']} s"
              f"{', fixed' if row['interval_fixed'] else ''}); articles {row['articles']}\n"
              f"     {row['items_per_day']} items a day this week; 304 answers {share} of {row['checks']} checks; "
              f"{row['consecutive_failures']} failures in a row{error}{off}")
    return 0


def cmd_poll(args: argparse.Namespace) -> int:
    _setup()
    from wiredesk.sources.polling import poll_forever, poll_once

    _migrate()
    if args.once:
        reports = poll_once(progress=not args.quiet)
        failed = sum(1 for r in reports if r.status == "error")
        print(f"Checked {len(reports)} sources: {sum(r.new_articles for r in reports)} new articles, "
              f"{sum(r.pages_ok for r in reports)} pages extracted, {failed} sources with errors.")
        return 0
    return poll_forever()


def cmd_extract(args: argparse.Namespace) -> int:
    from wiredesk.core.errors import WiredeskError
    from wiredesk.ingest.extract import extract_article

    target = args.file_or_url
    try:
        if target.startswith(("http://", "https://")):
            _setup()
            from wiredesk.sources.fetchers import build_fetchers

            fetchers = build_fetchers()
            result = fetchers.client.fetch(target, accept="text/html,*/*;q=0.5")
            page, url = result.content, args.url or result.url
        else:
            page, url = Path(target).read_bytes(), args.url or ""
        article = extract_article(page, url)
    except (OSError, WiredeskError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(article.as_json(), indent=2, ensure_ascii=False))
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Runs on a fresh temporary database unless --data-dir names one to keep."""
    import shutil
    import tempfile

    workdir = args.data_dir or tempfile.mkdtemp(prefix="wiredesk-analyze-")
    os.environ["WIREDESK_DATA_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    # A stopped run (SIGTERM, as `kill` and job runners send) unwinds like Ctrl-C, so the temporary
    # database is removed instead of left behind; only SIGKILL cannot be cleaned up after.
    # The handler also sets an event the analysis checks between articles: SystemExit raised while a
    # finalizer runs is swallowed, and the run must stop (and report 143) all the same.
    stop = threading.Event()

    def request_stop(signum: int, frame: object) -> None:
        stop.set()
        sys.exit(128 + signum)

    previous = signal.signal(signal.SIGTERM, request_stop)
    try:
        code = _analyze(args, stop)
    finally:
        signal.signal(signal.SIGTERM, previous)
        if not args.data_dir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 128 + signal.SIGTERM if stop.is_set() else code


def _analyze(args: argparse.Namespace, stop: threading.Event) -> int:
    _setup()
    from wiredesk.stories.analyze import InputError, analyze, read_input, write_results

    try:
        with open(args.input, encoding="utf-8") as handle:
            items = read_input(handle)
    except (OSError, InputError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    _migrate()
    from wiredesk.stories import model as placement_model
    from wiredesk.stories.teacher import Teacher

    try:
        model = None if args.train_features else placement_model.load(args.model)
    except placement_model.ModelError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    teacher = Teacher() if args.train_features else None
    timings: list[tuple[float, float]] | None = [] if args.timings else None
    rows = analyze(items, progress=not args.quiet, timings=timings, model=model, teacher=teacher, stop=stop)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            count = write_results(rows, out)
        print(f"Wrote {count} results to {args.output}", file=sys.stderr)
    else:
        write_results(rows, sys.stdout)
    if args.timings:
        Path(args.timings).write_text(json.dumps(timings))
    if teacher is not None:
        with open(args.train_features, "w", encoding="utf-8") as out:
            out.writelines(json.dumps(row, sort_keys=True) + "\n" for row in teacher.rows)
    return 0


PASSTHROUGH = {"migrate": "create or update the database tables",
               "collectstatic": "collect static files with hashed names into WIREDESK_DATA_DIR/static (for gunicorn; "
                                "`wiredesk run` does it itself)",
               "createsuperuser": "create an administrator account (Django's options, e.g. --noinput)"}


def _passthrough(command: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["wiredesk", command, *args.rest])
        return 0

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wiredesk", description="A self-hosted news wire desk.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="serve the offline demo world, ingest it and publish the site")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="site port; demo outlets use the next 9 ports")
    p.add_argument("--ingest-only", action="store_true", help="ingest the demo world once, then exit")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("run", help="live mode: web server and in-process worker")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-starter", action="store_true", help="do not load the starter OPML on first start")
    p.add_argument("--web-processes", type=int, default=None, metavar="N",
                   help="web processes (default WIREDESK_WEB_PROCESSES: one per core, at most 4)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("add-source", help="add a feed, or the feed a homepage announces")
    p.add_argument("url")
    p.add_argument("--name", help="outlet name (default: the feed's title)")
    p.add_argument("--interval", type=int, help="seconds between checks, fixed (without it the interval follows the feed's publishing rate)")
    p.set_defaults(func=cmd_add_source)

    p = sub.add_parser("import-opml", help="add every feed in an OPML file")
    p.add_argument("file")
    p.add_argument("--interval", type=int, help="seconds between checks for the new sources, fixed (default: adapt to each feed)")
    p.set_defaults(func=cmd_import_opml)

    p = sub.add_parser("export-opml", help="write all sources as OPML")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.set_defaults(func=cmd_export_opml)

    p = sub.add_parser("sources", help="list sources with their status, health, errors and next check")
    p.add_argument("--enable", type=int, metavar="ID", help="turn source ID on again (clears its failures)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_sources)

    p = sub.add_parser("poll", help="poll due sources (until stopped, or once with --once)")
    p.add_argument("--once", action="store_true", help="poll every due source once, then exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_poll)

    p = sub.add_parser("extract", help="extract one article page and print it as JSON")
    p.add_argument("file_or_url")
    p.add_argument("--url", help="the page's URL, to resolve links and metadata of a saved file")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("analyze", help="find copies, spun copies and stories in a JSON Lines corpus",
                       description="Find copies, spun copies and stories in a JSON Lines corpus. Each line: "
                       "id, text, and optional title, url, publisher, timestamp. An item without a title "
                       "takes the first sentence of its text as its headline (a leading date or time stamp "
                       "line is passed over); an item with a title and "
                       "no text is a headline-only item. Items are placed in timestamp order; a story of "
                       "headlines that goes quiet for an hour of the input's time is judged once more (two events? "
                       "part of another story?), as the live story stage does, and so is every story when "
                       "the input ends.")
    p.add_argument("input", help="JSON Lines: id, text, and optional title, url, publisher, timestamp")
    p.add_argument("-o", "--output", help="JSON Lines results (default: standard output)")
    p.add_argument("--data-dir", help="keep the analysis database in this folder (default: a temporary one)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--timings", help="write [seconds to store and place, seconds to place] for each article, "
                   "in processing order, as JSON")
    p.add_argument("--model", help="placement model file (default: the shipped one)")
    p.add_argument("--train-features", metavar="OUT",
                   help="training run (benchmarks/train_stories.py): place each item in its gold 'story' and "
                   "write the features of every candidate story to OUT as JSON Lines")
    p.set_defaults(func=cmd_analyze)

    for name, text in PASSTHROUGH.items():
        p = sub.add_parser(name, help=text, add_help=False)
        p.add_argument("rest", nargs=argparse.REMAINDER)
        p.set_defaults(func=_passthrough(name))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PASSTHROUGH:
        # Django's own options go through untouched: argparse's REMAINDER refuses a first argument
        # that looks like an option ("createsuperuser --noinput" for an unattended install).
        args = argparse.Namespace(func=_passthrough(argv[0]), rest=argv[1:])
    else:
        args = build_parser().parse_args(argv)
    from wiredesk.config import ConfigError

    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
