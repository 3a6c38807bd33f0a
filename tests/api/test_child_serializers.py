"""The serializers of a record's parties, steps and participants write out their
documents for speed: each gives exactly what DRF's own serialization of its fields gives."""

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from apps.agreements.api.serializers import AgreementPartySerializer, AgreementStepSerializer
from apps.events.api.serializers import EventParticipantSerializer
from apps.exercises.api.serializers import ExerciseParticipantSerializer
from tests import factories

from .records import RICH

pytestmark = pytest.mark.django_db

CHILDREN = [
    (AgreementStepSerializer, "agreements", "step_list"),
    (AgreementPartySerializer, "agreements", "party_list"),
    (EventParticipantSerializer, "events", "participant_list"),
    (ExerciseParticipantSerializer, "exercises", "participant_list"),
]


@pytest.mark.parametrize(("serializer_class", "endpoint", "rows"), CHILDREN, ids=lambda value: str(value))
def test_a_written_out_document_is_drfs(serializer_class, endpoint, rows):
    request = APIRequestFactory().get(f"/api/v1/{endpoint}/")
    model = type(RICH[endpoint]())
    records = [RICH[endpoint]() for _ in range(2)]
    if endpoint == "agreements":  # a step with no date, no body and no place; one with empty text
        factories.AgreementStepFactory(agreement=records[0], kind="proposed", date="", description="")
    compared = 0
    for record in [*records, *model.objects.with_related().filter(pk__in=[r.pk for r in records])]:
        for row in getattr(record, rows):
            serializer = serializer_class(context={"request": request})
            written_out = serializer.to_representation(row)
            assert list(written_out) == list(serializer.fields)
            assert written_out == serializers.ModelSerializer.to_representation(serializer, row)
            compared += 1
    assert compared >= 12
