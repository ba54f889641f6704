"""``python -m casualtyrec``: the command-line interface."""

from casualtyrec.cli import main

raise SystemExit(main())
