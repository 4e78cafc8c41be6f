"""Demo networks, organisations and people: "Quartiersnetz Herten-Mitte" and "Nachbarschaft Westerholt".

Keys (context.organisations / context.users / context.networks) are stable: the catalogue and
bookings parts refer to them.
"""

from __future__ import annotations

from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.passwords import hash_password
from resourcepool.db import sql
from resourcepool.db.engine import DB
from resourcepool.demo import DEMO_NETWORK_SLUG, DEMO_PASSWORD, DemoContext

NETWORKS = {
    "herten": dict(slug=DEMO_NETWORK_SLUG, name="Quartiersnetz Herten-Mitte", public_catalogue=True,
                   description="Vereine, Kirchengemeinden, Betriebe und die Stadt teilen im Quartier "
                               "Herten-Mitte Räume, Fahrzeuge, Geräte und Wissen."),
    "westerholt": dict(slug="westerholt", name="Nachbarschaft Westerholt", public_catalogue=False,
                       description="Kleines Nachbarschaftsnetz im Ortsteil Westerholt."),
}

# key: (name, sector, district, address, description, phone, website, networks {key: status})
ORGANISATIONS: dict[str, tuple[str, str, str, str, str, str, str, dict[str, str]]] = {
    "parish": ("Ev. Kirchengemeinde Herten-Mitte", "nonprofit", "Mitte", "Kirchstraße 8, 45699 Herten",
               "Gemeindehaus mit großem Saal, Küche und Jugendraum; Besuchsdienst und Kleiderkammer.",
               "02366 30 41 10", "https://kirche-herten.example", {"herten": "verified"}),
    "awo": ("AWO Begegnungszentrum Herten", "nonprofit", "Mitte", "Feldstraße 21, 45699 Herten",
            "Offener Treff, Mittagstisch und Beratung für Ältere und Familien.",
            "02366 50 72 00", "https://awo-herten.example", {"herten": "verified", "westerholt": "verified"}),
    "sports": ("TuS Herten 1911 e.V.", "nonprofit", "Paschenberg", "Sportplatzweg 3, 45699 Herten",
               "Breitensportverein mit Fußball, Turnen und Reha-Sport; Vereinsbus und Zeltgarnitur.",
               "02366 8 11 91", "https://tus-herten.example", {"herten": "verified"}),
    "repair_cafe": ("Repair-Café Herten", "informal", "Mitte", "Ewaldstraße 15, 45699 Herten",
                    "Ehrenamtliche reparieren jeden zweiten Samstag Elektrogeräte, Räder und Kleidung.",
                    "", "", {"herten": "verified"}),
    "buergerhaus": ("Bürgerhaus Herten", "municipality", "Mitte", "Resser Weg 1, 45699 Herten",
                    "Städtisches Bürgerhaus mit Saal, drei Seminarräumen und Bühnentechnik.",
                    "02366 303 500", "https://herten.example/buergerhaus", {"herten": "verified"}),
    "library": ("Stadtbibliothek Herten", "municipality", "Mitte", "Kurt-Schumacher-Straße 2, 45699 Herten",
                "Bibliothek mit Lesecafé, Makerspace und Veranstaltungsraum.",
                "02366 303 640", "https://herten.example/bibliothek", {"herten": "verified"}),
    "housing": ("Hertener Wohnungsbau GmbH", "business", "Süd", "Gartenstraße 40, 45699 Herten",
                "Wohnungsgesellschaft mit Nachbarschaftstreffs in drei Quartieren.",
                "02366 9 40 00", "https://hwb-herten.example", {"herten": "verified"}),
    "bakery": ("Bäckerei Kamps-Schulte", "business", "Mitte", "Antoniusstraße 6, 45699 Herten",
               "Familienbäckerei seit 1952; Lieferwagen und Backstube für Aktionstage.",
               "02366 1 23 45", "", {"herten": "verified"}),
    "it": ("Ruhrbyte IT-Service GmbH", "business", "Disteln", "Hohewardstraße 200, 45699 Herten",
           "IT-Dienstleister; stellt Beamer, Laptops und Know-how für Vereine bereit.",
           "02366 77 88 0", "https://ruhrbyte.example", {"herten": "verified"}),
    "youth": ("Jugendtreff Nordstern e.V.", "nonprofit", "Langenbochum", "Nordsternweg 12, 45699 Herten",
              "Offene Jugendarbeit, Hausaufgabenhilfe und Bandproberaum.",
              "02366 4 56 78", "", {"herten": "verified"}),
    "food_sharing": ("Foodsharing Herten", "informal", "Mitte", "Fair-Teiler am Rathausplatz, 45699 Herten",
                     "Rettet Lebensmittel vor der Tonne und verteilt sie über Fair-Teiler.",
                     "", "", {"herten": "verified"}),
    "seniors": ("Seniorenbeirat Herten", "nonprofit", "Mitte", "Kurt-Schumacher-Straße 2, 45699 Herten",
                "Interessenvertretung älterer Menschen; Sprechstunden und Ausflüge.",
                "", "", {"herten": "pending"}),
    "heimatverein": ("Heimatverein Westerholt e.V.", "nonprofit", "Westerholt", "Schloßstraße 1, 45701 Herten",
                     "Pflegt das Alte Dorf Westerholt und organisiert den Dorfmarkt.",
                     "0209 6 12 34", "", {"westerholt": "verified"}),
}

