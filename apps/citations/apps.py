from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "apps.citations"
    label = "citations"

    def ready(self):
        from apps.core.pages import provide_page_notes

        from .notes import PageNotes

        provide_page_notes(PageNotes.for_records)
