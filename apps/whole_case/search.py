"""Search across every kind of record at once, for the search page, the API and the
suggestions offered as one types.

It reads the search index (``models.SearchEntry``, kept current by ``search_index``) in
two queries whatever the case file's size, then the records found, one query per kind
with results (``visible_to(user).with_related()``, so a record the reader may not see is
dropped even if the index were behind):

1. **Names**: the index's terms (names, other names and their words) equal or close in
   spelling to the words typed — PostgreSQL's trigram similarity over a GIN trigram
   index, or SQLite's FTS5 trigram table — read only from entries the reader may see.
   A whole name or alias typed exactly ranks first; a close spelling ("Nazarbaev") finds
   the name and is offered as "did you mean".
2. **Text**: words anywhere in the entry, ranked with names above other names above
   descriptive text above citation passages (PostgreSQL's ``ts_rank`` on a weighted
   ``tsvector`` with English stemming; SQLite's FTS5 ``bm25`` with column weights in the
   same proportions and Porter stemming), the best ``limit_per_type`` of each kind.

Exact name and alias matches come first, then text matches by rank, then close spellings;
kinds are listed in the order of their best result. Similarity is decided in Python with
pg_trgm's measure on both databases, so both give the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import Case, F, Q, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Length, RowNumber
from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.core.models import sees_drafts, withhold_hidden

from .models import SearchEntry, SearchTerm
from .registry import searchable_types
from .search_index import (
    FTS_COLUMN_WEIGHTS,
    FTS_TRIGRAMS_TABLE,
    FTS_WORDS_TABLE,
    TEXT_SEARCH_CONFIG,
    indexed_kinds,
    normalise,
)

# Result groups in the registry's order, with their labels.
SEARCH_TYPES = {record_type.key: (record_type.label, record_type.model) for record_type in searchable_types()}

DEFAULT_LIMIT = 25
# Entries ranked by text at most, however many match: a word in every record (a common
# word on a large case file) costs the same as a rare one; names are found apart.
TEXT_CANDIDATES = 1_000
# Terms of close spelling read at most, and how close (pg_trgm's similarity, 0–1) a term
# must be to find its record, or to be offered as "did you mean".
NAME_CANDIDATES = 60
CLOSE_TERMS_READ = 500
SPELLED_LENGTH = 4
FOUND_BY_SPELLING = 0.5
OFFERED_SPELLING = 0.3
SNIPPET_LENGTH = 180
# Words this long also find longer words they begin ("kazakh" finds Kazakhstan).
PREFIX_LENGTH = 3
# ts_rank divided by 1 + the log of the entry's length: a record cited in many long
# passages does not outrank one whose name holds the words (SQLite's bm25 does likewise).
RANK_NORMALIZATION = 1
SUGGESTIONS = 8

# How a record was found, best first.
MATCH_NAME, MATCH_ALIAS, MATCH_TEXT, MATCH_SPELLING = "name", "alias", "text", "spelling"
# A name and another name typed in full rank alike; then text matches, those with a name
# or alias equal to one of the words typed first ("Manas air base": the place called Manas).
MATCH_ORDER = {MATCH_NAME: 0, MATCH_ALIAS: 0, MATCH_TEXT: 2, MATCH_SPELLING: 3}
NAMED_BY_A_WORD = 1


# --- pg_trgm's similarity, in Python ------------------------------------------------------


def trigrams(text: str) -> set[str]:
    """The trigrams pg_trgm makes of ``text``: each word, lower case, padded with two
    spaces before and one after."""
    found = set()
    for word in re.findall(r"[^\W_]+", text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(first: str, second: str) -> float:
    """pg_trgm's ``similarity()``: shared trigrams over all trigrams of the two."""
    a, b = trigrams(first), trigrams(second)
    return len(a & b) / len(a | b) if a and b else 0.0


# --- results ------------------------------------------------------------------------------


