import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from apps.citations.models import Citation
from tests.factories import ActorFactory, CitationFactory, EventFactory, NoteFactory, SourceFactory


@pytest.mark.django_db
def test_exactly_one_target():
    source = SourceFactory()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Citation.objects.create(source=source)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Citation.objects.create(source=source, actor=ActorFactory(), event=EventFactory())
    citation = Citation(source=source)
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert "exactly one record" in str(error.value)


@pytest.mark.django_db
def test_deleting_a_cited_source_is_refused_and_deleting_a_record_removes_its_citations():
    citation = CitationFactory()
    with pytest.raises(ProtectedError):
        citation.source.delete()
    citation.actor.delete()
    assert not Citation.objects.exists()


@pytest.mark.django_db
def test_note_must_cite_the_source():
    note = NoteFactory()
    citation = CitationFactory.build(source=SourceFactory(), note=note, actor=ActorFactory())
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    assert error.value.message_dict["note"] == ["This note does not cite the chosen source."]
    note.cites.add(citation.source)
    citation.full_clean()
    assert citation.target_kind == "actor"
