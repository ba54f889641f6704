"""The public surface: ``__all__`` is sorted, complete and importable (as httpx checks it)."""

from __future__ import annotations

import importlib
import pkgutil

import casualtyrec


def test_all_is_sorted_and_exported() -> None:
    assert casualtyrec.__all__ == sorted(casualtyrec.__all__)
    for name in casualtyrec.__all__:
        assert hasattr(casualtyrec, name), name


def test_public_names_are_in_all() -> None:
    public = {
        name
        for name, value in vars(casualtyrec).items()
        if not name.startswith("_") and not isinstance(value, type(casualtyrec))
    }
    assert public <= set(casualtyrec.__all__)


def test_every_module_declares_all() -> None:
    for info in pkgutil.iter_modules(casualtyrec.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"casualtyrec.{info.name}")
        assert isinstance(getattr(module, "__all__", None), list), info.name
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.{name}"
