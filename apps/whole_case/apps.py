from django.apps import AppConfig


class WholeCaseConfig(AppConfig):
    """The case file as a whole: the registry of record types, overview, timeline,
    search, the API root, editorial admin pages, loading, integrity checks and backups."""

    name = "apps.whole_case"
    label = "whole_case"
    verbose_name = "Case file"

    def ready(self):
        from .search_index import connect_signals

        connect_signals()
