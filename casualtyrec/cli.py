"""The ``casualtyrec`` command: reconcile, extract and resolve from the shell.

Subcommands (``casualtyrec COMMAND --help`` for each)::

    casualtyrec demo                                    the bundled sample's timeline
    casualtyrec reconcile IN [-o OUT] [--assume-tz TZ] [--strict] [--claims-out PATH]
    casualtyrec extract FILE... --reported-at T [--source S] [--assume-tz TZ] [-o OUT]
    casualtyrec resolve NAME... [--country CC] [-o OUT]

Tables are read and written as CSV, Parquet or JSON Lines, chosen by the file's extension
(``.csv``, ``.parquet``, ``.jsonl``; see :mod:`casualtyrec.io`). ``-`` is standard input or
output, and is the default output; ``--format`` gives its format (default CSV) and that of a
file whose extension says nothing.

Exit codes: 0 success; 1 rejected claims present and ``--strict`` given (the output is still
written); 2 the command could not run (usage error, missing column or other schema error,
unreadable input). Errors are one line on standard error, ``casualtyrec: error: ...``; add
``--debug`` for the traceback. With more than 100,000 input rows and standard error on a
terminal, ``reconcile`` shows its progress stage by stage on standard error.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import pandas as pd

    from casualtyrec.io import Format

__all__ = ["EXIT_ERROR", "EXIT_OK", "EXIT_REJECTED", "PROGRESS_THRESHOLD", "main"]

#: Success.
EXIT_OK: Final = 0
#: ``--strict`` and at least one claim was rejected.
EXIT_REJECTED: Final = 1
#: Usage, schema or input error: nothing useful was written.
EXIT_ERROR: Final = 2
#: Inputs with more rows than this show progress on a terminal.
PROGRESS_THRESHOLD: Final = 100_000

_EPILOG: Final = """\
Tables: CSV, Parquet or JSON Lines by extension (.csv, .parquet, .jsonl); '-' is standard
input/output, in --format (default csv).
exit codes: 0 ok; 1 rejected claims present with --strict; 2 usage, schema or input error.
"""


class _Progress:
    """Stage-by-stage progress on a terminal: ``[####----] 2/3 reconciling 250,000 claims``."""

    def __init__(self, stream: IO[str], stages: int) -> None:
        self._stream = stream
        self._stages = stages
        self._step = 0
        self._started = time.perf_counter()
        self.enabled = False

    def enable_for(self, rows: int) -> None:
        isatty = getattr(self._stream, "isatty", None)
        self.enabled = rows > PROGRESS_THRESHOLD and bool(isatty and isatty())

    def stage(self, message: str) -> None:
        self._step += 1
        self._show(message)

    def done(self, message: str) -> None:
        if self.enabled:
            self._step = self._stages
            self._show(message)
            self._stream.write("\n")
            self._stream.flush()

    def _show(self, message: str) -> None:
        if not self.enabled:
            return
        width = 20
        filled = width * min(self._step, self._stages) // self._stages
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.perf_counter() - self._started
        line = f"casualtyrec: [{bar}] {self._step}/{self._stages} {message} ({elapsed:.1f} s)"
        self._stream.write(f"\r{line:<100}")
        self._stream.flush()


def _format(path: str, given: Format | None) -> Format:
    """Return the format of `path`: ``--format`` for ``-`` (default CSV), else its extension."""
    from casualtyrec.errors import SchemaError  # noqa: PLC0415 - keep --help fast
    from casualtyrec.io import format_of  # noqa: PLC0415

    if path == "-":
        return given or "csv"
    try:
        return format_of(path)
    except SchemaError:
        if given is None:
            raise SchemaError(
                f"cannot tell the format of {path!r} from its extension; name it .csv, "
                ".parquet or .jsonl, or pass --format"
            ) from None
        return given


def _rejections(claims: pd.DataFrame) -> tuple[int, str | None]:
    import pandas as pd  # noqa: PLC0415

    if "status" not in claims.columns:
        return 0, None
    rejected = claims.loc[(claims["status"].astype("string") == "rejected").fillna(value=False)]
    if rejected.empty:
        return 0, None
    first = rejected["reason"].iloc[0] if "reason" in rejected.columns else None
    return len(rejected), None if first is None or pd.isna(first) else str(first)


def _demo(_: argparse.Namespace) -> int:
    from casualtyrec.io import load_sample  # noqa: PLC0415
    from casualtyrec.output import format_timeline  # noqa: PLC0415
    from casualtyrec.reconcile import reconcile  # noqa: PLC0415

    print(format_timeline(reconcile(load_sample()).timeline))
    return EXIT_OK


def _reconcile(args: argparse.Namespace) -> int:
    from casualtyrec.io import read_claims, write_frame, write_timeline  # noqa: PLC0415
    from casualtyrec.reconcile import reconcile  # noqa: PLC0415

    progress = _Progress(sys.stderr, stages=3)
    claims = read_claims(args.input, format=_format(args.input, args.format))
    progress.enable_for(len(claims))
    progress.stage(f"read {len(claims):,} claims; reconciling")
    options = {} if args.assume_tz is None else {"assume_tz": args.assume_tz}
    result = reconcile(claims, **options)
    progress.stage(f"writing {len(result.timeline):,} timeline rows")
    write_timeline(result, args.output, format=_format(args.output, args.format))
    if args.claims_out is not None:
        write_frame(result.claims, args.claims_out, format=_format(args.claims_out, args.format))
    progress.done(f"done: {len(claims):,} claims -> {len(result.timeline):,} rows")
    rejected, first = _rejections(result.claims)
    if rejected:
        label = "error" if args.strict else "warning"
        detail = f"; first: {first}" if first else ""
        print(
            f"casualtyrec: {label}: {rejected:,} of {len(result.claims):,} claims rejected{detail}",
            file=sys.stderr,
        )
    return EXIT_REJECTED if rejected and args.strict else EXIT_OK


def _extract(args: argparse.Namespace) -> int:
    import pandas as pd  # noqa: PLC0415

    from casualtyrec._types import STRING  # noqa: PLC0415
    from casualtyrec.extract import extract_many  # noqa: PLC0415
    from casualtyrec.io import write_frame  # noqa: PLC0415

    texts, files = [], []
    for name in args.files:
        if name == "-":
            texts.append(sys.stdin.read())
            files.append("-")
        else:
            texts.append(Path(name).read_text(encoding="utf-8"))
            files.append(Path(name).name)
    sources = [
        args.source if args.source is not None else (Path(f).stem if f != "-" else "stdin")
        for f in files
    ]
    documents = pd.DataFrame(
        {
            "text": pd.Series(texts, dtype=STRING),
            "source": pd.Series(sources, dtype=STRING),
            "reported_at": pd.Series([args.reported_at] * len(texts), dtype=STRING),
        }
    )
    claims = extract_many(documents, assume_tz=args.assume_tz)
    file_names = pd.Series(files, dtype=STRING)
    position = claims["document"].astype("Int64").to_numpy(dtype="int64")
    where = list(claims.columns).index("document") + 1
    claims.insert(where, "file", file_names.iloc[position].reset_index(drop=True))
    write_frame(claims, args.output, format=_format(args.output, args.format))
    return EXIT_OK


def _resolve(args: argparse.Namespace) -> int:
    import pandas as pd  # noqa: PLC0415

    from casualtyrec._types import STRING  # noqa: PLC0415
    from casualtyrec.io import write_frame  # noqa: PLC0415
    from casualtyrec.places import resolve_places  # noqa: PLC0415

    names = pd.Series(args.names, dtype=STRING, name="name")
    places = resolve_places(names, country=args.country)
    out = pd.concat([names.reset_index(drop=True), places.reset_index(drop=True)], axis=1)
    write_frame(out, args.output, format=_format(args.output, args.format))
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="casualtyrec",
        description="Reconcile conflicting casualty reports into one explainable timeline.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(
        name: str, run: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=text,
            description=text,
            parents=[common],
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        return sub

    def output_options(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument(
            "-o", "--output", default="-", metavar="OUT", help=f"{what} (default: - stdout)"
        )
        sub.add_argument(
            "--format",
            choices=("csv", "parquet", "jsonl"),
            default=None,
            help="format of '-' (stdin/stdout) and of files without a known extension "
            "(default: csv)",
        )

    add("demo", _demo, "print the bundled sample's reconciled timeline")

    rec = add("reconcile", _reconcile, "reconcile a claims table into a timeline")
    rec.add_argument("input", metavar="IN", help="claims table (.csv, .parquet, .jsonl or -)")
    output_options(rec, "timeline to write")
    rec.add_argument(
        "--assume-tz",
        metavar="TZ",
        default=None,
        help="time zone of naive timestamps, such as UTC or Europe/Kyiv",
    )
    rec.add_argument("--strict", action="store_true", help="exit with 1 if any claim is rejected")
    rec.add_argument(
        "--claims-out",
        metavar="PATH",
        default=None,
        help="also write every claim with its status and rejection reason",
    )

    ext = add("extract", _extract, "extract claims from articles (text files)")
    ext.add_argument("files", metavar="FILE", nargs="+", help="text files (- for stdin)")
    output_options(ext, "claims table to write")
    ext.add_argument(
        "--source",
        default=None,
        help="source of figures the text does not attribute (default: the file name)",
    )
    ext.add_argument(
        "--reported-at",
        metavar="T",
        required=True,
        help="when the texts were published: 2023-12-31T12:30:00+02:00 (relative dates such "
        "as 'last night' are read against it)",
    )
    ext.add_argument(
        "--assume-tz",
        metavar="TZ",
        default=None,
        help="time zone of a --reported-at without an offset, such as Europe/Kyiv",
    )

    res = add("resolve", _resolve, "resolve place names to GeoNames entries")
    res.add_argument("names", metavar="NAME", nargs="+", help="place names as written")
    res.add_argument("--country", metavar="CC", default=None, help="ISO alpha-2 country hint")
    output_options(res, "places table to write")
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("casualtyrec")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


def _one_line(err: BaseException) -> str:
    from casualtyrec.errors import CasualtyrecError  # noqa: PLC0415

    text = " ".join(str(err).split()) or type(err).__name__
    if isinstance(err, CasualtyrecError):
        return f"{type(err).__name__}: {text}"
    if isinstance(err, OSError) and err.filename is not None:
        reason = err.strerror or type(err).__name__
        return f"{err.filename}: {reason}"
    return text


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``casualtyrec`` command line; return the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        0 on success, 1 when ``--strict`` and claims were rejected, 2 on a usage, schema or
        input error (printed as one line on standard error).

    Examples
    --------
    >>> from casualtyrec.cli import main
    >>> main(["demo"])  # doctest: +ELLIPSIS
    incident ...
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse printed usage (code 2) or --help/--version (0)
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    try:
        code: int = args.run(args)
    except KeyboardInterrupt:
        print("casualtyrec: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - every failure becomes one line and exit code 2
        from casualtyrec.errors import CasualtyrecError  # noqa: PLC0415

        if args.debug:
            traceback.print_exc()
        known = isinstance(err, CasualtyrecError | OSError | ValueError | LookupError)
        kind = "error" if known else f"internal error ({type(err).__name__})"
        hint = "" if args.debug or known else "; run with --debug for the traceback"
        print(f"casualtyrec: {kind}: {_one_line(err)}{hint}", file=sys.stderr)
        return EXIT_ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # pragma: no cover - `casualtyrec ... | head`
        return EXIT_OK
    return code
