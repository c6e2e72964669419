"""Code tables for the BTS North American TransBorder Freight raw data (dot1/dot2/dot3) and the
dimension frames built from them.

Sources:
* U.S. DOT Bureau of Transportation Statistics, "Codes for North American TransBorder Freight Raw
  Data" (https://www.bts.gov/topics/transborder-raw-data): TRDTYPE, COUNTRY, DISAGMOT, MEXSTATE
  and CANPROV code lists.
* The Harmonized System (HS) nomenclature of the World Customs Organization for the 2-digit
  chapter titles of COMMODITY2 (shortened here; Spanish after the Mexican TIGIE chapter titles).
  Chapters 98 and 99 are the US national chapters (Schedule B / HTSUS); chapter 77 is reserved in
  the HS and never used.

Why in code: these lists are small, fixed and change only when BTS or the WCO revise them, so they
are written and reviewed here, versioned with the transforms that use them, carry our own English
and Spanish labels, and need no reference file at run time. The tests check them against every code
that appears in the staged data.
"""

from __future__ import annotations

import polars as pl

# TRDTYPE code -> trade type
TRADE_TYPES: dict[str, str] = {"1": "export", "2": "import"}

# COUNTRY code (Census Schedule C) -> country
COUNTRIES: dict[str, str] = {"1220": "canada", "2010": "mexico"}

# DISAGMOT code -> (mode code, English label, Spanish label, is a land border mode)
MODES: dict[str, tuple[str, str, str, bool]] = {
    "1": ("vessel", "Vessel", "Marítimo", False),
    "3": ("air", "Air", "Aéreo", False),
    "4": ("mail", "Mail (U.S. Postal Service)", "Correo (Servicio Postal de EE. UU.)", False),
    "5": ("truck", "Truck", "Camión", True),
    "6": ("rail", "Rail", "Ferrocarril", True),
    "7": ("pipeline", "Pipeline", "Ducto", True),
    "8": ("other", "Other/Unknown", "Otro/Desconocido", False),
    "9": ("ftz", "Foreign Trade Zones (FTZs)", "Zonas de comercio exterior (FTZ)", False),
}

# SHIPWT is reported for all imports but, for exports, only by these modes (0 for the rest).
WEIGHT_REPORTED_FOR_EXPORTS: frozenset[str] = frozenset({"vessel", "air"})

# MEXSTATE code -> state name (BTS codes, including the legacy and unknown codes)
# USASTATE: USPS codes of the states, DC and territories, plus DU for an unknown state.
US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "GU": "Guam",
    "AS": "American Samoa",
    "MP": "Northern Mariana Islands",
    "DU": "Unknown",
}

MEXICAN_STATES: dict[str, str] = {
    "AG": "Aguascalientes",
    "BC": "Baja California",
    "BN": "Baja California Norte (legacy code)",
    "BS": "Baja California Sur",
    "CH": "Chihuahua",
    "CL": "Colima",
    "CM": "Campeche",
    "CO": "Coahuila",
    "CS": "Chiapas",
    "DF": "Distrito Federal (Ciudad de México)",
    "DG": "Durango",
    "GR": "Guerrero",
    "GT": "Guanajuato",
    "HG": "Hidalgo",
    "JA": "Jalisco",
    "MI": "Michoacán",
    "MO": "Morelos",
    "MX": "Estado de México",
    "NA": "Nayarit",
    "NL": "Nuevo León",
    "OA": "Oaxaca",
    "OT": "State unknown",
    "PU": "Puebla",
    "QR": "Quintana Roo",
    "QT": "Querétaro",
    "SI": "Sinaloa",
    "SL": "San Luis Potosí",
    "SO": "Sonora",
    "TB": "Tabasco",
    "TL": "Tlaxcala",
    "TM": "Tamaulipas",
    "VE": "Veracruz",
    "XX": "Unknown",
    "YU": "Yucatán",
    "ZA": "Zacatecas",
}

