"""The child pathway: a presumed or identified victim who may be under 18.

The OSCE/ODIHR NRM handbook (reference: case-management.md 6.5) puts the best interests of the
child at the centre, and the CoE Convention (art. 10(3)) presumes a victim to be a child when the
age is uncertain and there are reasons to believe they are under 18. So a victim whose year of
birth allows an age under 18 follows this pathway:

* a guardian or the child-protection service must be referred to (a referral to a service of
  kind "child_protection" that was not declined) before a return is planned;
* the SOP checklist adds the best-interest steps (SopStep rows with `for_children`);
* the child's identity is shared with another provider only once that referral is accepted
  (a guardian is in place to speak for the child), whatever the child consented to.
"""

from django.utils import timezone
from django.utils.translation import gettext_noop

from .models import ReferralStatus, ServiceKind, SopStep, Victim

ADULT_AGE = 18

# The best-interest steps, created by migration 0008 (order, title, days after registration).
# Titles are stored in English and shown translated (they are in this app's catalogue).
BEST_INTEREST_STEPS = (
    (101, gettext_noop("Refer to a guardian or the child-protection service"), 1),
    (102, gettext_noop("Hear the child's views, in a child-friendly setting"), 3),
    (103, gettext_noop("Best-interest assessment by the child-protection service"), 7),
    (104, gettext_noop("Family tracing, when in the child's best interest"), 14),
    (105, gettext_noop("Best-interest determination before any return"), 30),
)


def is_child(victim: Victim, today=None) -> bool:
    """True when the victim may be under 18: born in or after the year that makes them 18 now.

    Born in 2008, the victim is 17 or 18 in 2026: presumed a child until shown otherwise.
    """
    if victim.birth_year is None:
        return False
    year = (today or timezone.localdate()).year
    return year - victim.birth_year <= ADULT_AGE


def guardian_referral(victim: Victim):
    """The victim's latest referral to a guardian or child-protection service not declined."""
    return (
        victim.referrals.filter(offer__kind=ServiceKind.CHILD_PROTECTION)
        .exclude(status=ReferralStatus.DECLINED)
        .order_by("-referred_at")
        .first()
    )


def has_accepted_guardian(victim: Victim) -> bool:
    return victim.referrals.filter(
        offer__kind=ServiceKind.CHILD_PROTECTION, status=ReferralStatus.ACCEPTED
    ).exists()


def checklist_steps(victim: Victim):
    """The active SOP steps for `victim`: the best-interest steps only for a child."""
    steps = SopStep.objects.filter(is_active=True)
    return steps if is_child(victim) else steps.filter(for_children=False)
