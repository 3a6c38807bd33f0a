from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedAdmin, StampedInline, citation_inline

from .models import Leg, Route, RouteConstraint


class LegInline(StampedInline):
    model = Leg
    fields = ["order", "from_place", "to_place", "mode", "countries", "enters_afghanistan", "notes"]
    autocomplete_fields = ["from_place", "to_place", "countries"]
    show_change_link = True  # a leg's citations are edited on its own page


class RouteConstraintInline(StampedInline):
    model = RouteConstraint
    fields = ["kind", "text"]
    show_change_link = True


@admin.register(Route)
class RouteAdmin(RecordAdmin):
    list_display = ["name", "modes", "status", "branches_from", "publication_status"]
    list_filter = ["status", "publication_status"]
    search_fields = ["name", "aliases", "description", "slug"]
    autocomplete_fields = ["permitted_by", "branches_from", "branch_place"]
    inlines = [LegInline, RouteConstraintInline, citation_inline(Route)]
    fieldsets = [
        (None, {"fields": ["name", "slug", "aliases", "modes", "status", "description"]}),
        ("Permitted by", {"fields": ["permitted_by"]}),
        ("Spur", {"fields": [("branches_from", "branch_place")]}),
        ("Publication", {"fields": ["publication_status", "created", "updated"]}),
    ]


@admin.register(Leg)
class LegAdmin(StampedAdmin):
    list_display = ["__str__", "mode", "enters_afghanistan"]
    search_fields = ["route__name", "from_place__name", "to_place__name", "slug"]
    autocomplete_fields = ["route", "from_place", "to_place", "countries"]
    fields = ["route", "order", "from_place", "to_place", "mode", "countries", "enters_afghanistan", "notes", "slug"]
    inlines = [citation_inline(Leg)]


@admin.register(RouteConstraint)
class RouteConstraintAdmin(StampedAdmin):
    list_display = ["__str__", "route", "kind"]
    search_fields = ["route__name", "text", "slug"]
    autocomplete_fields = ["route"]
    fields = ["route", "kind", "text", "slug"]
    inlines = [citation_inline(RouteConstraint)]