# CANPROV code -> province or territory name (BTS X-prefixed codes plus the unknown codes)
CANADIAN_PROVINCES: dict[str, str] = {
    "XA": "Alberta",
    "XB": "New Brunswick",
    "XC": "British Columbia",
    "XM": "Manitoba",
    "XN": "Nova Scotia",
    "XO": "Ontario",
    "XP": "Prince Edward Island",
    "XQ": "Quebec",
    "XS": "Saskatchewan",
    "XT": "Northwest Territories",
    "XV": "Nunavut",
    "XW": "Newfoundland",
    "XY": "Yukon",
    "OT": "Province unknown",
    "DU": "Unknown",
}

# COMMODITY2 (HS chapter, 2 characters) -> (English title, Spanish title); 77 is reserved.
HS2: dict[str, tuple[str, str]] = {
    "01": ("Live animals", "Animales vivos"),
    "02": ("Meat and edible meat offal", "Carne y despojos comestibles"),
    "03": ("Fish, crustaceans, molluscs and other aquatic invertebrates", "Pescados, crustáceos y moluscos"),
    "04": ("Dairy produce; birds' eggs; natural honey", "Lácteos; huevos de ave; miel natural"),
    "05": ("Products of animal origin, n.e.s.", "Demás productos de origen animal"),
    "06": ("Live trees and other plants; cut flowers", "Plantas vivas y productos de la floricultura"),
    "07": ("Edible vegetables, roots and tubers", "Hortalizas, raíces y tubérculos alimenticios"),
    "08": ("Edible fruit and nuts; citrus and melon peel", "Frutas y frutos comestibles"),
    "09": ("Coffee, tea, maté and spices", "Café, té, yerba mate y especias"),
    "10": ("Cereals", "Cereales"),
    "11": (
        "Milling products; malt; starches; inulin; wheat gluten",
        "Productos de la molinería; malta; almidón",
    ),
    "12": ("Oil seeds and oleaginous fruits; misc. grains, seeds and fruit", "Semillas y frutos oleaginosos"),
    "13": ("Lac; gums, resins and other vegetable saps and extracts", "Gomas, resinas y extractos vegetales"),
    "14": ("Vegetable plaiting materials; vegetable products n.e.s.", "Materias trenzables vegetales"),
    "15": ("Animal or vegetable fats and oils; waxes", "Grasas y aceites animales o vegetales; ceras"),
    "16": ("Preparations of meat, fish or crustaceans", "Preparaciones de carne, pescado o crustáceos"),
    "17": ("Sugars and sugar confectionery", "Azúcares y artículos de confitería"),
    "18": ("Cocoa and cocoa preparations", "Cacao y sus preparaciones"),
    "19": (
        "Preparations of cereals, flour, starch or milk; bakery products",
        "Preparaciones de cereales; pastelería",
    ),
    "20": ("Preparations of vegetables, fruit or nuts", "Preparaciones de hortalizas o frutas"),
    "21": ("Miscellaneous edible preparations", "Preparaciones alimenticias diversas"),
    "22": ("Beverages, spirits and vinegar", "Bebidas, líquidos alcohólicos y vinagre"),
    "23": (
        "Food industry residues and waste; animal fodder",
        "Residuos de la industria alimentaria; piensos",
    ),
    "24": ("Tobacco and manufactured tobacco substitutes", "Tabaco y sucedáneos del tabaco"),
    "25": (
        "Salt; sulphur; earths and stone; lime and cement",
        "Sal; azufre; tierras y piedras; cales y cementos",
    ),
    "26": ("Ores, slag and ash", "Minerales metalíferos, escorias y cenizas"),
    "27": (
        "Mineral fuels, mineral oils and products of their distillation",
        "Combustibles y aceites minerales",
    ),
    "28": (
        "Inorganic chemicals; compounds of precious or rare-earth metals",
        "Productos químicos inorgánicos",
    ),
    "29": ("Organic chemicals", "Productos químicos orgánicos"),
    "30": ("Pharmaceutical products", "Productos farmacéuticos"),
    "31": ("Fertilisers", "Abonos"),
    "32": (
        "Tanning or dyeing extracts; pigments, paints and varnishes; inks",
        "Pigmentos, pinturas y barnices; tintas",
    ),
    "33": (
        "Essential oils; perfumery, cosmetic or toilet preparations",
        "Aceites esenciales; perfumería y cosmética",
    ),
    "34": (
        "Soap, washing and lubricating preparations, waxes, candles",
        "Jabones, lubricantes, ceras y velas",
    ),
    "35": (
        "Albuminoidal substances; modified starches; glues; enzymes",
        "Materias albuminoideas; colas; enzimas",
    ),
    "36": ("Explosives; pyrotechnic products; matches", "Pólvora y explosivos; pirotecnia; fósforos"),
    "37": ("Photographic or cinematographic goods", "Productos fotográficos o cinematográficos"),
    "38": ("Miscellaneous chemical products", "Productos diversos de las industrias químicas"),
    "39": ("Plastics and articles thereof", "Plástico y sus manufacturas"),
    "40": ("Rubber and articles thereof", "Caucho y sus manufacturas"),
    "41": ("Raw hides and skins (other than furskins) and leather", "Pieles (excepto peletería) y cueros"),
    "42": (
        "Articles of leather; saddlery; travel goods, handbags",
        "Manufacturas de cuero; artículos de viaje",
    ),
    "43": ("Furskins and artificial fur; manufactures thereof", "Peletería y sus confecciones"),
    "44": ("Wood and articles of wood; wood charcoal", "Madera, carbón vegetal y manufacturas de madera"),
    "45": ("Cork and articles of cork", "Corcho y sus manufacturas"),
    "46": (
        "Manufactures of straw or other plaiting materials; basketware",
        "Manufacturas de espartería o cestería",
    ),
    "47": (
        "Pulp of wood or other fibrous cellulosic material; recovered paper",
        "Pasta de madera; papel para reciclar",
    ),
    "48": ("Paper and paperboard; articles thereof", "Papel y cartón; sus manufacturas"),
    "49": (
        "Printed books, newspapers, pictures and other printed products",
        "Productos editoriales y de imprenta",
    ),
    "50": ("Silk", "Seda"),
    "51": ("Wool, fine or coarse animal hair; horsehair yarn and fabric", "Lana y pelo fino u ordinario"),
    "52": ("Cotton", "Algodón"),
    "53": ("Other vegetable textile fibres; paper yarn", "Demás fibras textiles vegetales"),
    "54": ("Man-made filaments", "Filamentos sintéticos o artificiales"),
    "55": ("Man-made staple fibres", "Fibras sintéticas o artificiales discontinuas"),
    "56": (
        "Wadding, felt and nonwovens; special yarns; twine and cordage",
        "Guata, fieltro y tela sin tejer; cordeles",
    ),
    "57": ("Carpets and other textile floor coverings", "Alfombras y revestimientos textiles para suelo"),
    "58": (
        "Special woven fabrics; lace; tapestries; trimmings; embroidery",
        "Tejidos especiales; encajes; bordados",
    ),
    "59": (
        "Impregnated, coated or laminated textile fabrics",
        "Telas impregnadas, recubiertas o estratificadas",
    ),
    "60": ("Knitted or crocheted fabrics", "Tejidos de punto"),
    "61": ("Apparel and clothing accessories, knitted or crocheted", "Prendas de vestir de punto"),
    "62": (
        "Apparel and clothing accessories, not knitted or crocheted",
        "Prendas de vestir, excepto de punto",
    ),
    "63": ("Other made-up textile articles; worn clothing; rags", "Demás artículos textiles confeccionados"),
    "64": ("Footwear, gaiters and the like", "Calzado, polainas y artículos análogos"),
    "65": ("Headgear and parts thereof", "Sombreros y demás tocados"),
    "66": ("Umbrellas, walking-sticks, whips, riding-crops", "Paraguas, sombrillas, bastones y látigos"),
    "67": (
        "Prepared feathers and down; artificial flowers; human hair articles",
        "Plumas; flores artificiales",
    ),
    "68": (
        "Articles of stone, plaster, cement, asbestos, mica or similar",
        "Manufacturas de piedra, yeso o cemento",
    ),
    "69": ("Ceramic products", "Productos cerámicos"),
    "70": ("Glass and glassware", "Vidrio y sus manufacturas"),
    "71": (
        "Pearls, precious stones and metals; imitation jewellery; coin",
        "Perlas, piedras y metales preciosos",
    ),
    "72": ("Iron and steel", "Fundición, hierro y acero"),
    "73": ("Articles of iron or steel", "Manufacturas de fundición, hierro o acero"),
    "74": ("Copper and articles thereof", "Cobre y sus manufacturas"),
    "75": ("Nickel and articles thereof", "Níquel y sus manufacturas"),
    "76": ("Aluminium and articles thereof", "Aluminio y sus manufacturas"),
    "78": ("Lead and articles thereof", "Plomo y sus manufacturas"),
    "79": ("Zinc and articles thereof", "Cinc y sus manufacturas"),
    "80": ("Tin and articles thereof", "Estaño y sus manufacturas"),
    "81": ("Other base metals; cermets; articles thereof", "Demás metales comunes; cermets"),
    "82": ("Tools, implements, cutlery of base metal", "Herramientas y cuchillería de metal común"),
    "83": ("Miscellaneous articles of base metal", "Manufacturas diversas de metal común"),
    "84": (
        "Machinery and mechanical appliances (incl. computers)",
        "Máquinas y aparatos mecánicos (incl. computadoras)",
    ),
    "85": (
        "Electrical machinery and equipment (incl. semiconductors)",
        "Máquinas y aparatos eléctricos (incl. semiconductores)",
    ),
    "86": ("Railway or tramway locomotives, rolling stock and fixtures", "Vehículos y material ferroviario"),
    "87": ("Vehicles other than railway, and parts", "Vehículos automóviles y sus partes"),
    "88": ("Aircraft, spacecraft and parts thereof", "Aeronaves, vehículos espaciales y sus partes"),
    "89": ("Ships, boats and floating structures", "Barcos y demás artefactos flotantes"),
    "90": (
        "Optical, measuring, medical or surgical instruments",
        "Instrumentos de óptica, medida y médico-quirúrgicos",
    ),
    "91": ("Clocks and watches and parts thereof", "Aparatos de relojería y sus partes"),
    "92": ("Musical instruments; parts and accessories", "Instrumentos musicales"),
    "93": ("Arms and ammunition; parts and accessories", "Armas y municiones"),
    "94": ("Furniture; bedding; lamps; prefabricated buildings", "Muebles; artículos de cama; luminarias"),
    "95": ("Toys, games and sports requisites", "Juguetes, juegos y artículos deportivos"),
    "96": ("Miscellaneous manufactured articles", "Manufacturas diversas"),
    "97": ("Works of art, collectors' pieces and antiques", "Objetos de arte, de colección y antigüedades"),
    "98": ("Special classification provisions, n.e.s.o.i.", "Disposiciones especiales de clasificación"),
    "99": ("Special import reporting provisions", "Disposiciones especiales de declaración de importación"),
}

