from django.contrib import admin

from apps.core.admin import RecordAdmin, StampedInline, citation_inline

from .models import Exercise, ExerciseParticipant, ExerciseSeries


class ExerciseParticipantInline(StampedInline):
    model = ExerciseParticipant
    fields = ["actor", "role", "notes"]
    autocomplete_fields = ["actor"]


@admin.register(ExerciseSeries)
class ExerciseSeriesAdmin(RecordAdmin):
    list_display = ["name", "recurrence", "publication_status"]
    search_fields = ["name", "description"]
    fields = ["name", "slug", "recurrence", "description", "publication_status", "created", "updated"]


@admin.register(Exercise)
class ExerciseAdmin(RecordAdmin):
    list_display = ["name", "series", "edition", "start", "end", "location", "publication_status"]
    list_filter = ["series", "publication_status"]
    search_fields = ["name", "focus", "description", "series__name", "slug"]
    autocomplete_fields = ["series", "location"]
    inlines = [ExerciseParticipantInline, citation_inline(Exercise)]
    fields = [
        "name", "slug", ("series", "edition"), ("start", "end"), "location", "focus", "description",
        "publication_status", "created", "updated",
    ]
