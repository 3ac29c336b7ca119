"""The codes of the jit app, each with its translated label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    JOINT = "joint", _("Joint investigation team")
    # Each country keeps its own case; the work is coordinated, with no formal team.
    PARALLEL = "parallel", _("Parallel investigation")


class State(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AMENDED = "amended", _("Amended")
    IN_FORCE = "in_force", _("In force")
    EXTENDED = "extended", _("Extended")
    ENDED = "ended", _("Ended")


# The states in which the parties share items in the workspace.
SHARING_STATES = (State.IN_FORCE, State.EXTENDED)


class ItemKind(models.TextChoices):
    PERSON = "person", _("Person in the chain")
    TASK = "task", _("Task of the action plan")
    NOTE = "note", _("Meeting note")
    EVIDENCE = "evidence", _("Evidence item")
    SOP = "sop", _("Step of the procedure")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
