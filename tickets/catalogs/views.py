"""Catalog pages for admins, and the options the intake form asks for as the operator types."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from tickets.accounts.auth import admin_required, current_actor, staff_required
from tickets.catalogs import queries, services
from tickets.catalogs.forms import (
    ActiveForm,
    ElectionForm,
    EntryForm,
    NewEntryForm,
    NewOrganizationForm,
    NewProcessForm,
    OrganizationFilterForm,
    OrganizationForm,
    ProcessForm,
)
from tickets.catalogs.models import (
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    ProcessKind,
    RequesterType,
    State,
    System,
)
from tickets.core.errors import Conflict, ValidationFailed
from tickets.core.forms import choices, put_errors_on_form
from tickets.extensions import db

bp = Blueprint("catalogs", __name__, url_prefix="/catalogos")

PER_PAGE = 50


@dataclass(frozen=True)
class EntryCatalog:
    """How the pages name a catalog of plain entries (systems, categories)."""

    model: type
    title: str
    singular: str
    new_label: str


ENTRY_CATALOGS = {
    "sistemas": EntryCatalog(System, "Sistemas informáticos", "sistema", "Nuevo sistema"),
    "categorias": EntryCatalog(Category, "Categorías de ticket", "categoría", "Nueva categoría"),
}

# URL segment -> model and the list page a deactivate/reactivate button returns to.
ACTIVE_CATALOGS = {
    "entidades": (State, "catalogs.states", {}),
    "distritos": (District, "catalogs.districts", {}),
    "organizaciones": (Organization, "catalogs.organizations", {}),
    "procesos": (ElectoralProcess, "catalogs.processes", {}),
    "sistemas": (System, "catalogs.entries", {"catalog": "sistemas"}),
    "categorias": (Category, "catalogs.entries", {"catalog": "categorias"}),
}

SECTION_LINKS = {
    "states": ("catalogs.states", {}),
    "districts": ("catalogs.districts", {}),
    "organizations": ("catalogs.organizations", {}),
    "processes": ("catalogs.processes", {}),
    "systems": ("catalogs.entries", {"catalog": "sistemas"}),
    "categories": ("catalogs.entries", {"catalog": "categorias"}),
}


def _page() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def _form_page(template: str, form, **context):
    """Render a form page: 422 when the form was refused, keeping what the user typed."""
    return render_template(template, form=form, **context), (422 if form.errors else 200)


@bp.get("/")
@admin_required
def index():
    """The list of catalogs an admin can edit, with how many entries each has."""
    counts, by_kind = queries.catalog_counts(), queries.organization_counts()
    sections = [
        (name, url_for(SECTION_LINKS[key][0], **SECTION_LINKS[key][1]), counts[key])
        for key, name in queries.SECTIONS
    ]
    kinds = [(kind, by_kind.get(kind, queries.Count(0, 0))) for kind in RequesterType]
    return render_template("catalogs/index.html", sections=sections, kinds=kinds)


@bp.get("/opciones")
@staff_required
def options():
    """Dependent choices for one state: its districts, juntas, OPL, parties and processes."""
    state_id = request.args.get("state_id", type=int)
    return jsonify(queries.options_for_state(state_id))


# --- States and districts --------------------------------------------------------------------


@bp.get("/entidades/")
@admin_required
def states():
    """The 32 states with their number of districts."""
    return render_template("catalogs/states.html", rows=queries.states_with_district_counts())


@bp.get("/distritos/")
@admin_required
def districts():
    """Federal districts, a page at a time, optionally of one state."""
    state_id = request.args.get("state_id", type=int)
    pagination = queries.districts_page(state_id, _page(), PER_PAGE)
    return render_template(
        "catalogs/districts.html",
        pagination=pagination,
        state_id=state_id,
        states=queries.state_choices(),
    )


# --- Organisations ---------------------------------------------------------------------------


@bp.get("/organizaciones/")
@admin_required
def organizations():
    """Requesting organisations, filtered by kind, state, name and status, a page at a time."""
    form = OrganizationFilterForm(request.args)
    form.state_id.choices = choices([("", "Todas"), *queries.state_choices()])
    form.validate()
    pagination = queries.organizations_page(_organization_filters(form), _page(), PER_PAGE)
    return render_template("catalogs/organizations.html", form=form, pagination=pagination)


def _organization_filters(form: OrganizationFilterForm) -> queries.OrganizationFilters:
    """The filters whose values are valid; a tampered value is ignored, not an error page."""

    def valid(field):
        return field.data if field.data and not field.errors else None

    kind, state_id, active = valid(form.kind), valid(form.state_id), valid(form.active)
    return queries.OrganizationFilters(
        kind=RequesterType(kind) if kind else None,
        state_id=int(state_id) if state_id else None,
        q=valid(form.q) or "",
        active=None if active is None else active == "1",
    )


@bp.route("/organizaciones/nueva", methods=["GET", "POST"])
@admin_required
def new_organization():
    """Add an organisation: an independent candidacy, a new central office…"""
    form = NewOrganizationForm()
    form.state_id.choices = choices(
        [("", "— Ninguna (oficinas centrales) —"), *queries.state_choices()]
    )
    form.party_id.choices = choices([("", "— Ninguno —"), *queries.party_choices()])
    if form.validate_on_submit():
        try:
            organization = services.create_organization(current_actor(), _organization_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Organización «{organization.name}» agregada.", "success")
            return redirect(url_for(".organizations", q=organization.key))
    return _form_page("catalogs/organization_form.html", form, organization=None)


@bp.route("/organizaciones/<int:organization_id>", methods=["GET", "POST"])
@admin_required
def edit_organization(organization_id: int):
    """Rename an organisation or change its acronym."""
    organization = db.get_or_404(Organization, organization_id)
    form = OrganizationForm(obj=organization)
    if form.validate_on_submit():
        try:
            services.update_organization(current_actor(), organization, _organization_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Organización «{organization.name}» actualizada.", "success")
            return redirect(url_for(".organizations", q=organization.key))
    return _form_page("catalogs/organization_form.html", form, organization=organization)


def _organization_data(form: OrganizationForm) -> services.OrganizationData:
    if not isinstance(form, NewOrganizationForm):
        return services.OrganizationData(form.name.data or "", form.acronym.data or "")
    return services.OrganizationData(
        name=form.name.data or "",
        acronym=form.acronym.data or "",
        kind=RequesterType(form.kind.data),
        state_id=int(form.state_id.data) if form.state_id.data else None,
        district_number=form.district_number.data,
        party_id=int(form.party_id.data) if form.party_id.data else None,
        key=form.key.data or "",
    )


# --- Electoral processes and elections -------------------------------------------------------


@bp.get("/procesos/")
@admin_required
def processes():
    """Every electoral process with its election days and states."""
    rows = [(p, queries.election_days(p)) for p in queries.processes_with_elections()]
    return render_template("catalogs/processes.html", rows=rows)


@bp.route("/procesos/nuevo", methods=["GET", "POST"])
@admin_required
def new_process():
    """Add an electoral process; its elections are added on the process's page."""
    form = NewProcessForm()
    if form.validate_on_submit():
        try:
            process = services.create_process(current_actor(), _process_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Proceso {process.key} agregado. Registre ahora sus elecciones.", "success")
            return redirect(url_for(".process", process_id=process.id))
    return _form_page("catalogs/process_form.html", form)


@bp.route("/procesos/<int:process_id>", methods=["GET", "POST"])
@admin_required
def process(process_id: int):
    """A process: edit its name, kind and dates; see, add and remove its elections."""
    electoral_process = _process_or_404(process_id)
    form = ProcessForm(obj=electoral_process)
    if form.validate_on_submit():
        try:
            services.update_process(current_actor(), electoral_process, _process_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Proceso {electoral_process.key} actualizado.", "success")
            return redirect(url_for(".process", process_id=process_id))
    return _process_page(electoral_process, form, _election_form(ElectionForm(formdata=None)))


@bp.post("/procesos/<int:process_id>/elecciones")
@admin_required
def add_election(process_id: int):
    """Add an election (state and election day) to a process."""
    electoral_process = _process_or_404(process_id)
    form = _election_form(ElectionForm())
    if form.validate_on_submit():
        try:
            election = services.add_election(current_actor(), electoral_process, _election(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Elección en {election.state.display_name} agregada.", "success")
            return redirect(url_for(".process", process_id=process_id))
    return _process_page(electoral_process, ProcessForm(obj=electoral_process, formdata=None), form)


@bp.post("/procesos/<int:process_id>/elecciones/<int:election_id>/quitar")
@admin_required
def remove_election(process_id: int, election_id: int):
    """Remove one election from a process."""
    election = db.get_or_404(Election, election_id)
    if election.process_id != process_id:
        abort(404)
    state_name = election.state.display_name
    try:
        services.remove_election(current_actor(), election)
    except Conflict as exc:
        flash(str(exc), "danger")
    else:
        flash(f"Elección en {state_name} quitada del proceso.", "success")
    return redirect(url_for(".process", process_id=process_id))


def _process_or_404(process_id: int) -> ElectoralProcess:
    electoral_process = queries.process_with_elections(process_id)
    if electoral_process is None:
        abort(404)
    return electoral_process


def _process_page(electoral_process: ElectoralProcess, form, election_form):
    status = 422 if form.errors or election_form.errors else 200
    page = render_template(
        "catalogs/process.html",
        process=electoral_process,
        form=form,
        election_form=election_form,
    )
    return page, status


def _process_data(form: ProcessForm) -> services.ProcessData:
    key = form.key.data if isinstance(form, NewProcessForm) else ""
    return services.ProcessData(
        name=form.name.data or "",
        kind=ProcessKind(form.kind.data),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        key=key or "",
    )


def _election_form(form: ElectionForm) -> ElectionForm:
    form.state_id.choices = choices([("", "— Elija —"), *queries.state_choices()])
    return form


def _election(form: ElectionForm) -> services.ElectionData:
    return services.ElectionData(
        state_id=int(form.state_id.data),
        election_day=form.election_day.data,
        description=form.description.data or "",
    )


# --- Systems and categories ------------------------------------------------------------------


@bp.get("/<any(sistemas, categorias):catalog>/")
@admin_required
def entries(catalog: str):
    """Every system (or category), active or not."""
    config = ENTRY_CATALOGS[catalog]
    return render_template(
        "catalogs/entries.html",
        catalog=catalog,
        config=config,
        rows=queries.entries(config.model),
    )


@bp.route("/<any(sistemas, categorias):catalog>/nuevo", methods=["GET", "POST"])
@admin_required
def new_entry(catalog: str):
    """Add a system or a category."""
    config = ENTRY_CATALOGS[catalog]
    form = NewEntryForm()
    if form.validate_on_submit():
        try:
            entry = services.create_entry(current_actor(), config.model, _entry_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Se agregó «{entry.name}» a {config.title.lower()}.", "success")
            return redirect(url_for(".entries", catalog=catalog))
    return _form_page("catalogs/entry_form.html", form, catalog=catalog, config=config, entry=None)


@bp.route("/<any(sistemas, categorias):catalog>/<int:entry_id>", methods=["GET", "POST"])
@admin_required
def edit_entry(catalog: str, entry_id: int):
    """Rename or re-describe a system or a category."""
    config = ENTRY_CATALOGS[catalog]
    entry = db.get_or_404(config.model, entry_id)
    form = EntryForm(obj=entry)
    if form.validate_on_submit():
        try:
            services.update_entry(current_actor(), entry, _entry_data(form))
        except ValidationFailed as exc:
            put_errors_on_form(form, exc.fields)
        else:
            flash(f"Se actualizó «{entry.name}».", "success")
            return redirect(url_for(".entries", catalog=catalog))
    return _form_page("catalogs/entry_form.html", form, catalog=catalog, config=config, entry=entry)


def _entry_data(form: EntryForm) -> services.EntryData:
    key = form.key.data if isinstance(form, NewEntryForm) else ""
    return services.EntryData(
        name=form.name.data or "", description=form.description.data or "", key=key or ""
    )


# --- Deactivate / reactivate -----------------------------------------------------------------


@bp.post(
    "/<any(entidades, distritos, organizaciones, procesos, sistemas, categorias):catalog>"
    "/<int:entry_id>/estado"
)
@admin_required
def set_active(catalog: str, entry_id: int):
    """Deactivate or reactivate one entry, then go back to the list it was on."""
    model, list_endpoint, list_args = ACTIVE_CATALOGS[catalog]
    entry = db.get_or_404(model, entry_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        abort(400)
    active = form.active.data == "1"
    services.set_active(current_actor(), entry, active)
    verb = "reactivó" if active else "desactivó"
    flash(f"Se {verb} «{_entry_label(entry)}».", "success")
    return redirect(_safe_next(form.next.data) or url_for(list_endpoint, **list_args))


def _entry_label(entry) -> str:
    if isinstance(entry, District):
        return f"Distrito {entry} de {entry.state.display_name}"
    return str(entry)


def _safe_next(target: str | None) -> str | None:
    """Only go back to a catalog page of this site."""
    target = target or ""
    if target.startswith(f"{bp.url_prefix}/") and "//" not in target and "\\" not in target:
        return target
    return None
