"""Where a record is read on the site, and whether a reader sees drafts of it."""

from django.urls import reverse


def record_url(record) -> str:
    """The public page of a record; sub-records point into their parent's page."""
    name = record._meta.model_name
    if name == "agreementstep":
        return reverse("agreements:detail", args=[record.agreement.slug]) + f"#step-{record.slug}"
    if name == "affiliation":
        return reverse("actors:detail", args=[record.member.slug]) + f"#affiliation-{record.slug}"
    if name == "exerciseseries":
        return reverse("exercises:series", args=[record.slug])
    if name == "note":
        return reverse("sources:detail", args=[record.document.slug]) + f"#{note_anchor(record)}"
    return reverse(f"{record._meta.app_label}:detail", args=[record.slug])


def note_anchor(note) -> str:
    """Anchor of a document's note on the document's source page: note-12, bibliography-3."""
    prefix = "note" if note.kind == "footnote" else "bibliography"
    return f"{prefix}-{note.number}"


def sees_drafts(user, model) -> bool:
    """Whether ``model.objects.visible_to(user)`` includes drafts, answered without a query.

    ``visible_to`` is the one rule for who sees drafts; this asks it, so code that
    checks related records in Python (a prefetched actor, a cited source) agrees with it.
    """
    return not model.objects.visible_to(user).query.has_filters()
