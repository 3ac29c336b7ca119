"""Case pages: access_* -> form -> do_* -> render. Missing and forbidden records both give 404."""

from datetime import date
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tipnet.accounts.models import User
from tipnet.audit.actions import record
from tipnet.directory.countries import country_names
from tipnet.lib.paging import link_query, request_page
from tipnet.lib.prepared import Prepared
from tipnet.mla.access import can_draft

from . import actions
from .access import (
    WRITER_ROLES,
    access_case,
    access_case_for_edit,
    access_case_for_grant,
    access_case_person,
    access_document,
    access_grant,
    access_person,
    access_task,
    can_edit_case,
    can_grant,
    can_read_documents,
    can_read_free_text,
    can_read_tasks,
    can_see_identity,
    mark_free_text,
    my_open_tasks,
    task_assignees,
    visible_cases,
)
from .enums import NEXT_STAGES, ChainRole, IdentifierKind, PersonRole, Stage, SuspectStatus
from .forms import (
    CaseFilterForm,
    CaseForm,
    DocumentForm,
    EventForm,
    GrantForm,
    IdentifierForm,
    ImportForm,
    PersonForm,
    PersonLinkForm,
    PersonSearchForm,
    StageForm,
    SuspectForm,
    TaskForm,
    apply_errors,
)
from .importer import import_file, template_file, too_large_message
from .models import (
    Case,
    CaseEvent,
    CaseGrant,
    CasePerson,
    CaseTask,
    Document,
    Identifier,
    RouteLeg,
    TaskStatus,
)
from .names import latin_form
from .queries import filter_cases, search_people, search_persons, similar_persons


@login_required
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    cases = filter_cases(request.user, visible_cases(request.user), **form.values())
    # The total is counted a bounded distance ahead; exactly only when asked (?count=exact).
    page = request_page(request, cases.only(*LIST_FIELDS), settings.TIPNET_PAGE_SIZE)
    page.object_list = mark_free_text(request.user, page.object_list)
    template = "cases/case_list.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        template = "cases/case_list_results.html"
    rows = [_case_row(get_language(), case) for case in page.object_list]
    context = {"page": page, "rows": rows, "query": link_query(request.GET), "form": form}
    if template == "cases/case_list.html":
        context["filters"] = _filters(get_language(), _filter_key(form))
    context["can_create"] = request.user.has_role(*WRITER_ROLES) and request.user.agency_id
    return render(request, template, context)


def _filter_key(form) -> tuple | None:
    """What the filter form shows depends only on the values asked for (and the language)."""
    if not form.is_bound:
        return None
    return tuple((name, tuple(form.data.getlist(name))) for name in form.fields)


@lru_cache(maxsize=2_000)
def _filters(language: str, key: tuple | None) -> str:
    """The case list's filter fields, rendered once per language and values asked for: their
    select options took about a quarter of the list's rendering."""
    data = None if key is None else MultiValueDict({name: list(v) for name, v in key})
    with translation.override(language):
        return render_to_string("cases/_filters.html", {"form": CaseFilterForm(data)})


LIST_FIELDS = ("reference", "title", "stage", "outcome", "opened_on", "agency__code")


def _case_row(language: str, case) -> str:
    # Keyed by everything the row shows, so a cached row is never stale.
    title = case.title if case.free_text_shown else None
    return _render_case_row(
        language, case.pk, case.reference, title, case.stage, case.outcome, case.opened_on
    )


@lru_cache(maxsize=20_000)
def _render_case_row(language, pk, reference, title, stage, outcome, opened_on) -> str:
    """One row of the case list, rendered once per language and content: the same for every
    reader who sees the same (a page of 50 rows took most of the list's rendering time)."""
    case = Case(
        pk=pk,
        reference=reference,
        title=title or "",
        stage=stage,
        outcome=outcome,
        opened_on=opened_on,
    )
    with translation.override(language):
        return render_to_string("cases/_case_row.html", {"case": case, "shown": title is not None})


def _can_create(user) -> bool:
    return bool(user.agency_id and user.has_role(*WRITER_ROLES))


