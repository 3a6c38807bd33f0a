"""The admin helping an analyst record facts right: slugs from names, ranked autocomplete,
look-alike warnings, citations on a new record, transition buttons, date formats."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from apps.actors.models import Actor
from apps.agreements.models import Agreement
from apps.citations.choices import CITABLE
from apps.citations.models import Citation
from apps.core import services
from apps.core.dates import ACCEPTED_FORMATS, PartialDate, PartialDateFormField
from apps.core.naming import look_alikes, slug_base, transliterate, unique_slug
from apps.events.models import Event
from apps.places.models import Place
from tests import factories
from tests.admin.test_admin import REGISTERED, form_data
from tests.integrity.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(db):
    call_command("setup_roles", verbosity=0)
    return factories.UserFactory(username="aigerim", groups=["Analyst"])


@pytest.fixture
def editor(analyst):  # after the roles are set up
    return factories.UserFactory(username="marat", groups=["Editor"])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- slugs ------------------------------------------------------------------------------


def test_a_new_record_without_a_slug_is_named_after_its_title_with_a_suffix_on_collision():
    first = services.record_save(Actor(name="Kazakhstan", kind="state"))
    second = services.record_save(Actor(name="KAZAKHSTAN!", kind="state"))
    third = services.record_save(Actor(name="Kazakhstan", kind="state"))
    assert [first.slug, second.slug, third.slug] == ["kazakhstan", "kazakhstan-2", "kazakhstan-3"]
    # Another kind's slugs do not count.
    assert services.record_save(Place(name="Kazakhstan")).slug == "kazakhstan"


def test_a_slug_is_transliterated_and_fits_its_field():
    assert transliterate("Мәжіліс Қазақстан") == "Mazhilis Qazaqstan"
    assert services.record_save(Actor(name="Сенат Парламента", kind="legislature")).slug == "senat-parlamenta"
    assert services.record_save(Actor(name="Mäjilis", kind="legislature")).slug == "majilis"
    long_title = "Agreement between the Government of the Republic of Kazakhstan " * 4
    event = services.record_save(Event(title=long_title, kind="visit", date="2011"))
    assert len(event.slug) <= Event._meta.get_field("slug").max_length
    assert event.slug.startswith("agreement-between-the-government") and not event.slug.endswith("-")
    second = services.record_save(Event(title=long_title, kind="visit", date="2011"))
    assert second.slug.endswith("-2") and len(second.slug) <= 120
    assert unique_slug(Event, "!!!") == "event"  # nothing to make a slug of: the kind's name
    assert slug_base("one two three", 9) == "one-two"


def test_a_given_slug_is_kept_and_a_record_without_a_title_is_named_by_its_description():
    assert services.record_save(Actor(name="NATO", kind="international_organisation", slug="nato-hq")).slug == "nato-hq"
    kazakhstan = factories.ActorFactory(name="Kazakhstan")
    pfp = factories.ActorFactory(name="Partnership for Peace")
    affiliation = factories.AffiliationFactory(member=kazakhstan, organisation=pfp, role="member", slug="")
    assert affiliation.slug == "kazakhstan-partnership-for-peace-member"


def test_the_admin_add_form_and_the_api_derive_the_slug(admin_client):
    response = admin_client.post(
        reverse("admin:places_place_add"),
        {**form_data(admin_client.get(reverse("admin:places_place_add"))), "name": "Ust-Kamenogorsk", "slug": ""},
    )
    assert response.status_code == 302
    assert Place.objects.get(name="Ust-Kamenogorsk").slug == "ust-kamenogorsk"
    created = admin_client.post(
        "/api/v1/places/", {"name": "Ust-Kamenogorsk", "kind": "city"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "ust-kamenogorsk-2"


def test_the_slug_is_the_analysts_until_first_publication_then_an_editors(analyst, editor):
    place = factories.PlaceFactory(publication_status="draft")
    url = reverse("admin:places_place_change", args=[place.pk])
    assert 'name="slug"' in client_for(analyst).get(url).content.decode()
    services.record_publish(place, user=editor)
    services.record_unpublish(place, user=editor)  # a draft again, but its URL has been public
    assert 'name="slug"' not in client_for(analyst).get(url).content.decode()
    assert 'name="slug"' in client_for(editor).get(url).content.decode()
    place.slug = ""  # an editor empties it: it is made anew from the name
    services.record_save(place, user=editor)
    assert Place.objects.get(pk=place.pk).slug == slug_base(place.name, 120)


def test_fixtures_keep_their_slugs(transactional_db):
    call_command("load_casefile", verbosity=0)
    assert Actor.objects.filter(slug="kazakhstan", name="Kazakhstan").exists()


# --- autocomplete -----------------------------------------------------------------------


def autocomplete(client, term, app_label="agreements", model_name="agreementparty", field_name="actor"):
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_actor_picker_offers_kazakhstan_first_in_the_real_case_file(transactional_db):
    call_command("load_casefile", verbosity=0)
    client = client_for(factories.StaffUserFactory())
    names = autocomplete(client, "Kazakhstan")
    assert names[0] == "Kazakhstan"
    assert len(names) > 1  # the rest still follow
    assert autocomplete(client, "kazakhstan")[0] == "Kazakhstan"


def test_exact_names_and_aliases_rank_before_prefixes_and_the_rest(admin_client):
    factories.ActorFactory(name="Brigade of the KAZBAT veterans")  # only contains the term
    factories.ActorFactory(name="Kazbat training centre")  # begins with it
    factories.ActorFactory(name="Kazakhstan Peacekeeping Battalion", aliases="Kazbat battalion\r\nKAZBAT\r\n")
    factories.ActorFactory(name="Aardvark", description="Trained alongside Kazbat.")
    assert autocomplete(admin_client, "Kazbat") == [
        "Kazakhstan Peacekeeping Battalion",
        "Kazbat training centre",
        "Aardvark",
        "Brigade of the KAZBAT veterans",
    ]
    # The list ranks a search the same way, unless the analyst sorts it by a column.
    changelist = reverse("admin:actors_actor_changelist")
    ranked = admin_client.get(changelist, {"q": "Kazbat"}).context["cl"].result_list
    assert str(ranked[0]) == "Kazakhstan Peacekeeping Battalion"
    by_name = admin_client.get(changelist, {"q": "Kazbat", "o": "0"}).context["cl"].result_list
    assert [str(actor) for actor in by_name][0] == "Aardvark"


# --- look-alikes --------------------------------------------------------------------------


def add_event(client, **values):
    url = reverse("admin:events_event_add")
    data = {**form_data(client.get(url)), "kind": "visit", **values}
    return client.post(url, data, follow=True)


def test_adding_an_event_like_one_already_recorded_warns_and_links_it(admin_client):
    existing = factories.EventFactory(title="Defence minister visits Kabul", date="2011-06-09")
    response = add_event(admin_client, title="Defence Minister visits Kabul.", date="June 2011")
    assert response.status_code == 200
    warning = next(text for text in messages_of(response) if "looks like" in text)
    assert "Defence minister visits Kabul" in warning
    assert reverse("admin:events_event_change", args=[existing.pk]) in warning
    assert Event.objects.filter(title="Defence Minister visits Kabul.").exists()  # a warning, not a refusal


def test_the_same_participants_on_the_same_date_look_alike_whatever_the_title(admin_client):
    kazakhstan, nato = factories.ActorFactory(name="Kazakhstan"), factories.ActorFactory(name="NATO")
    existing = factories.EventFactory(title="Talks in Brussels", date="2011-06-09")
    for actor in (kazakhstan, nato):
        factories.EventParticipantFactory(event=existing, actor=actor)
    other_day = factories.EventFactory(title="More talks", date="2011-06-10")
    for actor in (kazakhstan, nato):
        factories.EventParticipantFactory(event=other_day, actor=actor)
    response = add_event(
        admin_client,
        title="Consultations on transit",
        date="9 June 2011",
        **{
            "involvements-TOTAL_FORMS": "2",
            "involvements-0-actor": str(kazakhstan.pk),
            "involvements-0-role": "participant",
            "involvements-1-actor": str(nato.pk),
            "involvements-1-role": "participant",
        },
    )
    new = Event.objects.get(title="Consultations on transit")
    assert new.actors.count() == 2
    assert look_alikes(new) == [existing]
    assert any("Talks in Brussels" in text and "More talks" not in text for text in messages_of(response))


def test_an_unlike_record_brings_no_warning(admin_client):
    factories.EventFactory(title="Defence minister visits Kabul", date="2011-06-09")
    response = add_event(admin_client, title="Parliament ratifies the transit agreement", date="2011")
    assert not [text for text in messages_of(response) if "looks like" in text]


# --- citations on a new record ------------------------------------------------------------


def filled_add_form(client, url, actors):
    """The add form as rendered, each required field left empty given a plausible value."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = form_data(page)
    picks = iter(actors)
    chosen = {}  # two fields of one kind get two records (a leg's start and end)
    for name, field in form.fields.items():
        if not field.required or data.get(name):
            continue
        if isinstance(field, forms.ModelChoiceField):
            model = field.queryset.model
            taken = chosen.setdefault(model, [])
            pick = next(picks) if model is Actor else field.queryset.exclude(pk__in=taken).first()
            taken.append(pick.pk)
            data[name] = str(pick.pk)
        elif isinstance(field, forms.ChoiceField):
            data[name] = next(str(value) for value, _ in field.choices if value)
        elif isinstance(field, forms.IntegerField):
            data[name] = "1"  # a count or a position: legs are numbered from 1
        elif isinstance(field, PartialDateFormField):
            data[name] = "May 2009"
        else:
            data[name] = "Entered with a citation"
    return data


