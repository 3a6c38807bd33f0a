"""What every page needs: the sections for the navigation, staff status, the canonical URL."""

from django.urls import reverse

NAVIGATION = [
    ("casefiles:timeline", "Timeline"),
    ("actors:list", "Actors"),
    ("agreements:list", "Agreements"),
    ("deployments:list", "Deployments"),
    ("exercises:list", "Exercises"),
    ("events:list", "Events"),
    ("places:list", "Places"),
    ("sources:list", "Sources"),
]


def site(request):
    user = getattr(request, "user", None)
    path = request.path
    navigation = []
    for name, label in NAVIGATION:
        url = reverse(name)
        navigation.append({"url": url, "label": label, "current": path.startswith(url)})
    return {
        "navigation": navigation,
        "is_staff_reader": bool(user is not None and user.is_authenticated and user.is_staff),
        "canonical_url": request.build_absolute_uri(path),
    }
