"""The currencies a grant can be in: ISO 4217's active codes (list one, as of 2025).

Left out on purpose: the codes ISO itself marks as not money one pays grants in:
precious metals (XAU, XAG, XPD, XPT), bond-market units (XBA-XBD), the testing
and "no currency" codes (XTS, XXX), SUCRE and ADB units (XSU, XUA), and the fund
codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). Update when ISO amends the
list (its maintenance agency publishes each amendment).
"""

_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL
    BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP
    ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR
    IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
    LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
    NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD
    SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
    USD UYU UZS VED VES VND VUV WST XAF XCD XCG XDR XOF XPF YER ZAR ZMW ZWG
    """
CURRENCIES = frozenset(_CODES.split())

# The signs a typed or imported amount may start with, and the currency each means.
SIGNS = {"£": "GBP", "€": "EUR", "$": "USD"}
