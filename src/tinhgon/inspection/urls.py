"""Pages of inspection, supervision and discipline."""

from django.urls import path, re_path

from . import views

app_name = "inspection"

urlpatterns = [
    path("", views.supervision, name="supervision"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("list/", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection"),
    re_path(r"^(?P<pk>[0-9]+)/do/(?P<action>start|conclude|cancel|finding|measure|recommendation)/$",
            views.inspection_act, name="inspection_act"),
    path("recommendations/", views.recommendation_list, name="recommendation_list"),
    path("recommendations/<int:pk>/report/", views.recommendation_report, name="recommendation_report"),
]
