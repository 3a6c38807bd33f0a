"""Records with several relations each, for the query-count tests and the benchmarks' checks."""

from tests import factories


def cite(record_field, record, count=3):
    for _ in range(count):
        factories.CitationFactory(**{"actor": None, record_field: record})


def rich_actor():
    country = factories.ActorFactory(kind="state")
    parent = factories.ActorFactory(kind="government_body", country=country)
    actor = factories.ActorFactory(kind="government_body", parent=parent, country=country)
    cite("actor", actor)
    return actor


def rich_affiliation():
    affiliation = factories.AffiliationFactory(start="1995", end="May 2009")
    cite("affiliation", affiliation)
    return affiliation


def rich_agreement():
    agreement = factories.AgreementFactory()
    for role in ("party", "signatory", "transit_state"):
        factories.AgreementPartyFactory(agreement=agreement, role=role)
    chamber = factories.ActorFactory(kind="legislature")
    place = factories.PlaceFactory()
    factories.AgreementStepFactory(agreement=agreement, kind="proposed", date="2009", place=place)
    factories.AgreementStepFactory(agreement=agreement, kind="signed", date="12 November 2010", acting_body=chamber)
    factories.AgreementStepFactory(
        agreement=agreement, kind="approved_by_chamber", date="May 2011", acting_body=chamber, votes_for=70
    )
    factories.AgreementStepFactory(
        agreement=agreement, kind="rejected_by_chamber", date="9 June 2011", acting_body=chamber
    )
    agreement.supersedes.add(factories.AgreementFactory(), factories.AgreementFactory())
    cite("agreement", agreement)
    return agreement


def rich_deployment():
    deployment = factories.DeploymentFactory(
        unit=factories.ActorFactory(kind="military_unit"),
        mission=factories.ActorFactory(kind="operation"),
        location=factories.PlaceFactory(),
        legal_basis=factories.AgreementFactory(),
        start="May 2011",
    )
    for title in ("medical officer", "staff officer", "liaison officer"):
        factories.DeploymentRoleFactory(deployment=deployment, title=title)
    cite("deployment", deployment)
    return deployment


def rich_exercise():
    exercise = factories.ExerciseFactory(
        series=factories.ExerciseSeriesFactory(), location=factories.PlaceFactory(), end="October 2008"
    )
    for role in ("host", "participant", "observer"):
        factories.ExerciseParticipantFactory(exercise=exercise, role=role)
    cite("exercise", exercise)
    return exercise


def rich_event():
    event = factories.EventFactory(place=factories.PlaceFactory())
    for role in ("visitor", "host", "speaker"):
        factories.EventParticipantFactory(event=event, role=role)
    cite("event", event)
    return event


def rich_place():
    place = factories.PlaceFactory(within=factories.PlaceFactory(kind="country"))
    cite("place", place)
    return place


def rich_route():
    route = factories.RouteFactory(
        modes="rail,road", branches_from=None, branch_place=None, description="Through Russia and Kazakhstan."
    )
    countries = [factories.PlaceFactory(kind="country") for _ in range(2)]
    for order in (1, 2, 3):
        leg = factories.LegFactory(route=route, order=order, mode="road")
        leg.countries.set(countries)
        cite("route_leg", leg, count=1)
    for kind in ("container_size", "transit_time"):
        cite("route_constraint", factories.RouteConstraintFactory(route=route, kind=kind), count=1)
    route.permitted_by.add(factories.AgreementFactory(), factories.AgreementFactory())
    cite("route", route)
    return route


def rich_source():
    return factories.SourceFactory(authors="McDermott, Roger N.\nMinistry of Defence", accessed="2020-01-02")


def rich_citation():
    # a chamber's vote: its outcome text names the chamber, so the chamber must be fetched too
    chamber = factories.ActorFactory(kind="legislature")
    step = factories.AgreementStepFactory(kind="approved_by_chamber", acting_body=chamber)
    note = factories.NoteFactory()
    source = note.document
    note.cites.add(source)
    factories.CitationFactory(actor=None, agreement_step=step, source=source, note=note)
    factories.CitationFactory(actor=None, affiliation=factories.AffiliationFactory())
    return factories.CitationFactory(actor=None, event=factories.EventFactory())


RICH = {
    "actors": rich_actor,
    "affiliations": rich_affiliation,
    "agreements": rich_agreement,
    "deployments": rich_deployment,
    "exercises": rich_exercise,
    "events": rich_event,
    "places": rich_place,
    "routes": rich_route,
    "sources": rich_source,
    "citations": rich_citation,
}
