"""Where a record is read on the site, and whether a reader sees drafts of it."""

from django.urls import get_script_prefix, reverse

_SLUG = "__slug__"
_PAGE_PATHS: dict = {}


def page_path(url_name: str, slug: str) -> str:
    """``reverse(url_name, args=[slug])`` for a slug route, reversed once per route.

    A timeline or a list links thousands of records; reversing each would cost more
    than the rest of the page. Slugs hold only letters, digits, "-" and "_", so the
    slug goes into the path as it is.
    """
    key = (url_name, get_script_prefix())
    if key not in _PAGE_PATHS:
        _PAGE_PATHS[key] = reverse(url_name, args=[_SLUG])
    return _PAGE_PATHS[key].replace(_SLUG, slug)


def record_url(record) -> str:
    """The public page of a record; sub-records point into their parent's page."""
    name = record._meta.model_name
    if name == "agreementstep":
        return page_path("agreements:detail", record.agreement.slug) + f"#step-{record.slug}"
    if name == "affiliation":
        return page_path("actors:detail", record.member.slug) + f"#affiliation-{record.slug}"
    if name == "exerciseseries":
        return page_path("exercises:series", record.slug)
    if name == "note":
        return page_path("sources:detail", record.document.slug) + f"#{note_anchor(record)}"
    return page_path(f"{record._meta.app_label}:detail", record.slug)


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
