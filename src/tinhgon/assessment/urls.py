"""Pages of assessment by results."""

from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("new/", views.cycle_create, name="cycle_create"),
    path("<int:pk>/", views.cycle, name="cycle"),
    path("<int:pk>/compute/", views.cycle_compute, name="cycle_compute"),
    path("<int:pk>/advance/", views.cycle_advance, name="cycle_advance"),
    path("<int:pk>/approve/", views.cycle_approve, name="cycle_approve"),
    path("<int:pk>/reopen/", views.cycle_reopen, name="cycle_reopen"),
    path("<int:pk>/cap-override/", views.cycle_override, name="cycle_override"),
    path("<int:pk>/sheet/", views.cycle_sheet, name="cycle_sheet"),
    path("<int:pk>/units/", views.cycle_units, name="cycle_units"),
    path("results/<int:pk>/", views.result, name="result"),
    path("results/<int:pk>/save/", views.result_save, name="result_save"),
    path("lists/top/", views.up_down, {"which": "top"}, name="top_not_in_pool"),
    path("lists/not-completed-twice/", views.up_down, {"which": "twice"}, name="not_completed_twice"),
    path("lists/weak-unit-leaders/", views.up_down, {"which": "weak"}, name="weak_unit_leaders"),
]