@login_required
def case_create(request):
    if not _can_create(request.user):
        raise Http404
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = actions.do_create_case(request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect("cases:detail", case.pk)
    return render(request, "cases/case_form.html", {"form": form})


@login_required
def case_edit(request, case_id: int):
    case = access_case_for_edit(request.user, case_id)
    route = [(leg.country, leg.kind) for leg in case.route.all()]
    initial = {f: getattr(case, f) for f in actions.CASE_FIELDS}
    initial["route"] = " ".join(country for country, _kind in route)
    form = CaseForm(request.POST or None, initial=initial)
    del form.fields["opened_on"]
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        new_route = data.pop("route")
        try:
            with transaction.atomic():
                actions.do_update_case(request.user, case, **data)
                if new_route != route:
                    actions.do_set_route(request.user, case, new_route)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Case saved."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/case_form.html", {"form": form, "case": case})


# The case page's reads, each run on every view of a case: their SQL is built once
# (tipnet/lib/prepared.py), which halved their cost in the app.
_ROUTE: Prepared[RouteLeg] = Prepared(
    # By position alone: the model's ordering starts with the case, which joins the cases table.
    lambda case_id: RouteLeg.objects.filter(case_id=case_id).order_by("position")
)
_PERSONS: Prepared[CasePerson] = Prepared(
    lambda case_id: (
        CasePerson.objects.filter(case_id=case_id)
        .select_related("person")
        .prefetch_related(
            # Only what the page shows: every encrypted field read is a decryption.
            Prefetch(
                "person__identifiers",
                queryset=Identifier.objects.only("person_id", "kind", "normalised"),
            )
        )
    )
)
_EVENTS: Prepared[CaseEvent] = Prepared(lambda case_id: CaseEvent.objects.filter(case_id=case_id))
_DOCUMENTS: Prepared[Document] = Prepared(
    lambda case_id: Document.objects.filter(case_id=case_id).defer("content")
)
_DOCUMENT_IDS: Prepared[int] = Prepared(
    lambda case_id: Document.objects.filter(case_id=case_id).order_by().values_list("pk", flat=True)
)
_TASKS: Prepared[CaseTask] = Prepared(
    lambda case_id: CaseTask.objects.filter(case_id=case_id).select_related("assignee")
)
_GRANTS: Prepared[CaseGrant] = Prepared(
    lambda case_id: CaseGrant.objects.filter(case_id=case_id).select_related("agency", "user")
)


def _of_case(case, rows: list) -> list:
    """`rows` read by the case's key, each given the case already in hand (as the case's
    related managers do), so that reading `row.case` costs no query."""
    for row in rows:
        row.case = case
    return rows


def _persons(user, case) -> tuple[list, int]:
    """The case's persons `user` may see, and how many victims are withheld from them."""
    rows = _of_case(case, _PERSONS(case.pk))
    if can_see_identity(user, case):
        return rows, 0
    shown = [r for r in rows if r.role != PersonRole.VICTIM]
    return shown, len(rows) - len(shown)


def _person_row(language: str, case_pk: int, editable: bool, row) -> str:
    # Keyed by everything the row shows, so a cached row is never stale.
    person = row.person
    identifiers = tuple((i.kind, i.normalised) for i in person.identifiers.all())
    return _render_person_row(
        language,
        case_pk,
        editable,
        row.pk,
        (row.role, row.chain_role, row.status),
        (person.full_name, person.latin_name, person.birth_display),
        identifiers,
    )


@lru_cache(maxsize=20_000)
def _render_person_row(language, case_pk, editable, pk, roles, person, identifiers) -> str:
    """One row of the case page's persons table, rendered once per language and content: the
    same for every reader who sees the same (the table took most of the page's rendering).
    Built without the template, which cost more than the row's few values."""
    role, chain_role, status = roles
    full_name, latin_name, born = person
    with translation.override(language):
        labels = [_label(PersonRole, role)]
        labels += [_label(ChainRole, chain_role)] if chain_role else []
        labels += [_label(SuspectStatus, status)] if status else []
        change = ""
        if editable and role == PersonRole.SUSPECT:
            url = reverse("cases:suspect_edit", args=[case_pk, pk])
            change = format_html(
                ' <a href="{}" data-testid="suspect-edit">{}</a>', url, _("Change")
            )
        found = format_html_join(
            mark_safe("<br>"),
            "{}: {}",
            ((_label(IdentifierKind, kind), value) for kind, value in identifiers),
        )
        add = ""
        if editable:
            url = reverse("cases:identifier_add", args=[case_pk, pk])
            add = format_html(' <a href="{}" data-testid="identifier-add">+</a>', url)
        return format_html(
            '<tr data-testid="person-row"><td>{}</td><td>{}</td><td>{}{}</td><td>{}</td>'
            "\n<td>{}{}</td></tr>",
            full_name,
            latin_name,
            " · ".join(labels),
            change,
            born or "—",
            found,
            add,
        )


