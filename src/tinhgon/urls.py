from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from tinhgon.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("tinhgon.accounts.urls")),
    path("apparatus/", include("tinhgon.apparatus.urls")),
    path("restructuring/", include("tinhgon.restructuring.urls")),
    path("cadres/", include("tinhgon.cadres.urls")),
    path("changes/", include("tinhgon.core.urls")),
    path("api/", include("tinhgon.apparatus.api.urls")),
    path("api/", include("tinhgon.accounts.api.urls")),
    path("api/", include("tinhgon.restructuring.api.urls")),
    path("api/", include("tinhgon.cadres.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api_docs"),
    path("django-admin/", admin.site.urls),
]
