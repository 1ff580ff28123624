"""Pages of assessment by results."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle, name="cycle"),
    path("<int:pk>/compute/", views.cycle_compute, name="cycle_compute"),
    path("<int:pk>/act/<str:act>/", views.cycle_act, name="cycle_act"),
    path("<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
    path("<int:pk>/cap-override/", views.cycle_override, name="cycle_override"),
    path("<int:pk>/sheet/", views.cycle_sheet, name="cycle_sheet"),
    path("<int:pk>/units/", views.cycle_units, name="cycle_units"),
    path("results/<int:pk>/", views.result, name="result"),
    path("lists/<str:which>/", views.up_down, name="up_down"),
]
