"""Responses of uddannelsesstatistik.dk in the documented layout, one per mapped cube.

JSON records with bracketed dimension keys (the level name three times; ``[Tid].[Skoleår]``
for absence) and measures as Danish number text, as public clients of the API show them
(see ``shared/domain/sources/uddannelsesstatistik.md``). The numbers are invented.
"""

from __future__ import annotations

YEAR = "[Skoleår].[Skoleår].[Skoleår]"
TID_YEAR = "[Tid].[Skoleår]"
INST = "[Institution].[Institution].[Institution]"
KOMMUNE = "[Institution].[Beliggenhedskommune].[Beliggenhedskommune]"
AFDELING = "[Afdeling].[Afdeling].[Afdeling]"
GROUP = "[Klassetrin].[Klassetringruppe].[Klassetringruppe]"
STAGE = "[Klassetrin].[Skoletrin].[Skoletrin]"
TRIV_IND = "[Trivselsindikator].[Trivselsindikator].[Trivselsindikator]"
TRIV_IV = (
    "[Trivselsindikator Svarintervaller].[Trivselsindikator Svarintervaller]."
    "[Trivselsindikator Svarintervaller]"
)
KVAL_IND = "[Indikator].[Indikator].[Indikator]"
FAG = "[Fag].[Fag].[Fag]"
KVAL_SVAR = "[Indikatorsvar].[Indikator svar].[Indikator svar]"

KARA = [
    {
        YEAR: "2023/2024",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        "Gennemsnit i bundne prøver": "7,3",
        "Gennemsnit i obl. 9.-klasseprøver": "7,1",
        "Andel elever med mindst 2 i obl. 9.-klasseprøver": "91,2 %",
        "Antal elever med karakter eller anden status i prøver": "57",
    },
    {
        YEAR: "2023/2024",
        INST: "Dalskolen (730002)",
        KOMMUNE: "Randers",
        "Gennemsnit i bundne prøver": "<fejl>",
        "Gennemsnit i obl. 9.-klasseprøver": "-",
        "Andel elever med mindst 2 i obl. 9.-klasseprøver": "",
        "Antal elever med karakter eller anden status i prøver": "2",
    },
]

KARA_MUNICIPALITIES = [
    {
        YEAR: "2023/2024",
        KOMMUNE: name,
        "Gennemsnit i bundne prøver": avg,
        "Antal elever med karakter eller anden status i prøver": n,
    }
    for name, avg, n in [
        ("Københavns Kommune", "7,4", "4.312"),
        ("Randers", "6,9", "1.012"),
        ("Aarhus", "7,5", "3.208"),
    ]
]

SOCREFEX = [
    {
        YEAR: "2023/2024",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        "Karakter": "7,3",
        "Soc_ref": "6,8",
        "Forskel": "0,5",
        "Signifikant": "Bedre end forventet",
    },
    {
        YEAR: "2023/2024",
        INST: "Engskolen (730003)",
        KOMMUNE: "Randers",
        "Karakter": "6,1",
        "Soc_ref": "6,4",
        "Forskel": "-0,3",
        "Signifikant": "På Niveau",
    },
]

_INDICATORS = ["Generel trivsel", "Social trivsel"]
_INTERVALS = ["1 til 2", "2,1 til 3", "3,1 til 4", "4,1 til 5"]

TRIVIND_INTERVALS = [
    {
        YEAR: "2024/2025",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        GROUP: "4.-9. klasse",
        TRIV_IND: indicator,
        TRIV_IV: interval,
        "Andel Indikatorsvar": share,
        "Antal Indikatorsvar": count,
    }
    for indicator in _INDICATORS
    for interval, share, count in zip(
        _INTERVALS, ["2,0 %", "8,0 %", "40,0 %", "50,0 %"], ["4", "16", "80", "100"], strict=True
    )
]

