from django.urls import path, re_path

from . import views

app_name = "restructuring"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("operations-template.xlsx", views.operations_template, name="operations_template"),
    path("resolve/", views.resolve, name="resolve"),
    path("lineage/<int:unit_id>/", views.unit_lineage, name="unit_lineage"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/report/", views.plan_report, name="plan_report"),
    path("<int:pk>/violations.xlsx", views.violations_export, name="violations_export"),
    path("<int:pk>/operations/form/", views.operation_form, name="operation_form"),
    path("<int:pk>/operations/add/", views.operation_add, name="operation_add"),
    path("<int:pk>/operations/import/", views.operations_import, name="operations_import"),
    path("<int:pk>/operations/import-errors.xlsx", views.operations_import_errors, name="operations_import_errors"),
    path("<int:pk>/operations/<int:op_pk>/delete/", views.operation_delete, name="operation_delete"),
    path("<int:pk>/bodies/", views.body_operations, name="body_operations"),
    re_path(r"^(?P<pk>[0-9]+)/bodies/(?P<action>derive|accept-all|reject-all|include|route)/$",
            views.body_operations_action, name="body_operations_action"),
    re_path(r"^(?P<pk>[0-9]+)/bodies/(?P<body_pk>[0-9]+)/(?P<decision>accept|reject|reset)/$",
            views.body_operation_decide, name="body_operation_decide"),
    path("<int:pk>/bodies/<int:body_pk>/edit/", views.body_operation_edit, name="body_operation_edit"),
    re_path(r"^(?P<pk>[0-9]+)/(?P<action>validate|approve|apply|revert)/$", views.plan_transition,
            name="plan_transition"),
]
