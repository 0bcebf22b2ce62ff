"""JCM partner countries eligible for the equipment subsidy (ISO 3166 alpha-3).

Copied from the platform's partner-country list (29 countries by 2024) so that screening
never reads shared files at run time. The call settings hold their own copy, which the
secretariat may edit per call year.
"""

from __future__ import annotations

from typing import NamedTuple


class PartnerCountry(NamedTuple):
    iso3: str
    name_en: str
    name_ja: str


PARTNER_COUNTRIES: tuple[PartnerCountry, ...] = (
    PartnerCountry("MNG", "Mongolia", "モンゴル"),
    PartnerCountry("BGD", "Bangladesh", "バングラデシュ"),
    PartnerCountry("ETH", "Ethiopia", "エチオピア"),
    PartnerCountry("KEN", "Kenya", "ケニア"),
    PartnerCountry("MDV", "Maldives", "モルディブ"),
    PartnerCountry("VNM", "Viet Nam", "ベトナム"),
    PartnerCountry("LAO", "Lao PDR", "ラオス"),
    PartnerCountry("IDN", "Indonesia", "インドネシア"),
    PartnerCountry("CRI", "Costa Rica", "コスタリカ"),
    PartnerCountry("PLW", "Palau", "パラオ"),
    PartnerCountry("KHM", "Cambodia", "カンボジア"),
    PartnerCountry("MEX", "Mexico", "メキシコ"),
    PartnerCountry("SAU", "Saudi Arabia", "サウジアラビア"),
    PartnerCountry("CHL", "Chile", "チリ"),
    PartnerCountry("MMR", "Myanmar", "ミャンマー"),
    PartnerCountry("THA", "Thailand", "タイ"),
    PartnerCountry("PHL", "Philippines", "フィリピン"),
    PartnerCountry("SEN", "Senegal", "セネガル"),
    PartnerCountry("TUN", "Tunisia", "チュニジア"),
    PartnerCountry("AZE", "Azerbaijan", "アゼルバイジャン"),
    PartnerCountry("MDA", "Moldova", "モルドバ"),
    PartnerCountry("GEO", "Georgia", "ジョージア"),
    PartnerCountry("LKA", "Sri Lanka", "スリランカ"),
    PartnerCountry("UZB", "Uzbekistan", "ウズベキスタン"),
    PartnerCountry("PNG", "Papua New Guinea", "パプアニューギニア"),
    PartnerCountry("ARE", "United Arab Emirates", "アラブ首長国連邦"),
    PartnerCountry("KGZ", "Kyrgyz Republic", "キルギス"),
    PartnerCountry("KAZ", "Kazakhstan", "カザフスタン"),
    PartnerCountry("UKR", "Ukraine", "ウクライナ"),
)

PARTNER_ISO3: tuple[str, ...] = tuple(c.iso3 for c in PARTNER_COUNTRIES)
