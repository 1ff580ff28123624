"""``/api/`` routes of party organizations and members."""

from rest_framework.routers import DefaultRouter

app_name = "party-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False

urlpatterns = [*router.urls]
