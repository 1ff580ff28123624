"""``/api/`` routes of the documents registry."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "documents-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("documents", views.DocumentViewSet, basename="document")
router.register("document-types", views.DocumentTypeViewSet, basename="document-type")

urlpatterns = [*router.urls]
