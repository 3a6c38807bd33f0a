"""Who may do what through the API: Django's model permissions; anonymous clients read."""

from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly


class CasefileModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's model permissions, which need only the view's model.

    DRF finds the model by calling ``view.get_queryset()``, which for a record view
    builds the whole read: visibility filter and related-record prefetches, built again
    moments later for the response. The view's declared ``queryset`` names the same model.
    """

    def _queryset(self, view):
        declared = getattr(view, "queryset", None)
        if declared is not None:
            return declared
        return super()._queryset(view)
