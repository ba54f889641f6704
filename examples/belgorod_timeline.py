"""The bundled sample, from raw claims to a reconciled timeline (run as a script or by cells).

python examples/belgorod_timeline.py
"""

# %% [markdown]
# # Belgorod, Kharkiv and Ukraine, 29 December 2023 - 2 January 2024
#
# The sample holds 36 claims from 11 sources, as a newsroom would collect them: who said
# what, when, about where. Figures are phrases ("at least 14", "risen to 18").

# %%
import pandas as pd

import casualtyrec as cr

pd.set_option("display.width", 200)
pd.set_option("display.max_columns", 12)
claims = cr.load_sample()
print(claims[["claim_id", "source", "reported_at", "place", "category", "figure"]].head(8))

# %% [markdown]
# ## Reconcile
#
# `reconcile` validates every row (nothing is dropped silently), parses the phrases into
# intervals, resolves the places (including the typo "Blegorod" and the Cyrillic
# "Белгород"), groups claims into incidents, and builds the timeline per incident,
# category and subgroup.

# %%
result = cr.reconcile(claims)
print(result)
print(result.incidents)

# %% [markdown]
# Every input row is accounted for: `result.claims` has one row per claim, accepted or
# rejected with a reason, and the parsed and resolved columns.

# %%
print(result.claims[["claim_id", "place", "place_name", "match", "low", "best", "high"]].head(20))
print(result.claims["status"].value_counts())

# %% [markdown]
# ## The Belgorod death toll over time
#
# 14 -> 18 -> 21 -> 24 -> 25: the governor's own updates are `revised`; agreeing sources are
# `consistent`. The agency's "at least 14" stops capping the total once it is an hour old.

# %%
timeline = result.timeline
belgorod_killed = timeline[
    (timeline["place"] == "Belgorod")
    & (timeline["category"] == "people.killed")
    & (timeline["subgroup"] == "all")
]
with pd.option_context("display.width", 160, "display.max_colwidth", 60):
    print(belgorod_killed[["as_of", "low", "best", "high", "status", "sources"]])

# %% [markdown]
# ## Contested and lowered figures
#
# On 29 December the State Emergency Service said 27 dead and, 25 minutes later, the
# Interior Ministry said 30: both fresh, so the row is contested and the note names both
# sides. A source that lowers its own figure (the governor's 110 injured to 109) is noted.

# %%
with pd.option_context("display.width", 200, "display.max_colwidth", 100):
    print(timeline.loc[timeline["note"].notna(), ["incident", "category", "as_of", "note"]])

# %% [markdown]
# ## Kinds never mix
#
# Kharkiv's 28 injured is its own incident, and the Air Force's 49 drones are counted as
# drones, never as people.

# %%
totals = timeline[timeline["subgroup"] == "all"]
print(totals.groupby(["incident", "category"], observed=True)["best"].last())
