from django.db import models


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    QUALIFIES = "qualifies", "Qualifies"
    DISPUTES = "disputes", "Disputes"


# Every kind of record a citation can be attached to, as (field name, label).
CITABLE = [
    ("actor", "actor"),
    ("affiliation", "affiliation"),
    ("agreement", "agreement"),
    ("agreement_step", "agreement step"),
    ("deployment", "deployment"),
    ("exercise", "exercise"),
    ("event", "event"),
    ("place", "place"),
    ("route", "route"),
    ("route_leg", "route leg"),
    ("route_constraint", "route constraint"),
]
CITABLE_FIELDS = [name for name, _ in CITABLE]
