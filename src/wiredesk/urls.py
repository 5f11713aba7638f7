from django.contrib import admin
from django.urls import include, path

from wiredesk.metrics.views import metrics
from wiredesk.sources.views import callback as websub_callback

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("wiredesk.api.urls")),
    path("metrics", metrics, name="metrics"),
    path("websub/<str:token>", websub_callback, name="websub-callback"),
    path("", include("wiredesk.web.urls")),
]
