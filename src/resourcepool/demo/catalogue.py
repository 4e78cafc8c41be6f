"""Demo catalogue: about 40 assets of the Herten organisations, with hours, closures and policies.

`load(context)` needs `context.organisations` (keys parish, awo, sports, repair_cafe,
buergerhaus, library, housing, bakery, it, youth, food_sharing, seniors) and offers every asset
in the networks its owner is verified in. An asset whose owner is missing is skipped.

Keys it puts into `context.assets` (for demo/bookings.py and others):

    rooms      grosser_saal (Bürgerhaus, 120 people), kleiner_saal, seminarraum, gemeindesaal,
               jugendkeller, sporthalle, vereinsheim, lesecafe, awo_begegnung, senioren_treff,
               werkstattraum, kueche
    vehicles   kleinbus (parish, 9 seats), transporter (housing), lastenrad, e_auto,
               anhaenger, awo_bus
    devices    klapptische (quantity 10), stuehle (40), bierzeltgarnitur (6), beamer, leinwand,
               musikanlage, mikrofon, naehmaschinen (4), werkzeugkoffer (3), akkuschrauber (2),
               laptops (5), kaffeemaschine, pavillon (2), spielekiste, waffeleisen (paused),
               huepfburg (draft)
    expertise  foerdermittel, it_sprechstunde, steuerberatung, social_media, buchhaltung,
               erste_hilfe, grafik, reparatur_hilfe

Owners, statuses and booking rules are chosen so bookings can show every policy: approval
required (vehicles, expertise, grosser_saal), credits per hour, buffers, one paused and one draft.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from resourcepool.assets import rules
from resourcepool.availability.materialise import ensure_covered
from resourcepool.db import sql
from resourcepool.demo import DemoContext

WEEKDAYS = range(0, 5)
HOURS: dict[str, list[tuple[int, int, int]]] = {
    "office": [(d, 8 * 60, 18 * 60) for d in WEEKDAYS],
    "weekdays": [(d, 9 * 60, 17 * 60) for d in WEEKDAYS],
    "evenings": [(d, 16 * 60, 22 * 60) for d in WEEKDAYS] + [(5, 10 * 60, 22 * 60)],
    "daily": [(d, 7 * 60, 23 * 60) for d in range(7)],
    "hall": [(d, 8 * 60, 24 * 60) for d in range(7)],
    "split": [(d, 9 * 60, 12 * 60) for d in WEEKDAYS] + [(d, 14 * 60, 19 * 60) for d in WEEKDAYS],
    "consult": [(1, 14 * 60, 18 * 60), (3, 14 * 60, 18 * 60)],
    "advice": [(d, 9 * 60, 16 * 60) for d in range(0, 4)],
    "always": [],
}

ROOM_TEXT = "Bitte hinterlassen Sie den Raum so, wie Sie ihn vorgefunden haben. Schlüssel beim Hausmeister."
VEHICLE_TEXT = "Schlüssel und Fahrtenbuch im Büro abholen; bitte vollgetankt bzw. geladen zurückgeben."
DEVICE_TEXT = "Abholung und Rückgabe zu den Öffnungszeiten; bitte sauber und vollständig zurückbringen."

# key, owner, kind, title, district, hours, fields
ASSETS: list[tuple[str, str, str, str, str, str, dict[str, Any]]] = [
    # --- rooms ---------------------------------------------------------------------------
    ("grosser_saal", "buergerhaus", "room", "Großer Saal im Bürgerhaus", "Herten-Mitte", "hall", {
        "capacity": 120, "area_m2": 240, "approval_required": True, "credits_per_hour": 8,
        "replacement_value_per_hour_cents": 9000, "buffer_before_minutes": 30, "buffer_after_minutes": 60,
        "accessibility": ["step_free", "accessible_toilet", "hearing_loop", "lift", "parking_disabled"],
        "address": "Kurt-Schumacher-Straße 2, 45699 Herten",
        "description": "Heller Saal mit Bühne, Parkett und Tontechnik für Versammlungen, Feste und Konzerte. Bestuhlung für 120 Personen."}),
    ("kleiner_saal", "buergerhaus", "room", "Kleiner Saal", "Herten-Mitte", "hall", {
        "capacity": 40, "area_m2": 70, "credits_per_hour": 3, "replacement_value_per_hour_cents": 3500,
        "accessibility": ["step_free", "accessible_toilet", "lift"],
        "address": "Kurt-Schumacher-Straße 2, 45699 Herten",
        "description": "Für Vorträge, Workshops und Vereinssitzungen; Beamer und Flipchart vorhanden."}),
    ("seminarraum", "library", "room", "Seminarraum in der Stadtbibliothek", "Herten-Mitte", "weekdays", {
        "capacity": 20, "area_m2": 45, "credits_per_hour": 2, "replacement_value_per_hour_cents": 2500,
        "accessibility": ["step_free", "lift", "accessible_toilet", "hearing_loop"],
        "address": "Antoniusstraße 9, 45699 Herten",
        "description": "Ruhiger Raum mit WLAN, Whiteboard und großem Bildschirm."}),
    ("gemeindesaal", "parish", "room", "Gemeindesaal St. Antonius", "Herten-Mitte", "evenings", {
        "capacity": 80, "area_m2": 150, "credits_per_hour": 4, "replacement_value_per_hour_cents": 5000,
        "accessibility": ["step_free", "accessible_toilet", "baby_changing"],
        "address": "Antoniusplatz 1, 45699 Herten",
        "description": "Gemeindesaal mit Teeküche, ideal für Familienfeiern, Chorproben und Basare."}),
    ("jugendkeller", "youth", "room", "Jugendkeller Scherlebeck", "Scherlebeck", "evenings", {
        "capacity": 30, "area_m2": 60, "credits_per_hour": 1, "replacement_value_per_hour_cents": 1500,
        "address": "Scherlebecker Straße 260, 45701 Herten",
        "description": "Partykeller mit Kicker, Sofas und Musikanlage – für Jugendgruppen."}),
    ("sporthalle", "sports", "room", "Gymnastikhalle des TV Westerholt", "Westerholt", "evenings", {
        "capacity": 35, "area_m2": 200, "credits_per_hour": 3, "replacement_value_per_hour_cents": 4000,
        "accessibility": ["step_free"], "buffer_after_minutes": 30,
        "address": "Schlossstraße 12, 45701 Herten-Westerholt",
        "description": "Schwingboden, Spiegelwand, Matten und Musikanlage; Umkleiden mit Duschen."}),
    ("vereinsheim", "sports", "room", "Vereinsheim am Sportplatz", "Westerholt", "daily", {
        "capacity": 50, "area_m2": 90, "credits_per_hour": 2, "replacement_value_per_hour_cents": 3000,
        "address": "Am Sportplatz 3, 45701 Herten-Westerholt",
        "description": "Vereinsheim mit Theke und Terrasse, Blick auf den Sportplatz."}),
    ("lesecafe", "library", "room", "Lesecafé", "Herten-Mitte", "weekdays", {
        "capacity": 25, "area_m2": 50, "credits_per_hour": 1, "replacement_value_per_hour_cents": 2000,
        "accessibility": ["step_free", "accessible_toilet"],
        "address": "Antoniusstraße 9, 45699 Herten",
        "description": "Gemütliches Café für Lesungen, Sprachcafés und kleine Treffen."}),
    ("awo_begegnung", "awo", "room", "AWO-Begegnungsstätte Disteln", "Disteln", "office", {
        "capacity": 60, "area_m2": 110, "credits_per_hour": 3, "replacement_value_per_hour_cents": 3500,
        "accessibility": ["step_free", "accessible_toilet", "parking_disabled", "hearing_loop"],
        "address": "Hohewardstraße 300, 45699 Herten",
        "description": "Großer Raum mit Küche für Nachbarschaftstreffen, Kurse und Feiern."}),
    ("senioren_treff", "seniors", "room", "Seniorentreff Paschenberg", "Paschenberg", "weekdays", {
        "capacity": 30, "area_m2": 55, "credits_per_hour": 1, "replacement_value_per_hour_cents": 1800,
        "accessibility": ["step_free", "accessible_toilet", "hearing_loop"],
        "address": "Paschenbergstraße 40, 45699 Herten",
        "description": "Barrierefreier Treffpunkt im Erdgeschoss mit Küche."}),
    ("werkstattraum", "repair_cafe", "room", "Werkstattraum des Repair-Cafés", "Disteln", "split", {
        "capacity": 12, "area_m2": 40, "credits_per_hour": 2, "replacement_value_per_hour_cents": 2000,
        "address": "Feldstraße 18, 45699 Herten",
        "description": "Werkbänke, Lötstationen und Absaugung – für Reparatur- und Bastelgruppen."}),
    ("kueche", "food_sharing", "room", "Gemeinschaftsküche", "Herten-Mitte", "daily", {
        "capacity": 15, "area_m2": 35, "credits_per_hour": 2, "replacement_value_per_hour_cents": 2500,
        "accessibility": ["step_free"], "buffer_after_minutes": 30,
        "address": "Ewaldstraße 5, 45699 Herten",
        "description": "Profiküche mit zwei Herden und Spülmaschine für Kochkurse und Schnippelpartys."}),
    # --- vehicles -------------------------------------------------------------------------
    ("kleinbus", "parish", "vehicle", "Kleinbus der Gemeinde (9 Sitze)", "Herten-Mitte", "always", {
        "seats": 9, "licence_class": "B", "fuel": "diesel", "cargo_volume_l": 400, "credits_per_hour": 3,
        "replacement_value_per_hour_cents": 1500, "address": "Antoniusplatz 1, 45699 Herten",
        "description": "VW-Bus mit 9 Sitzen für Ausflüge und Fahrdienste; Führerschein Klasse B genügt."}),
    ("transporter", "housing", "vehicle", "Transporter der Wohnungsgesellschaft", "Paschenberg", "always", {
        "seats": 3, "licence_class": "B", "fuel": "diesel", "cargo_volume_l": 11000, "credits_per_hour": 4,
        "replacement_value_per_hour_cents": 2000, "address": "Paschenbergstraße 12, 45699 Herten",
        "description": "Sprinter mit Hochdach – für Umzüge, Sperrmüllaktionen und Materialtransporte."}),
    ("lastenrad", "repair_cafe", "vehicle", "Lastenrad „Hertener Hilde“", "Disteln", "daily", {
        "seats": 1, "fuel": "electric", "cargo_volume_l": 200, "approval_required": False,
        "min_duration_minutes": 60, "max_duration_minutes": 48 * 60, "lead_time_minutes": 60,
        "credits_per_hour": 1, "replacement_value_per_hour_cents": 500, "address": "Feldstraße 18, 45699 Herten",
        "description": "E-Lastenrad mit Kiste und Regenverdeck, bis 100 kg Zuladung."}),
    ("e_auto", "it", "vehicle", "E-Auto (Renault Zoe)", "Herten-Mitte", "always", {
        "seats": 5, "licence_class": "B", "fuel": "electric", "cargo_volume_l": 330, "credits_per_hour": 2,
        "replacement_value_per_hour_cents": 1000, "address": "Hermannstraße 20, 45699 Herten",
        "description": "Kleines E-Auto mit 300 km Reichweite; Ladekarte im Handschuhfach."}),
    ("anhaenger", "housing", "vehicle", "PKW-Anhänger", "Paschenberg", "office", {
        "licence_class": "B", "cargo_volume_l": 2500, "fuel": "other", "credits_per_hour": 1,
        "replacement_value_per_hour_cents": 400, "address": "Paschenbergstraße 12, 45699 Herten",
        "description": "Ungebremster Anhänger, 750 kg, mit Plane – Anhängerkupplung nötig."}),
    ("awo_bus", "awo", "vehicle", "Rollstuhlgerechter Bus der AWO", "Disteln", "office", {
        "seats": 7, "licence_class": "B", "fuel": "diesel", "credits_per_hour": 3,
        "replacement_value_per_hour_cents": 2500, "address": "Hohewardstraße 300, 45699 Herten",
        "description": "Bus mit Rampe für zwei Rollstühle; nur mit Einweisung."}),
    # --- devices --------------------------------------------------------------------------
    ("klapptische", "buergerhaus", "device", "Klapptische", "Herten-Mitte", "office", {
        "category": "Möbel", "quantity": 10, "credits_per_hour": 0, "replacement_value_per_hour_cents": 100,
        "description": "10 stabile Klapptische (180 × 80 cm) für Feste und Flohmärkte."}),
    ("stuehle", "buergerhaus", "device", "Stapelstühle", "Herten-Mitte", "office", {
        "category": "Möbel", "quantity": 40, "replacement_value_per_hour_cents": 30,
        "description": "40 Stapelstühle, Transport mit Rollwagen möglich."}),
    ("bierzeltgarnitur", "sports", "device", "Bierzeltgarnituren", "Westerholt", "weekdays", {
        "category": "Möbel", "quantity": 6, "credits_per_hour": 0, "replacement_value_per_hour_cents": 150,
        "description": "Je ein Tisch und zwei Bänke; 6 Garnituren für Sommerfeste."}),
    ("beamer", "library", "device", "Beamer (Full HD)", "Herten-Mitte", "weekdays", {
        "category": "Medientechnik", "credits_per_hour": 1, "replacement_value_per_hour_cents": 800,
        "description": "Beamer mit HDMI-Kabel und Adaptern für Laptops."}),
    ("leinwand", "library", "device", "Leinwand mit Stativ", "Herten-Mitte", "weekdays", {
        "category": "Medientechnik", "replacement_value_per_hour_cents": 300,
        "description": "Mobile Leinwand 2 × 1,5 m."}),
    ("musikanlage", "youth", "device", "Musikanlage mit zwei Boxen", "Scherlebeck", "evenings", {
        "category": "Tontechnik", "credits_per_hour": 1, "replacement_value_per_hour_cents": 1200,
        "description": "Aktivboxen, Mischpult und Funkmikrofon – für bis zu 150 Gäste."}),
    ("mikrofon", "buergerhaus", "device", "Funkmikrofon-Set", "Herten-Mitte", "office", {
        "category": "Tontechnik", "quantity": 2, "replacement_value_per_hour_cents": 400,
        "description": "Zwei Handmikrofone mit Empfänger."}),
    ("naehmaschinen", "repair_cafe", "device", "Nähmaschinen", "Disteln", "split", {
        "category": "Handarbeit", "quantity": 4, "credits_per_hour": 1, "replacement_value_per_hour_cents": 300,
        "description": "4 Nähmaschinen für Nähkurse und Reparaturen, mit Zubehör."}),
    ("werkzeugkoffer", "repair_cafe", "device", "Werkzeugkoffer", "Disteln", "split", {
        "category": "Werkzeug", "quantity": 3, "replacement_value_per_hour_cents": 200,
        "description": "Komplett bestückte Werkzeugkoffer für Reparaturen im Haushalt."}),
    ("akkuschrauber", "housing", "device", "Akkuschrauber", "Paschenberg", "office", {
        "category": "Werkzeug", "quantity": 2, "replacement_value_per_hour_cents": 150,
        "description": "Zwei Akkuschrauber mit Bit-Set und Ersatzakku."}),
    ("laptops", "it", "device", "Schulungs-Laptops", "Herten-Mitte", "weekdays", {
        "category": "Computer", "quantity": 5, "credits_per_hour": 1, "approval_required": True,
        "replacement_value_per_hour_cents": 500,
        "description": "5 Laptops mit Linux und LibreOffice für Kurse."}),
    ("kaffeemaschine", "bakery", "device", "Kaffeemaschine für 100 Tassen", "Herten-Mitte", "office", {
        "category": "Küche", "replacement_value_per_hour_cents": 200,
        "description": "Gastro-Filterkaffeemaschine mit zwei Thermoskannen."}),
    ("pavillon", "food_sharing", "device", "Faltpavillon 3 × 3 m", "Herten-Mitte", "weekdays", {
        "category": "Veranstaltung", "quantity": 2, "replacement_value_per_hour_cents": 250,
        "description": "Zwei Pavillons mit Seitenwänden und Gewichten."}),
    ("spielekiste", "youth", "device", "Spielekiste für Straßenfeste", "Scherlebeck", "weekdays", {
        "category": "Spiel", "replacement_value_per_hour_cents": 150,
        "description": "Wikingerschach, Riesen-Jenga, Stelzen und Kreide."}),
    ("waffeleisen", "bakery", "device", "Doppel-Waffeleisen", "Herten-Mitte", "office", {
        "category": "Küche", "status": "paused", "replacement_value_per_hour_cents": 100,
        "description": "Zurzeit in Reparatur."}),
    ("huepfburg", "youth", "device", "Hüpfburg", "Scherlebeck", "weekdays", {
        "category": "Spiel", "status": "draft", "replacement_value_per_hour_cents": 2000,
        "description": "Noch in Vorbereitung: Hüpfburg 4 × 4 m mit Gebläse."}),
    # --- expertise ------------------------------------------------------------------------
    ("foerdermittel", "awo", "expertise", "Fördermittel-Beratung (2 Stunden im Monat)", "Disteln", "advice", {
        "topics": ["Fördermittel", "Anträge", "Stiftungen"], "languages": ["Deutsch"], "delivery": "both",
        "credits_per_hour": 4, "replacement_value_per_hour_cents": 8000, "max_duration_minutes": 120,
        "description": "Wir helfen beim Finden passender Förderprogramme und beim Schreiben von Anträgen – zwei Stunden im Monat."}),
    ("it_sprechstunde", "it", "expertise", "IT-Sprechstunde", "Herten-Mitte", "consult", {
        "topics": ["Computer", "Datenschutz", "Website"], "languages": ["Deutsch", "English"],
        "delivery": "both", "credits_per_hour": 2, "replacement_value_per_hour_cents": 7000,
        "approval_required": False,
        "description": "Hilfe bei Rechnern, E-Mail, Datensicherung und Vereinswebsites."}),
    ("steuerberatung", "bakery", "expertise", "Steuerberatung für Vereine", "Herten-Mitte", "advice", {
        "topics": ["Steuern", "Gemeinnützigkeit", "Buchhaltung"], "languages": ["Deutsch"],
        "delivery": "on_site", "credits_per_hour": 5, "replacement_value_per_hour_cents": 12000,
        "description": "Unsere Steuerberaterin beantwortet Fragen zu Gemeinnützigkeit und Kassenprüfung."}),
    ("social_media", "library", "expertise", "Social-Media-Beratung", "Herten-Mitte", "advice", {
        "topics": ["Social Media", "Öffentlichkeitsarbeit"], "languages": ["Deutsch", "Türkçe"],
        "delivery": "remote", "credits_per_hour": 2, "replacement_value_per_hour_cents": 6000,
        "description": "Wie Ihr Verein auf Instagram und Co. sichtbar wird."}),
    ("buchhaltung", "housing", "expertise", "Buchhaltung für Ehrenamtliche", "Paschenberg", "advice", {
        "topics": ["Buchhaltung", "Kasse"], "languages": ["Deutsch"], "delivery": "on_site",
        "credits_per_hour": 3, "replacement_value_per_hour_cents": 6000,
        "description": "Einführung in einfache Vereinsbuchhaltung mit Tabellen."}),
    ("erste_hilfe", "sports", "expertise", "Erste-Hilfe-Auffrischung", "Westerholt", "evenings", {
        "topics": ["Erste Hilfe"], "languages": ["Deutsch"], "delivery": "on_site",
        "credits_per_hour": 2, "replacement_value_per_hour_cents": 5000,
        "description": "Auffrischungskurs für Übungsleitende und Betreuende."}),
    ("grafik", "youth", "expertise", "Plakat- und Flyergestaltung", "Scherlebeck", "advice", {
        "topics": ["Grafik", "Plakate"], "languages": ["Deutsch", "English"], "delivery": "remote",
        "credits_per_hour": 2, "replacement_value_per_hour_cents": 5000,
        "description": "Jugendliche aus dem Medienprojekt gestalten Ihre Plakate."}),
    ("reparatur_hilfe", "repair_cafe", "expertise", "Reparatur-Hilfe zu Hause", "Disteln", "split", {
        "topics": ["Reparatur", "Elektro", "Fahrrad"], "languages": ["Deutsch", "Polski"], "delivery": "on_site",
        "credits_per_hour": 1, "replacement_value_per_hour_cents": 4000,
        "description": "Erfahrene Tüftler kommen für kleine Reparaturen vorbei."}),
]

INSTRUCTIONS = {"room": ROOM_TEXT, "vehicle": VEHICLE_TEXT, "device": DEVICE_TEXT,
                "expertise": "Wir melden uns vorab telefonisch, um das Thema abzustimmen."}


async def _networks_of(organisation_id: int) -> list[dict[str, Any]]:
    return await sql.fetch(
        """SELECT n.id, n.timezone FROM network_organisation no JOIN network n ON n.id = no.network_id
           WHERE no.organisation_id = $1 AND no.status = 'verified' ORDER BY n.id""", organisation_id)


async def load(context: DemoContext) -> None:
    for key, owner, kind, title, district, hours, extra in ASSETS:
        organisation_id = context.organisations.get(owner)
        if organisation_id is None:
            continue
        networks = await _networks_of(organisation_id)
        extra = dict(extra)
        status = extra.pop("status", "active" if networks else "draft")
        fields = {**rules.policy_defaults(kind), "usage_instructions": INSTRUCTIONS[kind],
                  **rules.clean_fields(kind, {"title": title, "district": district, **extra})}
        rules.check_policy(fields)
        columns = ["organisation_id", "kind", "status", "timezone", *fields]
        values = [organisation_id, kind, status,
                  networks[0]["timezone"] if networks else "Europe/Berlin", *fields.values()]
        marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
        asset_id = await sql.fetch_value(
            f"INSERT INTO asset ({', '.join(columns)}) VALUES ({marks}) RETURNING id", *values)
        for network in networks:
            await sql.execute("INSERT INTO asset_network (asset_id, network_id) VALUES ($1, $2)",
                              asset_id, network["id"])
        for weekday, start, end in HOURS[hours]:
            await sql.execute(
                "INSERT INTO opening_hours (asset_id, weekday, start_minute, end_minute) VALUES ($1, $2, $3, $4)",
                asset_id, weekday, start, end)
        context.assets[key] = asset_id
    await _closures(context)


async def _closures(context: DemoContext) -> None:
    """Christmas closures for the rooms of the Bürgerhaus, and the weekly youth-club cleaning."""
    zone = ZoneInfo("Europe/Berlin")
    year = datetime.now(zone).year
    for key in ("grosser_saal", "kleiner_saal"):
        if key in context.assets:
            start = datetime(year, 12, 24, tzinfo=zone)
            await sql.execute(
                "INSERT INTO closure (asset_id, starts_at, ends_at, reason) VALUES ($1, $2, $3, 'Weihnachtsferien')",
                context.assets[key], start, start + timedelta(days=3))
    if "jugendkeller" in context.assets:
        # Mondays 16–18 the cellar is cleaned; first Monday of next January onwards, for two years.
        first = datetime(year + 1, 1, 1, 16, tzinfo=zone)
        first += timedelta(days=(7 - first.weekday()) % 7)
        await sql.execute(
            """INSERT INTO closure (asset_id, starts_at, ends_at, rrule, reason)
               VALUES ($1, $2, $3, $4, 'Grundreinigung')""",
            context.assets["jugendkeller"], first, first + timedelta(hours=2),
            f"FREQ=WEEKLY;BYDAY=MO;UNTIL={year + 3}0101T000000")
        # Written here directly: store its occurrences as the closure service would.
        await ensure_covered(context.assets["jugendkeller"], first)