TRIVIND_MEANS = [
    {
        YEAR: "2024/2025",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        TRIV_IND: indicator,
        "Indikatorsvar": mean,
        "Antal Indikatorsvar": "200",
        "Indikatorsvar - Kommunetal": kommune,
        "Indikatorsvar - Landstal": land,
    }
    for indicator, mean, kommune, land in [
        ("Generel trivsel", "4,1", "4,0", "3,9"),
        ("Ro og orden", "3,6", "3,7", "3,8"),
    ]
] + [
    {
        YEAR: "2024/2025",
        INST: "Dalskolen (730002)",
        KOMMUNE: "Randers",
        TRIV_IND: "Generel trivsel",
        "Indikatorsvar": "3,9",
        "Antal Indikatorsvar": "150",
        "Indikatorsvar - Kommunetal": "4,0",
        "Indikatorsvar - Landstal": "3,9",
    }
]

KVALTRIV = [
    {
        YEAR: "2022/2023",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        KVAL_IND: "Faglig trivsel",
        "Indikatorsvar": "3,8",
    },
    {
        YEAR: "2022/2023",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        KVAL_IND: "Støtte og inspiration",
        "Indikatorsvar": "3,2",
    },
]

KVALTRIV_INTERVALS = [
    {
        YEAR: "2022/2023",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        KVAL_IND: "Ro og orden",
        KVAL_SVAR: interval,
        "Indikatorsvar": share,
    }
    for interval, share in zip(_INTERVALS, ["3,1 %", "10,9 %", "36,0 %", "50,0 %"], strict=True)
]

FRAVAAR = [
    {
        TID_YEAR: year,
        KOMMUNE: "Randers",
        STAGE: "Udskoling",
        "Gennemsnitligt fravær per skoleår": total,
        "Sygefravær per skoleår": sick,
        "Ulovligt fravær per skoleår": illegal,
        "Over 10 procent": above,
        "Antal elever": n,
    }
    for year, total, sick, illegal, above, n in [
        ("2022/2023", "7,9 %", "4,8 %", "1,9 %", "28,4 %", "2.351"),
        ("2023/2024", "7,3 %", "4,4 %", "1,6 %", "24,0 %", "2.402"),
    ]
]

KOMPEX = [
    {
        YEAR: "2023/2024",
        INST: "Bakkeskolen (730001)",
        KOMMUNE: "Randers",
        FAG: subject,
        "Med kompetence andel": share,
    }
    for subject, share in [("I alt", "87,5 %"), ("Dansk", "95,1 %"), ("Natur/teknologi", "x")]
]

OVERSKO = [
    {
        YEAR: "2022/2023",
        AFDELING: department,
        "Overgang til UU fra 9. og 10. kl. sept året efter": share,
        "Antal elever": n,
        "Overgang til UU fra 9. og 10. kl. sept året efter - Kommunetal": "81,0 %",
        "Overgang til UU fra 9. og 10. kl. sept året efter - Landstal": "83,2 %",
        "Antal elever - Kommunetal": "1.104",
    }
    for department, share, n in [("Bakkeskolen", "84,2 %", "57"), ("Engskolen", "..", "3")]
]

ELEVEX = [
    {
        YEAR: "2023/2024",
        KOMMUNE: kommune,
        "Inklusionsgrad": incl,
        "Andel der modtager seg specialundervisning": seg,
        "Antal elever": n,
    }
    for kommune, incl, seg, n in [
        ("København", "94,1 %", "5,9 %", "41.220"),
        ("Aarhus Kommune", "95,3 %", "4,7 %", "33.015"),
    ]
]

#: Every mapped cube with its fixture.
CUBE_FIXTURES = {
    "KARA/KARAGNS": KARA,
    "SOCR/SOCREFEX": SOCREFEX,
    "TRIV/TRIVIND": TRIVIND_INTERVALS,
    "TRIV/KVALTRIV": KVALTRIV,
    "ELEVFRAV/FRAVAAR": FRAVAAR,
    "KOMP/KOMPEX": KOMPEX,
    "OVER/OVERSKO": OVERSKO,
    "ELEV/ELEVEX": ELEVEX,
}
