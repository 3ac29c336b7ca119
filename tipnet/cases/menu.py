"""The cases app on the home page: the open tasks assigned to the user.

The cases area itself is listed by tipnet.navigation, before the apps that bring a menu module.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tipnet.lib.menu import Area, Waiting

from .access import my_open_tasks


def areas(user) -> list[Area]:
    return []


def waiting(user) -> list[Waiting]:
    tasks = my_open_tasks(user)
    overdue = tasks.filter(due_on__lt=timezone.localdate()).exists()
    return [
        Waiting(
            "cases-tasks",
            _("Your open case tasks"),
            tasks.count(),
            reverse("cases:my_tasks"),
            urgent=overdue,
        )
    ]
