"""…/{slug}/proposals/: corrections to a published record, proposed by an analyst and
accepted, sent back or rejected by an editor (``services.proposal_*``). Every kind of
record with a publication status gets these actions through ``RecordViewSet``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response

from apps.core import services
from apps.core.choices import ProposalStatus
from apps.core.models import Proposal

from .fields import TimestampField, compact
from .renderers import JSONRenderer
from .schema import ApiError
from .serializers import Conflict, as_drf_error

# Errors of these keys are about the request; the rest name fields of the record.
REQUEST_KEYS = {"reason", "comment", "non_field_errors"}
PROPOSAL_ID = r"proposals/(?P<proposal_id>[0-9]+)"


class ProposalSerializer(serializers.Serializer):
    """A proposed correction, as its proposer and the editors see it."""

    id = serializers.IntegerField(read_only=True)
    record = serializers.SerializerMethodField(help_text="The record it would change (null once deleted).")
    status = serializers.ChoiceField(choices=ProposalStatus.choices, read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Why the record should change.")
    proposer = serializers.CharField(source="proposer.username", read_only=True)
    base_version = serializers.IntegerField(read_only=True, help_text="The record's version it was made against.")
    stale = serializers.BooleanField(
        source="is_stale", read_only=True,
        help_text="The record changed since: the proposer must rebase it before an editor can accept it.",
    )
    changes = serializers.JSONField(
        read_only=True,
        help_text="What the record would become: fields, and whole lists of sub-records, as in a PATCH body.",
    )
    comment = serializers.CharField(read_only=True, help_text="The editor's comment.")
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True)
    decided_at = TimestampField(read_only=True, allow_null=True)
    created = TimestampField(read_only=True)
    updated = TimestampField(read_only=True)

    def get_record(self, proposal) -> dict | None:
        record = self.context.get("record") or proposal.current_record()
        return compact(record, self.context.get("request")) if record is not None else None

    def to_representation(self, proposal):
        data = super().to_representation(proposal)
        # Stored under the model's relation names ("party_roles"); shown as a PATCH body names them ("parties").
        api_names = self.context.get("api_names", {})
        data["changes"] = {api_names.get(name, name): value for name, value in data["changes"].items()}
        return data


class ProposalRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the record should change, and on what source.")
    changes = serializers.DictField(
        help_text="The correction, shaped as a PATCH body of the record: the fields to change, and for sub-records "
        "(steps, parties …) the whole list they should become (a row with its slug is kept and changed in place; "
        "one without is new; one left out is removed). No version is needed: the proposal is made against the "
        "current one.",
    )


class ProposalRebaseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, help_text="A revised reason, if it changes.")
    changes = serializers.DictField(required=False, help_text="Revised changes; left out, the same changes.")


class ProposalDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True,
        help_text="For the proposer: required to send back or reject, optional to accept.",
    )


PROPOSAL_ID_PARAMETER = OpenApiParameter(
    "proposal_id", int, OpenApiParameter.PATH, description="The proposal's id (from …/proposals/)."
)
PROPOSAL_ERRORS = {
    400: OpenApiResponse(
        ApiError,
        description="Invalid changes or reason (messages per field), or the proposal is no longer open for this.",
    ),
    401: OpenApiResponse(ApiError, description="Not signed in."),
    403: OpenApiResponse(
        ApiError,
        description="Not allowed: proposing needs staff status and the right to change this kind of record; "
        "deciding needs the Editor role; withdrawing and rebasing are the proposer's.",
    ),
    404: OpenApiResponse(ApiError, description="No such record or proposal."),
}


class ProposalActionsMixin:
    """GET/POST …/{slug}/proposals/, and POST …/proposals/{id}/accept/, send-back/, reject/,
    withdraw/, rebase/: the same services as the admin's review queue."""

    # Reads of proposals are for signed-in users only (the schema leaves anonymous access out).
    signed_in_actions = {"proposals"}
    proposal_actions = {"proposals", "proposal_accept", "proposal_send_back", "proposal_reject",
                        "proposal_withdraw", "proposal_rebase"}

    def relation_api_names(self):
        """{the model's relation name: the API's field name} of the nested children."""
        serializer = self.get_serializer()
        model = serializer.Meta.model
        by_child = {
            (child_model, parent_field): name
            for name, (child_model, parent_field) in services.proposal_relations(model).items()
        }
        return {
            by_child[(serializer.fields[api_name].child.Meta.model, parent_field)]: api_name
            for api_name, parent_field in serializer.nested_fields().items()
            if api_name in serializer.fields
        }

    def proposal_context(self, record):
        return {**self.get_serializer_context(), "record": record, "api_names": self.relation_api_names()}

    def proposal_changes(self, record, changes):
        """A PATCH-shaped body, checked by the record's serializer (400 with its messages
        under "changes"), as ``Proposal.changes`` (keyed by the model's names)."""
        changes = {key: value for key, value in changes.items() if key != "version"}
        serializer = self.get_serializer(record, data=changes, partial=True)
        if not serializer.is_valid():
            raise exceptions.ValidationError({"changes": serializer.errors})
        model = type(record)
        nested, many = serializer.nested_by_source(), serializer.many_to_many_by_source()
        relation_names = {
            (child_model, parent_field): name
            for name, (child_model, parent_field) in services.proposal_relations(model).items()
        }
        values = {}
        for key, value in serializer.validated_data.items():
            if key in nested:
                api_name = nested[key]
                child_model = serializer.fields[api_name].child.Meta.model
                relation = relation_names[(child_model, serializer.nested_fields()[api_name])]
                values[relation] = [dict(item) for item in value]
            elif key in many:
                values[many[key]] = list(value)
            else:
                values[key] = value
        if not values:
            raise exceptions.ValidationError({"changes": ["Propose at least one change."]})
        return services.proposal_encode(model, values)

    def proposal_refused(self, error):
        """A service's ValidationError as a 400: the record's fields under "changes"."""
        detail = as_drf_error(error).detail
        if isinstance(detail, dict):
            fields = {key: value for key, value in detail.items() if key not in REQUEST_KEYS | {"changes"}}
            detail = {key: value for key, value in detail.items() if key in REQUEST_KEYS | {"changes"}}
            if fields:
                detail["changes"] = fields
        return exceptions.ValidationError(detail)

    def proposal_response(self, proposal, code=status.HTTP_200_OK):
        context = self.proposal_context(proposal.current_record())
        return Response(ProposalSerializer(proposal, context=context).data, status=code)

    def require_signed_in(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()

    @extend_schema(
        methods=["GET"],
        summary="Proposed corrections to this record (editors: all; others: their own)",
        request=None,
        responses={200: ProposalSerializer(many=True), **PROPOSAL_ERRORS},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Propose a correction to a published record (analysts, editors)",
        description="Readers keep the published version until an editor accepts the proposal. The changes are "
        "checked now as a PATCH would be; at most one proposal per person and record awaits a decision.",
        request=ProposalRequestSerializer,
        responses={201: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    @action(
        detail=True, methods=["get", "post"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer],
        pagination_class=None,  # a record's proposals come whole, never in pages
    )
    def proposals(self, request, *args, **kwargs):
        self.require_signed_in(request)
        record = self.get_object()
        refusal = services.editorial_refusal(request.user, type(record), services.CHANGE)
        if refusal is not None:
            raise exceptions.PermissionDenied(refusal)
        if request.method == "GET":
            proposals = Proposal.objects.for_record(record).with_related()
            if not request.user.has_perm(services.PUBLISH_PERMISSION):
                proposals = proposals.filter(proposer=request.user)
            context = self.proposal_context(record)
            return Response(ProposalSerializer(proposals.with_current_versions(), many=True, context=context).data)
        given = ProposalRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        changes = self.proposal_changes(record, given.validated_data["changes"])
        try:
            proposal = services.proposal_submit(
                record, changes=changes, reason=given.validated_data["reason"], user=request.user
            )
        except DjangoValidationError as error:
            raise self.proposal_refused(error) from None
        return self.proposal_response(proposal, status.HTTP_201_CREATED)

    def proposal_of(self, request, proposal_id):
        self.require_signed_in(request)
        record = self.get_object()
        proposal = Proposal.objects.for_record(record).with_related().filter(pk=proposal_id).first()
        if proposal is None:
            raise exceptions.NotFound("This record has no such proposal.")
        return proposal

    def decide(self, request, proposal_id, service):
        proposal = self.proposal_of(request, proposal_id)
        given = ProposalDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            service(proposal, user=request.user, comment=given.validated_data.get("comment", ""))
        except services.StaleProposal as stale:
            raise Conflict(stale.as_dict()) from None
        except DjangoValidationError as error:
            raise self.proposal_refused(error) from None
        return self.proposal_response(proposal)

    @extend_schema(
        summary="Accept a proposal: apply it (editors)",
        description="Applied through the same services as an editor's own edit, with one history entry naming the "
        "proposal and its proposer. A proposal made stale by a later save is refused with 409 and what changed.",
        request=ProposalDecisionSerializer,
        parameters=[PROPOSAL_ID_PARAMETER],
        responses={200: ProposalSerializer, 409: OpenApiResponse(ApiError, description="Stale: rebase it first."),
                   **PROPOSAL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{PROPOSAL_ID}/accept")
    def proposal_accept(self, request, proposal_id, *args, **kwargs):
        return self.decide(request, proposal_id, services.proposal_accept)

    @extend_schema(
        summary="Send a proposal back to its proposer with a comment (editors)",
        request=ProposalDecisionSerializer,
        parameters=[PROPOSAL_ID_PARAMETER],
        responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{PROPOSAL_ID}/send-back")
    def proposal_send_back(self, request, proposal_id, *args, **kwargs):
        return self.decide(request, proposal_id, services.proposal_send_back)

    @extend_schema(
        summary="Reject a proposal with a comment (editors)",
        request=ProposalDecisionSerializer,
        parameters=[PROPOSAL_ID_PARAMETER],
        responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{PROPOSAL_ID}/reject")
    def proposal_reject(self, request, proposal_id, *args, **kwargs):
        return self.decide(request, proposal_id, services.proposal_reject)

    @extend_schema(
        summary="Withdraw your proposal (its proposer)",
        request=None,
        parameters=[PROPOSAL_ID_PARAMETER],
        responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{PROPOSAL_ID}/withdraw")
    def proposal_withdraw(self, request, proposal_id, *args, **kwargs):
        proposal = self.proposal_of(request, proposal_id)
        try:
            services.proposal_withdraw(proposal, user=request.user)
        except DjangoValidationError as error:
            raise self.proposal_refused(error) from None
        return self.proposal_response(proposal)

    @extend_schema(
        summary="Rebase your proposal on the current version, optionally revised (its proposer)",
        description="Checks the changes against the record as it is now; a proposal sent back is open again.",
        request=ProposalRebaseSerializer,
        parameters=[PROPOSAL_ID_PARAMETER],
        responses={200: ProposalSerializer, **PROPOSAL_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path=f"{PROPOSAL_ID}/rebase")
    def proposal_rebase(self, request, proposal_id, *args, **kwargs):
        proposal = self.proposal_of(request, proposal_id)
        given = ProposalRebaseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        changes = given.validated_data.get("changes")
        if changes is not None:
            changes = self.proposal_changes(proposal.current_record(), changes)
        try:
            services.proposal_rebase(
                proposal, user=request.user, changes=changes, reason=given.validated_data.get("reason")
            )
        except DjangoValidationError as error:
            raise self.proposal_refused(error) from None
        return self.proposal_response(proposal)

    def proposals_hint(self, record):
        """For an analyst refused a direct write to a published record: where to propose it."""
        url = self.reverse_action("proposals", kwargs={self.lookup_field: record.slug})
        return f" To propose this change instead, POST {{\"reason\": …, \"changes\": {{…}}}} to {url}."
