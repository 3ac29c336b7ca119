from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency"),
    path("agencies/<int:agency_id>/edit/", views.agency_edit, name="agency_edit"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/verify/", views.contact_verify, name="contact_verify"),
    path("finder/", views.authority_finder, name="finder"),
    path("networks/", views.network_list, name="networks"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<slug:code>/", views.network_detail, name="network"),
    path("networks/<slug:code>/edit/", views.network_edit, name="network_edit"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_guide, name="country"),
    path("events/", views.event_list, name="events"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/edit/", views.event_edit, name="event_edit"),
    path(
        "events/<int:event_id>/participants/add/",
        views.participant_add,
        name="participant_add",
    ),
    path(
        "events/<int:event_id>/participants/<int:participant_id>/remove/",
        views.participant_remove,
        name="participant_remove",
    ),
    path("events/<int:event_id>/follow-ups/add/", views.follow_up_add, name="follow_up_add"),
    path(
        "events/<int:event_id>/follow-ups/<int:follow_up_id>/status/",
        views.follow_up_status,
        name="follow_up_status",
    ),
    path("events/<int:event_id>/materials/add/", views.material_upload, name="material_upload"),
    path(
        "events/<int:event_id>/materials/<int:material_id>/",
        views.material_download,
        name="material",
    ),
    path("events/<int:event_id>/produced/add/", views.outcome_add, name="outcome_add"),
    path(
        "events/<int:event_id>/produced/<int:outcome_id>/remove/",
        views.outcome_remove,
        name="outcome_remove",
    ),
]
