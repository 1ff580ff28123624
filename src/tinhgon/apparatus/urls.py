from django.urls import include, path

from . import views

app_name = "apparatus"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("tree/<str:code>/children/", views.tree_children, name="tree_children"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/export.xlsx", views.unit_export, name="unit_export"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/tree/", views.unit_tree, name="unit_tree"),
    path("units/<int:pk>/change/", views.unit_change, name="unit_change"),
    path("units/<int:pk>/end/", views.unit_end, name="unit_end"),
    path("units/<int:pk>/positions/new/", views.position_create, name="position_create"),
    path("units/<int:pk>/quotas/set/", views.quota_set, name="quota_set"),
    path("units/<int:pk>/functions/new/", views.function_holding_create, name="function_holding_create"),
    path("units/<int:pk>/powers/new/", views.power_holding_create, name="power_holding_create"),
    path("positions/", views.position_list, name="position_list"),
    path("positions/<int:pk>/", views.position_detail, name="position"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("positions/<int:pk>/delete/", views.position_delete, name="position_delete"),
    path("quotas/", views.quota_list, name="quota_list"),
    path("quotas/<int:pk>/", views.quota_detail, name="quota"),
    path("quotas/<int:pk>/delete/", views.quota_delete, name="quota_delete"),
    path("roadmap/", views.roadmap, name="roadmap"),
    path("coverage/", views.coverage, name="coverage"),
    path("body-kinds/", views.body_kinds, name="body_kinds"),
    path("functions/new/", views.function_create, name="function_create"),
    path("powers/new/", views.power_create, name="power_create"),
    path("functions/<int:pk>/edit/", views.function_edit, name="function_edit"),
    path("functions/<int:pk>/delete/", views.function_delete, name="function_delete"),
    path("powers/<int:pk>/edit/", views.power_edit, name="power_edit"),
    path("powers/<int:pk>/delete/", views.power_delete, name="power_delete"),
    path("import/", include("tinhgon.apparatus.urls_import")),
]
