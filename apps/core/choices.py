from django.db import models


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"


class Reliability(models.TextChoices):
    """NATO Admiralty scale: how reliable the source is."""

    A = "A", "A – completely reliable"
    B = "B", "B – usually reliable"
    C = "C", "C – fairly reliable"
    D = "D", "D – not usually reliable"
    E = "E", "E – unreliable"
    F = "F", "F – reliability cannot be judged"


class Credibility(models.IntegerChoices):
    """NATO Admiralty scale: how credible this particular piece of information is."""

    CONFIRMED = 1, "1 – confirmed by other sources"
    PROBABLY_TRUE = 2, "2 – probably true"
    POSSIBLY_TRUE = 3, "3 – possibly true"
    DOUBTFUL = 4, "4 – doubtful"
    IMPROBABLE = 5, "5 – improbable"
    CANNOT_JUDGE = 6, "6 – truth cannot be judged"


class ProposalStatus(models.TextChoices):
    """Where a proposed correction to a published record stands."""

    OPEN = "open", "Open"
    SENT_BACK = "sent_back", "Sent back"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A proposal still awaiting the proposer or an editor: at most one per proposer and record.
PENDING_PROPOSAL_STATUSES = (ProposalStatus.OPEN, ProposalStatus.SENT_BACK)


class ChoiceLabel:
    """``record.kind_label``: the label of a choice field's value, as ``get_kind_display()``
    gives it, from a table built once per model and field.

    ``get_FOO_display()`` rebuilds the field's choices on every call (about 5 µs), and a list
    page of 100 rows asks it a hundred times or more; list rows read labels through this.
    Declared on a model as ``kind_label = ChoiceLabel("kind")``.
    """

    def __init__(self, field_name):
        self.field_name = field_name
        self.labels = {}  # model → {value: label}: an abstract model's label serves each subclass

    def __get__(self, record, owner=None):
        if record is None:
            return self
        model = type(record)
        if model not in self.labels:
            field = model._meta.get_field(self.field_name)
            self.labels[model] = {value: str(label) for value, label in field.flatchoices}
        value = getattr(record, self.field_name)
        return self.labels[model].get(value, value)
