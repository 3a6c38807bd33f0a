from django.db import models


class PlaceKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region or province"
    CITY = "city", "City or town"
    BASE = "base", "Military base"
    AIRFIELD = "airfield", "Airport or airfield"
    PORT = "port", "Port"
    TRAINING_CENTRE = "training_centre", "Training centre"
    BUILDING = "building", "Building or institution"
    SEA = "sea", "Sea or water body"
    ROUTE = "route", "Route or corridor"
    OTHER = "other", "Other"
