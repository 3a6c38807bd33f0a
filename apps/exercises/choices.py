from django.db import models


class ParticipantRole(models.TextChoices):
    HOST = "host", "Host"
    PARTICIPANT = "participant", "Participant"
    TRAINER = "trainer", "Trainer"
    OBSERVER = "observer", "Observer"
    ORGANISER = "organiser", "Organiser"
