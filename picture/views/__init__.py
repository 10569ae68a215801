"""The picture's pages, one module a subject: ``picture`` (/buc-tranh/, its drill-down and
exports, the gap and latent buttons), ``directions`` (/chi-dao/ and a unit's directions),
``accountability`` (a unit's 12 months), ``alerts`` (/theo-doi/), ``briefs`` (/ban-tin/), ``geo``
(area boundaries and the map's shapes)."""
