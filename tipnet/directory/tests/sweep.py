"""The directory part of the standing sweep: a follow-up and a material of the world's event
(directory data, open to everyone signed in), and a link from that event to the other agency's
case, which no persona may open, so that neither the link nor the case shows."""

from tipnet.directory.actions import do_add_follow_up, do_link_outcome, do_upload_material
from tipnet.directory.models import Event

MARKERS: dict[str, str] = {}

PARAMS = {
    "directory:follow_up_id": {"other": "directory_follow_up", "open_to": ("signed-in",)},
    "material_id": {"other": "directory_material", "open_to": ("signed-in",)},
    "outcome_id": {"other": "directory_outcome"},
}

PDF = b"%PDF-1.4\n% agenda\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(world, owner, case) -> None:
    event = Event.objects.get(pk=world.ids["event"])
    follow_up = do_add_follow_up(owner, event, {"text": "Share the checklist", "status": "open"})
    material = do_upload_material(owner, event, "Agenda", "agenda.pdf", PDF)
    outcome = do_link_outcome(owner, event, "case", case.pk)
    world.ids.update(
        directory_follow_up=follow_up.pk,
        directory_material=material.pk,
        directory_outcome=outcome.pk,
    )
