"""The ``casualtyrec`` command: ``demo`` prints the bundled sample's reconciled timeline."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["main"]


def _demo(_: argparse.Namespace) -> int:
    import pandas as pd  # noqa: PLC0415 - keep --help fast

    from casualtyrec import load_sample, reconcile  # noqa: PLC0415

    result = reconcile(load_sample())
    shown = result.timeline.drop(columns=["place_id", "country", "claim_ids"])
    shown["as_of"] = shown["as_of"].dt.strftime("%Y-%m-%d %H:%MZ")
    with pd.option_context(
        "display.width", 200, "display.max_rows", 500, "display.max_colwidth", 60
    ):
        print(shown.to_string(index=False))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``casualtyrec`` command line; return the exit code.

    Examples
    --------
    >>> from casualtyrec.cli import main
    >>> main(["demo"])  # doctest: +ELLIPSIS
    incident ...
    0
    """
    parser = argparse.ArgumentParser(
        prog="casualtyrec", description="Reconcile casualty reports into a timeline."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="print the bundled sample's reconciled timeline")
    demo.set_defaults(run=_demo)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    sys.stdout.flush()
    return code
