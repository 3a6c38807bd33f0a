"""Template helpers for the case pages: record links, partial dates, note references."""

import re

from django import template
from django.utils.html import escape, linebreaks
from django.utils.safestring import mark_safe

from apps.agreements.timeline import step_outcome
from apps.core.dates import DAY, MONTH
from apps.core.models import readable_by
from apps.deployments.choices import PersonnelQualifier
from apps.whole_case.registry import RECORD_TYPES

register = template.Library()

ANGLED_URL = re.compile(r"&lt;(https?://\S+?)&gt;")
BARE_URL = re.compile(r"https?://[^\s<]+[^\s<.,;:)\]]")
ITALIC = re.compile(r"\*([^*\n]+)\*")
# An analyst's pointer to another record in prose: "(deployment kazakhstan-isaf-hq-officers)".
RECORD_REFERENCE = re.compile(r" ?\((?P<kind>[a-z]+) (?P<slug>[a-z0-9]+(?:-[a-z0-9]+)+)\)")


@register.filter
def verbose_name(record):
    return record._meta.verbose_name


@register.filter
def iso(partial_date):
    """The machine-readable form of a partial date for <time datetime>, as precise as it is."""
    if not partial_date:
        return ""
    earliest = partial_date.earliest
    if partial_date.precision == DAY:
        return earliest.isoformat()
    if partial_date.precision == MONTH:
        return earliest.strftime("%Y-%m")
    return str(earliest.year)


@register.filter
def note_text(text):
    """A footnote as printed: *italics* and <links> of the encoded text made readable."""
    html = escape(text).replace("\\$", "$")
    html = ANGLED_URL.sub(r"\1", html)
    html = BARE_URL.sub(lambda m: f'<a href="{m[0]}" rel="nofollow">{m[0]}</a>', html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text


@register.simple_tag(takes_context=True)
def prose(context, text):
    """An analyst's text as paragraphs, with pointers to other records ("(deployment
    some-slug)") turned into links named for the record, when the reader may see it, and
    left out when not: a slug is an address, not words for a reader."""
    kinds = {record_type.model._meta.model_name: record_type.model for record_type in RECORD_TYPES}
    user = context.get("user")

    def link(match):
        model = kinds.get(match["kind"])
        if model is None:
            return match[0]
        record = model._default_manager.visible_to(user).filter(slug=match["slug"]).first()
        if record is None:
            return ""
        return f' (see <a href="{escape(record.get_absolute_url())}">{escape(record)}</a>)'

    html = RECORD_REFERENCE.sub(link, str(escape(text or "")))
    return mark_safe(linebreaks(html))  # noqa: S308 - built from escaped text


@register.inclusion_tag("includes/note_refs.html")
def note_refs(notes, record):
    """Superscript links to the notes that support ``record`` on this page."""
    return {"numbers": notes.numbers_for(record) if notes else []}


@register.filter
def visible(records, user):
    """Drop the drafts a reader may not see from prefetched related records."""
    return [record for record in records if readable_by(user, record)]


@register.filter
def roles_of(rows, actor):
    """The roles an actor holds in prefetched rows (party roles, participations): “host, trainer”."""
    return ", ".join(row.get_role_display().lower() for row in rows if row.actor_id == actor.pk)


@register.filter
def outcome(step):
    return step_outcome(step)


@register.filter
def given_first(name):
    """“McDermott, Roger N.” → “Roger N. McDermott”; an organisation's name stays as it is."""
    family, comma, given = name.partition(",")
    return f"{given.strip()} {family.strip()}" if comma and given.strip() else name


@register.filter
def thousands(number):
    """12345 → “12,345”, as the rest of the case file writes counts."""
    return f"{int(number):,}"


@register.filter
def head_count(deployment):
    """A deployment's head count in a phrase: “4 personnel”, “about 165 personnel”, “four officers”."""
    if deployment.personnel_qualifier == PersonnelQualifier.UNKNOWN:
        return deployment.personnel_text or "personnel not stated"
    return f"{deployment.personnel_display} personnel"


@register.filter
def note_numbers(notes, record):
    """The numbers of the page's notes that support ``record``."""
    return notes.numbers_for(record) if notes else []


@register.filter
def with_visible_actor(rows, user):
    """Party or participation rows whose actor the reader may see (drafts are for staff)."""
    return [row for row in rows if readable_by(user, row.actor)]


# A list page's line of actors is joined here, not by a loop in its template: on a page of
# a hundred agreements, the loop's lookups (actor, name, role, its display) cost more than
# the rest of the row.


@register.filter
def parties_in_words(parties, user):
    """An agreement's parties the reader may see, on one line: “ISAF (signatory); Kazakhstan (transit state)”."""
    return "; ".join(
        f"{party.actor.name} ({party.get_role_display().lower()})" for party in with_visible_actor(parties, user)
    )


@register.filter
def actor_names(rows, user):
    """The names of the actors of party or participation rows the reader may see: “Kazakhstan, Russia”."""
    return ", ".join(row.actor.name for row in with_visible_actor(rows, user))


@register.inclusion_tag("includes/actor_network.html", takes_context=True)
def actor_network(context, actor):
    """An actor's neighbourhood in the network: its ties, as a chart and as a table."""
    # Imported here: the network reads every kind's tie source from the registry.
    from django.urls import reverse

    from apps.whole_case.network import TIE_TYPES, Network

    network = Network(context["request"].user, actor=actor.slug)
    return {
        "actor": actor,
        "network": network,
        "tie_types": TIE_TYPES,
        "focus": actor.slug,
        "data_url": f"{reverse('whole_case-api:network')}?actor={actor.slug}",
    }
