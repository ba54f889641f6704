"""Paths shared by the tests (import as ``from tests._support import DATA``)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data"
#: The shared folder beside the repository; absent on a plain clone, so tests that read it skip.
SHARED = Path(__file__).resolve().parents[2] / "shared"
EXTERNAL = SHARED / "external"
