"""Faults a reader met on the case pages, each pinned by a test that failed before its fix."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_pointer_to_a_record_in_prose_reads_as_a_link_named_for_it(client):
    factories.DeploymentFactory(name="Officers at ISAF headquarters", slug="kazakhstan-isaf-hq-officers")
    agreement = factories.AgreementFactory(
        summary="Four officers, rotated every six months (deployment kazakhstan-isaf-hq-officers). More."
    )
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "kazakhstan-isaf-hq-officers)" not in content  # the slug is an address, not words
    assert (
        'rotated every six months (see <a href="/deployments/kazakhstan-isaf-hq-officers/">'
        "Officers at ISAF headquarters</a>). More." in content
    )


def test_a_pointer_to_a_record_the_reader_may_not_see_is_left_out(client, django_user_model):
    factories.DeploymentFactory(name="Secret plan", slug="secret-plan", publication_status="draft")
    agreement = factories.AgreementFactory(summary="Planned (deployment secret-plan). More.")
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "secret-plan" not in content and "Secret plan" not in content
    assert "Planned. More." in content


def test_prose_is_escaped_and_keeps_its_paragraphs(client):
    agreement = factories.AgreementFactory(summary="<script>x</script>\n\nSecond (place no-such-place).")
    content = client.get(agreement.get_absolute_url()).content.decode()
    assert "<script>x</script>" not in content and "&lt;script&gt;" in content
    assert "<p>Second.</p>" in content
