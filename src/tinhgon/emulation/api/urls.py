"""``/api/`` routes of good models and practices."""

from rest_framework.routers import DefaultRouter

app_name = "emulation-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

urlpatterns = [*router.urls]
