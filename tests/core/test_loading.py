"""Records read from the database are built by ``Stamped.from_db`` without
``Model.__init__``: they must come out exactly as Django's own loading makes them."""

from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Model
from django.db.models.signals import post_init, pre_init

from apps.core.models import Stamped

STAMPED = [model for model in apps.get_models() if issubclass(model, Stamped)]
DJANGO_FROM_DB = classmethod(Model.from_db.__func__)


def label(model):
    return model._meta.label


def loaded_state(record):
    return {key: value for key, value in record.__dict__.items() if key != "_state"}, (
        record._state.adding,
        record._state.db,
    )


@pytest.mark.parametrize("model", STAMPED, ids=label)
def test_nothing_listens_to_init_signals(model):
    assert not pre_init.has_listeners(model)
    assert not post_init.has_listeners(model)


@pytest.fixture(scope="module")
def casefile(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_casefile", verbosity=0)
        yield
        call_command("flush", verbosity=0, interactive=False)


@pytest.mark.django_db
def test_every_model_loads_as_django_loads_it(casefile):
    compared = 0
    for model in STAMPED:
        for queryset in (model.objects.order_by("pk"), model.objects.only("slug").order_by("pk")):
            ours = list(queryset[:40])
            with mock.patch.object(model, "from_db", DJANGO_FROM_DB):
                django_s = list(queryset[:40])
            assert [loaded_state(record) for record in ours] == [loaded_state(record) for record in django_s]
            compared += len(ours)
    assert compared > 500


@pytest.mark.django_db
def test_a_deferred_column_loads_on_first_use_and_a_loaded_record_saves(casefile):
    from apps.places.models import Place

    place = Place.objects.only("slug").get(slug=Place.objects.values_list("slug", flat=True).first())
    assert "name" not in place.__dict__
    assert place.name == Place.objects.get(pk=place.pk).name
    full = Place.objects.get(pk=place.pk)
    assert full._state.adding is False
    full.description = "Checked by the loading test."
    full.full_clean()  # unique checks treat the row as existing, not as new
    full.save()
    assert Place.objects.get(pk=place.pk).description == "Checked by the loading test."
