from django.db import models


class SourceKind(models.TextChoices):
    NEWS_REPORT = "news_report", "News report"
    JOURNAL_ARTICLE = "journal_article", "Journal article"
    BOOK = "book", "Book"
    CHAPTER = "chapter", "Book chapter"
    REPORT = "report", "Report"
    OFFICIAL_STATEMENT = "official_statement", "Official statement or press release"
    SPEECH = "speech", "Speech or testimony"
    INTERVIEW = "interview", "Interview"
    DIPLOMATIC_CABLE = "diplomatic_cable", "Diplomatic cable"
    WEB_PAGE = "web_page", "Web page"
    DATASET = "dataset", "Table, database or dataset"
    OTHER = "other", "Other"


class NoteKind(models.TextChoices):
    FOOTNOTE = "footnote", "Footnote"
    BIBLIOGRAPHY = "bibliography", "Bibliography entry"
