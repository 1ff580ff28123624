from django.urls import path, re_path

from . import views, views_more

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="petition_list"),
    path("new/", views.petition_create, name="petition_create"),
    path("similar/", views.similar, name="similar"),
    path("<int:pk>/", views.petition_detail, name="petition"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    re_path(r"^(?P<pk>[0-9]+)/do/(?P<action>accept|reject|verify|extend|suspend|conclude|close|route|officers)/$",
            views.petition_act, name="petition_act"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines/escalate/", views.escalate, name="escalate"),
    path("deadlines/calculator/", views_more.deadline_calculator, name="deadline_calculator"),
    path("hotspots/", views.hotspot_list, name="hotspot_list"),
    path("hotspots/detect/", views.hotspot_detect, name="hotspot_detect"),
    path("hotspots/<int:pk>/", views.hotspot_detail, name="hotspot"),
    path("hotspots/<int:pk>/plan/", views.hotspot_plan, name="hotspot_plan"),
    path("hotspots/<int:pk>/resolve/", views.hotspot_resolve, name="hotspot_resolve"),
    path("report/", views_more.report, name="report"),
    path("reception/", views_more.reception_list, name="reception_list"),
    path("reception/new/", views_more.reception_create, name="reception_create"),
    path("dialogues/", views_more.dialogue_list, name="dialogue_list"),
    path("dialogues/new/", views_more.dialogue_create, name="dialogue_create"),
    path("day-swaps/", views_more.day_swaps, name="day_swaps"),
    path("day-swaps/new/", views_more.day_swap_create, name="day_swap_create"),
    path("day-swaps/<int:pk>/delete/", views_more.day_swap_delete, name="day_swap_delete"),
    path("remote-areas/", views_more.remote_areas, name="remote_areas"),
    path("remote-areas/import/", views_more.remote_areas_import, name="remote_areas_import"),
]