# HLED sector code -> (English label, Spanish label)
HLED_SECTORS: dict[str, tuple[str, str]] = {
    # named for what the HS chapter holds: TransBorder stops at chapters, so "semiconductors" alone
    # would overstate (chapter 85 also holds motors, cables, TVs and phones)
    "semiconductors_ict": (
        "Electrical machinery incl. semiconductors & ICT (HS 85)",
        "Maquinaria y equipo eléctrico, incl. semiconductores y TIC (SA 85)",
    ),
    "computers_machinery": ("Machinery incl. computers (HS 84)", "Maquinaria, incl. computadoras (SA 84)"),
    "medical_optical": (
        "Optical & medical instruments incl. medical devices (HS 90)",
        "Instrumentos ópticos y médicos, incl. dispositivos médicos (SA 90)",
    ),
    "pharmaceuticals": ("Pharmaceutical products (HS 30)", "Productos farmacéuticos (SA 30)"),
    "vehicles_parts": ("Vehicles & parts (HS 87)", "Vehículos y autopartes (SA 87)"),
    "other": ("Other goods", "Otras mercancías"),
}

# HS chapter -> HLED sector; every other chapter is "other".
SECTOR_OF_CHAPTER: dict[str, str] = {
    "85": "semiconductors_ict",
    "84": "computers_machinery",
    "90": "medical_optical",
    "30": "pharmaceuticals",
    "87": "vehicles_parts",
}

