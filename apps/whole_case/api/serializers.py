from rest_framework import serializers

from apps.actors.models import Actor
from apps.core.api.fields import PartialDateField, TimestampField, api_url, compact, detail_path
from apps.core.api.schema import CompactRecord
from apps.core.api.serializers import RecordUrlField
from apps.whole_case.models import Collection, CollectionEntry
from apps.whole_case.network import TIE_TYPES
from apps.whole_case.search import MATCH_ALIAS, MATCH_NAME, MATCH_SPELLING, MATCH_TEXT, SEARCH_TYPES
from apps.whole_case.timeline import ENTRY_TYPES


class DateRangeQuerySerializer(serializers.Serializer):
    """A date range in the query, validated (a bad or reversed range is a 400, not an empty list)."""

    date_from = serializers.DateField(required=False, help_text="Entries whose date may fall on or after this day.")
    date_to = serializers.DateField(required=False, help_text="Entries whose date may fall on or before this day.")

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["The end of the range comes before its start."]})
        return attrs


class TimelineQuerySerializer(DateRangeQuerySerializer):
    """The timeline's query parameters."""

    type = serializers.MultipleChoiceField(
        choices=list(ENTRY_TYPES), required=False, help_text="Entry types to keep (repeat for several)."
    )
    actor = serializers.SlugField(required=False, help_text="Slug of an actor taking part.")
    collection = serializers.SlugField(
        required=False, help_text="Slug of a collection: only the records its entries point to."
    )


class NetworkQuerySerializer(DateRangeQuerySerializer):
    """The network's query parameters: ties of some types, of one actor, within a period."""

    type = serializers.MultipleChoiceField(
        choices=list(TIE_TYPES), required=False, help_text="Tie types to keep (repeat for several)."
    )
    actor = serializers.SlugField(required=False, help_text="Slug of an actor: only the ties it has.")


class NetworkNodeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="The actor's kind (state, organisation, unit …).")
    url = serializers.CharField(help_text="The actor's page on the public site.")
    ties = serializers.IntegerField(help_text="How many ties the actor has in this network.")


class NetworkRecordSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="The record's page on the public site.")


class NetworkTieSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(TIE_TYPES.items()))
    source = serializers.CharField(help_text="Slug of the first actor the record names.")
    target = serializers.CharField(help_text="Slug of the second actor.")
    source_role = serializers.CharField()
    target_role = serializers.CharField()
    record = NetworkRecordSerializer(help_text="The record that ties them.")
    start = serializers.CharField(allow_null=True, help_text="When the tie begins, as the source dates it.")
    end = serializers.CharField(allow_null=True)
    earliest = serializers.DateField(allow_null=True, help_text="The earliest day the tie may begin.")
    latest = serializers.DateField(allow_null=True, help_text="The latest day the tie may last to.")


class TieTypeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class NetworkSerializer(serializers.Serializer):
    """Actors as nodes, the records that tie them as typed ties (one per pair and record)."""

    tie_types = TieTypeSerializer(many=True)
    nodes = NetworkNodeSerializer(many=True)
    ties = NetworkTieSerializer(many=True)


class TimelineActorSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="The actor's part in the entry (contributor, visitor, acting body …).")
    url = serializers.SerializerMethodField(help_text="API URL of the actor.")

    def get_url(self, actor) -> str:
        request = self.context.get("request")
        path = detail_path(Actor).replace("__slug__", actor["slug"])
        return request.build_absolute_uri(path) if request else path


class TimelineEntrySerializer(serializers.Serializer):
    """One dated line of the timeline: a record, or the start or end of one."""

    type = serializers.ChoiceField(choices=list(ENTRY_TYPES.items()))
    slug = serializers.CharField(help_text="Slug of the record (of the step, for agreement steps).")
    title = serializers.CharField()
    date = PartialDateField()
    end = PartialDateField(allow_null=True)
    phase = serializers.CharField(help_text="“start” or “end” for deployments and affiliations, else empty.")
    url = serializers.SerializerMethodField(help_text="API URL of the record (of the agreement, for steps).")
    page_url = serializers.SerializerMethodField(help_text="The record's page on the public site.")
    actors = TimelineActorSerializer(many=True)
    collections = serializers.SerializerMethodField(
        help_text="Slugs of the collections that list this record (a milestone of Table 1 …); "
        "for a record with a start and an end, on its start only."
    )

    def get_collections(self, entry) -> list[str]:
        if entry.phase == "end":
            return []
        return self.context.get("collection_marks", {}).get((entry.type, entry.record.pk), [])

    def get_url(self, entry) -> str | None:
        record = entry.record.agreement if entry.type == "agreement_step" else entry.record
        return api_url(record, self.context.get("request"))

    def get_page_url(self, entry) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(entry.url) if request else entry.url


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        help_text="Words to look for in names, other names, titles, authors, summaries and cited passages."
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=100, required=False, default=25, help_text="Results per type, 1 to 100 (default 25)."
    )


class SuggestQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        allow_blank=True, help_text="What has been typed so far: names, other names or their words beginning so."
    )


class SearchHitSerializer(CompactRecord):
    """A matching record in compact form, with how it was found and where."""

    page_url = serializers.CharField(help_text="The record's page on the public site.")
    match = serializers.ChoiceField(
        choices=[MATCH_NAME, MATCH_ALIAS, MATCH_TEXT, MATCH_SPELLING],
        help_text="How it was found: its name or another name typed in full, words of its text, "
        "or a name close in spelling to the words typed.",
    )
    snippet = serializers.CharField(
        help_text="HTML: a stretch of the record's text, escaped, with the words found in <mark>."
    )

    def to_representation(self, hit):
        request = self.context.get("request")
        page = hit.record.get_absolute_url()
        return {
            **compact(hit.record, request),
            "page_url": request.build_absolute_uri(page) if request else page,
            "match": hit.match,
            "snippet": str(hit.snippet),
        }


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    results = SearchHitSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    suggestion = serializers.CharField(
        help_text="Did you mean: the words typed with misspelt ones replaced by the closest spelling "
        "in the names of the case file; empty when there is none to offer."
    )
    order = serializers.ListField(
        child=serializers.CharField(), help_text="The types with results, best result first."
    )
    results = serializers.DictField(
        child=SearchGroupSerializer(),
        help_text="One group per type (" + ", ".join(SEARCH_TYPES) + "), in that order, each possibly empty; "
        "within a group, best first: names typed in full, then by how well the text matches, then close spellings.",
    )


class SuggestionSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField(help_text="The record's type, as in search results (actors, places …).")
    label = serializers.CharField(help_text="The type in words, singular (actor, place …).")
    page_url = serializers.CharField(help_text="The record's page on the public site.")


class SuggestResultSerializer(serializers.Serializer):
    q = serializers.CharField()
    suggestions = SuggestionSerializer(many=True)


class CollectionEntrySerializer(serializers.ModelSerializer):
    """One line of a collection: the source's words and date, and the record it points to."""

    kind = serializers.CharField(source="target_kind", help_text="The kind of record the entry points to.")
    record = serializers.SerializerMethodField(help_text="The record (or agreement step) the entry describes.")
    date = PartialDateField(source="target_date", allow_null=True, help_text="The record's own date, if dated.")
    page_url = serializers.SerializerMethodField(help_text="The record's page on the public site.")

    class Meta:
        model = CollectionEntry
        fields = ["position", "stated_date", "label", "kind", "record", "date", "page_url"]

    def get_record(self, entry) -> dict:
        target = entry.target
        if entry.agreement_step_id:
            # A step has no endpoint of its own: it is read with its agreement.
            return {
                "slug": target.slug,
                "name": entry.target_name,
                "kind": target.kind,
                "url": None,
                "agreement": compact(target.agreement, self.context.get("request")),
            }
        return compact(target, self.context.get("request"))

    def get_page_url(self, entry) -> str:
        request = self.context.get("request")
        path = entry.target.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CollectionSerializer(serializers.ModelSerializer):
    """A named, ordered set of records as a source lists them; entries in detail only (the
    entries pointing to records the reader may not see are left out)."""

    url = RecordUrlField(help_text="API URL of this collection.")
    name = serializers.CharField(source="title", read_only=True)
    source = serializers.SerializerMethodField(help_text="The work that presents the list.")
    page_url = serializers.SerializerMethodField(help_text="The collection's page on the public site.")
    entries = CollectionEntrySerializer(source="visible_entries", many=True, read_only=True)
    created = TimestampField(read_only=True)
    updated = TimestampField(read_only=True)

    class Meta:
        model = Collection
        fields = [
            "url",
            "slug",
            "name",
            "title",
            "description",
            "source",
            "locator",
            "page_url",
            "publication_status",
            "version",
            "created",
            "updated",
            "entries",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        view = self.context.get("view")
        if getattr(view, "action", None) == "list":
            self.fields.pop("entries")

    def get_source(self, collection) -> dict:
        return compact(collection.source, self.context.get("request"))

    def get_page_url(self, collection) -> str:
        request = self.context.get("request")
        path = collection.get_absolute_url()
        return request.build_absolute_uri(path) if request else path