@dataclass
class Hit:
    """A record found, how (``match``), its place among the results (``rank``: lower is
    better) and a snippet with the words found marked."""

    kind: str
    record: object
    entry: SearchEntry
    match: str
    rank: tuple
    snippet: str = ""


@dataclass
class Group:
    key: str
    label: str
    hits: list[Hit]


@dataclass
class SearchResults:
    q: str
    groups: list[Group] = field(default_factory=list)  # kinds with results, best first
    suggestion: str = ""  # a spelling from the index to try instead ("did you mean")

    @property
    def total(self) -> int:
        return sum(len(group.hits) for group in self.groups)

    def by_kind(self) -> dict[str, list[Hit]]:
        """Every searchable kind, in the registry's order, with its hits (maybe none)."""
        found = {group.key: group.hits for group in self.groups}
        return {key: found.get(key, []) for key in SEARCH_TYPES}


def clean_query(q) -> str:
    # No stored text holds a NUL; PostgreSQL refuses one.
    return " ".join((q or "").replace("\x00", "").split())[:200]


def query_words(text: str) -> list[str]:
    return normalise(text).split()


def drafts_seen(user) -> list[str]:
    """The kinds whose drafts ``user`` sees (``sees_drafts``, the one rule)."""
    return [key for key, kind in indexed_kinds().items() if sees_drafts(user, kind.model)]


def visible_entries(seen_drafts: list[str]):
    """Entries of published records, and of drafts of the kinds in ``seen_drafts``."""
    return SearchEntry.objects.filter(Q(published=True) | Q(kind__in=seen_drafts))


# --- 1. names -----------------------------------------------------------------------------


@dataclass
class TermMatch:
    entry_id: int
    kind: str
    term: str
    whole: bool
    name: str
    aliases: str


def _name_candidates(seen_drafts, phrase: str, words: list[str]) -> list[TermMatch]:
    """Terms equal to the phrase typed, or close in spelling to it or to one of its words."""
    terms = SearchTerm.objects.filter(Q(entry__published=True) | Q(entry__kind__in=seen_drafts))
    # A short word shares its few trigrams with a great many terms ("air": every word in
    # "a"), and is rarely misspelt: it is looked for by the text search only.
    probes = list(dict.fromkeys([phrase, *(word for word in words if len(word) >= SPELLED_LENGTH)]))
    if connection.vendor == "postgresql":
        close = Q()
        for probe in probes:
            close |= Q(term__trigram_similar=probe)
        # A word in thousands of names ("report") is read a bounded number of times, so
        # its cost does not grow with the case file; the name typed in full always is.
        some_close = SearchTerm.objects.filter(close).values("pk")[:CLOSE_TERMS_READ]
        typed_in_full = SearchTerm.objects.filter(term=phrase, whole=True).values("pk")
        scores = [TrigramSimilarity("term", probe) for probe in probes]
        score = Greatest(*scores) if len(scores) > 1 else scores[0]
        terms = (
            # One set of keys, read through the indexes (an OR here reads every term).
            terms.filter(pk__in=some_close.union(typed_in_full))
            .annotate(score=score)
            .order_by("-score", "-whole", "term")
        )
        read = NAME_CANDIDATES
    else:
        grams = sorted({gram for probe in probes for gram in trigrams(probe) if gram.strip() == gram})
        close = Q(term=phrase)
        if grams:
            expression = " OR ".join(f'"{gram}"' for gram in grams)  # normalised: letters and digits only
            close |= Q(
                pk__in=RawSQL(
                    f"SELECT rowid FROM {FTS_TRIGRAMS_TABLE} WHERE {FTS_TRIGRAMS_TABLE} MATCH %s "
                    "ORDER BY rank LIMIT %s",
                    (expression, NAME_CANDIDATES * 10),
                )
            )
        # Whole names typed exactly first, then the rest in FTS5's order of shared trigrams.
        exact = Case(When(term=phrase, whole=True, then=Value(0)), default=Value(1))
        terms = terms.filter(close).order_by(exact)
        # Ranked by FTS5 on shared trigrams, not by similarity: read more, decide below.
        read = NAME_CANDIDATES * 10
    rows = terms.values_list("entry_id", "entry__kind", "term", "whole", "entry__name", "entry__aliases")[:read]
    return [TermMatch(*row) for row in rows]


