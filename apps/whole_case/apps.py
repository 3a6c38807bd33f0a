from django.apps import AppConfig


class WholeCaseConfig(AppConfig):
    """The case file as a whole: the registry of record types, overview, timeline,
    search, the API root, editorial admin pages, loading, integrity checks and backups."""

    name = "apps.whole_case"
    label = "whole_case"
    verbose_name = "Case file"

    def ready(self):
        from django.db.models.signals import post_migrate

        from apps.core.caching import follow_writes_to, store_after_writes

        from .registry import casefile_models, readers_list_facets
        from .search_index import connect_signals, index_if_missing

        connect_signals()
        # A database migrated to the search index with records already in it is indexed once.
        post_migrate.connect(index_if_missing, sender=self, dispatch_uid="search-index-after-migrate")
        # Every row of the case file, however written, advances the revision caches key by.
        follow_writes_to(casefile_models())
        # The first reader of a list after a write finds its facet counts counted.
        store_after_writes(readers_list_facets)
