from django.urls import path

from . import views

app_name = "addresses-api"

urlpatterns = [
    path("addresses/convert/", views.AddressConvertView.as_view(), name="convert"),
    path("addresses/bulk/", views.AddressBulkView.as_view(), name="bulk"),
]
