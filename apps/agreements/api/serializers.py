from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.actors.api.serializers import ActorRoleSerializer
from apps.agreements.choices import StepKind
from apps.agreements.models import Agreement, AgreementParty, AgreementStep, check_supersession
from apps.core.api.fields import CompactRelatedField, PartialDateField, compact
from apps.core.api.serializers import (
    ChildSerializer,
    RecordCitationSerializer,
    RecordNameField,
    RecordSerializer,
)


class AgreementPartySerializer(ActorRoleSerializer):
    class Meta(ActorRoleSerializer.Meta):
        model = AgreementParty


class AgreementStepSerializer(ChildSerializer):
    date = PartialDateField(required=False, allow_null=True, help_text="When, as precisely as the source says.")
    outcome = serializers.CharField(source="outcome_text", read_only=True, help_text="The step in words.")

    class Meta:
        model = AgreementStep
        fields = [
            "slug",
            "kind",
            "date",
            "sequence",
            "outcome",
            "acting_body",
            "place",
            "votes_for",
            "votes_against",
            "abstentions",
            "description",
        ]

    def to_representation(self, step):
        # Written out for the lists: a page of agreements shows hundreds of steps, and DRF's
        # generic path looks up and converts every field of every one of them (README, "API
        # performance"). The same document as DRF's: a test compares them.
        request = self.context.get("request")
        date = step.date
        return {
            "slug": step.slug,
            "kind": str(step.kind),
            "date": date.as_dict() if date else None,
            "sequence": step.sequence,
            "outcome": step.outcome_text,
            "acting_body": compact(step.acting_body, request),
            "place": compact(step.place, request),
            "votes_for": step.votes_for,
            "votes_against": step.votes_against,
            "abstentions": step.abstentions,
            "description": step.description,
        }


class AgreementSerializer(RecordSerializer):
    """An agreement with its parties and lifecycle steps.

    ``parties`` and ``steps`` are written with the agreement: a list given is what the
    agreement's parties (or steps) become — an item with a child's ``slug`` changes that
    child in place, one without is added, a child left out is deleted; leave the key out
    to keep them as they are. Steps are checked against each other as they end up.
    """

    name = RecordNameField(help_text="Short title, or the title.")
    status = serializers.SerializerMethodField(help_text="Lifecycle status: the kind of the latest dated step.")
    status_text = serializers.SerializerMethodField(
        help_text="The latest step in words (“Signed (12 November 2010)”), or “No recorded steps”."
    )
    parties = AgreementPartySerializer(source="party_list", many=True, required=False)
    steps = AgreementStepSerializer(source="step_list", many=True, required=False)
    supersedes = CompactRelatedField(
        source="supersedes_list",
        many=True,
        queryset=Agreement.objects.all(),
        required=False,
        help_text="Earlier agreements this one displaces.",
    )
    superseded_by = CompactRelatedField(
        source="superseded_by_list", many=True, read_only=True, help_text="Later agreements that displace this one."
    )
    citations = RecordCitationSerializer(
        many=True, read_only=True, help_text="Sources for this agreement (detail only)."
    )

    class Meta:
        model = Agreement
        fields = [
            "url",
            "slug",
            "name",
            "title",
            "short_title",
            "kind",
            "status",
            "status_text",
            "summary",
            "transit_mode",
            "cargo_scope",
            "scope_notes",
            "period_start",
            "period_end",
            "parties",
            "steps",
            "supersedes",
            "superseded_by",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
        nested = {"parties": "agreement", "steps": "agreement"}

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "description": "Kind of the latest dated step (one of the step kinds: "
            + ", ".join(StepKind.values)
            + "); null when no step is dated.",
        }
    )
    def get_status(self, agreement):
        step = agreement.current_step
        return step.kind if step else None

    def get_status_text(self, agreement) -> str:
        return agreement.lifecycle_status

    def validate_supersedes(self, value):
        if self.instance is not None:
            try:
                check_supersession(self.instance, value)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.message_dict["supersedes"]) from None
        return value
