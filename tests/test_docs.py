"""The API reference (docs/api.md) documents every public name (issue #7, acceptance 3)."""

from __future__ import annotations

import re
import types
from pathlib import Path

import casualtyrec
from casualtyrec import accessor, io, kinds, output, plot

DOCS = Path(__file__).resolve().parents[1] / "docs"
TARGETS = set(re.findall(r"^::: (\S+)", (DOCS / "api.md").read_text(), flags=re.MULTILINE))


def _documented(module: str, name: str) -> bool:
    return f"{module}.{name}" in TARGETS or module in TARGETS


def test_every_public_name_is_in_the_reference():
    for name in casualtyrec.__all__:
        value = getattr(casualtyrec, name)
        if isinstance(value, types.ModuleType):
            assert value.__name__ in TARGETS, name
        else:
            assert _documented(value.__module__, name), name


def test_kinds_errors_testing_io_and_notebook_helpers_are_in_the_reference():
    for module in ("casualtyrec.errors", "casualtyrec.kinds", "casualtyrec.testing"):
        assert module in TARGETS
    for module in (io, output):
        listed = (DOCS / "api.md").read_text()
        for name in module.__all__:
            if name == "Format":  # a type alias, described in the module docstring
                continue
            assert f"- {name}" in listed, f"{module.__name__}.{name}"
    assert "casualtyrec.accessor.CasualtyAccessor" in TARGETS
    assert "casualtyrec.plot.plot_timeline" in TARGETS
    assert {*accessor.__all__, *plot.__all__, *kinds.__all__}  # the modules import cleanly


def test_nav_pages_exist():
    nav = re.findall(r":\s*(\S+\.md)\s*$", (DOCS.parent / "mkdocs.yml").read_text(), re.MULTILINE)
    assert "api.md" in nav
    for page in nav:
        assert (DOCS / page).exists(), page
