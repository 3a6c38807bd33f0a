"""Where a record is read on the site: the one helper every ``get_absolute_url`` uses."""

from django.urls import get_script_prefix, reverse

_SLUG = "__slug__"
_PAGE_PATHS: dict = {}


def page_path(url_name: str, slug: str) -> str:
    """``reverse(url_name, args=[slug])`` for a slug route, reversed once per route and
    script prefix.

    A timeline or a list links thousands of records; reversing each would cost more
    than the rest of the page. Slugs hold only letters, digits, "-" and "_", so the
    slug goes into the path as it is.
    """
    key = (url_name, get_script_prefix())
    if key not in _PAGE_PATHS:
        _PAGE_PATHS[key] = reverse(url_name, args=[_SLUG])
    return _PAGE_PATHS[key].replace(_SLUG, slug)
