from rest_framework import serializers

from apps.core.api.serializers import RecordCitationSerializer, RecordSerializer
from apps.places.models import Place


class PlaceSerializer(RecordSerializer):
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, required=False, allow_null=True
    )
    citations = RecordCitationSerializer(many=True, read_only=True, help_text="Sources for this place (detail only).")

    class Meta:
        model = Place
        fields = [
            "url",
            "slug",
            "name",
            "kind",
            "within",
            "aliases",
            "latitude",
            "longitude",
            "coordinates_approximate",
            "description",
            "publication_status",
            "version",
            "created",
            "updated",
            "citations",
        ]
        brief_fields = ["slug", "name", "url"]
