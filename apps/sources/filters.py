"""FilterSet for sources, shared by the API and the public list pages."""

import django_filters

from apps.core.choices import Reliability
from apps.core.filters import OrderingFilter, SingleDateFilterSet

from .choices import SourceKind
from .models import Source


class SourceFilterSet(SingleDateFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=SourceKind.choices, label="Kind of source (repeat for several).")
    reliability = django_filters.MultipleChoiceFilter(
        choices=Reliability.choices, label="Admiralty reliability grade A–F (repeat for several)."
    )
    language = django_filters.CharFilter(field_name="language", label="Language tag of the work (en, ru, kk).")
    container_title = django_filters.CharFilter(
        field_name="container_title", lookup_expr="icontains", label="Words in the journal, outlet or website name."
    )
    ordering = OrderingFilter(
        fields=(
            ("date", "date"),
            ("title", "title"),
            ("authors", "authors"),
            ("kind", "kind"),
            ("reliability", "reliability"),
            ("created", "created"),
            ("updated", "updated"),
        ),
        label="Sort by date, title, authors, kind, reliability, created or updated; prefix “-” for descending.",
    )

    class Meta:
        model = Source
        fields = [
            "q",
            "kind",
            "reliability",
            "language",
            "container_title",
            "date_from",
            "date_to",
            "publication_status",
        ]
