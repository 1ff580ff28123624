from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tinhgon.core import views as core_views
from tinhgon.core.security import csp_allow_own_inline

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tinhgon.accounts.urls")),
    path("apparatus/", include("tinhgon.apparatus.urls")),
    path("restructuring/", include("tinhgon.restructuring.urls")),
    path("cadres/", include("tinhgon.cadres.urls")),
    path("tasks/", include("tinhgon.tasks.urls")),
    path("addresses/", include("tinhgon.addresses.urls")),
    path("petitions/", include("tinhgon.petitions.urls")),
    path("assessment/", include("tinhgon.assessment.urls")),
    path("placement/", include("tinhgon.placement.urls")),
    path("documents/", include("tinhgon.documents.urls")),
    path("inspection/", include("tinhgon.inspection.urls")),
    path("party/", include("tinhgon.party.urls")),
    path("emulation/", include("tinhgon.emulation.urls")),
    path("", include("tinhgon.core.urls")),
    path("api/", include("tinhgon.apparatus.api.urls")),
    path("api/", include("tinhgon.accounts.api.urls")),
    path("api/", include("tinhgon.restructuring.api.urls")),
    path("api/", include("tinhgon.cadres.api.urls")),
    path("api/", include("tinhgon.tasks.api.urls")),
    path("api/", include("tinhgon.addresses.api.urls")),
    path("api/", include("tinhgon.petitions.api.urls")),
    path("api/", include("tinhgon.assessment.api.urls")),
    path("api/", include("tinhgon.placement.api.urls")),
    path("api/", include("tinhgon.documents.api.urls")),
    path("api/", include("tinhgon.inspection.api.urls")),
    path("api/", include("tinhgon.party.api.urls")),
    path("api/", include("tinhgon.emulation.api.urls")),
    path("api/", include("tinhgon.core.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI: its start-up script is served as a file (the split view); its page keeps
    # one inline <style>, allowed by hash (docs/SECURITY.md, "Content-Security-Policy").
    path("api/docs/", csp_allow_own_inline(SpectacularSwaggerSplitView.as_view(url_name="schema")),
         name="api_docs"),
    path("django-admin/", admin.site.urls),
]

handler400 = "tinhgon.core.errors.bad_request"
handler403 = "tinhgon.core.errors.permission_denied"
handler404 = "tinhgon.core.errors.page_not_found"
handler500 = "tinhgon.core.errors.server_error"
