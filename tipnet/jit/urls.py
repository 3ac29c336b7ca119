from django.urls import path

from . import views

app_name = "jit"
A = "<int:agreement_id>/"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("new/", views.propose, name="new"),
    path(A, views.detail, name="detail"),
    path(A + "amend/", views.amend, name="amend"),
    path(A + "sign/", views.sign, name="sign"),
    path(A + "extend/", views.extend, name="extend"),
    path(A + "end/", views.end, name="end"),
    path(A + "members/", views.add_member, name="member"),
    path(A + "case/", views.attach_case, name="case"),
    path(A + "share/", views.share, name="share"),
    path(A + "tasks/", views.add_task, name="task"),
    path(A + "notes/", views.add_note, name="note"),
    path(A + "evidence/", views.add_evidence, name="evidence"),
    path(A + "steps/", views.mark_step, name="step"),
    path(A + "chain.svg", views.chain_svg, name="chain_svg"),
    path(A + "items/<int:item_id>/status/", views.task_status, name="task_status"),
    path(A + "items/<int:item_id>/custody/", views.custody, name="custody"),
    path(A + "items/<int:item_id>/withdraw/", views.withdraw, name="withdraw"),
]
