"""The NDN map on any page: ``{% load route_maps %}{% route_map %}`` (the whole network),
``{% route_map place=object %}``, ``{% route_map agreement=object %}`` or
``{% route_map route=object %}``; and ``{% place_locator object %}`` for a place's locator.

The map is drawn in the browser (static/js/dist/map.js) from ONE request for the routes'
GeoJSON, filtered as the page needs; under it, the same routes leg by leg as a list, which
is the map's text alternative and all a reader without JavaScript gets.
"""

from django import template
from django.http import QueryDict
from django.urls import reverse

from apps.core.models import withhold_hidden
from apps.routes.filters import RouteFilterSet
from apps.routes.models import Route

register = template.Library()


def geojson_url(query):
    query = query.copy()
    query["format"] = "geojson"
    return reverse("routes-api:route-list") + "?" + query.urlencode()


@register.inclusion_tag("routes/includes/route_map.html", takes_context=True)
def route_map(context, place=None, agreement=None, route=None, filters=None, listed_below=None):
    """The map of the routes through ``place``, permitted by ``agreement``, or of the whole
    network (``filters``: a list page's query, applied to both the map and its list). On a
    route's page the whole network is drawn, ``route`` highlighted and fitted; its own
    "Legs" section is the text alternative, so no list is repeated. On the routes list the
    results below, leg by leg, are the text alternative (``listed_below``: the list's
    paginator): a thousand routes are not written out twice."""
    user = context["request"].user
    query = QueryDict(mutable=True)
    if place is not None:
        query["place"] = place.slug
    elif agreement is not None:
        query["agreement"] = agreement.slug
    elif filters:
        query.update(filters)
        for not_a_filter in ("format", "page", "sort", "page_size"):
            query.pop(not_a_filter, None)
    if route is not None or listed_below is not None:
        routes = []
    else:
        routes = RouteFilterSet(query, queryset=Route.objects.visible_to(user).with_related(), request=None).qs
        # Named from what the reader sees: no leg from a draft place, no spur of a draft route.
        routes = withhold_hidden(routes.order_by("name", "pk"), user)
    return {
        "user": user,
        "routes": routes,
        "drawn": route is not None or bool(routes) or bool(listed_below and listed_below.count),
        "listed_below": listed_below,
        "data_url": geojson_url(QueryDict() if route is not None else query),
        "focus_route": route.slug if route is not None else "",
        "focus_place": place.slug if place is not None else "",
        "list_id": f"route-legs-{place.slug if place else agreement.slug if agreement else 'all'}",
    }


@register.inclusion_tag("routes/includes/place_locator.html")
def place_locator(place):
    return {"place": place}
