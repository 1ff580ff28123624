"""``/api/`` routes of party organizations and members."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "party-api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("party-members", views.PartyMemberViewSet, basename="party-member")

urlpatterns = [
    path("party/development-rate/", views.DevelopmentRateView.as_view(), name="development-rate"),
    *router.urls,
]