def _label(choices, value: str) -> str:
    """`value`'s label among `choices` (the value itself when it is none of them), as the
    model's get_FOO_display gives it."""
    return str(dict(choices.choices).get(value, value))


@login_required
def case_detail(request, case_id: int):
    case = access_case(request.user, case_id)
    if case.agency_id == request.user.agency_id:
        # Read with the case: the audit event names the user's agency without reading it again.
        request.user.agency = case.agency
    record("cases:case:view", actor=request.user, obj=case)
    route = _of_case(case, _ROUTE(case.pk))
    names = country_names([leg.country for leg in route])
    persons, hidden_victims = _persons(request.user, case)
    # One read of the events: the stage history is those that changed the stage.
    events = _of_case(case, _EVENTS(case.pk))
    editable = can_edit_case(request.user, case)
    documents_shown = can_read_documents(request.user, case)
    can_read_free_text(request.user, case)  # sets case.free_text_shown for the template
    context = {
        "case": case,
        "route": [(leg, names[leg.country]) for leg in route],
        "persons": persons,
        "person_rows": [_person_row(get_language(), case.pk, editable, row) for row in persons],
        "hidden_victims": hidden_victims,
        "events": events,
        "stages": [e for e in events if e.stage_to],
        "documents": _of_case(case, _DOCUMENTS(case.pk)) if documents_shown else [],
        "hidden_documents": 0 if documents_shown else len(_DOCUMENT_IDS(case.pk)),
        "can_edit": editable,
        "can_grant": can_grant(request.user, case),
        "stage_fields": _stage_fields(get_language(), _next_stage(case)) if editable else "",
    }
    context |= _case_work(request.user, case, editable)
    return render(request, "cases/case_detail.html", context)


def _case_work(user, case, editable: bool) -> dict:
    """The case page's tasks, sharing and drafting parts, each shown only to who may use it."""
    shown = can_read_tasks(user, case)
    tasks = _of_case(case, _TASKS(case.pk)) if shown else []
    grantor = can_grant(user, case)
    # The case's grants, read once: listed to who may grant, and the assignees' and the
    # user's own grant end are drawn from them.
    own = case.agency_id == user.agency_id
    needed = grantor or not own or (editable and shown)
    grants = _of_case(case, _GRANTS(case.pk)) if needed else []
    task_fields = ""
    if editable and shown:
        # One query for the list; the form's HTML is the same for the same list and language.
        choices = tuple((u.pk, u.display_name()) for u in task_assignees(case, grants))
        task_fields = _task_fields(get_language(), choices, user.pk)
    return {
        "tasks_shown": shown,
        "tasks": tasks,
        "task_fields": task_fields,
        "grants": grants if grantor else [],
        "my_grant_end": _my_grant_end(user, case, grants),
        "can_draft_mla": can_draft(user),
    }


_FORM_FIELDS = engines["django"].from_string(
    '{% for field in form %}<div><label for="{{ field.id_for_label }}">{{ field.label }}</label>'
    "{{ field }}</div>{% endfor %}"
)


@lru_cache(maxsize=64)
def _stage_fields(language: str, next_stage: str) -> str:
    """The stage form's fields as HTML: they depend only on the language and the next stage."""
    with translation.override(language):
        form = StageForm(initial={"stage": next_stage})
        return _FORM_FIELDS.render({"form": form})


@lru_cache(maxsize=512)
def _task_fields(language: str, choices: tuple[tuple[int, str], ...], initial: int) -> str:
    """The task form's fields as HTML, for these assignees (pk, name) and this preselected one."""
    with translation.override(language):
        form = TaskForm(assignees=User.objects.none(), initial={"assignee": initial})
        assignee = form.fields["assignee"]
        assert isinstance(assignee, ModelChoiceField)
        assignee.choices = list(choices)
        return _FORM_FIELDS.render({"form": form})


