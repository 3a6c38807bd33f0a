"""Who may do what through the API: Django's model permissions; anonymous clients read."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class CasefileModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's model permissions: the model is the one of the view's queryset."""
