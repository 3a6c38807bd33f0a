from apps.actors.models import Actor, Affiliation
from apps.core.api.fields import CompactRelatedField, compact
from apps.core.api.serializers import ChildSerializer, RecordCitationSerializer, RecordNameField, RecordSerializer


class ActorRoleSerializer(ChildSerializer):
    """An actor's part in a record (a party, a participant): subclasses set ``Meta.model``."""

    actor = CompactRelatedField(
        queryset=Actor.objects.all(), help_text="Slug of the actor (written), compact actor (read)."
    )

    class Meta:
        fields = ["slug", "actor", "role", "notes"]

    def to_representation(self, role):
        # Written out for the lists, as AgreementStepSerializer's is: a page of agreements,
        # events or exercises shows hundreds of parties and participants.
        return {
            "slug": role.slug,
            "actor": compact(role.actor, self.context.get("request")),
            "role": str(role.role),
            "notes": role.notes,
        }


class ActorSerializer(RecordSerializer):
    citations = RecordCitationSerializer(many=True, read_only=True, help_text="Sources for this actor (detail only).")

    class Meta:
        model = Actor
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "aliases",
            "description",
            "parent",
            "country",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]


class AffiliationSerializer(RecordSerializer):
    name = RecordNameField(help_text="Member – organisation (role).")
    citations = RecordCitationSerializer(
        many=True, read_only=True, help_text="Sources for this affiliation (detail only)."
    )

    class Meta:
        model = Affiliation
        fields = [
            "url",
            "slug",
            "name",
            "member",
            "organisation",
            "kind",
            "role",
            "start",
            "end",
            "notes",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
