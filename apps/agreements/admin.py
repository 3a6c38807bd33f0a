from django.contrib import admin

from apps.citations.admin import citation_inline
from apps.core.admin import RecordAdmin

from .models import Agreement, AgreementParty, AgreementStep


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    fields = ["actor", "role", "notes"]
    autocomplete_fields = ["actor"]
    extra = 0


class AgreementStepInline(admin.TabularInline):
    model = AgreementStep
    fields = ["kind", "date", "sequence", "acting_body", "place", "votes_for", "votes_against", "description"]
    autocomplete_fields = ["acting_body", "place"]
    extra = 0
    show_change_link = True  # a step's own page carries its citations
    verbose_name_plural = "lifecycle steps (the latest gives the current status)"


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "lifecycle_status", "party_names", "publication_status"]
    list_filter = ["kind", "transit_mode", "cargo_scope", "publication_status", "steps__kind"]
    search_fields = ["title", "short_title", "summary", "slug"]
    autocomplete_fields = ["supersedes"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AgreementPartyInline, AgreementStepInline, citation_inline("agreement")]
    fieldsets = [
        (None, {"fields": ["title", "short_title", "slug", "kind", "summary"]}),
        ("Scope", {"fields": ["transit_mode", "cargo_scope", "scope_notes", ("period_start", "period_end")]}),
        ("Relations", {"fields": ["supersedes"]}),
        ("Publication", {"fields": ["publication_status", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.display(description="status (from the lifecycle)")
    def lifecycle_status(self, agreement):
        return agreement.lifecycle_status

    @admin.display(description="parties")
    def party_names(self, agreement):
        return ", ".join(sorted({str(party.actor) for party in agreement.party_roles.all()}))


@admin.register(AgreementStep)
class AgreementStepAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "date", "acting_body"]
    list_filter = ["kind"]
    search_fields = ["agreement__title", "agreement__short_title", "description", "acting_body__name"]
    autocomplete_fields = ["agreement", "acting_body", "place"]
    readonly_fields = ["created", "updated"]
    inlines = [citation_inline("agreement_step")]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "acting_body")