# The resilient supply chains named by the HLED.
PRIORITY_SECTORS: tuple[str, ...] = ("semiconductors_ict", "medical_optical", "pharmaceuticals")


def hled_sector(hs2: str) -> str:
    """HLED sector code of a 2-character HS chapter ("other" when it is not a tracked chapter)."""
    return SECTOR_OF_CHAPTER.get(hs2, "other")


def mode_dimension() -> pl.DataFrame:
    """One row per DISAGMOT transport mode, sorted by its code."""
    codes = sorted(MODES)
    return pl.DataFrame(
        {
            "mode": [MODES[c][0] for c in codes],
            "disagmot_code": codes,
            "label_en": [MODES[c][1] for c in codes],
            "label_es": [MODES[c][2] for c in codes],
            "is_land": [MODES[c][3] for c in codes],
        },
        schema={
            "mode": pl.String,
            "disagmot_code": pl.String,
            "label_en": pl.String,
            "label_es": pl.String,
            "is_land": pl.Boolean,
        },
    )


def commodity_dimension() -> pl.DataFrame:
    """One row per HS chapter with its names and HLED sector, sorted by chapter."""
    chapters = sorted(HS2)
    sectors = [hled_sector(c) for c in chapters]
    return pl.DataFrame(
        {
            "commodity": chapters,
            "name_en": [HS2[c][0] for c in chapters],
            "name_es": [HS2[c][1] for c in chapters],
            "hled_sector": sectors,
            "hled_sector_en": [HLED_SECTORS[s][0] for s in sectors],
            "hled_sector_es": [HLED_SECTORS[s][1] for s in sectors],
            "is_priority": [s in PRIORITY_SECTORS for s in sectors],
        },
        schema={
            "commodity": pl.String,
            "name_en": pl.String,
            "name_es": pl.String,
            "hled_sector": pl.String,
            "hled_sector_en": pl.String,
            "hled_sector_es": pl.String,
            "is_priority": pl.Boolean,
        },
    )


