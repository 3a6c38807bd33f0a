"""The filter backend of every record endpoint."""

from django_filters.rest_framework import DjangoFilterBackend

# Query parameters that shape the response but filter nothing.
NOT_FILTERS = frozenset({"page", "page_size", "format", "brief", "fields"})


class CasefileFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names no filter at all.

    A FilterSet given no filter values leaves the queryset as it is, but it still
    builds and validates a form of every filter (a millisecond on each plain list
    request); a request with only pagination or format parameters skips that work.
    Any other parameter, known or not, goes through the FilterSet as before.
    """

    def filter_queryset(self, request, queryset, view):
        if NOT_FILTERS.issuperset(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)
