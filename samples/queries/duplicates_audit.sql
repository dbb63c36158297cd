-- Fingerprints stored more than once. The pipeline guarantees none: this query must return no rows.
SELECT
  fingerprint,
  count(*) AS copies
FROM ctr
GROUP BY fingerprint
HAVING count(*) > 1
ORDER BY copies DESC, fingerprint
