"""Add translations to a domain's German catalogue: `python scripts/po_add.py DOMAIN < pairs.tsv`.

Each input line is `English<TAB>German`. Existing entries are updated; the file stays sorted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

FOLDER = Path(__file__).resolve().parents[1] / "src" / "resourcepool" / "locale" / "de" / "LC_MESSAGES"


def main() -> None:
    domain = sys.argv[1]
    path = FOLDER / f"{domain}.po"
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="de")
    else:
        catalog = Catalog(locale="de", project="resourcepool", domain=domain)
    for line in sys.stdin.read().splitlines():
        if not line.strip():
            continue
        english, german = line.split("\t", 1)
        catalog.add(english, german)
    FOLDER.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, width=100, omit_header=False)


if __name__ == "__main__":
    main()
