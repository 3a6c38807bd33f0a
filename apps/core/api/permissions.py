"""Who may do what through the API: Django's model permissions; anonymous clients read."""

from rest_framework.permissions import SAFE_METHODS, DjangoModelPermissionsOrAnonReadOnly

from apps.core import services


class CasefileModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """DRF's model permissions: the model is the one of the view's queryset.

    A write is refused at the door, before its body is read, to anyone the admin would not
    let in (``services.staff_refusal``): group permissions alone — an Editor without staff
    status — do not make a writer. The services ask the same rule again for every change."""

    def has_permission(self, request, view):
        if request.method not in SAFE_METHODS and request.user and request.user.is_authenticated:
            refusal = services.staff_refusal(request.user)
            if refusal is not None:
                self.message = refusal
                return False
        return super().has_permission(request, view)