# key: (email, name); role follows from the key's suffix
PEOPLE: dict[str, tuple[str, str]] = {
    "coordinator": ("coordinator@quartiersnetz.example", "Miriam Quartiersmanagement"),
    "westerholt_coordinator": ("coordinator@westerholt.example", "Uwe Nachbarschaft"),
    "parish_manager": ("manager@kirche-herten.example", "Pfarrerin Katrin Sommer"),
    "parish_member": ("member@kirche-herten.example", "Hans Becker"),
    "awo_manager": ("manager@awo-herten.example", "Aylin Demir"),
    "awo_member": ("member@awo-herten.example", "Gisela Schmidt"),
    "sports_manager": ("manager@tus-herten.example", "Thomas Kowalski"),
    "sports_member": ("member@tus-herten.example", "Lena Wozniak"),
    "repair_cafe_manager": ("manager@repaircafe-herten.example", "Jörg Lindner"),
    "repair_cafe_member": ("member@repaircafe-herten.example", "Sabine Yilmaz"),
    "buergerhaus_manager": ("manager@buergerhaus.example", "Petra Hoffmann"),
    "buergerhaus_member": ("member@buergerhaus.example", "Markus Weber"),
    "library_manager": ("manager@bibliothek-herten.example", "Dr. Anna Krüger"),
    "library_member": ("member@bibliothek-herten.example", "Felix Neumann"),
    "housing_manager": ("manager@hwb-herten.example", "Stefan Richter"),
    "housing_member": ("member@hwb-herten.example", "Nadine Fischer"),
    "bakery_manager": ("manager@kamps-schulte.example", "Bernd Kamps-Schulte"),
    "it_manager": ("manager@ruhrbyte.example", "Mehmet Aksoy"),
    "it_member": ("member@ruhrbyte.example", "Julia Brandt"),
    "youth_manager": ("manager@nordstern.example", "Kevin Schulz"),
    "youth_member": ("member@nordstern.example", "Sarah Ahmadi"),
    "food_sharing_manager": ("manager@foodsharing-herten.example", "Lisa Wagner"),
    "seniors_manager": ("manager@seniorenbeirat.example", "Ingrid Möller"),
    "seniors_member": ("member@seniorenbeirat.example", "Werner Klein"),
    "heimatverein_manager": ("manager@heimatverein-westerholt.example", "Ulrich Terhorst"),
}

LOGINS: list[tuple[str, str]] = [
    ("coordinator", "coordinator of Quartiersnetz Herten-Mitte"),
    ("buergerhaus_manager", "manager of Bürgerhaus Herten (municipality)"),
    ("parish_manager", "manager of Ev. Kirchengemeinde Herten-Mitte"),
    ("awo_manager", "manager of AWO Begegnungszentrum (in both networks)"),
    ("sports_member", "member of TuS Herten 1911 (may book)"),
    ("it_manager", "manager of Ruhrbyte IT-Service (business)"),
    ("seniors_manager", "manager of Seniorenbeirat – waiting for verification"),
    ("westerholt_coordinator", "coordinator of Nachbarschaft Westerholt"),
]


def describe_logins() -> list[tuple[str, str, str]]:
    return [(PEOPLE[key][0], DEMO_PASSWORD, what) for key, what in LOGINS]


async def load(context: DemoContext) -> None:
    """Insert the demo networks, organisations and people (one transaction)."""
    now = clock.now()
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose
    async with DB.transaction():
        for key, n in NETWORKS.items():
            context.networks[key] = await sql.fetch_value(
                """INSERT INTO network (slug, name, timezone, locale, public_catalogue, description, created_at)
                   VALUES ($1, $2, 'Europe/Berlin', 'de', $3, $4, $5) RETURNING id""",
                n["slug"], n["name"], n["public_catalogue"], n["description"], now - timedelta(days=400),
            )
        for key, (email, name) in PEOPLE.items():
            context.users[key] = await sql.fetch_value(
                """INSERT INTO app_user (email, name, password_hash, locale, created_at, password_changed_at)
                   VALUES ($1, $2, $3, 'de', $4, $4) RETURNING id""",
                email, name, password_hash, now - timedelta(days=380),
            )
        await sql.execute("INSERT INTO coordinator (network_id, user_id) VALUES ($1, $2), ($3, $4)",
                          context.networks["herten"], context.users["coordinator"],
                          context.networks["westerholt"], context.users["westerholt_coordinator"])
        for index, (key, (name, sector, district, address, description, phone, website, networks)) in enumerate(
                ORGANISATIONS.items()):
            domain = PEOPLE.get(f"{key}_manager", ("x@example.org",))[0].split("@")[1]
            org_id = await sql.fetch_value(
                """INSERT INTO organisation (name, sector, description, address, district, contact_email,
                                             contact_phone, website, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id""",
                name, sector, description, address, district, f"info@{domain}", phone, website,
                now - timedelta(days=370 - index),
            )
            context.organisations[key] = org_id
            for network_key, status in networks.items():
                coordinator = context.users["coordinator" if network_key == "herten" else "westerholt_coordinator"]
                applied = now - timedelta(days=3) if status == "pending" else now - timedelta(days=365 - index)
                await sql.execute(
                    """INSERT INTO network_organisation (network_id, organisation_id, status, applied_at,
                                                         decided_at, decided_by)
                       VALUES ($1, $2, $3, $4, $5, $6)""",
                    context.networks[network_key], org_id, status, applied,
                    None if status == "pending" else applied + timedelta(days=2),
                    None if status == "pending" else coordinator,
                )
            for role in ("manager", "member"):
                user = context.users.get(f"{key}_{role}")
                if user:
                    await sql.execute(
                        "INSERT INTO membership (user_id, organisation_id, role) VALUES ($1, $2, $3)",
                        user, org_id, role,
                    )
    context.logins.extend(describe_logins())
