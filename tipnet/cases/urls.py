from django.urls import path

from . import explain, network_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("import/", views.case_import, name="import"),
    path(
        "import/template.csv",
        views.case_import_template,
        {"kind": "csv"},
        name="import_template_csv",
    ),
    path(
        "import/template.xlsx",
        views.case_import_template,
        {"kind": "xlsx"},
        name="import_template_xlsx",
    ),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<int:person_id>/explain/", explain.person_explain, name="person_explain"),
    path("latin/", views.latin_preview, name="latin"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/edit/", views.case_edit, name="edit"),
    path("<int:case_id>/network/", network_views.case_network_page, name="network"),
    path(
        "<int:case_id>/network/expand/",
        network_views.case_network_expand,
        name="network_expand",
    ),
    path(
        "<int:case_id>/network/graphml/",
        network_views.case_network_graphml,
        name="network_graphml",
    ),
    path("<int:case_id>/stage/", views.stage_change, name="stage"),
    path("<int:case_id>/persons/new/", views.person_add, name="person_add"),
    path("<int:case_id>/persons/link/", views.person_link, name="person_link"),
    path("<int:case_id>/persons/<int:row_id>/", views.suspect_edit, name="suspect_edit"),
    path(
        "<int:case_id>/persons/<int:row_id>/identifiers/new/",
        views.identifier_add,
        name="identifier_add",
    ),
    path("<int:case_id>/grants/", views.grant_add, name="grant_add"),
    path("<int:case_id>/grants/<int:grant_id>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("<int:case_id>/events/new/", views.event_add, name="event_add"),
    path("<int:case_id>/tasks/new/", views.task_add, name="task_add"),
    path("<int:case_id>/tasks/<int:task_id>/status/", views.task_status, name="task_status"),
    path("<int:case_id>/documents/new/", views.document_upload, name="document_upload"),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        views.document_download,
        name="document",
    ),
]
