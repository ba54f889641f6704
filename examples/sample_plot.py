"""Reconcile the bundled sample and plot the Belgorod death toll to a PNG.

Run from the repository root::

    python examples/sample_plot.py                 # writes examples/out/sample_timeline.png
    python examples/sample_plot.py other/path.png

Needs the ``plot`` extra (``pip install 'casualtyrec[plot]'``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl

import casualtyrec as cr
from casualtyrec.output import render_text
from casualtyrec.plot import plot_timeline

if TYPE_CHECKING:
    from matplotlib.axes import Axes

OUT = Path(__file__).resolve().parent / "out" / "sample_timeline.png"


def draw(result: cr.Reconciliation) -> Axes:
    """Draw the Belgorod death toll: bands, best steps, every source's claims."""
    return plot_timeline(result, incident="belgorod-2023-12-30", category="people.killed")


def main(out: Path) -> None:
    mpl.use("Agg")  # no window: write the file only
    result = cr.reconcile(cr.load_sample())
    print(render_text(result))
    ax = draw(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    ax.figure.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
