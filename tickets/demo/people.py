"""Who and where the demo month happens: staff, invented candidacies, places, names, phones.

Every person here is invented; any likeness to a real person is chance.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tickets.accounts.models import Role
from tickets.core.text import fold

STAFF_DOMAIN = "mesatic.demo"


@dataclass(frozen=True)
class StaffMember:
    """A demo account of the desk."""

    name: str
    email: str
    role: Role


STAFF = (
    StaffMember("Adriana Solís Méndez", f"adriana.solis@{STAFF_DOMAIN}", Role.SUPERVISOR),
    StaffMember("Jorge Alberto Ramírez Cruz", f"jorge.ramirez@{STAFF_DOMAIN}", Role.OPERATOR),
    StaffMember("Verónica Castañeda Ríos", f"veronica.castaneda@{STAFF_DOMAIN}", Role.OPERATOR),
    StaffMember("Luis Fernando Ortega Villaseñor", f"luis.ortega@{STAFF_DOMAIN}", Role.OPERATOR),
    StaffMember("Karla Itzel Domínguez Pineda", f"karla.dominguez@{STAFF_DOMAIN}", Role.OPERATOR),
    StaffMember("Óscar Martínez Guerrero", f"oscar.martinez@{STAFF_DOMAIN}", Role.OPERATOR),
)


@dataclass(frozen=True)
class Candidacy:
    """An independent candidacy registered for one of the extraordinary elections."""

    state_key: str
    person: str
    office: str  # "la presidencia municipal de Nextlalpan"
    place: str

    @property
    def surname(self) -> str:
        return " ".join(self.person.split()[-2:])

    def key(self, number: int) -> str:
        return f"CI-{self.state_key}-{number:02d}"

    @property
    def name(self) -> str:
        return f"Candidatura independiente de {self.person} a {self.office}"

    @property
    def acronym(self) -> str:
        return f"CI {self.surname}"


CANDIDACIES = (
    Candidacy(
        "19",
        "Rosa Elvia Garza Treviño",
        "la presidencia municipal de General Zuazua",
        "General Zuazua",
    ),
    Candidacy(
        "15", "Juan Manuel Olvera Sánchez", "la presidencia municipal de Nextlalpan", "Nextlalpan"
    ),
    Candidacy("15", "Marisol Cortés Rojas", "la presidencia municipal de Nextlalpan", "Nextlalpan"),
    Candidacy(
        "14",
        "Ernesto Javier Plascencia Ruvalcaba",
        "la presidencia municipal de San Pedro Tlaquepaque",
        "San Pedro Tlaquepaque",
    ),
    Candidacy(
        "14",
        "Lucía Fernanda Arias Navarro",
        "la presidencia municipal de San Pedro Tlaquepaque",
        "San Pedro Tlaquepaque",
    ),
    Candidacy("12", "Abel Neri Santiago", "la presidencia municipal de Iliatenco", "Iliatenco"),
    Candidacy(
        "29",
        "Felipe Cuahutle Xochitiotzi",
        "la presidencia de comunidad de Tepuente (Nanacamilpa)",
        "Tepuente (Nanacamilpa)",
    ),
    Candidacy("18", "Dalia Carrillo Ureña", "la presidencia municipal de La Yesca", "La Yesca"),
)

# Where each extraordinary election of EXT-2021 takes place (elecciones.csv descriptions).
EXT_PLACES = {
    "19": ("General Zuazua",),
    "15": ("Nextlalpan",),
    "14": ("San Pedro Tlaquepaque",),
    "12": ("Iliatenco",),
    "29": (
        "Colonia Agrícola San Luis (Atlangatepec)",
        "Santa Cruz Guadalupe (Chiautempan)",
        "Tepuente (Nanacamilpa)",
        "Guadalupe Victoria (Tepetitla de Lardizábal)",
        "La Candelaria Teotlalpan (Totolac)",
    ),
    "18": ("La Yesca",),
}

FEMALE = (
    "María Guadalupe",
    "Rosa Elena",
    "Alejandra",
    "Claudia",
    "Gabriela",
    "Leticia",
    "Patricia",
    "Diana Laura",
    "Mariana",
    "Yesenia",
    "Norma Angélica",
    "Silvia",
    "Brenda",
    "Fernanda",
    "Xóchitl",
    "Itzel",
    "Ana Karen",
    "Mónica",
)
MALE = (
    "José Luis",
    "Juan Carlos",
    "Miguel Ángel",
    "Francisco Javier",
    "Ricardo",
    "Héctor",
    "Alejandro",
    "Rodrigo",
    "Raúl",
    "Arturo",
    "Sergio",
    "Eduardo",
    "Jesús Manuel",
    "Iván",
    "Omar",
    "Rubén",
    "Efraín",
    "Gerardo",
)
SURNAMES = (
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Pérez",
    "Rodríguez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Reyes",
    "Díaz",
    "Torres",
    "Gutiérrez",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Castillo",
    "Romero",
    "Álvarez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Herrera",
    "Medina",
    "Vargas",
    "Guzmán",
    "Salazar",
    "Villarreal",
    "Ávila",
    "Nava",
    "Zúñiga",
    "Cervantes",
)

# One long-distance code per state (the state capital's), for believable phone numbers.
AREA_CODES = {
    "01": "449", "02": "686", "03": "612", "04": "981", "05": "844", "06": "312",
    "07": "961", "08": "614", "09": "55", "10": "618", "11": "473", "12": "747",
    "13": "771", "14": "33", "15": "722", "16": "443", "17": "777", "18": "311",
    "19": "81", "20": "951", "21": "222", "22": "442", "23": "983", "24": "444",
    "25": "667", "26": "662", "27": "993", "28": "834", "29": "246", "30": "228",
    "31": "999", "32": "492",
}  # fmt: skip


def person_name(rng: random.Random) -> str:
    """'Norma Angélica Ruiz Medina'."""
    first = rng.choice(FEMALE if rng.random() < 0.5 else MALE)
    first_surname, second_surname = rng.sample(SURNAMES, 2)
    return f"{first} {first_surname} {second_surname}"


def email_for(name: str, domain: str) -> str:
    """'norma.ruiz@ine.demo' from 'Norma Angélica Ruiz Medina'."""
    parts = name.split()
    first, surname = parts[0], parts[-2]
    return f"{_slug(first)}.{_slug(surname)}@{domain}"


def domain_for(kind: str, acronym: str | None) -> str:
    """A made-up mail domain per kind of organisation (.demo never reaches a real mailbox)."""
    if kind in ("junta", "central"):
        return "ine.demo"
    if kind == "candidacy":
        return "candidatura.demo"
    return f"{_slug(acronym or kind)}.demo"


def phone_for(rng: random.Random, state_key: str | None) -> str:
    """'744 123 4567' or '33 1234 5678', with the state's area code."""
    code = AREA_CODES.get(state_key or "09", "55")
    if len(code) == 2:
        return f"{code} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"
    return f"{code} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _slug(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())
