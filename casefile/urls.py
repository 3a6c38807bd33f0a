from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Casefile administration"
admin.site.site_title = "Casefile"
admin.site.index_title = "Case file records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
]
