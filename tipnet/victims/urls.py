from django.urls import path

from . import views

app_name = "victims"

V = "<str:code>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("all/", views.victim_list, name="list"),
    path("new/", views.victim_create, name="create"),
    path("stats/", views.stats, name="stats"),
    path("sop/", views.sop, name="sop"),
    path("sop/<int:step_id>/retire/", views.retire_sop_step, name="sop_retire"),
    path("hotline/", views.hotline, name="hotline"),
    path("hotline/new/", views.hotline_new, name="hotline_new"),
    path("referrals/<int:referral_id>/", views.referral_detail, name="referral"),
    path("hand-overs/", views.incoming_hand_overs, name="hand_overs"),
    path("hand-overs/<int:hand_over_id>/", views.incoming_hand_over, name="incoming_hand_over"),
    path(
        "hand-overs/<int:hand_over_id>/take-over/",
        views.take_over_hand_over,
        name="take_over_hand_over",
    ),
    path(
        "hand-overs/<int:hand_over_id>/received/",
        views.acknowledge_hand_over,
        name="acknowledge_hand_over",
    ),
    path(V, views.victim_detail, name="victim"),
    path(V + "edit/", views.victim_edit, name="edit"),
    path(V + "screen/", views.screen, name="screen"),
    path(V + "status/", views.decide_status, name="status"),
    path(V + "consent/", views.give_consent, name="consent"),
    path(V + "consent/<int:consent_id>/withdraw/", views.withdraw_consent, name="withdraw"),
    path(V + "refer/", views.refer, name="refer"),
    path(V + "services/new/", views.record_service, name="service"),
    path(V + "goals/new/", views.add_goal, name="goal"),
    path(V + "goals/<int:goal_id>/achieved/", views.achieve_goal, name="goal_achieved"),
    path(V + "follow-ups/new/", views.add_follow_up, name="follow_up"),
    path(
        V + "follow-ups/<int:follow_up_id>/done/", views.complete_follow_up, name="follow_up_done"
    ),
    path(V + "sop/<int:step_id>/done/", views.complete_sop_step, name="sop_done"),
    path(V + "return/", views.plan_return, name="return"),
    path(V + "return/<int:plan_id>/hand-over/", views.hand_over, name="hand_over"),
    path(V + "return/<int:plan_id>/hand-over/body/", views.hand_over_body, name="hand_over_body"),
    path(V + "return/<int:plan_id>/send/", views.send_hand_over, name="send_hand_over"),
    path(V + "case/", views.link_case, name="link_case"),
]
