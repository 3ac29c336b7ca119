from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from tipnet.audit.models import AuditEvent
from tipnet.cases import actions
from tipnet.cases.models import CaseTask
from tipnet.navigation import waiting

from .factories import make_case

pytestmark = pytest.mark.django_db


def _add(client, case, **data):
    return client.post(reverse("cases:task_add", args=[case.pk]), data)


def test_an_investigator_gives_a_colleague_a_task_with_a_deadline(client_as, investigator, uz_mvd):
    colleague = make_user("dilnoza_investigator", uz_mvd, "investigator")
    case = make_case(investigator)
    due = timezone.localdate() + timedelta(days=5)
    response = _add(
        client_as(investigator),
        case,
        title="Interview the driver",
        assignee=colleague.pk,
        due_on=due.isoformat(),
    )
    assert response.status_code == 302
    task = CaseTask.objects.get()
    assert (task.assignee, task.due_on, task.status) == (colleague, due, "open")
    assert AuditEvent.objects.filter(tag="cases:task:create").exists()
    page = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert "Interview the driver" in page and due.isoformat() in page


def test_a_task_for_a_user_of_another_agency_is_refused(client_as, investigator, outsider):
    case = make_case(investigator)
    response = _add(client_as(investigator), case, title="Call him", assignee=outsider.pk)
    assert 'data-testid="error-assignee"' in response.text
    with pytest.raises(Exception, match="agency that works on this case"):
        actions.do_add_task(investigator, case, title="Call him", assignee=outsider)
    assert not CaseTask.objects.exists()


def test_a_user_of_an_agency_the_case_is_shared_with_may_be_given_a_task(investigator, prosecutor):
    case = make_case(investigator)
    actions.do_grant_case(investigator, case, agency=prosecutor.agency, reason="Indictment")
    task = actions.do_add_task(investigator, case, title="Draft the charge", assignee=prosecutor)
    assert task.assignee == prosecutor


@pytest.mark.parametrize("due_on", ["2020-01-01", "2026-02-30", "tomorrow", "9999-99-99"])
def test_a_bad_or_past_due_date_is_explained(client_as, investigator, due_on):
    case = make_case(investigator)
    response = _add(
        client_as(investigator), case, title="Late", assignee=investigator.pk, due_on=due_on
    )
    assert response.status_code == 200
    assert 'data-testid="error-due_on"' in response.text
    assert not CaseTask.objects.exists()


def test_an_outsider_cannot_add_or_close_tasks_of_a_case_they_cannot_see(
    client_as, investigator, outsider
):
    case = make_case(investigator)
    task = actions.do_add_task(investigator, case, title="Check the bus", assignee=investigator)
    assert _add(client_as(outsider), case, title="x", assignee=outsider.pk).status_code == 404
    url = reverse("cases:task_status", args=[case.pk, task.pk])
    assert client_as(outsider).post(url, {"status": "done"}).status_code == 404
    task.refresh_from_db()
    assert task.status == "open"


def test_a_task_id_of_another_case_answers_404(client_as, investigator):
    mine, other = make_case(investigator), make_case(investigator, title="Other")
    task = actions.do_add_task(investigator, other, title="Elsewhere", assignee=investigator)
    url = reverse("cases:task_status", args=[mine.pk, task.pk])
    assert client_as(investigator).post(url, {"status": "done"}).status_code == 404


def test_the_assignee_marks_a_task_done_and_opens_it_again(client_as, investigator, uz_mvd):
    case = make_case(investigator)
    task = actions.do_add_task(investigator, case, title="Check the bus", assignee=investigator)
    url = reverse("cases:task_status", args=[case.pk, task.pk])
    client_as(investigator).post(url, {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done" and task.done_at is not None
    client_as(investigator).post(url, {"status": "open"})
    task.refresh_from_db()
    assert task.status == "open" and task.done_at is None
    assert AuditEvent.objects.filter(tag="cases:task:status").count() == 2
    client_as(investigator).post(url, {"status": "deleted"})
    task.refresh_from_db()
    assert task.status == "open"


def test_an_overdue_task_is_marked_on_the_case_page(client_as, investigator):
    case = make_case(investigator)
    task = actions.do_add_task(investigator, case, title="Overdue one", assignee=investigator)
    page = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="task-overdue"' not in page
    CaseTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = client_as(investigator).get(reverse("cases:detail", args=[case.pk])).text
    assert 'data-testid="task-overdue"' in page


def test_an_analyst_sees_no_task_titles(client_as, investigator, analyst):
    case = make_case(investigator)
    actions.do_add_task(investigator, case, title="Interview Sweetname", assignee=investigator)
    page = client_as(analyst).get(reverse("cases:detail", args=[case.pk])).text
    assert "Sweetname" not in page


def test_open_tasks_wait_on_the_home_page_and_overdue_ones_are_urgent(client_as, investigator):
    case = make_case(investigator)
    task = actions.do_add_task(investigator, case, title="First", assignee=investigator)
    done = actions.do_add_task(investigator, case, title="Second", assignee=investigator)
    actions.do_set_task_status(investigator, done, "done")
    [item] = [w for w in waiting(investigator) if w.key == "cases-tasks"]
    assert (item.count, item.urgent) == (1, False)
    CaseTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    [item] = [w for w in waiting(investigator) if w.key == "cases-tasks"]
    assert item.urgent
    page = client_as(investigator).get(item.url).text
    assert "First" in page and "Second" not in page


def test_tasks_of_a_case_no_longer_shared_stop_waiting(investigator, prosecutor):
    case = make_case(investigator)
    grant = actions.do_grant_case(investigator, case, agency=prosecutor.agency, reason="Charge")
    actions.do_add_task(investigator, case, title="Draft", assignee=prosecutor)
    assert [w.count for w in waiting(prosecutor) if w.key == "cases-tasks"] == [1]
    actions.do_revoke_grant(investigator, grant)
    assert not [w for w in waiting(prosecutor) if w.key == "cases-tasks"]
