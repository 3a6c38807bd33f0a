from apps.actors.api.serializers import ActorRoleSerializer
from apps.core.api.fields import CompactRelatedField
from apps.core.api.serializers import RecordCitationSerializer, RecordNameField, RecordSerializer
from apps.events.models import Event, EventParticipant
from apps.places.models import Place


class EventParticipantSerializer(ActorRoleSerializer):
    class Meta(ActorRoleSerializer.Meta):
        model = EventParticipant


class EventSerializer(RecordSerializer):
    """An event with the actors involved; ``participants`` given on a write are what its participants become,
    matched by slug."""

    name = RecordNameField(help_text="The title.")
    participants = EventParticipantSerializer(source="participant_list", many=True, required=False)
    places = CompactRelatedField(
        source="place_list",
        many=True,
        queryset=Place.objects.all(),
        required=False,
        help_text="Other places it touched (a flight's origin and destination); `place` is where it is filed.",
    )
    citations = RecordCitationSerializer(many=True, read_only=True, help_text="Sources for this event (detail only).")

    class Meta:
        model = Event
        fields = [
            "url",
            "slug",
            "name",
            "title",
            "kind",
            "date",
            "end",
            "place",
            "places",
            "summary",
            "participants",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
        nested = {"participants": "event"}
