"""What every page needs: the sections for the navigation, staff status, the canonical URL."""

from django.urls import reverse

from .registry import navigation_types


def navigation_items():
    """The timeline, then every record type's list, in the registry's order."""
    return [("whole_case:timeline", "Timeline")] + [
        (record_type.list_url_name, record_type.label) for record_type in navigation_types()
    ]


def site(request):
    user = getattr(request, "user", None)
    path = request.path
    navigation = []
    for name, label in navigation_items():
        url = reverse(name)
        navigation.append({"url": url, "label": label, "current": path.startswith(url)})
    return {
        "navigation": navigation,
        "is_staff_reader": bool(user is not None and user.is_authenticated and user.is_staff),
        "canonical_url": request.build_absolute_uri(path),
    }
