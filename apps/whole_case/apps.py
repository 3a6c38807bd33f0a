from django.apps import AppConfig


class WholeCaseConfig(AppConfig):
    """The case file as a whole: the registry of record types, overview, timeline,
    search, the API root, editorial admin pages, loading, integrity checks and backups."""

    name = "apps.whole_case"
    label = "whole_case"
    verbose_name = "Case file"

    def ready(self):
        from apps.core.caching import follow_writes_to

        from .registry import casefile_models
        from .search_index import connect_signals

        connect_signals()
        # Every row of the case file, however written, advances the revision caches key by.
        follow_writes_to(casefile_models())
