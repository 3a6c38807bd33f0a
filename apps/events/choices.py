from django.db import models


class EventKind(models.TextChoices):
    VISIT = "visit", "Visit"
    MEETING = "meeting", "Meeting or talks"
    SPEECH = "speech", "Speech or testimony"
    STATEMENT = "statement", "Statement or announcement"
    VOTE = "vote", "Vote"
    DECISION = "decision", "Decision or approval"
    OPENING = "opening", "Opening or inauguration"
    CLOSURE = "closure", "Closure"
    ATTACK = "attack", "Attack"
    FLIGHT = "flight", "Flight or shipment"
    CONFERENCE = "conference", "Conference or summit"
    AWARD = "award", "Award"
    PUBLICATION = "publication", "Publication or report"
    OTHER = "other", "Other"


class EventRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    VISITOR = "visitor", "Visitor"
    HOST = "host", "Host"
    SPEAKER = "speaker", "Speaker"
    AUDIENCE = "audience", "Audience"
    ORGANISER = "organiser", "Organiser"
    PARTICIPANT = "participant", "Participant"
    VOTER = "voter", "Voting body"
    PERPETRATOR = "perpetrator", "Perpetrator"
    TARGET = "target", "Target"
    OPERATOR = "operator", "Operator"
    OTHER = "other", "Other"
