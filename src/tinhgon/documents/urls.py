"""Pages of the documents registry."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("register/", views.document_register, name="document_register"),
    path("receive/", views.document_receive, name="document_receive"),
    path("proposal/", views.proposal, name="proposal"),
    path("counts/", views.counts, name="counts"),
    path("types/", views.type_list, name="type_list"),
    path("types/new/", views.type_create, name="type_create"),
    path("types/<int:pk>/", views.type_edit, name="type_edit"),
    path("<int:pk>/", views.document_detail, name="document"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/attachment/", views.document_attachment, name="document_attachment"),
    path("<int:pk>/status/", views.document_status, name="document_status"),
    path("<int:pk>/relate/", views.document_relate, name="document_relate"),
    path("<int:pk>/link/", views.document_link, name="document_link"),
]
