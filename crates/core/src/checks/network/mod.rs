//! Section 3 of the checklist: network policies and exposure; item 8.6 (namespace quotas).
