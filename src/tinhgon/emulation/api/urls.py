"""``/api/`` routes of good models and practices."""

from rest_framework.routers import DefaultRouter

from . import views

app_name = "emulation-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("good-models", views.GoodModelViewSet, basename="good-model")

urlpatterns = [*router.urls]
