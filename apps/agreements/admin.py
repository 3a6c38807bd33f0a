from django.contrib import admin
from django.core.exceptions import ValidationError

from apps.core.admin import (
    ConstraintWordsFormSet,
    RecordAdmin,
    StampedAdmin,
    StampedInline,
    VersionedAdminForm,
    citation_inline,
)

from .choices import STEP_STAGE
from .models import Agreement, AgreementParty, AgreementStep, check_supersession


class AgreementForm(VersionedAdminForm):
    def clean(self):
        cleaned = super().clean()
        # The model's clean() sees the saved supersessions only; check the submitted ones.
        if self.instance.pk is not None and "supersedes" in cleaned:
            check_supersession(self.instance, list(cleaned["supersedes"]))
        return cleaned


class AgreementStepFormSet(ConstraintWordsFormSet):
    """Checks the steps in the form against each other, as they will be saved together.

    Each step's own clean() compares it with the steps already saved; this compares the
    steps as submitted, so two new steps in an impossible order are refused too.
    """

    def clean(self):
        super().clean()
        steps = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("date")
        ]
        for form in steps:
            step = form.cleaned_data
            for other_form in steps:
                other = other_form.cleaned_data
                if other_form is form or STEP_STAGE[other["kind"]] >= STEP_STAGE[step["kind"]]:
                    continue
                if other["date"].earliest > step["date"].latest:
                    kind = dict(AgreementStep._meta.get_field("kind").choices)
                    form.add_error(
                        "date",
                        ValidationError(
                            f"“{kind[step['kind']]}” cannot come before the agreement was "
                            f"{kind[other['kind']].lower()} ({other['date']})."
                        ),
                    )
                    break


class AgreementPartyInline(StampedInline):
    model = AgreementParty
    fields = ["actor", "role", "notes"]
    autocomplete_fields = ["actor"]


class AgreementStepInline(StampedInline):
    model = AgreementStep
    formset = AgreementStepFormSet
    fields = ["kind", "date", "sequence", "acting_body", "place", "votes_for", "votes_against", "description"]
    autocomplete_fields = ["acting_body", "place"]
    show_change_link = True  # a step's own page carries its citations
    verbose_name_plural = "lifecycle steps (the latest gives the current status)"


@admin.register(Agreement)
class AgreementAdmin(RecordAdmin):
    form = AgreementForm
    list_display = ["__str__", "kind", "lifecycle_status", "party_names", "publication_status"]
    list_filter = ["kind", "transit_mode", "cargo_scope", "publication_status", "steps__kind"]
    search_fields = ["title", "short_title", "summary", "slug"]
    autocomplete_fields = ["supersedes"]
    inlines = [AgreementPartyInline, AgreementStepInline, citation_inline(Agreement)]
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
        return ", ".join(sorted({str(party.actor) for party in agreement.party_list}))


@admin.register(AgreementStep)
class AgreementStepAdmin(StampedAdmin):
    list_display = ["agreement", "kind", "date", "acting_body"]
    list_filter = ["kind"]
    search_fields = ["agreement__title", "agreement__short_title", "description", "acting_body__name"]
    autocomplete_fields = ["agreement", "acting_body", "place"]
    inlines = [citation_inline(AgreementStep)]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement", "acting_body")
