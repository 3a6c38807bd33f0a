"""The filter backend of every record endpoint, and the query parameters each API operation takes."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins, status
from rest_framework.settings import api_settings

# Query parameters that shape the response but filter nothing.
NOT_FILTERS = frozenset({"page", "page_size", "format", "brief", "fields"})


class CasefileFilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when the request names no filter at all.

    A FilterSet given no filter values leaves the queryset as it is, but it still
    builds and validates a form of every filter (a millisecond on each plain list
    request); a request with only pagination or format parameters skips that work.
    Any other parameter goes through the FilterSet as before (unknown ones never get
    here: ``KnownParametersMixin`` refuses them first).
    """

    def filter_queryset(self, request, queryset, view):
        if NOT_FILTERS.issuperset(request.query_params.keys()):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        """An empty value is a filter left out (``?kind=&q=``, as a form sends them; the
        schema says so with ``allowEmptyValue``), for every kind of filter alike: a choice
        filter would otherwise refuse "" as a choice."""
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        given = kwargs["data"].copy()
        for name in list(given):
            values = [value for value in given.getlist(name) if value != ""]
            if values:
                given.setlist(name, values)
            else:
                del given[name]
        kwargs["data"] = given
        return kwargs


class UnknownParameter(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "unknown_parameter"

    def __init__(self, unknown, accepted):
        plural = "s" if len(unknown) > 1 else ""
        self.detail = {
            "detail": f"Unknown query parameter{plural}: {', '.join(unknown)}. "
            f"This operation takes: {', '.join(accepted)}.",
            "unknown": unknown,
            "accepted": accepted,
        }


def parameter_names(declared) -> set[str]:
    """The names of query parameters declared for the schema: OpenApiParameters, or a
    serializer (class) whose fields are the parameters."""
    names = set()
    for item in declared:
        if isinstance(item, OpenApiParameter):
            if item.location == OpenApiParameter.QUERY:
                names.add(item.name)
        else:
            serializer = item() if isinstance(item, type) else item
            names |= set(serializer.fields)
    return names


class KnownParametersMixin:
    """Every API view refuses a query parameter it does not take with a 400 naming it and
    listing those it takes, so that a misspelt filter (``?contributer=``) is not read as
    "no filter" and answered with every record.

    What an operation takes is read from what already declares it, the same things the
    OpenAPI schema is built from: the view's FilterSet (lists), its paginator (lists), the
    ``format`` override, and ``action_parameters``, {action (or method, for views without
    actions): the parameters given to ``extend_schema``}. The public pages share the
    FilterSets but not this check: a page ignores parameters it does not know (a
    newsletter's tracking tags, say), as a page should.
    """

    action_parameters: dict = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        accepted = self.accepted_query_parameters()
        unknown = sorted(set(request.query_params) - accepted)
        if unknown:
            raise UnknownParameter(unknown, sorted(accepted))

    def operation_key(self):
        return getattr(self, "action", None) or self.request.method.lower()

    def lists(self):
        action = getattr(self, "action", None)
        if action is not None:
            return action == "list"
        return self.request.method == "GET" and isinstance(self, mixins.ListModelMixin)

    def accepted_query_parameters(self) -> set[str]:
        accepted = {api_settings.URL_FORMAT_OVERRIDE} if api_settings.URL_FORMAT_OVERRIDE else set()
        if self.lists():
            accepted |= self.filter_parameters()
            if self.paginator is not None:
                accepted |= {parameter["name"] for parameter in self.paginator.get_schema_operation_parameters(self)}
        accepted |= parameter_names(self.action_parameters.get(self.operation_key(), ()))
        return accepted

    def filter_parameters(self) -> set[str]:
        names = set()
        for backend_class in self.filter_backends:
            backend = backend_class()
            if isinstance(backend, DjangoFilterBackend):
                filterset_class = backend.get_filterset_class(self, self.get_queryset())
                if filterset_class is not None:
                    names |= set(filterset_class.base_filters)
            else:
                names |= {parameter["name"] for parameter in backend.get_schema_operation_parameters(self)}
        return names