def _my_grant_end(user, case, grants: list) -> date | None:
    """The last day of the grants (of all `grants` of the case) through which `user` sees
    another agency's case (None when one of them has no end, or the case is their agency's)."""
    if case.agency_id == user.agency_id:
        return None
    mine = [
        g for g in grants if g.user_id == user.pk or (g.agency_id and g.agency_id == user.agency_id)
    ]
    live = [g for g in mine if not g.is_expired]
    if not live or any(g.expires_at is None for g in live):
        return None
    return max(live, key=lambda g: g.expires_at).expires_on


def _next_stage(case) -> str:
    order = [s for s in Stage.values if s in NEXT_STAGES[case.stage] and s != Stage.CLOSED]
    return order[0] if order else Stage.CLOSED


@login_required
@require_POST
def stage_change(request, case_id: int):
    case = access_case_for_edit(request.user, case_id)
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_change_stage(
                request.user,
                case,
                data["stage"],
                data["occurred_on"],
                data["outcome"],
                data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        for error in [e for errors in form.errors.values() for e in errors]:
            messages.error(request, str(error))
    else:
        messages.success(request, _("Stage changed."))
    return redirect("cases:detail", case.pk)


def _save_person(user, case, data, similar_to=()) -> None:
    person = actions.do_create_person(
        user,
        full_name=data["full_name"],
        sex=data["sex"],
        birth=data["birth"],
        citizenships=data["citizenships"],
        similar_to=similar_to,
    )
    actions.do_add_person_to_case(
        user, case, person, data["role"], data["chain_role"], data["status"]
    )
    for kind, value, country in _identifiers_of(data):
        try:
            actions.do_add_identifier(user, person, kind, value, country)
        except ValidationError as exc:
            raise ValidationError({kind: exc.messages}) from None


def _identifiers_of(data) -> list[tuple[str, str, str]]:
    country = data["citizenships"][0] if data["citizenships"] else ""
    found = [("phone", data["phone"], country), ("passport", data["passport"], country)]
    return [(kind, value, country) for kind, value, country in found if value]


@login_required
def person_add(request, case_id: int):
    """Add a new person; a person already recorded who may be the same is offered first."""
    case = access_case_for_edit(request.user, case_id)
    form = PersonForm(request.POST or None)
    similar = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        similar = similar_persons(request.user, data["full_name"], _identifiers_of(data))
        # The warning's "add as a new person anyway" button sends confirm_new.
        if similar and request.POST.get("confirm_new") != "on":
            return _person_warning(request, case, form, similar)
        try:
            with transaction.atomic():
                _save_person(request.user, case, data, [s.person.pk for s in similar])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Person added."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/person_form.html", {"form": form, "case": case})


def _person_warning(request, case, form, similar):
    """The form again, with the persons who may be the same and a way to link each."""
    data = form.cleaned_data
    initial = {"role": data["role"], "chain_role": data["chain_role"]}
    link = PersonLinkForm(auto_id=False, initial=initial)
    context = {"form": form, "case": case, "similar": similar, "link_form": link}
    return render(request, "cases/person_form.html", context)