# --- 2. text ------------------------------------------------------------------------------


def _text_hits(seen_drafts, words: list[str], limit: int) -> list[SearchEntry]:
    """Entries holding any of ``words`` (more of them, and in weightier columns, rank
    higher), each with ``score`` (higher is better), at most ``limit`` per kind."""
    if not words:
        return []
    if connection.vendor == "postgresql":
        query = None
        for word in words:
            # Normalised words hold letters and digits only: safe as to_tsquery's input.
            text = f"{word}:*" if len(word) >= PREFIX_LENGTH else word
            part = SearchQuery(text, config=TEXT_SEARCH_CONFIG, search_type="raw")
            query = part if query is None else query | part
        every_word = SearchQuery(" ".join(words), config=TEXT_SEARCH_CONFIG)
        candidates = visible_entries(seen_drafts).filter(document=query).values("pk")[:TEXT_CANDIDATES]
        entries = (
            SearchEntry.objects.filter(pk__in=candidates)
            .annotate(
                score=SearchRank(F("document"), query, normalization=RANK_NORMALIZATION)
                + SearchRank(F("document"), every_word, normalization=RANK_NORMALIZATION)
            )
            .annotate(position=Window(RowNumber(), partition_by=F("kind"), order_by=[F("score").desc(), F("pk")]))
            .filter(position__lte=limit)
        )
        return list(entries)
    table, entry_table = FTS_WORDS_TABLE, SearchEntry._meta.db_table
    weights = ", ".join(str(weight) for weight in FTS_COLUMN_WEIGHTS)
    # Normalised words hold letters and digits only: safe inside FTS5's quotes.
    expression = " OR ".join(f'"{word}"*' if len(word) >= PREFIX_LENGTH else f'"{word}"' for word in words)
    kinds = ", ".join(["%s"] * len(seen_drafts))
    sql = f"""
        SELECT * FROM (
            SELECT entry.*, found.score,
                   ROW_NUMBER() OVER (PARTITION BY entry.kind ORDER BY found.score DESC, entry.id) AS position
            FROM (
                SELECT rowid AS id, -bm25({table}, {weights}) AS score FROM {table}
                WHERE {table} MATCH %s ORDER BY score DESC LIMIT %s
            ) AS found JOIN {entry_table} AS entry ON entry.id = found.id
            WHERE entry.published OR entry.kind IN ({kinds})
        ) WHERE position <= %s
    """
    return list(SearchEntry.objects.raw(sql, [expression, TEXT_CANDIDATES, *seen_drafts, limit]))


# --- putting it together ------------------------------------------------------------------


def _spelling_matches(candidates: list[TermMatch], phrase: str, words: list[str]):
    """Per candidate, its best similarity to the phrase or one of the words."""
    probes = list(dict.fromkeys([phrase, *words]))
    return [(candidate, max(similarity(probe, candidate.term) for probe in probes)) for candidate in candidates]


def _did_you_mean(text: str, words: list[str], candidates: list[TermMatch]) -> str:
    """The words typed, each word no name holds replaced by the closest word of a name the
    reader may see (as that name spells it), or "" when nothing changes."""
    known = {word for candidate in candidates for word in candidate.term.split()}
    vocabulary = {}
    for candidate in candidates:
        for original in re.findall(r"[^\W_]+", f"{candidate.name} {candidate.aliases}"):
            vocabulary.setdefault(normalise(original), original)
    corrected, changed = [], False
    for word in words:
        if word in known or len(word) < 3:
            corrected.append(word)
            continue
        scored = [(similarity(word, term), -len(term), term) for term in vocabulary if term and term != word]
        best = max(scored, default=None)
        if best is not None and best[0] >= OFFERED_SPELLING:
            corrected.append(vocabulary[best[2]])
            changed = True
        else:
            corrected.append(word)
    if not changed:
        return ""
    typed = text.split()
    # Keep the reader's own spelling of the words left alone.
    if len(typed) == len(words):
        corrected = [
            typed[i] if normalise(fixed) == word else fixed
            for i, (fixed, word) in enumerate(zip(corrected, words, strict=True))
        ]
    return " ".join(corrected)


