"""Pages of party organizations and members."""

from django.urls import path, re_path

from . import views

app_name = "party"

urlpatterns = [
    path("", views.organization_list, name="organization_list"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    re_path(r"^members/(?P<pk>[0-9]+)/do/(?P<action>official|transfer|leave)/$", views.member_act, name="member_act"),
    path("development/", views.development, name="development"),
]