@pytest.mark.parametrize("target", [name for name, _ in CITABLE])
def test_a_new_record_is_saved_with_its_citation_in_one_save(admin_client, target):
    source = factories.SourceFactory()
    factories.AgreementFactory()  # for a new step to belong to
    factories.RouteFactory(), factories.PlaceFactory(), factories.PlaceFactory()  # for a new leg or constraint
    actors = [factories.ActorFactory(), factories.ActorFactory()]
    model = Citation._meta.get_field(target).related_model
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    data = filled_add_form(admin_client, url, actors)
    data.update(
        {
            "citations-TOTAL_FORMS": "1",
            "citations-0-source": str(source.pk),
            "citations-0-locator": "p. 46",
            "citations-0-passage": "The passage this record rests on.",
            "citations-0-stance": "supports",
            "citations-0-credibility": "2",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    citation = Citation.objects.get(locator="p. 46")
    assert citation.target is not None and isinstance(citation.target, model)
    assert citation.source == source
    assert citation.history.get().history_user is not None  # saved through the services


def test_an_analyst_cannot_cite_from_a_new_record_a_citation_that_breaks_a_rule(admin_client):
    """The rule still holds on a new record: a note must cite the chosen source."""
    source, other = factories.SourceFactory(), factories.SourceFactory()
    note = factories.NoteFactory(document=other)
    url = reverse("admin:places_place_add")
    data = {
        **form_data(admin_client.get(url)),
        "name": "Shymkent",
        "citations-TOTAL_FORMS": "1",
        "citations-0-source": str(source.pk),
        "citations-0-note": str(note.pk),
        "citations-0-stance": "supports",
        "citations-0-credibility": "2",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "This note does not cite the chosen source." in response.content.decode()
    assert not Place.objects.filter(name="Shymkent").exists()


# --- transition buttons ---------------------------------------------------------------------


def buttons(client, record):
    page = client.get(reverse("admin:agreements_agreement_change", args=[record.pk])).content.decode()
    return [label for name, label in BUTTONS if f"transition__button--{name}" in page]


BUTTONS = [
    ("submit_for_review", "Submit for review"),
    ("publish", "Publish"),
    ("return_to_draft", "Return to draft"),
    ("unpublish", "Return to draft (unpublish)"),
]


def press(client, record, name, version):
    url = reverse("admin:agreements_agreement_transition", args=[record.pk, name])
    return client.post(url, {"version": str(version)}, follow=True)


def test_the_change_form_offers_the_transitions_the_rule_allows(analyst, editor):
    draft = factories.AgreementFactory(publication_status="draft")
    assert buttons(client_for(analyst), draft) == ["Submit for review"]
    assert buttons(client_for(editor), draft) == ["Submit for review", "Publish"]
    in_review = factories.AgreementFactory(publication_status="in_review")
    assert buttons(client_for(analyst), in_review) == []
    assert buttons(client_for(editor), in_review) == ["Publish", "Return to draft"]
    published = factories.AgreementFactory(publication_status="published")
    assert buttons(client_for(editor), published) == ["Return to draft (unpublish)"]


def test_pressing_a_button_applies_the_transition_through_the_services(analyst, editor):
    agreement = factories.AgreementFactory(publication_status="draft")
    response = press(client_for(analyst), agreement, "submit_for_review", agreement.version)
    assert response.status_code == 200
    agreement.refresh_from_db()
    assert agreement.publication_status == "in_review"
    assert agreement.history.first().history_user == analyst
    assert any("Submit for review: done" in text for text in messages_of(response))
    press(client_for(editor), agreement, "publish", agreement.version)
    agreement.refresh_from_db()
    assert agreement.publication_status == "published"


def test_a_stale_or_refused_press_is_a_message_not_a_crash(analyst):
    agreement = factories.AgreementFactory(publication_status="draft")
    version = agreement.version
    services.record_save(agreement, user=None)  # someone saved meanwhile
    response = press(client_for(analyst), agreement, "submit_for_review", version)
    assert response.status_code == 200
    assert any("not done" in text and "after you opened it" in text for text in messages_of(response))
    refused = press(client_for(analyst), agreement, "publish", agreement.version + 1)
    assert any("Only an editor can publish" in text for text in messages_of(refused))
    garbled = client_for(analyst).post(
        reverse("admin:agreements_agreement_transition", args=[agreement.pk, "publish"]), {"version": "x"}
    )
    assert garbled.status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).publication_status == "draft"
    url = reverse("admin:agreements_agreement_transition", args=[agreement.pk, "submit_for_review"])
    assert client_for(analyst).get(url).status_code == 405
    unknown = reverse("admin:agreements_agreement_transition", args=[agreement.pk, "delete"])
    assert client_for(analyst).post(unknown, {"version": "1"}).status_code == 404


# --- date formats ------------------------------------------------------------------------------


def date_fields(response):
    yield from response.context["adminform"].form.fields.items()
    for inline in response.context["inline_admin_formsets"]:
        yield from inline.formset.empty_form.fields.items()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_date_box_in_the_admin_says_which_formats_it_reads(admin_client, model):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    boxes = [(name, field) for name, field in date_fields(response) if isinstance(field, PartialDateFormField)]
    for name, field in boxes:
        assert field.help_text.endswith(ACCEPTED_FORMATS), name
    if boxes:
        assert "spring 2011" in response.content.decode()


@pytest.mark.parametrize(
    "example",
    ["2011-03-14", "14 March 2011", "March 2011", "spring 2011", "early 2011", "2011", "2006–2008", "c. 2007"],
)
def test_each_format_the_help_text_shows_is_read(example):
    assert example in ACCEPTED_FORMATS
    assert PartialDate.parse(example).display() in {example, "14 March 2011"}
