"""The API's documents for the whole case file stay byte for byte what they were.

``golden/casefile_api.json.gz`` holds, for every list page and every record's detail
(read anonymously and by a superuser), the exact bytes the API answered when it was
written. Refactoring the read path (querysets, serializers, rendering) must not change
one of them. Times of saving (``created``, ``updated``) are the load's own and are
blanked on both sides; nothing else is normalised.

After a deliberate change to the API's output, rewrite the file with
``CASEFILE_WRITE_GOLDEN=1 pytest tests/api/test_golden.py`` and review the diff.
"""

import gzip
import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from .fixtures import ENDPOINTS

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "casefile_api.json.gz"
# A time of day with a zone: only the saving times have one (record dates are dates).
SAVED_AT = re.compile(rb'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)"')


def blank_saving_times(content: bytes) -> str:
    return SAVED_AT.sub(b'"<saved at>"', content).decode()


def read_everything(client):
    """{url: response bytes} for every list page and every detail the client can read."""
    documents = {}
    for endpoint in [*ENDPOINTS, "timeline"]:
        url = f"/api/v1/{endpoint}/?page_size=100"
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            documents[url] = blank_saving_times(response.content)
            page = json.loads(response.content)
            url = page["next"].removeprefix("http://testserver") if page["next"] else None
            if endpoint == "timeline":
                continue
            for item in page["results"]:
                detail = f"/api/v1/{endpoint}/{item['slug']}/"
                answer = client.get(detail)
                assert answer.status_code == 200, detail
                documents[detail] = blank_saving_times(answer.content)
    return documents


# The whole case file is some 1,400 reads by one anonymous client: over any reader's rate.
UNTHROTTLED = override_settings(
    REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "write": None}}
)


@UNTHROTTLED
def test_the_whole_case_file_reads_as_it_did():
    call_command("load_casefile", verbosity=0)
    anonymous = APIClient()
    superuser = APIClient()
    superuser.force_authenticate(User.objects.create_superuser("golden", password=None))
    documents = {"anonymous": read_everything(anonymous), "superuser": read_everything(superuser)}
    if os.environ.get("CASEFILE_WRITE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_bytes(gzip.compress(json.dumps(documents, indent=0, sort_keys=True).encode(), mtime=0))
    expected = json.loads(gzip.decompress(GOLDEN.read_bytes()))
    if connection.vendor != "sqlite":
        # Recorded on SQLite. PostgreSQL's collation orders names differently (punctuation,
        # case), so records that sort by name fall on other list pages: there every detail
        # must match byte for byte, and each list must hold the very same items.
        for reader in ("anonymous", "superuser"):
            assert same_lists_and_details(documents[reader]) == same_lists_and_details(expected[reader]), reader
        return
    for reader in ("anonymous", "superuser"):
        assert sorted(documents[reader]) == sorted(expected[reader]), reader
        for url, content in expected[reader].items():
            assert documents[reader][url] == content, f"{reader} {url}"


def same_lists_and_details(documents):
    """{detail URL: its bytes} and {list: its items as canonical JSON, sorted}."""
    compared = {}
    for url, content in documents.items():
        if "?" not in url:
            compared[url] = content
            continue
        items = compared.setdefault(url.split("?")[0], [])
        items += [json.dumps(item, sort_keys=True) for item in json.loads(content)["results"]]
    return {url: sorted(value) if isinstance(value, list) else value for url, value in compared.items()}
