from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedInline, citation_inline

from .models import Actor, Affiliation


class AffiliationInline(StampedInline):
    model = Affiliation
    fk_name = "member"
    fields = ["organisation", "kind", "role", "start", "end", "publication_status"]
    autocomplete_fields = ["organisation"]
    verbose_name_plural = "affiliations (memberships and offices held)"


@admin.register(Actor)
class ActorAdmin(RecordAdmin):
    list_display = ["name", "kind", "parent", "country", "publication_status", "updated"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["name", "aliases", "description", "slug"]
    autocomplete_fields = ["parent", "country"]
    inlines = [AffiliationInline, citation_inline(Actor)]
    fields = [
        "name", "slug", "kind", "aliases", "description", "parent", "country",
        "publication_status", "created", "updated",
    ]


@admin.register(Affiliation)
class AffiliationAdmin(RecordAdmin):
    list_display = ["member", "organisation", "kind", "role", "start", "end", "publication_status"]
    list_filter = ["kind", "publication_status"]
    search_fields = ["member__name", "organisation__name", "role", "notes"]
    autocomplete_fields = ["member", "organisation"]
    inlines = [citation_inline(Affiliation)]
    fields = [
        "member", "organisation", "kind", "role", ("start", "end"), "notes", "slug",
        "publication_status", "created", "updated",
    ]
