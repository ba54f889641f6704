"""The README's examples run: its tour is a doctest, its Quick start holds two commands."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pandas as pd

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_tour_runs_as_a_doctest():
    with pd.option_context("display.width", 80, "display.max_columns", 20):
        failures, tried = doctest.testfile(
            str(README),
            module_relative=False,
            optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
        )
    assert tried > 10
    assert failures == 0


def test_quick_start_holds_exactly_two_commands():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```bash\n(.*?)```", text, re.DOTALL)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "casualtyrec demo" in commands[0]
    assert "pytest" in commands[1]
