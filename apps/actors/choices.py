from django.db import models


class ActorKind(models.TextChoices):
    STATE = "state", "State"
    INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
    PROGRAMME = "programme", "Partnership framework or programme"
    OPERATION = "operation", "Mission or operation"
    MILITARY_UNIT = "military_unit", "Military unit"
    GOVERNMENT_BODY = "government_body", "Government body"
    LEGISLATURE = "legislature", "Legislature or chamber"
    PERSON = "person", "Person"
    COMPANY = "company", "Company"
    MEDIA_OUTLET = "media_outlet", "Media outlet"
    RESEARCH_BODY = "research_body", "Research institute or university"
    NON_STATE_GROUP = "non_state_group", "Non-state or armed group"
    OTHER = "other", "Other"


class AffiliationKind(models.TextChoices):
    MEMBERSHIP = "membership", "Membership"
    OFFICE = "office", "Office held"
    COMMAND = "command", "Command or subordination"
    EMPLOYMENT = "employment", "Employment or fellowship"
    REPRESENTATION = "representation", "Representative of"
    OTHER = "other", "Other"