def search(user, q, *, limit_per_type: int = DEFAULT_LIMIT) -> SearchResults:
    """Records matching ``q`` that ``user`` may see, grouped by kind, best kind first."""
    text = clean_query(q)
    results = SearchResults(q=text)
    phrase = normalise(text)
    words = list(dict.fromkeys(phrase.split()))
    if not phrase:
        return results
    seen_drafts = drafts_seen(user)
    candidates = _name_candidates(seen_drafts, phrase, words)
    entries = {entry.pk: entry for entry in _text_hits(seen_drafts, words, limit_per_type)}

    found = {}  # entry id -> (match, rank)
    for entry in entries.values():
        found[entry.pk] = (MATCH_TEXT, (MATCH_ORDER[MATCH_TEXT], -entry.score))
    spelled = {}
    for candidate, score in _spelling_matches(candidates, phrase, words):
        if candidate.whole and candidate.entry_id in entries and candidate.term in words and len(words) > 1:
            found[candidate.entry_id] = (MATCH_TEXT, (NAMED_BY_A_WORD, -entries[candidate.entry_id].score))
        if candidate.whole and candidate.term == phrase:
            match = MATCH_NAME if normalise(candidate.name) == phrase else MATCH_ALIAS
            found[candidate.entry_id] = min(
                found.get(candidate.entry_id, (match, (9,))), (match, (MATCH_ORDER[match], 0)), key=lambda pair: pair[1]
            )
        elif score >= FOUND_BY_SPELLING and candidate.entry_id not in found:
            rank = (MATCH_ORDER[MATCH_SPELLING], -score, not candidate.whole)
            if candidate.entry_id not in spelled or rank < spelled[candidate.entry_id][1]:
                spelled[candidate.entry_id] = (MATCH_SPELLING, rank, candidate)
    for entry_id, (match, rank, _candidate) in spelled.items():
        found.setdefault(entry_id, (match, rank))
    if not entries and not any(match in (MATCH_NAME, MATCH_ALIAS) for match, _ in found.values()):
        results.suggestion = _did_you_mean(text, words, candidates)

    # Entries found by name or spelling only are read here: their text makes the snippet.
    missing = [entry_id for entry_id in found if entry_id not in entries]
    if missing:
        entries.update((entry.pk, entry) for entry in SearchEntry.objects.filter(pk__in=missing))
    results.groups = _groups(user, found, entries, words, limit_per_type)
    return results


def _groups(user, found, entries, words, limit):
    by_kind = {}
    for entry_id, (match, rank) in found.items():
        entry = entries[entry_id]
        by_kind.setdefault(entry.kind, []).append((rank, entry, match))
    kinds = indexed_kinds()
    groups = []
    for key, ranked in by_kind.items():
        ranked.sort(key=lambda item: (item[0], item[1].name.lower()))
        ranked = ranked[:limit]
        model = kinds[key].model
        records = model._default_manager.visible_to(user).filter(pk__in=[entry.object_id for _, entry, _ in ranked])
        # Named, linked and summarised from what the reader sees, for the page and the API alike
        # (an affiliation whose member is a draft is named, and linked, by its organisation).
        records = {record.pk: record for record in withhold_hidden(records.with_related(), user)}
        hits = [
            Hit(key, records[entry.object_id], entry, match, rank, snippet(entry, words, match))
            for rank, entry, match in ranked
            if entry.object_id in records
        ]
        if hits:
            groups.append(Group(key, SEARCH_TYPES[key][0], hits))
    groups.sort(key=lambda group: (group.hits[0].rank, list(SEARCH_TYPES).index(group.key)))
    return groups


