from apps.actors.api.serializers import ActorRoleSerializer
from apps.core.api.serializers import RecordCitationSerializer, RecordSerializer
from apps.exercises.models import Exercise, ExerciseParticipant


class ExerciseParticipantSerializer(ActorRoleSerializer):
    class Meta(ActorRoleSerializer.Meta):
        model = ExerciseParticipant


class ExerciseSerializer(RecordSerializer):
    """An exercise with its participants; ``participants`` given on a write are what its participants become,
    matched by slug."""

    participants = ExerciseParticipantSerializer(source="participant_list", many=True, required=False)
    citations = RecordCitationSerializer(
        many=True, read_only=True, help_text="Sources for this exercise (detail only)."
    )

    class Meta:
        model = Exercise
        fields = [
            "url",
            "slug",
            "name",
            "series",
            "edition",
            "start",
            "end",
            "location",
            "focus",
            "description",
            "participants",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
        nested = {"participants": "exercise"}
