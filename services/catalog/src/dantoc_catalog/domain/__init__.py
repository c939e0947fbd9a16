"""Pure catalog logic: parsing and validating catalogue files, hierarchy checks, versions, payloads. No I/O."""
