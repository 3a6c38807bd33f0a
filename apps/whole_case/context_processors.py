"""What every page needs: the sections for the navigation, staff status, the canonical URL."""

from functools import cache

from django.urls import get_script_prefix, reverse

from .registry import navigation_types


def navigation_items():
    """The timeline, then every record type's list, in the registry's order."""
    return [("whole_case:timeline", "Timeline")] + [
        (record_type.list_url_name, record_type.label) for record_type in navigation_types()
    ]


@cache
def navigation_urls(script_prefix) -> tuple[tuple[str, str], ...]:
    """(URL, label) of the sections, reversed once per script prefix, not on every page."""
    return tuple((reverse(name), label) for name, label in navigation_items())


def site(request):
    user = getattr(request, "user", None)
    path = request.path
    navigation = [
        {"url": url, "label": label, "current": path.startswith(url)}
        for url, label in navigation_urls(get_script_prefix())
    ]
    return {
        "navigation": navigation,
        "is_staff_reader": bool(user is not None and user.is_authenticated and user.is_staff),
        "canonical_url": request.build_absolute_uri(path),
    }