# --- snippets -----------------------------------------------------------------------------


def _word_pattern(words):
    """Words typed, matched at the start of a word, with common English endings dropped
    (the text index stems them: "joins" finds "joined")."""
    stems = []
    for word in words:
        stem = re.sub(r"(ing|ed|es|s)$", "", word) if len(word) > 4 else word
        stems.append(re.escape(stem))
    return re.compile(r"\b(?:" + "|".join(stems) + r")\w*", re.IGNORECASE) if stems else None


def snippet(entry, words, match) -> str:
    """A stretch of the entry's text around the first word found, escaped, with the words
    found wrapped in <mark>. Found by name: its descriptive text, else its other names."""
    pattern = _word_pattern(words)
    texts = [entry.body, entry.passages, entry.aliases.replace("\n", "; ")]
    if match == MATCH_TEXT:
        texts = [entry.aliases.replace("\n", "; "), entry.body, entry.passages]
    chosen, start = "", 0
    for text in texts:
        hit = pattern.search(text) if pattern and text else None
        if hit:
            chosen, start = text, hit.start()
            break
    if not chosen:
        chosen = next((text for text in (entry.body, entry.aliases.replace("\n", "; ")) if text), "")
    chosen = " ".join(chosen.split())
    if start and pattern:
        hit = pattern.search(chosen)
        start = hit.start() if hit else 0
    begin = max(0, start - SNIPPET_LENGTH // 3)
    if begin:
        space = chosen.find(" ", begin)
        begin = space + 1 if 0 <= space < start else begin
    piece = chosen[begin : begin + SNIPPET_LENGTH]
    if begin + SNIPPET_LENGTH < len(chosen):
        piece = piece.rsplit(" ", 1)[0] + " …"
    if begin:
        piece = "… " + piece
    return mark(piece, pattern)


def mark(text, pattern) -> str:
    """``text`` escaped, each match of ``pattern`` in <mark>."""
    if pattern is None:
        return escape(text)
    html, last = [], 0
    for found in pattern.finditer(text):
        html += [escape(text[last : found.start()]), "<mark>", escape(found.group()), "</mark>"]
        last = found.end()
    html.append(escape(text[last:]))
    return mark_safe("".join(html))  # noqa: S308 - built from escaped text


# --- as one types -------------------------------------------------------------------------


@dataclass
class Suggestion:
    name: str
    kind: str
    label: str
    url: str


def suggest(user, q, *, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Records whose name, another name or a word of either begins with what was typed:
    whole names first, shorter first. One query, read through the terms' index."""
    phrase = normalise(clean_query(q))
    if len(phrase) < 2:
        return []
    seen_drafts = drafts_seen(user)
    # As for close spellings, a prefix of thousands of names is read a bounded number of times.
    some_beginning = SearchTerm.objects.filter(term__startswith=phrase).values("pk")[:CLOSE_TERMS_READ]
    rows = (
        SearchTerm.objects.filter(Q(entry__published=True) | Q(entry__kind__in=seen_drafts))
        .filter(pk__in=some_beginning)
        .order_by("-whole", Length("term"), "term", "entry_id")
        .values_list("entry_id", "entry__name", "entry__kind", "entry__url")[: limit * 4]
    )
    chosen = {}
    for entry_id, name, kind, url in rows:
        if entry_id not in chosen and len(chosen) < limit:
            chosen[entry_id] = Suggestion(name, kind, str(indexed_kinds()[kind].model._meta.verbose_name), url)
    return list(chosen.values())


def search_all(user, q: str, *, limit_per_type: int = DEFAULT_LIMIT) -> dict[str, list]:
    """The records found for ``q``, by kind (every searchable kind, in the registry's order),
    naming only the related records the reader sees."""
    return {
        key: [hit.record for hit in hits]
        for key, hits in search(user, q, limit_per_type=limit_per_type).by_kind().items()
    }
