"""Affiliations in the case file's network: a member tied to its organisation."""

from apps.core.network import from_timeline, start_end

from .timeline import AFFILIATIONS, affiliation_titles

AFFILIATION_TIES = from_timeline(
    AFFILIATIONS,
    key="affiliation",
    label="Affiliations",
    title=lambda affiliation: affiliation_titles(affiliation)[0],
    period=start_end,
)
