from django.contrib import admin
from django.urls import include, path

from wiredesk.metrics.views import metrics

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("wiredesk.api.urls")),
    path("metrics", metrics, name="metrics"),
    path("", include("wiredesk.web.urls")),
]