@login_required
def person_link(request, case_id: int):
    """Find a person recorded in another visible case and give them a role in this one."""
    case = access_case_for_edit(request.user, case_id)
    form = PersonLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = access_person(request.user, data["person_id"])
        try:
            actions.do_add_person_to_case(
                request.user, case, person, data["role"], data["chain_role"], ""
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Person added."))
            return redirect("cases:detail", case.pk)
    search = PersonSearchForm(request.GET or None)
    hits = search_persons(request.user, search.cleaned_data["q"]) if search.is_valid() else []
    persons = list({h.row.person_id: h for h in reversed(hits)}.values())[::-1]
    context = {
        "case": case,
        "search": search,
        "hits": persons,
        "link_form": PersonLinkForm(auto_id=False),
    }
    return render(request, "cases/person_link.html", context)


@login_required
def identifier_add(request, case_id: int, row_id: int):
    case = access_case_for_edit(request.user, case_id)
    row = access_case_person(request.user, case, row_id)
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_add_identifier(
                request.user, row.person, data["kind"], data["value"], data["country"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Identifier added."))
            return redirect("cases:detail", case.pk)
    context = {"form": form, "case": case, "row": row}
    return render(request, "cases/identifier_form.html", context)


@login_required
def event_add(request, case_id: int):
    case = access_case_for_edit(request.user, case_id)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_event(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Event added to the timeline."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/event_form.html", {"form": form, "case": case})


@login_required
def document_upload(request, case_id: int):
    case = access_case_for_edit(request.user, case_id)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > actions.max_document_bytes():
                raise ValidationError({"file": _("The file is larger than the limit.")})
            actions.do_upload_document(
                request.user, case, form.cleaned_data["title"], upload.name, upload.read()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/document_form.html", {"form": form, "case": case})


@login_required
def document_download(request, case_id: int, document_id: int):
    case = access_case(request.user, case_id)
    document = access_document(request.user, case, document_id)
    record("cases:document:download", actor=request.user, obj=document, case_id=case.pk)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="document-{document.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def person_search(request):
    form = PersonSearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    result = search_people(request.user, q, request.GET.get("page"))
    context = {"form": form, "result": result, "q": q, "searched": bool(request.GET.get("q"))}
    return render(request, "cases/person_search.html", context)


@login_required
def latin_preview(request):
    """The Latin form of a name, for the form's as-you-type hint (htmx)."""
    name = request.GET.get("full_name", "")[:200]
    return render(request, "cases/_latin.html", {"latin": latin_form(name) if name else ""})


@login_required
def case_import(request):
    if not _can_create(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        limit = actions.max_document_bytes()
        if upload.size > limit:
            form.add_error("file", too_large_message(limit))
        else:
            dry_run = form.cleaned_data["dry_run"]
            data = upload.read()
            report = import_file(request.user, upload.name, data, dry_run=dry_run, max_bytes=limit)
            record(
                "cases:import:run",
                actor=request.user,
                dry_run=dry_run,
                written=report.written,
                cases=report.cases,
                problems=len(report.problems),
            )
    return render(request, "cases/case_import.html", {"form": form, "report": report})


@login_required
def case_import_template(request, kind: str):
    if not _can_create(request.user):
        raise Http404
    content, content_type = template_file(kind)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="tipnet-cases-template.{kind}"'
    return response


@login_required
def grant_add(request, case_id: int):
    case = access_case_for_grant(request.user, case_id)
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            grantee = actions.resolve_grantee(data["agency"], data["username"])
            actions.do_grant_case(
                request.user,
                case,
                level=data["level"],
                reason=data["reason"],
                expires_on=data["expires_on"],
                **grantee,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Access granted."))
            return redirect("cases:detail", case.pk)
    grants = case.grants.select_related("agency", "user")
    context = {"form": form, "case": case, "grants": grants}
    return render(request, "cases/grant_form.html", context)


@login_required
@require_POST
def grant_revoke(request, case_id: int, grant_id: int):
    case = access_case_for_grant(request.user, case_id)
    actions.do_revoke_grant(request.user, access_grant(request.user, case, grant_id))
    messages.success(request, _("Access withdrawn."))
    return redirect("cases:grant_add", case.pk)


@login_required
def suspect_edit(request, case_id: int, row_id: int):
    case = access_case_for_edit(request.user, case_id)
    row = access_case_person(request.user, case, row_id)
    if row.role != PersonRole.SUSPECT:
        raise Http404
    initial = {"chain_role": row.chain_role, "status": row.status}
    form = SuspectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_case_person(request.user, row, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Suspect's role and status saved."))
            return redirect("cases:detail", case.pk)
    context = {"form": form, "case": case, "row": row}
    return render(request, "cases/suspect_form.html", context)


@login_required
def task_add(request, case_id: int):
    case = access_case_for_edit(request.user, case_id)
    if not can_read_tasks(request.user, case):
        raise Http404
    form = TaskForm(request.POST or None, assignees=task_assignees(case))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_task(request.user, case, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Task added."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/task_form.html", {"form": form, "case": case})


@login_required
@require_POST
def task_status(request, case_id: int, task_id: int):
    case = access_case(request.user, case_id)
    task = access_task(request.user, case, task_id)
    status = request.POST.get("status", "")
    if status not in TaskStatus.values:
        messages.error(request, _("Choose one of the listed values."))
    else:
        actions.do_set_task_status(request.user, task, status)
        done = status == TaskStatus.DONE
        messages.success(request, _("Task marked done.") if done else _("Task opened again."))
    return redirect("cases:detail", case.pk)


@login_required
def my_tasks(request):
    """The open tasks assigned to the user, on cases they may still read."""
    tasks = list(my_open_tasks(request.user)[: settings.TIPNET_PAGE_SIZE])
    return render(request, "cases/my_tasks.html", {"tasks": tasks})
