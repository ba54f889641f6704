"""casualtyrec: turn conflicting casualty reports into one explainable timeline.

The pipeline runs one way: ``extract`` (text to claims) -> ``figures`` (phrases to
intervals) -> ``places`` (names to GeoNames entries) -> ``claims`` (validation) ->
``incidents`` (grouping) -> ``reconcile`` (the timeline).

Examples
--------
>>> import casualtyrec as cr
>>> cr.parse_figure("at least 21 dead")
Figure(low=21, best=21, high=None, qualifier='at_least', text='at least 21')
"""

from casualtyrec import accessor, errors, testing
from casualtyrec.errors import CasualtyrecError
from casualtyrec.extract import extract, extract_many
from casualtyrec.figures import Figure, parse_figure, parse_figures
from casualtyrec.io import load_sample
from casualtyrec.places import Gazetteer, resolve_places
from casualtyrec.policy import Policy
from casualtyrec.reconcile import Reconciliation, reconcile

__version__ = "0.1.0.dev0"

__all__ = [
    "CasualtyrecError",
    "Figure",
    "Gazetteer",
    "Policy",
    "Reconciliation",
    "accessor",
    "errors",
    "extract",
    "extract_many",
    "load_sample",
    "parse_figure",
    "parse_figures",
    "reconcile",
    "resolve_places",
    "testing",
]
