"""Code lists shared by several record kinds."""

from __future__ import annotations

import enum


class DonorKind(enum.StrEnum):
    """Who a donor is."""

    INDIVIDUAL = "individual"
    INFORMAL_GROUP = "informal-group"
    NGO = "ngo"
    FOUNDATION = "foundation"
    CROWDFUNDING_PLATFORM = "crowdfunding-platform"
    COMPANY = "company"
    PUBLIC_BODY = "public-body"
    TWINNED_MUNICIPALITY = "twinned-municipality"

    @property
    def iati_organisation_type(self) -> str:
        """The nearest IATI OrganisationType code."""
        return {
            "individual": "90",
            "informal-group": "90",
            "ngo": "21",
            "foundation": "60",
            "crowdfunding-platform": "70",
            "company": "70",
            "public-body": "10",
            "twinned-municipality": "11",
        }[self.value]


class ConditionType(enum.StrEnum):
    """IATI ConditionType: policy (1), performance (2), fiduciary (3)."""

    POLICY = "policy"
    PERFORMANCE = "performance"
    FIDUCIARY = "fiduciary"

    @property
    def iati_code(self) -> str:
        """The IATI ConditionType code."""
        return {"policy": "1", "performance": "2", "fiduciary": "3"}[self.value]
