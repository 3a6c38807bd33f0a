"""Source exports that reference managers read as they are: CSL-JSON, BibTeX and RIS.

Each renderer is handed CSL-JSON items (``apps.sources.csl``) and writes them with
``apps.sources.references``, so the three exports never disagree. An error (a bad
filter, an unknown slug) is written as JSON, whatever format was asked for: the status
code says it is an error, and no reference manager mistakes it for a reference.
"""

import json

from rest_framework import renderers

from apps.sources import references


class ReferenceRenderer(renderers.BaseRenderer):
    charset = "utf-8"
    reference_format = ""

    @property
    def extension(self):
        return references.EXTENSIONS[self.reference_format]

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):
            return json.dumps(data, ensure_ascii=False).encode("utf-8")
        return references.WRITERS[self.reference_format](data).encode("utf-8")


class CSLJSONRenderer(ReferenceRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = references.CSL_JSON
    reference_format = references.CSL_JSON


class BibTeXRenderer(ReferenceRenderer):
    media_type = "application/x-bibtex"
    format = references.BIBTEX
    reference_format = references.BIBTEX


class RISRenderer(ReferenceRenderer):
    media_type = "application/x-research-info-systems"
    format = references.RIS
    reference_format = references.RIS


REFERENCE_RENDERERS = [CSLJSONRenderer, BibTeXRenderer, RISRenderer]