_TRADE_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "export": ("Export", "Exportación"),
    "import": ("Import", "Importación"),
}


def trade_type_dimension() -> pl.DataFrame:
    """One row per TRDTYPE code (export, import)."""
    codes = sorted(TRADE_TYPES)
    return pl.DataFrame(
        {
            "trade_type": [TRADE_TYPES[c] for c in codes],
            "trdtype_code": codes,
            "label_en": [_TRADE_TYPE_LABELS[TRADE_TYPES[c]][0] for c in codes],
            "label_es": [_TRADE_TYPE_LABELS[TRADE_TYPES[c]][1] for c in codes],
        },
        schema={
            "trade_type": pl.String,
            "trdtype_code": pl.String,
            "label_en": pl.String,
            "label_es": pl.String,
        },
    )


_COUNTRY_LABELS: dict[str, tuple[str, str]] = {
    "canada": ("Canada", "Canadá"),
    "mexico": ("Mexico", "México"),
}


def country_dimension() -> pl.DataFrame:
    """One row per COUNTRY code (Canada, Mexico)."""
    codes = sorted(COUNTRIES)
    return pl.DataFrame(
        {
            "country": [COUNTRIES[c] for c in codes],
            "country_code": codes,
            "label_en": [_COUNTRY_LABELS[COUNTRIES[c]][0] for c in codes],
            "label_es": [_COUNTRY_LABELS[COUNTRIES[c]][1] for c in codes],
        },
        schema={
            "country": pl.String,
            "country_code": pl.String,
            "label_en": pl.String,
            "label_es": pl.String,
        },
    )


def region_dimension() -> pl.DataFrame:
    """Mexican states and Canadian provinces in one table, keyed by (country, region_code)."""
    rows = [("mexico", code, name) for code, name in sorted(MEXICAN_STATES.items())]
    rows += [("canada", code, name) for code, name in sorted(CANADIAN_PROVINCES.items())]
    return pl.DataFrame(
        rows,
        schema={"country": pl.String, "region_code": pl.String, "name": pl.String},
        orient="row",
    )
