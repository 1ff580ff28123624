"""Pages of placement after restructuring."""

from django.urls import path, re_path

from . import views

app_name = "placement"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/solve/", views.round_solve, name="round_solve"),
    re_path(r"^rounds/(?P<pk>[0-9]+)/(?P<action>approve|reopen|apply|close)/$", views.round_decide,
            name="round_decide"),
    path("units/<int:pk>/", views.unit_board, name="unit_board"),
    path("rounds/<int:pk>/surplus/", views.surplus, name="surplus"),
    path("rounds/<int:pk>/report/", views.report, name="report"),
    re_path(r"^candidates/(?P<pk>[0-9]+)/(?P<action>pin|unpin|exclude|include|swap|surplus|pending)/$",
            views.candidate_act, name="candidate_act"),
    path("posts/<int:pk>/count/", views.slot_count, name="slot_count"),
]
